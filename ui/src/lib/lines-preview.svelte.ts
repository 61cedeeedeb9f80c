// The live amounts of lines being typed (a new sale, or the differences of an adjusting
// invoice): asked of the core after a pause, the latest answer wins, and each computed line
// is mapped back to its row on screen (blank rows are not sent).
import type { LinePreview } from "../bindings/LinePreview";
import type { SaleLineForm } from "../bindings/SaleLineForm";
import type { SalePreview } from "../bindings/SalePreview";
import { previewSale } from "./api";
import { DebouncedRequest } from "./debounced-request";
import { previewOnRows, sentLines, type DraftLine } from "./sale-draft";

export class LinesPreview {
  preview = $state<SalePreview | null>(null);
  /** Why the core could not be asked at all (the preview's own problems are in `preview`). */
  problem = $state<string | null>(null);
  #rows = $state<number[]>([]);
  #request = new DebouncedRequest(
    150,
    (sent: { lines: SaleLineForm[]; rows: number[] }) => previewSale(sent.lines),
    (result, sent) => {
      this.preview = result;
      this.#rows = sent.rows;
      this.problem = null;
    },
    (e) => (this.problem = e.message),
  );

  /** Asks again for `lines` (a plain snapshot) once the typing pauses. */
  schedule(lines: DraftLine[]): void {
    this.#request.schedule(sentLines(lines));
  }

  cancel(): void {
    this.#request.cancel();
  }

  clear(): void {
    this.cancel();
    this.preview = null;
  }

  /** The preview of each of `rowCount` rows on screen; blank rows have none. */
  onRows(rowCount: number): (LinePreview | null)[] {
    return this.preview ? previewOnRows(this.preview, this.#rows, rowCount) : [];
  }
}
