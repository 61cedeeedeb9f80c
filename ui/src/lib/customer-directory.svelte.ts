// The shop's customers, kept at hand so the sale screen's customer list is filled the moment
// it opens. Refreshed from the core when the app starts and when the sale screen opens, and
// updated at once when a customer is saved.
import type { Customer } from "../bindings/Customer";
import { listCustomers } from "./api";

class CustomerDirectory {
  all = $state<Customer[]>([]);
  private seq = 0;

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const found = await listCustomers("");
    if (seq === this.seq) this.all = found;
  }

  /** A customer was saved: show it now, without waiting for the next refresh. */
  saved(customer: Customer): void {
    this.seq++;
    const at = this.all.findIndex((c) => c.id === customer.id);
    if (at >= 0) this.all[at] = customer;
    else this.all.push(customer);
    void this.refresh().catch(() => {});
  }
}

export const customerDirectory = new CustomerDirectory();
