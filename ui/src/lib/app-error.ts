// Every failed command rejects with an AppError; this turns whatever arrived into one, and
// its field list into the messages shown under the inputs.
import type { AppError as CoreError } from "../bindings/AppError";

/**
 * A refusal as the window shows it: the core's `AppError` (its `code` one of the Rust
 * `ErrorCode`s), or one the window meets itself: no answer from the core (`no_backend`) or
 * something unexpected (`unknown`).
 */
export type AppError = Omit<CoreError, "code"> & { code: CoreError["code"] | "unknown" | "no_backend" };

const UNEXPECTED = "Đã có lỗi không mong muốn. Vui lòng thử lại.";
const NO_BACKEND = "Không kết nối được với phần lõi của ứng dụng. Hãy mở lại ứng dụng.";

function isAppError(e: unknown): e is AppError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as AppError).code === "string" &&
    typeof (e as AppError).message === "string"
  );
}

export function toAppError(e: unknown): AppError {
  if (isAppError(e)) {
    const fields = Array.isArray(e.fields) ? e.fields : [];
    return { code: e.code, message: e.message || UNEXPECTED, fields };
  }
  if (typeof e === "string") return { code: "unknown", message: e || UNEXPECTED, fields: [] };
  if (e instanceof TypeError) return { code: "no_backend", message: NO_BACKEND, fields: [] };
  return { code: "unknown", message: UNEXPECTED, fields: [] };
}

/** `field` → message; two refusals of the same field are shown together. */
export function fieldMessages(error: Pick<AppError, "fields"> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of error?.fields ?? []) {
    out[f.field] = out[f.field] ? `${out[f.field]} ${f.message}` : f.message;
  }
  return out;
}
