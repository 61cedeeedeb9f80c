// The banner at the top of the screen: one error (from a refused command) or one success.
import { toAppError } from "./app-error";
import type { AppError } from "./app-error";

export type NoticeAction = { label: string; testid: string; run: () => void };

class Notices {
  error = $state<AppError | null>(null);
  success = $state<string | null>(null);
  successAction = $state<NoticeAction | null>(null);

  showError(e: unknown): AppError {
    const err = toAppError(e);
    this.success = null;
    this.successAction = null;
    this.error = err;
    return err;
  }

  showSuccess(message: string, action: NoticeAction | null = null): void {
    this.error = null;
    this.success = message;
    this.successAction = action;
  }

  clear(): void {
    this.error = null;
    this.success = null;
    this.successAction = null;
  }
}

export const notices = new Notices();
