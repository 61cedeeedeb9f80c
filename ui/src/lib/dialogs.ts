// The system's file dialogs (plugin-dialog), behind one door. The end-to-end tests cannot
// click in a native GTK dialog, so they put the path the owner "picks" in
// `window.__HOADON_DIALOG_ANSWER__`; the next dialog takes it instead of opening.
import { open, save } from "@tauri-apps/plugin-dialog";

type Filter = { name: string; extensions: string[] };

declare global {
  interface Window {
    __HOADON_DIALOG_ANSWER__?: string;
  }
}

function preset(): string | undefined {
  const answer = window.__HOADON_DIALOG_ANSWER__;
  window.__HOADON_DIALOG_ANSWER__ = undefined;
  return answer;
}

/** "Lưu thành…": the path chosen, or null when the owner cancels. */
export async function pickSavePath(title: string, defaultPath: string, filters: Filter[]): Promise<string | null> {
  return preset() ?? (await save({ title, defaultPath, filters }));
}

/** "Mở…" for one file: the path chosen, or null when the owner cancels. */
export async function pickOpenPath(title: string, filters: Filter[]): Promise<string | null> {
  const answer = preset() ?? (await open({ title, multiple: false, directory: false, filters }));
  return typeof answer === "string" ? answer : null;
}
