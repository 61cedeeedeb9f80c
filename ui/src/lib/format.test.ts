import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatIsoDay,
  formatMoney,
  formatQuantity,
  groupThousands,
  vietnamToday,
} from "./format";

describe("money", () => {
  it("puts dots between thousands and the đồng sign after a space", () => {
    expect(formatMoney(1_650_000)).toBe("1.650.000 ₫");
    expect(formatMoney(0)).toBe("0 ₫");
    expect(formatMoney(999)).toBe("999 ₫");
    expect(formatMoney(1000)).toBe("1.000 ₫");
    expect(formatMoney(-5_000)).toBe("-5.000 ₫");
    expect(formatMoney(999_999_999_999_999)).toBe("999.999.999.999.999 ₫");
  });

  it("groups plain numbers for input fields", () => {
    expect(groupThousands(150_000)).toBe("150.000");
    expect(groupThousands(12)).toBe("12");
    expect(groupThousands(-1_234_567)).toBe("-1.234.567");
  });
});

describe("quantities", () => {
  it("prints thousandths with a decimal comma and no trailing zeros", () => {
    expect(formatQuantity(1500)).toBe("1,5");
    expect(formatQuantity(2000)).toBe("2");
    expect(formatQuantity(250)).toBe("0,25");
    expect(formatQuantity(1)).toBe("0,001");
    expect(formatQuantity(1_234_567)).toBe("1.234,567");
    expect(formatQuantity(-1000)).toBe("-1");
    expect(formatQuantity(-500)).toBe("-0,5");
    expect(formatQuantity(0)).toBe("0");
  });
});

describe("dates in Vietnam (UTC+7)", () => {
  // 2025-03-04T17:30:00Z is 05/03/2025 00:30 in Hà Nội.
  const justAfterMidnight = Date.UTC(2025, 2, 4, 17, 30) / 1000;

  it("moves to the next day when UTC is still on the previous one", () => {
    expect(formatDate(justAfterMidnight)).toBe("05/03/2025");
    expect(formatDateTime(justAfterMidnight)).toBe("05/03/2025 00:30");
  });

  it("pads day, month, hour and minute", () => {
    const t = Date.UTC(2024, 0, 1, 2, 5) / 1000; // 09:05 in Vietnam
    expect(formatDateTime(t)).toBe("01/01/2024 09:05");
  });

  it("ignores the machine's time zone", () => {
    const t = Date.UTC(2025, 11, 31, 16, 59) / 1000; // 23:59 on 31/12 in Vietnam
    expect(formatDateTime(t)).toBe("31/12/2025 23:59");
    expect(formatDateTime(t + 60)).toBe("01/01/2026 00:00");
  });

  it("gives today's Vietnamese date", () => {
    expect(vietnamToday(new Date(Date.UTC(2025, 5, 30, 18, 0)))).toBe("2025-07-01");
    expect(vietnamToday(new Date(Date.UTC(2025, 5, 30, 16, 0)))).toBe("2025-06-30");
  });

  it("turns command dates into shop dates", () => {
    expect(formatIsoDay("2025-11-05")).toBe("05/11/2025");
    expect(formatIsoDay("")).toBe("");
  });
});
