// What every record and settings form shares: one save at a time, the field errors the core
// named beside their boxes, the refusal itself in the banner.
import { fieldMessages } from "./app-error";
import { notices } from "./notices.svelte";

export class FormState {
  /** A save is running: the buttons wait. */
  saving = $state(false);
  /** The core's message for each field it refused, by field name (`tax_code`, `lines.2.quantity`). */
  errors = $state<Record<string, string>>({});

  /**
   * Runs `save` unless one is already running. Its answer clears the field errors; a refusal
   * is shown in the banner and its field errors kept. Returns the answer, or `undefined` when
   * refused or not run.
   */
  async submit<T>(save: () => Promise<T>): Promise<T | undefined> {
    if (this.saving) return undefined;
    this.saving = true;
    try {
      const answer = await save();
      this.errors = {};
      return answer;
    } catch (e) {
      this.errors = fieldMessages(notices.showError(e));
      return undefined;
    } finally {
      this.saving = false;
    }
  }
}
