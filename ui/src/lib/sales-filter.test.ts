import { describe, expect, it } from "vitest";
import { parseDay, quickRange, salesQuery } from "./sales-filter";

describe("typed days", () => {
  it("reads Vietnamese day/month/year", () => {
    expect(parseDay("05/03/2025")).toBe("2025-03-05");
    expect(parseDay("5/3/2025")).toBe("2025-03-05");
    expect(parseDay(" 31.12.2024 ")).toBe("2024-12-31");
    expect(parseDay("01-02-2025")).toBe("2025-02-01");
    expect(parseDay("2025-03-05")).toBe("2025-03-05");
    expect(parseDay("")).toBe("");
  });

  it("refuses days that do not exist", () => {
    expect(parseDay("30/02/2025")).toBeNull();
    expect(parseDay("29/02/2023")).toBeNull();
    expect(parseDay("29/02/2024")).toBe("2024-02-29");
    expect(parseDay("13/13/2025")).toBeNull();
    expect(parseDay("hôm qua")).toBeNull();
    expect(parseDay("03/2025")).toBeNull();
  });
});

describe("quick ranges in Vietnam", () => {
  // 2025-03-31T18:00Z is 01/04/2025 01:00 in Vietnam.
  const now = new Date(Date.UTC(2025, 2, 31, 18, 0));

  it("counts days in Vietnam", () => {
    expect(quickRange("today", now)).toEqual({ from: "2025-04-01", to: "2025-04-01" });
    expect(quickRange("last7", now)).toEqual({ from: "2025-03-26", to: "2025-04-01" });
    expect(quickRange("month", now)).toEqual({ from: "2025-04-01", to: "2025-04-01" });
    expect(quickRange("month", new Date(Date.UTC(2025, 2, 20)))).toEqual({ from: "2025-03-01", to: "2025-03-20" });
  });
});

describe("sales query", () => {
  it("builds the list_sales query", () => {
    expect(salesQuery({ search: "  Hoa Sen ", from: "01/03/2025", to: "", status: "failed" })).toEqual({
      query: { search: "Hoa Sen", from: "2025-03-01", to: "", status: "failed" },
    });
    expect(salesQuery({ search: "", from: "", to: "", status: "" })).toEqual({
      query: { search: "", from: "", to: "", status: null },
    });
  });

  it("names the boxes that hold no real day", () => {
    expect(salesQuery({ search: "", from: "32/01/2025", to: "x", status: "" })).toEqual({ invalid: ["from", "to"] });
  });
});
