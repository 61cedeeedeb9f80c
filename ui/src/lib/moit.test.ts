import { describe, expect, it } from "vitest";
import type { MoitFigure } from "../bindings/MoitFigure";
import type { MoitMonth } from "../bindings/MoitMonth";
import type { MoitReport } from "../bindings/MoitReport";
import { currentYear, figurePeriod, monthBars, reportYears, visitsPeriodNote } from "./moit";

// 31/12/2025 17:30 UTC = 01/01/2026 00:30 in Vietnam.
const NEW_YEAR_VN = Date.UTC(2025, 11, 31, 17, 30) / 1000;
const START_2026 = Date.UTC(2025, 11, 31, 17, 0) / 1000;

const fig = (value: number, since: MoitFigure["since"], from: number, to: number): MoitFigure => ({
  value,
  since,
  from,
  to,
});

function report(page: MoitFigure, api: MoitFigure): MoitReport {
  const f = fig(0, "start_of_year", START_2026, NEW_YEAR_VN);
  return {
    year: 2026,
    as_of: NEW_YEAR_VN,
    started_at: START_2026 - 400 * 86400,
    shop_name: null,
    visits_period: "as_each_document_says",
    visits_since_start_of_year: api,
    visits_since_start_of_operation: page,
    api_visits: api,
    page_visits: page,
    sellers_total: f,
    sellers_new: f,
    products_total: f,
    products_new: f,
    orders_total: f,
    orders_successful: f,
    orders_failed: f,
    orders_pending: f,
    transaction_value: f,
    months: [],
  };
}

describe("moit", () => {
  it("takes the year in Vietnam's time", () => {
    expect(currentYear(NEW_YEAR_VN)).toBe(2026);
    expect(currentYear(NEW_YEAR_VN - 3600)).toBe(2025);
    expect(reportYears(START_2026 - 400 * 86400, NEW_YEAR_VN)).toEqual([2026, 2025, 2024]);
    expect(reportYears(null, NEW_YEAR_VN)).toEqual([2026]);
  });

  it("words the period of a figure", () => {
    expect(figurePeriod(fig(5, "start_of_year", START_2026, NEW_YEAR_VN))).toBe(
      "Từ 01/01/2026 đến 01/01/2026 00:30 (từ 01/01 của năm)",
    );
    expect(figurePeriod(fig(5, "start_of_operation", START_2026 - 86400, NEW_YEAR_VN))).toContain(
      "từ khi bắt đầu hoạt động",
    );
  });

  it("says which visits period the table and the API use", () => {
    const page = fig(166112, "start_of_operation", START_2026 - 400 * 86400, NEW_YEAR_VN);
    const api = fig(80662, "start_of_year", START_2026, NEW_YEAR_VN);
    const note = visitsPeriodNote(report(page, api));
    expect(note).toContain("không thống nhất");
    expect(note).toContain("Bảng này (như trang báo cáo) tính từ khi bắt đầu hoạt động: 166.112 lượt");
    expect(note).toContain("API trả từ 01/01 của năm: 80.662 lượt");
    expect(visitsPeriodNote(report(api, api))).toContain("cả bảng và API đều tính từ 01/01 của năm: 80.662 lượt");
  });

  it("scales the bars to the largest month", () => {
    const months: MoitMonth[] = [1, 2, 3].map((month) => ({
      month,
      from: 0,
      to: 0,
      orders: month * 10,
      successful: 0,
      failed: 0,
      value: month === 2 ? 1000 : 0,
    }));
    const { bars, max } = monthBars(months, (m) => m.orders, 300, 100);
    expect(max).toBe(30);
    expect(bars.map((b) => b.height)).toEqual([33, 67, 100]);
    expect(bars[2].y).toBe(0);
    expect(bars[0].label).toBe("T1");
    expect(monthBars(months, (m) => m.value, 300, 100).bars.map((b) => b.height)).toEqual([0, 100, 0]);
    expect(monthBars([], (m) => m.orders, 300, 100).max).toBe(0);
  });
});
