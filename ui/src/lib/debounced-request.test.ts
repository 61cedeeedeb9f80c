import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DebouncedRequest } from "./debounced-request";

describe("debounced request", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits for a pause in typing and sends only the last value", async () => {
    const run = vi.fn(async (q: string) => q.toUpperCase());
    const got: string[] = [];
    const r = new DebouncedRequest(150, run, (res) => got.push(res));
    r.schedule("c");
    await vi.advanceTimersByTimeAsync(100);
    r.schedule("cà");
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60);
    expect(run).toHaveBeenCalledTimes(1);
    expect(got).toEqual(["CÀ"]);
  });

  it("drops an older answer that arrives after a newer one", async () => {
    const resolvers: Record<string, (v: string) => void> = {};
    const run = (q: string) => new Promise<string>((res) => (resolvers[q] = res));
    const got: string[] = [];
    const r = new DebouncedRequest(10, run, (res) => got.push(res));
    r.schedule("old");
    await vi.advanceTimersByTimeAsync(10);
    r.schedule("new");
    await vi.advanceTimersByTimeAsync(10);
    resolvers["new"]("new");
    resolvers["old"]("old");
    await vi.runAllTimersAsync();
    expect(got).toEqual(["new"]);
  });

  it("reports a refusal as an AppError", async () => {
    const errors: string[] = [];
    const r = new DebouncedRequest(
      0,
      async () => {
        throw { code: "invalid", message: "Số lượng không hợp lệ", fields: [] };
      },
      () => {},
      (e) => errors.push(e.message),
    );
    await r.now(undefined);
    expect(errors).toEqual(["Số lượng không hợp lệ"]);
  });

  it("cancel drops a waiting request", async () => {
    const run = vi.fn(async () => 1);
    const r = new DebouncedRequest(50, run, () => {});
    r.schedule(undefined);
    r.cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
  });
});
