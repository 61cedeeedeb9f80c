//! Passwords and secrets for the CLI, kept off the command line where `ps` and the shell
//! history would show them: from an environment variable, from stdin (`--password-stdin`),
//! or typed at a prompt without echo when a terminal is attached. A value given on the
//! command line still works (scripts and tests use it) but prints a warning.

use std::io::{BufRead, IsTerminal};

use hoadon_core::Error;

/// One secret the CLI may read.
pub struct SecretSource<'a> {
    /// The flag's name as typed, e.g. `--password`.
    pub flag: &'a str,
    /// The value given with the flag, if any.
    pub value: Option<String>,
    /// The environment variable read when the flag is absent.
    pub env: &'a str,
    /// The prompt shown on a terminal when neither is given.
    pub prompt: &'a str,
}

/// The secret: the flag's value (with a warning on stderr), else the environment variable,
/// else one line of stdin when `from_stdin`, else a prompt without echo on a terminal, else
/// `None` (left empty: the saved value, if any, stays).
pub fn read(source: SecretSource<'_>, from_stdin: bool) -> Result<Option<String>, Error> {
    if let Some(value) = source.value {
        eprintln!(
            "Cảnh báo: {} trên dòng lệnh hiện trong danh sách tiến trình (ps) và lịch sử lệnh; \
             hãy dùng biến môi trường {}, --password-stdin hoặc để trống để được hỏi.",
            source.flag, source.env
        );
        return Ok(Some(value));
    }
    if let Some(value) = std::env::var_os(source.env) {
        return Ok(Some(value.to_string_lossy().into_owned()));
    }
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| invalid(format!("Không đọc được mật khẩu từ stdin: {e}.")))?;
        return Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()));
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let value = rpassword::prompt_password(source.prompt).map_err(|e| invalid(format!("Không đọc được mật khẩu: {e}.")))?;
        return Ok((!value.is_empty()).then_some(value));
    }
    Ok(None)
}

fn invalid(message: String) -> Error {
    Error::Invalid { message, fields: Vec::new() }
}
