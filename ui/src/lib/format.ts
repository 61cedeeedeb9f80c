// How the app prints money, quantities and dates: the way Vietnamese invoices do, and always
// in Vietnam's time (UTC+7, no daylight saving) whatever zone the computer is set to.
import type { Dong } from "../bindings/Dong";
import type { Quantity } from "../bindings/Quantity";

/** Asia/Ho_Chi_Minh is UTC+7 all year round. */
export const VIETNAM_OFFSET_SECONDS = 7 * 60 * 60;

/** `1650000` → `1.650.000`; `-5000` → `-5.000`. */
export function groupThousands(value: number): string {
  const whole = Math.trunc(value);
  const digits = Math.abs(whole).toString();
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ".";
    out += digits[i];
  }
  return whole < 0 ? `-${out}` : out;
}

/** `1.650.000 ₫` */
export function formatMoney(value: Dong): string {
  return `${groupThousands(value)} ₫`;
}

/** Quantities are thousandths: `1500` → `1,5`, `2000` → `2`, `250` → `0,25`. */
export function formatQuantity(value: Quantity): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(value));
  const whole = groupThousands(Math.floor(abs / 1000));
  const frac = abs % 1000;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole},${frac.toString().padStart(3, "0").replace(/0+$/, "")}`;
}

type VietnamClock = { year: number; month: number; day: number; hour: number; minute: number };

/** The calendar date and wall-clock time in Vietnam at a Unix time in seconds. */
export function vietnamClock(unixSeconds: number): VietnamClock {
  const d = new Date((unixSeconds + VIETNAM_OFFSET_SECONDS) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const two = (n: number) => n.toString().padStart(2, "0");

/** `dd/MM/yyyy` in Vietnam. */
export function formatDate(unixSeconds: number): string {
  const c = vietnamClock(unixSeconds);
  return `${two(c.day)}/${two(c.month)}/${c.year}`;
}

/** `dd/MM/yyyy HH:mm` in Vietnam. */
export function formatDateTime(unixSeconds: number): string {
  const c = vietnamClock(unixSeconds);
  return `${formatDate(unixSeconds)} ${two(c.hour)}:${two(c.minute)}`;
}

/** `yyyy-MM-dd` (as the commands take dates) → `dd/MM/yyyy`; anything else is returned as is. */
export function formatIsoDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Today's date in Vietnam as `yyyy-MM-dd`. */
export function vietnamToday(now: Date = new Date()): string {
  const c = vietnamClock(Math.floor(now.getTime() / 1000));
  return `${c.year}-${two(c.month)}-${two(c.day)}`;
}
