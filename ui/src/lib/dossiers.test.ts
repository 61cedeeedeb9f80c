import { describe, expect, it } from "vitest";
import type { DossierView } from "../bindings/DossierView";
import { defaultDossierPeriod, dossierFacts } from "./dossiers";

const dossier: DossierView = {
  kind_label: "Doanh nghiệp",
  registrant_code: "0109526016",
  registrant_name: "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG",
  receipt_no: "HN-2026-000101",
  procedure_name: "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
  field_name: null,
  channel: "Trực tuyến",
  applicant: "Nguyễn Văn An",
  summary: " ",
  handling_unit: null,
  note: null,
  // 02/03/2026 09:30 in Vietnam
  received_at: Date.UTC(2026, 2, 2, 2, 30) / 1000,
  due_at: null,
  returned_at: null,
  processing_ended_at: null,
  rejected_at: null,
  status: "Đã trả kết quả (mã 10)",
  processing_state: null,
  documents: [],
  fees: [],
  results: [],
  supplements: [],
};

describe("dossiers screen", () => {
  it("starts from the first of the month to today, in Vietnam's calendar", () => {
    // 31/03/2026 20:00 UTC is already 01/04/2026 in Vietnam.
    expect(defaultDossierPeriod(Date.UTC(2026, 2, 31, 20, 0) / 1000)).toEqual({ from: "01/04/2026", to: "01/04/2026" });
    expect(defaultDossierPeriod(Date.UTC(2026, 2, 15, 3, 0) / 1000)).toEqual({ from: "01/03/2026", to: "15/03/2026" });
  });

  it("lists the facts it has, state first, dates in Vietnam's time, blanks left out", () => {
    const facts = dossierFacts(dossier);
    expect(facts.map((f) => f.label)).toEqual([
      "Tình trạng hồ sơ",
      "Mã hồ sơ (số biên nhận)",
      "Mã số doanh nghiệp",
      "Tên doanh nghiệp",
      "Thủ tục",
      "Kênh nộp",
      "Người nộp",
      "Ngày tiếp nhận",
    ]);
    expect(facts.find((f) => f.testid === "received-at")?.value).toBe("02/03/2026 09:30");
  });
});
