//! Passwords in the OS keyring, against a real Secret Service (gnome-keyring in a private
//! D-Bus session): `scripts/test` runs this file under `dbus-run-session` with
//! `HOADON_TEST_KEYRING=1`. Without that variable there may be no keyring on the machine, or
//! the owner's own one, which a test must not touch: it says so and stops.

use hoadon_core::{Secret, SecretBackend, SecretStore};

fn keyring_session() -> bool {
    if std::env::var_os("HOADON_TEST_KEYRING").is_some() {
        return true;
    }
    eprintln!("skipped: run by scripts/test inside a private D-Bus session (HOADON_TEST_KEYRING=1)");
    false
}

#[test]
fn passwords_go_to_the_os_keyring_and_never_to_a_file() {
    if !keyring_session() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = SecretStore::system(dir.path());
    assert_eq!(store.backend(), SecretBackend::OsKeyring, "the Secret Service of the session answers");

    store.set("invoice.password", &Secret::new("Mật-khẩu-VNPT-1")).unwrap();
    assert!(!dir.path().join("secrets.enc").exists(), "nothing written beside the database");
    assert_eq!(SecretStore::system(dir.path()).get("invoice.password").unwrap().unwrap().expose(), "Mật-khẩu-VNPT-1");
    assert_eq!(SecretStore::new(dir.path()).get("invoice.password").unwrap(), None, "the file knows nothing of it");

    // Another data folder is another shop: it does not see this one's password.
    let other = tempfile::tempdir().unwrap();
    assert_eq!(SecretStore::system(other.path()).get("invoice.password").unwrap(), None);

    store.remove("invoice.password").unwrap();
    assert_eq!(store.get("invoice.password").unwrap(), None);
}

#[test]
fn a_password_saved_in_the_file_before_the_keyring_is_read_then_moves_there() {
    if !keyring_session() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    SecretStore::new(dir.path()).set("lookup.vietqr.api_key", &Secret::new("khoa-cu")).unwrap();

    let store = SecretStore::system(dir.path());
    assert_eq!(store.get("lookup.vietqr.api_key").unwrap().unwrap().expose(), "khoa-cu");
    store.set("lookup.vietqr.api_key", &Secret::new("khoa-moi")).unwrap();
    assert_eq!(SecretStore::new(dir.path()).get("lookup.vietqr.api_key").unwrap(), None, "the old copy left the file");
    assert_eq!(store.get("lookup.vietqr.api_key").unwrap().unwrap().expose(), "khoa-moi");
    store.remove("lookup.vietqr.api_key").unwrap();
}

#[test]
fn without_a_keyring_the_encrypted_file_is_used_and_said() {
    // Outside the private session (CI has no session bus): the store falls back instead of
    // failing. Inside it, the keyring answers, which the tests above cover.
    if std::env::var_os("HOADON_TEST_KEYRING").is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = SecretStore::system(dir.path());
    if store.backend() == SecretBackend::OsKeyring {
        eprintln!("skipped: this machine has a keyring of its own, which a test must not write to");
        return;
    }
    store.set("invoice.password", &Secret::new("abc")).unwrap();
    assert!(dir.path().join("secrets.enc").exists());
    assert!(SecretBackend::EncryptedFile.describe().contains("secrets.enc"));
}
