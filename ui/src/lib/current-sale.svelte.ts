// The sale being typed on "Bán hàng". It lives here, not in the screen, so looking up a
// customer or a product on another screen does not lose it.
import { newDraft, newLine, type SaleDraft } from "./sale-draft";

let nextKey = 1;

export const currentSale: { draft: SaleDraft } = $state({ draft: newDraft(nextKey++) });

export function addLine(): void {
  currentSale.draft.lines.push(newLine(nextKey++));
}

export function removeLine(index: number): void {
  currentSale.draft.lines.splice(index, 1);
  if (currentSale.draft.lines.length === 0) addLine();
}

export function clearSale(): void {
  currentSale.draft = newDraft(nextKey++);
}
