// The copies' state, shared by the main screen's warning and Cài đặt → Sao lưu. Polled: often
// while a copy runs (its progress), else every minute (the schedule runs in Rust).
import type { BackupStatus } from "../bindings/BackupStatus";
import { untrack } from "svelte";
import { backupProgress, backupStatus } from "./api";

const WHILE_RUNNING_MS = 500;
const IDLE_MS = 60_000;

class BackupState {
  status = $state<BackupStatus | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;
  // Set from "Sao lưu ngay" until its answer: the copy may not have begun by the first poll
  // (a busy computer), and that poll must not put the next one a minute away.
  private watching = false;

  async refresh(): Promise<BackupStatus | null> {
    try {
      // While a copy runs only its progress is read (no read of the shop's file, which the copy
      // is busy with); the whole status again once it is over. Read untracked: a screen's
      // effect that refreshes must not come to depend on the status it sets.
      const before = untrack(() => this.status);
      const running = before?.running ? await backupProgress() : null;
      this.status = running && before ? { ...before, running } : await backupStatus();
    } catch {
      // A shop without a file (none in the app) has no copies; nothing to show.
    }
    this.schedule();
    return this.status;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), this.watching || this.status?.running ? WHILE_RUNNING_MS : IDLE_MS);
  }

  /// Polls fast until `unwatch` (a copy was just asked for).
  watch(): void {
    this.watching = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), WHILE_RUNNING_MS);
  }

  /// The copy asked for has answered: polls at the pace of what the status says again.
  unwatch(): void {
    this.watching = false;
  }
}

export const backup = new BackupState();

/// "12,5 MB".
export function formatSize(bytes: number): string {
  return `${(bytes / 1_000_000).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} MB`;
}

/// "37 %" of a copy under way.
export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((done * 100) / total)) : 0;
}
