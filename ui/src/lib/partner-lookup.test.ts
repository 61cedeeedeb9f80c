import { describe, expect, it } from "vitest";
import type { CustomerForm } from "../bindings/CustomerForm";
import type { PartnerLookupResult } from "../bindings/PartnerLookupResult";
import { answerMatches, applyLookup, filledSummary, orderFromValue, orderValue, statusTone } from "./partner-lookup";

const typed: CustomerForm = {
  kind: "person",
  name: "",
  buyer_name: "",
  tax_code: " 0109526016 ",
  address: "",
  email: "ketoan@senvang.vn",
  phone: "0912345678",
};

const found: PartnerLookupResult = {
  tax_code: "0109526016",
  kind_label: "Doanh nghiệp",
  name: "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG",
  short_name: null,
  international_name: null,
  address: "Số 12 phố Lý Thường Kiệt, Phường Cửa Nam, Thành phố Hà Nội, Việt Nam",
  representative: "Nguyễn Văn An",
  representatives: ["Nguyễn Văn An", "Trần Thị Bình"],
  representative_role: "Người đại diện theo pháp luật",
  status: "active",
  status_text: "Đang hoạt động",
  warning: null,
  source_label: "Hệ thống thông tin quốc gia về đăng ký doanh nghiệp",
  fetched_at: 1_772_700_000,
  cached: false,
  note: null,
};

describe("partner look-up in the customer form", () => {
  it("fills name, address and buyer, makes it a business, keeps e-mail and phone", () => {
    const after = applyLookup(typed, found);
    expect(after).toEqual({
      kind: "business",
      name: found.name,
      buyer_name: "Nguyễn Văn An",
      tax_code: "0109526016",
      address: found.address,
      email: "ketoan@senvang.vn",
      phone: "0912345678",
    });
    expect(filledSummary(typed, after)).toBe("Đã điền tên đơn vị, địa chỉ và người mua hàng theo kết quả tra cứu.");
  });

  it("leaves a box alone when the source did not say (a public look-up has no representative)", () => {
    const before = { ...typed, buyer_name: "Chị Hoa", address: "cũ" };
    const after = applyLookup(before, { ...found, representative: null, representatives: [], address: null });
    expect(after.buyer_name).toBe("Chị Hoa");
    expect(after.address).toBe("cũ");
    expect(filledSummary(before, after)).toBe("Đã điền tên đơn vị theo kết quả tra cứu.");
    expect(filledSummary(after, after)).toBeNull();
  });

  it("colours the status: active green, unknown plain, everything else red", () => {
    expect(statusTone("active")).toBe("ok");
    expect(statusTone("unknown")).toBe("neutral");
    for (const s of ["suspended", "closed", "dissolved", "bankrupt", "other"] as const) {
      expect(statusTone(s)).toBe("danger");
    }
  });

  it("keeps the answer only while the box holds its code", () => {
    expect(answerMatches(found, "0109526016")).toBe(true);
    expect(answerMatches(found, " 0109 526 016 ")).toBe(true);
    expect(answerMatches({ ...found, tax_code: "0109526016-001" }, "0109526016001")).toBe(true);
    expect(answerMatches(found, "0110613182")).toBe(false);
    expect(answerMatches(null, "0109526016")).toBe(false);
  });

  it("maps the order select both ways", () => {
    expect(orderValue(["vietqr", "nbrs"])).toBe("vietqr,nbrs");
    expect(orderValue(["nbrs", "vietqr"])).toBe("nbrs,vietqr");
    expect(orderFromValue("vietqr,nbrs")).toEqual(["vietqr", "nbrs"]);
    expect(orderFromValue("nbrs,vietqr")).toEqual(["nbrs", "vietqr"]);
  });
});
