import { describe, expect, it } from "vitest";
import {
  isTaxedRate,
  joinVatRate,
  rateSubtotalLabel,
  rateTestId,
  rateVatLabel,
  splitVatRate,
  vatRateLabel,
} from "./vat-rates";

describe("VAT rate codes", () => {
  it("splits and joins the codes the commands use", () => {
    expect(splitVatRate("10")).toEqual({ choice: "10", other: "" });
    expect(splitVatRate("KCT")).toEqual({ choice: "KCT", other: "" });
    expect(splitVatRate("KHAC:5.26")).toEqual({ choice: "KHAC", other: "5.26" });
    expect(joinVatRate("8", "whatever")).toBe("8");
    expect(joinVatRate("KHAC", " 3,5 ")).toBe("KHAC:3,5");
  });

  it("keeps an unknown code as an 'other' rate rather than losing it", () => {
    expect(splitVatRate("7")).toEqual({ choice: "KHAC", other: "7" });
  });

  it("reads like an invoice", () => {
    expect(vatRateLabel("10")).toBe("10%");
    expect(vatRateLabel("KHAC:5.26")).toBe("5,26%");
    expect(vatRateLabel("KKKNT")).toBe("KKKNT");
    expect(rateSubtotalLabel("8", "8%")).toBe("Cộng tiền hàng chịu thuế suất 8%");
    expect(rateSubtotalLabel("KCT", "KCT")).toBe("Cộng tiền hàng không chịu thuế GTGT");
    expect(rateVatLabel("10%")).toBe("Thuế GTGT 10%");
    expect(isTaxedRate("0")).toBe(true);
    expect(isTaxedRate("KCT")).toBe(false);
  });

  it("makes test ids without punctuation", () => {
    expect(rateTestId("10")).toBe("10");
    expect(rateTestId("KHAC:5.26")).toBe("KHAC-5-26");
  });
});
