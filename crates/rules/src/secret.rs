//! A password, an API key or a client secret, as every crate of the app carries it.
//!
//! The one rule is that a secret never reaches a log or a screen by accident: `Debug` prints
//! `***` (or `""` when empty), so a settings struct holding one can derive `Debug` and be
//! logged whole. [`Secret::expose`] is called at the one place the value is sent or stored.
//! There is deliberately no `Serialize` and no `Display`: writing a secret out should be a
//! choice, not a side effect. `Deserialize` reads it from settings files.

use std::fmt;

use serde::Deserialize;

/// A credential. Read it with [`Secret::expose`], at the one place it is sent or stored.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps the value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, to send or to store.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether nothing was entered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "***" })
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_masks_the_value() {
        assert_eq!(format!("{:?}", Secret::new("abc")), "***");
        assert_eq!(format!("{:#?}", Some(Secret::new("abc"))), "Some(\n    ***,\n)");
        assert_eq!(format!("{:?}", Secret::default()), "\"\"");
        let read: Secret = serde_json::from_str("\"s3cret\"").unwrap();
        assert_eq!(read.expose(), "s3cret");
    }
}
