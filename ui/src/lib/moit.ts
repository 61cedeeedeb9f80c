// The MOIT (Bộ Công Thương) report screen's pure logic: the period each figure covers in words,
// which visits period is used, the monthly chart's bars, and the export formats.
import type { MoitFigure } from "../bindings/MoitFigure";
import type { MoitMonth } from "../bindings/MoitMonth";
import type { MoitReport } from "../bindings/MoitReport";
import type { MoitSince } from "../bindings/MoitSince";
import { formatDate, formatDateTime, groupThousands, vietnamClock } from "./format";

/** This year in Vietnam. */
export function currentYear(nowSeconds: number = Math.floor(Date.now() / 1000)): number {
  return vietnamClock(nowSeconds).year;
}

/** The years a report can be asked for: from the start of operation to this year, newest first. */
export function reportYears(startedAt: number | null, nowSeconds: number = Math.floor(Date.now() / 1000)): number[] {
  const last = currentYear(nowSeconds);
  const first = Math.min(last, startedAt === null ? last : vietnamClock(startedAt).year);
  const years: number[] = [];
  for (let y = last; y >= first; y--) years.push(y);
  return years;
}

function sinceWords(since: MoitSince): string {
  return since === "start_of_year" ? "từ 01/01 của năm" : "từ khi bắt đầu hoạt động";
}

/** "Từ 01/01/2026 đến 22/11/2026 23:07 (từ 01/01 của năm)": the period a figure really counts. */
export function figurePeriod(figure: MoitFigure): string {
  return `Từ ${formatDate(figure.from)} đến ${formatDateTime(figure.to)} (${sinceWords(figure.since)})`;
}

/**
 * Which period the visits use, in words: the guide's API text counts visits from 01/01, the
 * report page's table from the start of operation, and the settings choose.
 */
export function visitsPeriodNote(report: MoitReport): string {
  const page = report.page_visits;
  const api = report.api_visits;
  const both =
    `Hai tài liệu hướng dẫn không thống nhất: phần API tính lượt truy cập từ 01/01/${report.year}, ` +
    `bảng của trang báo cáo tính từ khi bắt đầu hoạt động.`;
  const chosen =
    page.since === api.since
      ? ` Theo cài đặt, cả bảng và API đều tính ${sinceWords(page.since)}: ${groupThousands(page.value)} lượt.`
      : ` Bảng này (như trang báo cáo) tính ${sinceWords(page.since)}: ${groupThousands(page.value)} lượt; ` +
        `API trả ${sinceWords(api.since)}: ${groupThousands(api.value)} lượt.`;
  return both + chosen;
}

export type ChartBar = { month: number; label: string; x: number; height: number; y: number; value: number };

/**
 * Bars of one series (orders or value) over the twelve months, scaled so the largest fills
 * `height`; months after the moment of the statistics are zero.
 */
export function monthBars(
  months: MoitMonth[],
  pick: (m: MoitMonth) => number,
  width: number,
  height: number,
): { bars: ChartBar[]; barWidth: number; max: number } {
  const max = Math.max(0, ...months.map(pick));
  const slot = months.length > 0 ? width / months.length : width;
  const barWidth = Math.max(1, slot * 0.6);
  const bars = months.map((m, i) => {
    const value = pick(m);
    const h = max > 0 ? Math.round((value / max) * height) : 0;
    return {
      month: m.month,
      label: `T${m.month}`,
      x: i * slot + (slot - barWidth) / 2,
      height: h,
      y: height - h,
      value,
    };
  });
  return { bars, barWidth, max };
}
