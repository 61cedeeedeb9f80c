// A request made while the user types: it waits for a pause, and only the answer to the
// latest request is delivered (an older, slower answer never overwrites a newer one).
import { toAppError } from "./app-error";
import type { AppError } from "./app-error";

export class DebouncedRequest<A, R> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly delayMs: number,
    private readonly run: (arg: A) => Promise<R>,
    private readonly deliver: (result: R, arg: A) => void,
    private readonly fail: (error: AppError) => void = () => {},
  ) {}

  schedule(arg: A): void {
    clearTimeout(this.timer);
    const seq = ++this.seq;
    this.timer = setTimeout(() => void this.send(seq, arg), this.delayMs);
  }

  /** Runs at once, dropping any request still waiting. */
  now(arg: A): Promise<void> {
    clearTimeout(this.timer);
    return this.send(++this.seq, arg);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.seq++;
  }

  private async send(seq: number, arg: A): Promise<void> {
    try {
      const result = await this.run(arg);
      if (seq === this.seq) this.deliver(result, arg);
    } catch (e) {
      if (seq === this.seq) this.fail(toAppError(e));
    }
  }
}
