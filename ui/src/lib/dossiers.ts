// The "Hồ sơ đăng ký" screen: the period it starts with and a dossier's facts as label/value
// rows (dates in Vietnam's time). What a dossier is, and every check, is the core's.
import type { DossierView } from "../bindings/DossierView";
import { formatDate, formatDateTime, vietnamClock } from "./format";

const two = (n: number) => n.toString().padStart(2, "0");

/** From the first of this month to today, in Vietnam, as the boxes show them (`dd/MM/yyyy`). */
export function defaultDossierPeriod(nowSeconds: number): { from: string; to: string } {
  const c = vietnamClock(nowSeconds);
  return { from: `01/${two(c.month)}/${c.year}`, to: formatDate(nowSeconds) };
}

export type Fact = { label: string; value: string; testid: string };

/** The facts worth showing, in reading order; missing ones are left out. */
export function dossierFacts(d: DossierView): Fact[] {
  const at = (s: number | null) => (s === null ? null : formatDateTime(s));
  const rows: Array<[string, string | null, string]> = [
    ["Tình trạng hồ sơ", d.status, "status"],
    ["Tình trạng xử lý", d.processing_state, "processing-state"],
    ["Mã hồ sơ (số biên nhận)", d.receipt_no, "receipt-no"],
    [`Mã số ${d.kind_label.toLowerCase()}`, d.registrant_code, "registrant-code"],
    [`Tên ${d.kind_label.toLowerCase()}`, d.registrant_name, "registrant-name"],
    ["Thủ tục", d.procedure_name, "procedure"],
    ["Lĩnh vực", d.field_name, "field"],
    ["Kênh nộp", d.channel, "channel"],
    ["Người nộp", d.applicant, "applicant"],
    ["Trích yếu", d.summary, "summary"],
    ["Đơn vị xử lý", d.handling_unit, "handling-unit"],
    ["Ngày tiếp nhận", at(d.received_at), "received-at"],
    ["Ngày hẹn trả", at(d.due_at), "due-at"],
    ["Ngày kết thúc xử lý", at(d.processing_ended_at), "processing-ended-at"],
    ["Ngày trả kết quả", at(d.returned_at), "returned-at"],
    ["Ngày từ chối", at(d.rejected_at), "rejected-at"],
    ["Ghi chú", d.note, "note"],
  ];
  return rows
    .filter((r): r is [string, string, string] => r[1] !== null && r[1].trim() !== "")
    .map(([label, value, testid]) => ({ label, value, testid }));
}
