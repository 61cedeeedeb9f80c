// The "Đơn hàng" screen's filter: days typed as dd/MM/yyyy become the `yyyy-MM-dd` the
// list_sales command takes, and the quick ranges are counted in Vietnam's calendar.
import type { SaleStatus } from "../bindings/SaleStatus";
import { vietnamToday } from "./format";
import type { SalesQuery } from "../bindings/SalesQuery";

export type SalesFilter = { search: string; from: string; to: string; status: SaleStatus | "" };

export const EMPTY_FILTER: SalesFilter = { search: "", from: "", to: "", status: "" };

const two = (n: number) => n.toString().padStart(2, "0");

/**
 * A day as a shop owner types it: `5/3/2025`, `05/03/2025`, `05-03-2025`, `05.03.2025`, or
 * `2025-03-05`. Returns `yyyy-MM-dd`, `""` for an empty box, and `null` when it is no real day.
 */
export function parseDay(text: string): string | null {
  const t = text.trim();
  if (t === "") return "";
  let y: number, m: number, d: number;
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (match) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900) return null;
  return `${y}-${two(m)}-${two(d)}`;
}

function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
}

export type QuickRange = "today" | "last7" | "month";

export const QUICK_RANGES: ReadonlyArray<{ value: QuickRange; label: string }> = [
  { value: "today", label: "Hôm nay" },
  { value: "last7", label: "7 ngày qua" },
  { value: "month", label: "Tháng này" },
];

/** Inclusive `from`/`to` days of a quick range, in Vietnam. */
export function quickRange(range: QuickRange, now: Date = new Date()): { from: string; to: string } {
  const today = vietnamToday(now);
  switch (range) {
    case "today":
      return { from: today, to: today };
    case "last7":
      return { from: addDays(today, -6), to: today };
    case "month":
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** The query for list_sales, or the names of the date boxes that hold no real day. */
export function salesQuery(filter: SalesFilter): { query: SalesQuery } | { invalid: ("from" | "to")[] } {
  const from = parseDay(filter.from);
  const to = parseDay(filter.to);
  const invalid: ("from" | "to")[] = [];
  if (from === null) invalid.push("from");
  if (to === null) invalid.push("to");
  if (from === null || to === null) return { invalid };
  return {
    query: { search: filter.search.trim(), from, to, status: filter.status === "" ? null : filter.status },
  };
}
