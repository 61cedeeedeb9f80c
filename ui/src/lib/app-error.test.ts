import { describe, expect, it } from "vitest";
import { fieldMessages, toAppError } from "./app-error";

describe("app errors", () => {
  it("keeps an AppError from a command", () => {
    const e = { code: "invalid", message: "Mã số thuế không hợp lệ", fields: [{ field: "tax_code", message: "Sai" }] };
    expect(toAppError(e)).toEqual(e);
  });

  it("wraps a bare string and unknown values", () => {
    expect(toAppError("command save_x not found")).toEqual({
      code: "unknown",
      message: "command save_x not found",
      fields: [],
    });
    expect(toAppError(undefined).message).toMatch(/lỗi không mong muốn/);
    expect(toAppError({ code: "x", message: "Lỗi" }).fields).toEqual([]);
  });

  it("says the core is missing when invoke itself cannot run", () => {
    expect(toAppError(new TypeError("window.__TAURI_INTERNALS__ is undefined")).code).toBe("no_backend");
  });

  it("maps field refusals by field name", () => {
    const err = {
      code: "invalid",
      message: "Có 2 thông tin chưa hợp lệ",
      fields: [
        { field: "name", message: "Cần nhập tên." },
        { field: "lines.1.quantity", message: "Số lượng không hợp lệ." },
        { field: "name", message: "Tên quá dài." },
      ],
    };
    expect(fieldMessages(err)).toEqual({
      name: "Cần nhập tên. Tên quá dài.",
      "lines.1.quantity": "Số lượng không hợp lệ.",
    });
    expect(fieldMessages(null)).toEqual({});
  });
});
