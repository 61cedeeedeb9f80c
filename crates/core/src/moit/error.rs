//! A MOIT failure as the app's one error type: what the owner can fix is `invalid` (naming
//! the box: `year`, `port`, `moit_server`), the database's own trouble stays a store error.

use hoadon_moit::MoitError;
use hoadon_store::StoreError;

use crate::Error;

impl From<MoitError> for Error {
    fn from(e: MoitError) -> Error {
        match e {
            MoitError::Store(e) => Error::Store(e),
            MoitError::Sqlite(e) => Error::Store(StoreError::Sqlite(e)),
            MoitError::OutsideYear { .. } => Error::field("year", e.to_string()),
            MoitError::Config(_) | MoitError::PasswordHash(_) => Error::field("moit_server", e.to_string()),
            MoitError::Bind { .. } => Error::field("port", e.to_string()),
            MoitError::Pdf(_) | MoitError::Io(_) => Error::Invalid { message: e.to_string(), fields: Vec::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_owner_can_fix_names_the_box() {
        let app = Error::from(MoitError::Bind { addr: "127.0.0.1:80".into(), reason: "in use".into() }).to_app_error();
        assert_eq!((app.code.as_str(), app.fields[0].field.as_str()), ("invalid", "port"));
        let app = Error::from(MoitError::Config("x".into())).to_app_error();
        assert_eq!(app.fields[0].field, "moit_server");
        assert_eq!(Error::from(MoitError::Pdf("x".into())).to_app_error().code, "invalid");
    }
}
