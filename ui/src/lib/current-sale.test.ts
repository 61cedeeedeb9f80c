import { describe, expect, it } from "vitest";
import { addLine, clearSale, currentSale, removeLine } from "./current-sale.svelte";

describe("the sale being typed", () => {
  it("adds lines with fresh keys and never drops to zero lines", () => {
    clearSale();
    addLine();
    addLine();
    const keys = currentSale.draft.lines.map((l) => l.key);
    expect(new Set(keys).size).toBe(3);
    removeLine(1);
    expect(currentSale.draft.lines.map((l) => l.key)).toEqual([keys[0], keys[2]]);
    removeLine(0);
    removeLine(0);
    expect(currentSale.draft.lines).toHaveLength(1);
    expect(currentSale.draft.lines[0].name).toBe("");
  });

  it("starts over with a walk-in customer", () => {
    currentSale.draft.customer = { id: 1, name: "Chị Lan", tax_code: null };
    currentSale.draft.note = "giao chiều";
    clearSale();
    expect(currentSale.draft.customer).toBeNull();
    expect(currentSale.draft.note).toBe("");
  });
});
