// The state of a screen that lists records beside a form editing one of them (Khách hàng,
// Sản phẩm): the search as typed, what it found, and which record the form holds.
import { DebouncedRequest } from "./debounced-request";
import { notices } from "./notices.svelte";

export class RecordCatalogue<T> {
  search = $state("");
  items = $state<T[]>([]);
  loaded = $state(false);
  /** The record open in the form: `null` while nothing is open, "new" for a new one. */
  editing = $state<T | "new" | null>(null);
  /** Changes each time the form is opened, so it starts afresh. */
  formKey = $state(0);
  private readonly request: DebouncedRequest<string, T[]>;

  constructor(list: (search: string) => Promise<T[]>) {
    this.request = new DebouncedRequest(
      200,
      list,
      (found) => {
        this.items = found;
        this.loaded = true;
      },
      (e) => notices.showError(e),
    );
  }

  /** For an `$effect`: lists again when the search changes; the cleanup drops a waiting request. */
  follow(): () => void {
    this.request.schedule(this.search);
    return () => this.request.cancel();
  }

  open(target: T | "new"): void {
    this.editing = target;
    this.formKey++;
  }

  /** After the form saved `record`: keep it open and list again. */
  saved(record: T): void {
    this.editing = record;
    this.formKey++;
    void this.request.now(this.search);
  }
}
