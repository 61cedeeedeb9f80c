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
//!
//! Said plainly about the file: the key sits beside the ciphertext, so a copy of the whole
//! data folder (a backup, a USB stick) reveals the passwords; the encryption only keeps them
//! out of a copy of the database alone. "Only your account can read it" is the 0600 file mode,
//! which holds on Linux and macOS; on Windows the files get the folder's ordinary permissions.
//!
//! Writes go to a temporary file of their own (unique name) and are renamed into place, and
//! every read-modify-write holds an exclusive lock on `secrets.lock`, across processes (the
//! window and the CLI). A key or ciphertext that cannot be read is moved aside
//! (`secrets.enc.hong-<time>`) when a password is saved again, so the owner can re-enter the
//! passwords instead of every save failing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use crate::{Error, Result};

/// The one secret type of the app (`hoadon-rules`): `Debug` prints `***`.
pub use hoadon_rules::Secret;

/// Where the app keeps passwords and keys: the OS keyring or the encrypted file (see the
/// module documentation). Cheap to clone; clones share the same place.
#[derive(Debug, Clone)]
pub struct SecretStore {
    dir: PathBuf,
    /// Set when the OS keyring answered as the store was opened.
    keyring: bool,
    /// Files moved aside since the owner was last told (shared by clones), so the save that
    /// moved them can say so in Cài đặt rather than only in the log.
    moved_aside: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// Where a [`SecretStore`] keeps what it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretBackend {
    /// The OS keyring (Secret Service, Keychain, Credential Manager).
    OsKeyring,
    /// `secrets.enc` beside the database, its key in `secrets.key` beside it.
    EncryptedFile,
}

impl SecretBackend {
    /// What Cài đặt says about where passwords are.
    pub fn describe(self) -> &'static str {
        match self {
            SecretBackend::OsKeyring => "Mật khẩu được lưu trong kho khóa của hệ điều hành, mở khóa cùng phiên đăng nhập của bạn.",
            SecretBackend::EncryptedFile => {
                "Máy này không có kho khóa của hệ điều hành, nên mật khẩu được lưu mã hóa trong tệp secrets.enc, với khóa giải mã (secrets.key) nằm ngay bên cạnh: ai có bản sao cả thư mục dữ liệu sẽ đọc được mật khẩu. Trên Linux và macOS, chỉ tài khoản của bạn mở được hai tệp này; trên Windows thì không có giới hạn đó."
            }
        }
    }
}

/// The keyring's name for this app's entries; each entry's user names the data folder and
/// the secret, so two data folders (HOADON_DB) never read each other's passwords.
const KEYRING_SERVICE: &str = "hoadon-cua-hang";

/// Read-modify-write of the file is serialised across every handle in the process (the
/// invoicing and the look-up settings each hold one) and, through [`FileLock`], across
/// processes: two saves at once must not lose one.
static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// An exclusive lock on `secrets.lock` in the data folder, released when dropped.
struct FileLock {
    _file: std::fs::File,
    _in_process: std::sync::MutexGuard<'static, ()>,
}

impl FileLock {
    fn take(dir: &Path) -> Result<FileLock> {
        let in_process = WRITING.lock().unwrap_or_else(|p| p.into_inner());
        std::fs::create_dir_all(dir).map_err(|e| io_error("cannot create the data folder", dir, e))?;
        let path = dir.join("secrets.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error("cannot open the secrets lock", &path, e))?;
        fs4::FileExt::lock(&file).map_err(|e| io_error("cannot lock the secrets file", &path, e))?;
        Ok(FileLock { _file: file, _in_process: in_process })
    }
}

/// A temporary name no other writer uses: process, time and a counter.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{name}.{}-{nanos}-{n}.tmp", std::process::id()))
}

/// Moves an unreadable file aside (`<name>.hong-<unix time>`) so it is kept for support.
fn move_aside(path: &Path) -> Result<PathBuf> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut aside = path.with_file_name(format!("{name}.hong-{secs}"));
    let mut n = 1;
    while aside.exists() {
        aside = path.with_file_name(format!("{name}.hong-{secs}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &aside).map_err(|e| io_error("cannot move the unreadable secrets file aside", path, e))?;
    Ok(aside)
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    tracing::error!(path = %path.display(), error = %e, "{what}");
    Error::Secrets(format!("{what}: {}", path.display()))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_path(path);
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(|e| io_error("cannot write the secrets file", &tmp, e))?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_error("cannot write the secrets file", &tmp, e));
        }
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_error("cannot write the secrets file", path, e)
    })
}

/// How an unreadable key or ciphertext is told (and recognised by [`SecretStore::set`]).
const UNREADABLE: &str = "Không đọc được mật khẩu đã lưu";

fn unreadable(reason: String) -> Error {
    Error::Secrets(format!(
        "{UNREADABLE} ({reason}). Hãy nhập lại mật khẩu trong Cài đặt: khi lưu, tệp cũ được cất sang bên cạnh (secrets.enc.hong-…) và tệp mới được tạo."
    ))
}

fn keyring_error(what: &str, e: keyring::Error) -> Error {
    tracing::error!(error = %e, "{what}");
    Error::Secrets(format!("{what}: {e}"))
}

impl SecretStore {
    /// The encrypted file only, never the OS keyring: for tests and tools that must not touch
    /// the owner's keyring.
    pub fn new(dir: impl Into<PathBuf>) -> SecretStore {
        SecretStore { dir: dir.into(), keyring: false, moved_aside: Default::default() }
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

    /// Which of the two this store uses, as decided when it was opened.
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

    /// The key, `None` when there is none yet. Never creates one: a missing key beside an
    /// existing `secrets.enc` is an unreadable file, not a fresh start.
    fn read_key(&self) -> Result<Option<Key>> {
        let path = self.dir.join("secrets.key");
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() == 32 => Ok(Some(*Key::from_slice(&bytes))),
            Ok(_) => Err(unreadable(format!("tệp khóa {} bị hỏng", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
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
            return Err(unreadable(format!("tệp mật khẩu {} bị hỏng", path.display())));
        }
        let Some(key) = self.read_key()? else {
            return Err(unreadable(format!("thiếu tệp khóa secrets.key bên cạnh {}", path.display())));
        };
        let cipher = ChaCha20Poly1305::new(&key);
        let plain = cipher
            .decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..])
            .map_err(|_| unreadable(format!("tệp mật khẩu {} không giải mã được bằng tệp khóa bên cạnh", path.display())))?;
        serde_json::from_slice(&plain).map_err(|e| unreadable(format!("tệp mật khẩu bị hỏng: {e}")))
    }

    /// The saved map for a read-modify-write (the lock held). An unreadable key or file is
    /// moved aside and the map starts empty, so saving the passwords again works.
    fn load_for_writing(&self, _lock: &FileLock) -> Result<BTreeMap<String, String>> {
        match self.load() {
            Err(Error::Secrets(reason)) if reason.starts_with(UNREADABLE) => {
                let mut moved = Vec::new();
                for name in ["secrets.enc", "secrets.key"] {
                    let path = self.dir.join(name);
                    if path.exists() {
                        moved.push(move_aside(&path)?.display().to_string());
                    }
                }
                tracing::warn!(
                    reason = %reason,
                    moved = ?moved,
                    "Tệp mật khẩu cũ không đọc được nên đã được cất sang bên cạnh ({}); mật khẩu vừa nhập được lưu vào tệp mới, các mật khẩu khác cần nhập lại trong Cài đặt.",
                    moved.join(", ")
                );
                self.moved_aside.lock().unwrap_or_else(|p| p.into_inner()).extend(moved);
                Ok(BTreeMap::new())
            }
            other => other,
        }
    }

    fn save(&self, map: &BTreeMap<String, String>, _lock: &FileLock) -> Result<()> {
        let key = match self.read_key()? {
            Some(key) => key,
            None => {
                let key = ChaCha20Poly1305::generate_key(&mut chacha20poly1305::aead::OsRng);
                write_private(&self.dir.join("secrets.key"), key.as_slice())?;
                key
            }
        };
        let cipher = ChaCha20Poly1305::new(&key);
        let nonce = ChaCha20Poly1305::generate_nonce(&mut chacha20poly1305::aead::OsRng);
        let plain = serde_json::to_vec(map).expect("a map of strings serialises");
        let sealed = cipher.encrypt(&nonce, plain.as_slice()).map_err(|_| Error::Secrets("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        write_private(&self.dir.join("secrets.enc"), &out)
    }

    /// The sentence for the owner when a save since the last call found the passwords file
    /// unreadable and moved it aside (then forgets it: it is said once).
    pub fn take_moved_aside_notice(&self) -> Option<String> {
        let moved = std::mem::take(&mut *self.moved_aside.lock().unwrap_or_else(|p| p.into_inner()));
        (!moved.is_empty()).then(|| {
            format!(
                "Tệp mật khẩu cũ không đọc được (hỏng, hoặc thiếu tệp khóa secrets.key) nên đã được cất sang bên cạnh: {}. \
                 Mật khẩu vừa nhập đã được lưu vào tệp mới; các mật khẩu khác đã lưu trước đây (nhà cung cấp hóa đơn, tra cứu) cần nhập lại.",
                moved.join(", ")
            )
        })
    }

    /// Whether a non-empty secret is saved under `name`. A passwords file that cannot be read
    /// counts as nothing saved, so Cài đặt still opens and says "enter it", and the save that
    /// follows (which moves the file aside) is not refused for lack of the old password.
    pub fn is_saved(&self, name: &str) -> Result<bool> {
        match self.get(name) {
            Ok(secret) => Ok(secret.is_some_and(|s| !s.is_empty())),
            Err(Error::Secrets(reason)) if reason.starts_with(UNREADABLE) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The secret saved under `name`, or `None`. [`Error::Secrets`] when the keyring or the
    /// file cannot be read (see [`SecretStore::is_saved`] for a check that tolerates that).
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

    /// Saves `value` under `name`, replacing what was there; with a keyring, an older copy in the
    /// file is removed. An unreadable file is moved aside rather than blocking the save.
    pub fn set(&self, name: &str, value: &Secret) -> Result<()> {
        if self.keyring {
            let entry = self.entry(name).map_err(|e| keyring_error("cannot open the keyring entry", e))?;
            entry.set_password(value.expose()).map_err(|e| keyring_error("cannot write to the OS keyring", e))?;
            // One place per secret: an older copy in the file goes.
            return self.remove_from_file(name);
        }
        let lock = FileLock::take(&self.dir)?;
        let mut map = self.load_for_writing(&lock)?;
        map.insert(name.to_string(), value.expose().to_string());
        self.save(&map, &lock)
    }

    /// Forgets the secret saved under `name`, in the keyring and in the file; nothing happens
    /// when there is none.
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
        if !self.dir.join("secrets.enc").exists() {
            return Ok(());
        }
        let lock = FileLock::take(&self.dir)?;
        let mut map = self.load_for_writing(&lock)?;
        if map.remove(name).is_some() {
            self.save(&map, &lock)?;
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

    #[test]
    fn temp_files_never_share_a_name() {
        let path = Path::new("/d/secrets.key");
        let (a, b) = (temp_path(path), temp_path(path));
        assert_ne!(a, b);
        assert_ne!(temp_path(path).file_name(), temp_path(Path::new("/d/secrets.enc")).file_name());
        assert!(a.to_string_lossy().starts_with("/d/secrets.key."));
    }

    /// Another process holding `secrets.lock` (here: another open file, which `flock`
    /// treats the same) makes a save wait for it.
    #[test]
    fn a_save_waits_for_the_lock_another_process_holds() {
        let dir = tempfile::tempdir().unwrap();
        let other = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.path().join("secrets.lock")).unwrap();
        fs4::FileExt::lock(&other).unwrap();
        let store = SecretStore::new(dir.path());
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let saver = std::thread::spawn(move || {
            store.set("x", &Secret::new("y")).unwrap();
            done_tx.send(()).unwrap();
        });
        assert!(done_rx.recv_timeout(std::time::Duration::from_millis(150)).is_err(), "saved through the lock");
        assert!(!dir.path().join("secrets.enc").exists());
        fs4::FileExt::unlock(&other).unwrap();
        done_rx.recv_timeout(std::time::Duration::from_secs(10)).expect("saved once the lock was released");
        saver.join().unwrap();
        assert_eq!(SecretStore::new(dir.path()).get("x").unwrap().unwrap().expose(), "y");
    }

    #[test]
    fn an_unreadable_file_is_moved_aside_when_a_password_is_saved_again() {
        for damage in ["wrong key", "damaged key", "lost key", "damaged file"] {
            let dir = tempfile::tempdir().unwrap();
            let store = SecretStore::new(dir.path());
            store.set("old", &Secret::new("1")).unwrap();
            match damage {
                "wrong key" => std::fs::write(dir.path().join("secrets.key"), [7u8; 32]).unwrap(),
                "damaged key" => std::fs::write(dir.path().join("secrets.key"), b"short").unwrap(),
                "lost key" => std::fs::remove_file(dir.path().join("secrets.key")).unwrap(),
                _ => std::fs::write(dir.path().join("secrets.enc"), b"junk").unwrap(),
            }
            match store.get("old") {
                Err(Error::Secrets(m)) => assert!(m.contains("Hãy nhập lại mật khẩu"), "{damage}: {m}"),
                other => panic!("{damage}: {other:?}"),
            }
            store.set("new", &Secret::new("2")).unwrap_or_else(|e| panic!("{damage}: {e:?}"));
            assert_eq!(store.get("new").unwrap().unwrap().expose(), "2", "{damage}");
            assert_eq!(store.get("old").unwrap(), None, "{damage}");
            let aside: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".hong-"))
                .collect();
            assert!(aside.iter().any(|n| n.starts_with("secrets.enc.hong-")), "{damage}: {aside:?}");
            let notice = store.take_moved_aside_notice().unwrap_or_else(|| panic!("{damage}: the owner is told"));
            assert!(notice.contains("secrets.enc.hong-") && notice.contains("cần nhập lại"), "{damage}: {notice}");
            assert_eq!(store.take_moved_aside_notice(), None, "{damage}: said once");
            assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));
        }
    }

    #[test]
    fn the_file_backend_says_the_key_is_beside_it() {
        let text = SecretBackend::EncryptedFile.describe();
        assert!(text.contains("secrets.key") && text.contains("bản sao") && text.contains("Windows"), "{text}");
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
            seller_tax_code: String::new(),
        };
        let mut shown = vec![format!("{demo:?} {demo:#?}")];
        for provider in ProviderChoice::ALL {
            let form = InvoiceSettingsForm {
                provider,
                demo: false,
                base_url: "https://0312345678.example.vn".into(),
                username: "owner".into(),
                password: "form-password-3".into(),
                account: "staff".into(),
                ac_password: "form-ac-password-4".into(),
                seller_tax_code: "0100109106-506".into(),
                template: if provider == ProviderChoice::EasyInvoice { "1" } else { "1/001" }.into(),
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
