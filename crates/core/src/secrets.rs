//! Passwords of the provider accounts and the registry, kept out of the database and logs.
//!
//! Where, in this order:
//! 1. The OS keyring, when one answers ([`SecretStore::system`]): the Secret Service on Linux
//!    (gnome-keyring, KWallet), the Keychain on macOS, the Credential Manager on Windows.
//!    It is encrypted under the owner's login and unlocked with the session, which is what
//!    the owner already trusts for the browser's passwords.
//! 2. Otherwise `secrets.enc` beside the database, readable by its owner only (0600),
//!    encrypted with ChaCha20-Poly1305 under a random key in `secrets.key` (0600, same
//!    folder). Shop PCs without a desktop keyring (a minimal desktop, a kiosk session, a
//!    headless till) still need somewhere that is not the database.
//!
//! [`SecretStore::backend`] says which one is in use, and Cài đặt shows it. A secret kept in
//! the file before a keyring appeared is still read, and moves to the keyring when saved again.
//!
//! What this protects against: the database or its backups being copied or sent to support,
//! and secrets reaching logs or screens. What it does not: someone who can act as the owner
//! on the unlocked machine can read them either way.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use crate::{Error, Result};

/// The one secret type of the app (`hoadon-rules`): `Debug` prints `***`.
pub use hoadon_rules::Secret;

#[derive(Debug, Clone)]
pub struct SecretStore {
    dir: PathBuf,
    /// Set when the OS keyring answered as the store was opened.
    keyring: bool,
}

/// Where a [`SecretStore`] keeps what it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretBackend {
    OsKeyring,
    EncryptedFile,
}

impl SecretBackend {
    /// What Cài đặt says about where passwords are.
    pub fn describe(self) -> &'static str {
        match self {
            SecretBackend::OsKeyring => "Mật khẩu được lưu trong kho khóa của hệ điều hành, mở khóa cùng phiên đăng nhập của bạn.",
            SecretBackend::EncryptedFile => {
                "Máy này không có kho khóa của hệ điều hành, nên mật khẩu được lưu mã hóa trong tệp secrets.enc bên cạnh dữ liệu, chỉ tài khoản của bạn đọc được."
            }
        }
    }
}

/// The keyring's name for this app's entries; each entry's user names the data folder and
/// the secret, so two data folders (HOADON_DB) never read each other's passwords.
const KEYRING_SERVICE: &str = "hoadon-cua-hang";

/// Read-modify-write of the file is serialised across every handle in the process: the
/// invoicing and the look-up settings each hold one, and two saves at once must not lose one.
static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    tracing::error!(path = %path.display(), error = %e, "{what}");
    Error::Secrets(format!("{what}: {}", path.display()))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(|e| io_error("cannot write the secrets file", &tmp, e))?;
        file.write_all(bytes).map_err(|e| io_error("cannot write the secrets file", &tmp, e))?;
        file.sync_all().map_err(|e| io_error("cannot write the secrets file", &tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io_error("cannot write the secrets file", path, e))
}

fn keyring_error(what: &str, e: keyring::Error) -> Error {
    tracing::error!(error = %e, "{what}");
    Error::Secrets(format!("{what}: {e}"))
}

impl SecretStore {
    /// The encrypted file only, never the OS keyring: for tests and tools that must not touch
    /// the owner's keyring.
    pub fn new(dir: impl Into<PathBuf>) -> SecretStore {
        SecretStore { dir: dir.into(), keyring: false }
    }

    /// The OS keyring when it answers now, else the encrypted file: what the app and the CLI
    /// use, so both read the passwords where the other saved them.
    pub fn system(dir: impl Into<PathBuf>) -> SecretStore {
        let mut store = SecretStore::new(dir);
        // A read of an entry that need not exist: "no entry" proves the keyring answers,
        // anything else (no D-Bus session, no Secret Service) means there is none here.
        store.keyring = match store.entry("probe").and_then(|e| e.get_password()) {
            Ok(_) | Err(keyring::Error::NoEntry) => true,
            Err(e) => {
                tracing::info!(error = %e, "no OS keyring here; secrets go to the encrypted file");
                false
            }
        };
        store
    }

    pub fn backend(&self) -> SecretBackend {
        if self.keyring {
            SecretBackend::OsKeyring
        } else {
            SecretBackend::EncryptedFile
        }
    }

    fn entry(&self, name: &str) -> keyring::Result<keyring::Entry> {
        let folder = std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone());
        keyring::Entry::new(KEYRING_SERVICE, &format!("{}#{name}", folder.display()))
    }

    fn key(&self) -> Result<Key> {
        let path = self.dir.join("secrets.key");
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() == 32 => Ok(*Key::from_slice(&bytes)),
            Ok(_) => Err(Error::Secrets(format!("the key file {} is damaged", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.dir).map_err(|e| io_error("cannot create the data folder", &self.dir, e))?;
                let key = ChaCha20Poly1305::generate_key(&mut chacha20poly1305::aead::OsRng);
                write_private(&path, key.as_slice())?;
                Ok(key)
            }
            Err(e) => Err(io_error("cannot read the key file", &path, e)),
        }
    }

    fn load(&self) -> Result<BTreeMap<String, String>> {
        let path = self.dir.join("secrets.enc");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(io_error("cannot read the secrets file", &path, e)),
        };
        if bytes.len() < 12 {
            return Err(Error::Secrets(format!("the secrets file {} is damaged", path.display())));
        }
        let cipher = ChaCha20Poly1305::new(&self.key()?);
        let plain = cipher
            .decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..])
            .map_err(|_| Error::Secrets(format!("the secrets file {} cannot be decrypted with its key", path.display())))?;
        serde_json::from_slice(&plain).map_err(|e| Error::Secrets(format!("the secrets file is damaged: {e}")))
    }

    fn save(&self, map: &BTreeMap<String, String>) -> Result<()> {
        let cipher = ChaCha20Poly1305::new(&self.key()?);
        let nonce = ChaCha20Poly1305::generate_nonce(&mut chacha20poly1305::aead::OsRng);
        let plain = serde_json::to_vec(map).expect("a map of strings serialises");
        let sealed = cipher.encrypt(&nonce, plain.as_slice()).map_err(|_| Error::Secrets("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        write_private(&self.dir.join("secrets.enc"), &out)
    }

    pub fn get(&self, name: &str) -> Result<Option<Secret>> {
        if self.keyring {
            let entry = self.entry(name).map_err(|e| keyring_error("cannot open the keyring entry", e))?;
            match entry.get_password() {
                Ok(value) => return Ok(Some(Secret::new(value))),
                Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error("cannot read from the OS keyring", e)),
            }
        }
        Ok(self.load()?.remove(name).map(Secret::new))
    }

    pub fn set(&self, name: &str, value: &Secret) -> Result<()> {
        if self.keyring {
            let entry = self.entry(name).map_err(|e| keyring_error("cannot open the keyring entry", e))?;
            entry.set_password(value.expose()).map_err(|e| keyring_error("cannot write to the OS keyring", e))?;
            // One place per secret: an older copy in the file goes.
            return self.remove_from_file(name);
        }
        let _writing = WRITING.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.load()?;
        map.insert(name.to_string(), value.expose().to_string());
        self.save(&map)
    }

    pub fn remove(&self, name: &str) -> Result<()> {
        if self.keyring {
            let entry = self.entry(name).map_err(|e| keyring_error("cannot open the keyring entry", e))?;
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error("cannot delete from the OS keyring", e)),
            }
        }
        self.remove_from_file(name)
    }

    fn remove_from_file(&self, name: &str) -> Result<()> {
        let _writing = WRITING.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.load()?;
        if map.remove(name).is_some() {
            self.save(&map)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_encrypted_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::new(dir.path());
        assert_eq!(store.get("vnpt.password").unwrap(), None);
        store.set("vnpt.password", &Secret::new("Mật-khẩu-123")).unwrap();
        store.set("easyinvoice.password", &Secret::new("abc")).unwrap();
        assert_eq!(store.get("vnpt.password").unwrap().unwrap().expose(), "Mật-khẩu-123");
        let raw = std::fs::read(dir.path().join("secrets.enc")).unwrap();
        assert!(!raw.windows(3).any(|w| w == b"abc"), "stored encrypted");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for f in ["secrets.enc", "secrets.key"] {
                let mode = std::fs::metadata(dir.path().join(f)).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{f}");
            }
        }
        store.remove("vnpt.password").unwrap();
        assert_eq!(store.get("vnpt.password").unwrap(), None);
        assert_eq!(SecretStore::new(dir.path()).get("easyinvoice.password").unwrap().unwrap().expose(), "abc");
        assert_eq!(format!("{:?}", Secret::new("abc")), "***");
    }

    #[test]
    fn a_wrong_key_is_an_error_not_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::new(dir.path());
        store.set("x", &Secret::new("y")).unwrap();
        std::fs::write(dir.path().join("secrets.key"), [7u8; 32]).unwrap();
        assert!(matches!(store.get("x"), Err(Error::Secrets(_))));
    }

    /// Every settings value holding a password formats without it (the forms, the demo
    /// accounts, the client settings built from them, and the clients).
    #[test]
    fn settings_debug_never_shows_a_password() {
        use crate::invoicing::{DemoProvider, InvoiceSettingsForm, ProviderChoice, Signing};
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = crate::Shop::open_in_memory().unwrap();
        let demo = DemoProvider {
            provider: ProviderChoice::Vnpt,
            base_url: "http://127.0.0.1:9".into(),
            username: "demo-user".into(),
            password: Secret::new("demo-password-1"),
            account: "demo-staff".into(),
            ac_password: Secret::new("demo-ac-password-2"),
        };
        let mut shown = vec![format!("{demo:?} {demo:#?}")];
        for provider in [ProviderChoice::EasyInvoice, ProviderChoice::Vnpt] {
            let form = InvoiceSettingsForm {
                provider,
                demo: false,
                base_url: "https://0312345678.example.vn".into(),
                username: "owner".into(),
                password: "form-password-3".into(),
                account: "staff".into(),
                ac_password: "form-ac-password-4".into(),
                seller_tax_code: String::new(),
                template: if provider == ProviderChoice::Vnpt { "1/001" } else { "1" }.into(),
                serial: "C26TAA".into(),
                signing: Signing::Provider,
                location_code: String::new(),
            };
            shown.push(format!("{form:?} {form:#?}"));
            shop.save_invoice_settings(&secrets, &form).unwrap();
            let settings = shop.provider_settings(&secrets, &[]).unwrap();
            shown.push(format!("{settings:?} {settings:#?}"));
            shown.push(format!("{:?}", hoadon_einvoice::AnyProvider::new(settings).unwrap()));
        }
        for text in &shown {
            for password in ["demo-password-1", "demo-ac-password-2", "form-password-3", "form-ac-password-4"] {
                assert!(!text.contains(password), "{text}");
            }
            assert!(text.contains("***"), "{text}");
        }
    }
}
