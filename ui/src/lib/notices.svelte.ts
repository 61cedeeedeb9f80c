// The banner at the top of the screen: one error (from a refused command) or one success.
import { toAppError } from "./app-error";
import type { AppError } from "./pending-bindings";

class Notices {
  error = $state<AppError | null>(null);
  success = $state<string | null>(null);

  showError(e: unknown): AppError {
    const err = toAppError(e);
    this.success = null;
    this.error = err;
    return err;
  }

  showSuccess(message: string): void {
    this.error = null;
    this.success = message;
  }

  clear(): void {
    this.error = null;
    this.success = null;
  }
}

export const notices = new Notices();
