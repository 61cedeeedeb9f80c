import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Customer } from "../bindings/Customer";

const listCustomers = vi.fn<(search: string) => Promise<Customer[]>>();
vi.mock("./api", () => ({ listCustomers: (search: string) => listCustomers(search) }));

const { customerDirectory } = await import("./customer-directory.svelte");

const customer = (id: number, name: string): Customer => ({
  id,
  kind: "person",
  name,
  buyer_name: "",
  tax_code: null,
  address: "",
  email: "",
  phone: "",
  created_at: 0,
  updated_at: 0,
});

describe("customer directory", () => {
  beforeEach(() => listCustomers.mockReset());

  it("loads every customer", async () => {
    listCustomers.mockResolvedValue([customer(1, "Chị Lan")]);
    await customerDirectory.refresh();
    expect(listCustomers).toHaveBeenCalledWith("");
    expect(customerDirectory.all.map((c) => c.name)).toEqual(["Chị Lan"]);
  });

  it("shows a saved customer at once, and a stale refresh does not hide it", async () => {
    let answer: (list: Customer[]) => void = () => {};
    listCustomers.mockImplementationOnce(() => new Promise((res) => (answer = res)));
    const stale = customerDirectory.refresh();
    listCustomers.mockResolvedValue([customer(1, "Chị Lan"), customer(2, "Anh Minh")]);
    customerDirectory.saved(customer(2, "Anh Minh"));
    expect(customerDirectory.all.map((c) => c.name)).toEqual(["Chị Lan", "Anh Minh"]);
    answer([customer(1, "Chị Lan")]);
    await stale;
    expect(customerDirectory.all.map((c) => c.name)).toEqual(["Chị Lan", "Anh Minh"]);
  });

  it("replaces an edited customer", () => {
    customerDirectory.saved(customer(1, "Chị Lan (Tạp hóa)"));
    expect(customerDirectory.all.find((c) => c.id === 1)?.name).toBe("Chị Lan (Tạp hóa)");
  });
});
