//! Never the wrong invoice: keys that cannot collide, rows bound to the account they were
//! sent to, one sender per row across processes, and a found invoice checked against the
//! sale before it is taken as this sale's.
//!
//! - **Keys** carry 80 bits from the OS random source ([`new_key`]): a restored backup (sale
//!   ids reused) or a copied data folder never gives a new sale a key the provider already
//!   holds. Letters, digits and `-` only, at most 38 characters (VNPT forbids `_ , ;`,
//!   EasyInvoice's Ikey holds 50).
//! - **Accounts**: each row stores [`account_fingerprint`] of where it is sent (provider,
//!   host, account and user, demo or real: a SHA-256, never a password). Only settings with
//!   the same fingerprint send, ask about, sign or cancel it; a row of another account waits,
//!   shown as "gửi ở tài khoản cũ", until those settings come back. Demo rows never reach a
//!   real provider.
//! - **Leases**: a row is claimed (owner, until) inside `BEGIN IMMEDIATE`, together with the
//!   read of its state, before any request; another process skips it. A lease expires after
//!   [`LEASE_SECONDS`], or at once when its holder was a process of this machine that is gone.
//! - **Found invoices**: whatever the provider holds under the key is compared with the
//!   draft (`Expected`): another amount, or a date outside the row's life, is a "Trùng mã"
//!   (`key_conflict`), never "issued".

use hoadon_einvoice::{InvoiceDraft, InvoiceState, InvoiceStatus as ProviderStatus};
use hoadon_rules::{calendar, Dong};
use hoadon_store::{InvoiceRecord, InvoiceStatus, Lease};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::Date;
use ts_rs::TS;

use super::list::InvoiceRow;
use super::settings::{InvoiceSettingsForm, InvoiceSettingsView, ProviderChoice};
use crate::{Error, Result, SecretStore, Shop};

/// How long a claim on a row lasts without renewal. The sender renews it before each round
/// of requests, each of which ends within the client's timeouts (well under this).
pub const LEASE_SECONDS: i64 = 600;

/// Crockford's base 32: no I, L, O, U, so a key read aloud or retyped stays the same.
const BASE32: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new provider key for a sale: `HD<sale>-<16 characters>`, the 16 characters being 80 bits
/// from the OS random source. The sale id is there for people reading the provider's list;
/// uniqueness comes from the random part alone.
pub fn new_key(sale_id: i64) -> Result<String> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| Error::field("key", format!("Không lấy được số ngẫu nhiên của hệ điều hành để tạo mã hóa đơn ({e}).")))?;
    let bits = bytes.iter().fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
    let random: String = (0..16).rev().map(|i| BASE32[((bits >> (i * 5)) & 31) as usize] as char).collect();
    Ok(format!("HD{sale_id}-{random}"))
}

/// Where an invoice row is sent, as a fingerprint: `demo:<provider>:<hash>` or
/// `real:<provider>:<hash>`. In demo mode the host is the simulator's, on a new port each
/// start, so only the provider counts; a real account counts its host (scheme and port
/// included, path left out), its user names and, on EasyInvoice's shared hosts, the seller's
/// tax code. No password goes in.
pub fn account_fingerprint(provider: ProviderChoice, demo: bool, base_url: &str, username: &str, account: &str, seller_tax_code: &str) -> String {
    let mut hash = Sha256::new();
    let kind = if demo { "demo" } else { "real" };
    for part in [kind, provider.code()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    if !demo {
        for part in [host_of(base_url).as_str(), username.trim(), account.trim(), seller_tax_code.trim()] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{}:{hex}", provider.code())
}

/// `https://Host:443/path/` → `https://host:443`.
fn host_of(url: &str) -> String {
    let url = url.trim().to_lowercase();
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url.as_str()));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

/// Whether a fingerprint is of a demo account (a simulator).
pub fn is_demo_account(fingerprint: &str) -> bool {
    fingerprint.starts_with("demo:")
}

fn of_view(v: &InvoiceSettingsView) -> String {
    account_fingerprint(v.provider, v.demo, &v.base_url, &v.username, &v.account, &v.seller_tax_code)
}

fn of_form(f: &InvoiceSettingsForm) -> String {
    account_fingerprint(f.provider, f.demo, &f.base_url, &f.username, &f.account, &f.seller_tax_code)
}

/// Rows that still wait for their provider: what a change of account leaves behind.
const WAITING: [InvoiceStatus; 5] = [InvoiceStatus::Queued, InvoiceStatus::Sending, InvoiceStatus::NeedsReconcile, InvoiceStatus::Draft, InvoiceStatus::KeyConflict];

/// What saving the invoice settings did, or why it waits for the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct InvoiceSettingsSaved {
    /// `false`: nothing was saved, because the new settings name another account while the
    /// invoices in `waiting` still wait for the current one; save again with the owner's
    /// confirmation.
    pub saved: bool,
    /// The settings now in force (unchanged when not saved).
    pub settings: InvoiceSettingsView,
    /// Invoices queued, sending, unclear or drafts at the account being left: they stay
    /// bound to it ("gửi ở tài khoản cũ") and are sent or asked about only with it.
    pub waiting: Vec<InvoiceRow>,
    /// The sentence for the owner when `waiting` is not empty.
    pub warning: Option<String>,
    /// The sentence for the owner when this save found the passwords file unreadable and
    /// moved it aside: the other saved passwords must be entered again.
    pub secrets_notice: Option<String>,
}

impl Shop {
    /// The fingerprint of the account the invoice settings name now (see
    /// [`account_fingerprint`]).
    pub fn invoice_account(&self) -> Result<String> {
        let get = |k: &str| -> Result<String> { Ok(self.store.setting(k)?.unwrap_or_default()) };
        let provider = ProviderChoice::from_code(&get("invoice.provider")?).unwrap_or(ProviderChoice::Vnpt);
        let demo = get("invoice.demo")? != "0";
        Ok(account_fingerprint(provider, demo, &get("invoice.base_url")?, &get("invoice.username")?, &get("invoice.account")?, &get("invoice.seller_tax_code")?))
    }

    /// Invoices waiting for the current account that the settings in `form` would leave
    /// behind (none when `form` names the same account).
    pub fn invoices_left_by(&self, secrets: &SecretStore, form: &InvoiceSettingsForm) -> Result<Vec<InvoiceRow>> {
        let current = of_view(&self.invoice_settings(secrets)?);
        if of_form(form) == current {
            return Ok(Vec::new());
        }
        self.bind_unbound(&current)?;
        let rows = self.invoice_rows(&WAITING)?;
        Ok(rows.into_iter().filter(|r| r.invoice.account.as_deref() == Some(current.as_str())).collect())
    }

    /// "Lưu" in Cài đặt: saves the settings, unless they name another account while invoices
    /// still wait for the current one and the owner has not confirmed (`confirmed`); then
    /// nothing is saved and the answer lists those invoices.
    pub fn save_invoice_settings_checked(&self, secrets: &SecretStore, form: &InvoiceSettingsForm, confirmed: bool) -> Result<InvoiceSettingsSaved> {
        // Mistakes first: the owner is asked about the old account's invoices only for a form
        // that would save.
        self.check_invoice_settings(secrets, form)?;
        let waiting = self.invoices_left_by(secrets, form)?;
        let warning = (!waiting.is_empty()).then(|| {
            format!(
                "Còn {} hóa đơn đang chờ gửi, đang gửi, cần xử lý hoặc là bản nháp ở tài khoản hóa đơn hiện tại. Sau khi đổi tài khoản, các hóa đơn này vẫn thuộc tài khoản cũ («gửi ở tài khoản cũ»): ứng dụng không gửi chúng sang tài khoản mới, và chỉ kiểm tra hoặc gửi tiếp được khi cài lại tài khoản cũ.",
                waiting.len()
            )
        });
        if !waiting.is_empty() && !confirmed {
            let settings = self.invoice_settings(secrets)?;
            return Ok(InvoiceSettingsSaved { saved: false, settings, waiting, warning, secrets_notice: None });
        }
        let settings = self.save_invoice_settings(secrets, form)?;
        if !waiting.is_empty() {
            tracing::warn!(rows = waiting.len(), "invoice account changed with rows still waiting for the old one");
        }
        Ok(InvoiceSettingsSaved { saved: true, settings, waiting, warning, secrets_notice: secrets.take_moved_aside_notice() })
    }

    /// Binds rows written before rows carried an account, of the provider now configured, to
    /// the account now configured: the one they were sent to before the upgrade.
    pub(crate) fn bind_unbound(&self, current: &str) -> Result<()> {
        let provider = current.split(':').nth(1).unwrap_or_default();
        let n = self.store.bind_unbound_invoices(provider, current)?;
        if n > 0 {
            tracing::info!(rows = n, account = current, "bound rows written before accounts were recorded");
        }
        Ok(())
    }
}

/// The sentence for a row bound to another account than the one configured.
pub(crate) fn other_account_message(row: &InvoiceRecord) -> String {
    let demo = row.account.as_deref().is_some_and(is_demo_account);
    let provider = ProviderChoice::from_code(&row.provider).map_or_else(|| row.provider.clone(), |p| p.label().to_string());
    let which = if demo { format!("tài khoản dùng thử {provider}") } else { format!("tài khoản {provider} cũ") };
    format!(
        "Hóa đơn này được gửi ở {which}, không phải tài khoản hóa đơn đang cài đặt («gửi ở tài khoản cũ»). Ứng dụng không gửi nó sang tài khoản khác, để một đơn hàng không có hai hóa đơn; hãy cài lại tài khoản cũ để kiểm tra hoặc gửi tiếp."
    )
}

/// Whether `row` may be sent, asked about or signed with the account `current`. A row from
/// before accounts were recorded is bound to `current` when it is of the same provider.
pub(crate) fn check_bound(shop: &Shop, row: &InvoiceRecord, current: &str) -> Result<()> {
    match row.account.as_deref() {
        Some(a) if a == current => Ok(()),
        Some(_) => Err(Error::field("invoice", other_account_message(row))),
        None => {
            shop.bind_unbound(current)?;
            match shop.store().invoice(row.id)?.account.as_deref() {
                Some(a) if a == current => Ok(()),
                _ if matches!(row.status, InvoiceStatus::Issued | InvoiceStatus::Cancelled | InvoiceStatus::Failed)
                    && current.split(':').nth(1) == Some(row.provider.as_str()) =>
                {
                    Ok(())
                }
                _ => Err(Error::field("invoice", other_account_message(row))),
            }
        }
    }
}

/// Who holds a lease: `<host>/<pid>/<random>`, unique per [`super::Invoicer`].
pub(crate) fn lease_owner() -> String {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}/{}/{random}", host_name(), std::process::id())
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().replace('/', "-"))
        .unwrap_or_default()
}

/// Whether the holder of `lease` is known to be gone: a process of this machine that no
/// longer runs (checked where the OS says so cheaply, Linux's /proc). Elsewhere only the
/// expiry frees a lease.
pub(crate) fn holder_gone(lease: &Lease) -> bool {
    let mut parts = lease.owner.rsplitn(3, '/');
    let (_random, pid, host) = (parts.next(), parts.next(), parts.next());
    let (Some(pid), Some(host)) = (pid.and_then(|p| p.parse::<u32>().ok()), host) else { return false };
    if host.is_empty() || host != host_name() || pid == std::process::id() {
        return false;
    }
    cfg!(target_os = "linux") && std::path::Path::new("/proc/self").exists() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// What the provider must hold under a row's key for it to be this sale's invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expected {
    pub amount: Dong,
    /// The invoice date is that of one of this row's sends: between the day the row was
    /// written and today (UTC+7).
    pub earliest: Date,
    pub latest: Date,
    /// The names the invoice carries for the buyer (`CusName`, `Buyer`): the provider's
    /// buyer must be one of them.
    pub buyer_names: Vec<String>,
}

/// Names compared as a person reads them: case, spacing and Unicode form aside.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

impl Expected {
    pub fn of(draft: &InvoiceDraft, row: &InvoiceRecord) -> Expected {
        let today = calendar::now().date();
        let earliest = calendar::date_of(row.created_at).min(today);
        let buyer_names = [&draft.buyer.name, &draft.buyer.buyer_name].into_iter().filter(|n| !n.trim().is_empty()).cloned().collect();
        Expected { amount: draft.totals.total, earliest, latest: today.max(draft.issue_date), buyer_names }
    }

    /// What differs between `state` and this sale's invoice, in a sentence; `None` when what
    /// the answer carries agrees (or it carries nothing to compare).
    pub fn differs(&self, state: &InvoiceState) -> Option<String> {
        if state.status == ProviderStatus::NotFound {
            return None;
        }
        let mut diffs = Vec::new();
        if let Some(amount) = state.amount
            && amount != self.amount {
                diffs.push(format!("tổng tiền {} (hóa đơn của đơn hàng này: {})", amount, self.amount));
            }
        if let Some(date) = state.arising_date
            && (date < self.earliest || date > self.latest) {
                let span = if self.earliest == self.latest {
                    format!("ngày {}", calendar::format_date(self.earliest))
                } else {
                    format!("từ ngày {} đến {}", calendar::format_date(self.earliest), calendar::format_date(self.latest))
                };
                diffs.push(format!("ngày lập {} (hóa đơn của đơn hàng này lập {span})", calendar::format_date(date)));
            }
        if let Some(buyer) = state.buyer.as_deref().filter(|b| !b.trim().is_empty())
            && !self.buyer_names.is_empty() && !self.buyer_names.iter().any(|n| same_name(n, buyer)) {
                diffs.push(format!("người mua «{}» (hóa đơn của đơn hàng này: «{}»)", buyer.trim(), self.buyer_names[0].trim()));
            }
        if diffs.is_empty() {
            return None;
        }
        let number = state.number.map(|n| format!(" số {n}")).unwrap_or_default();
        Some(format!("Nhà cung cấp đã có theo mã {} một hóa đơn khác{number} ({}): {}.", state.key, state.status.label(), diffs.join("; ")))
    }
}

/// The owner's sentence for a "Trùng mã" row.
pub(crate) const CONFLICT_MESSAGE: &str = "Trùng mã: nhà cung cấp đang giữ theo mã của hóa đơn này một hóa đơn khác (của đơn hàng khác, có thể do khôi phục bản sao lưu hoặc chép thư mục dữ liệu sang máy khác). Hóa đơn của đơn hàng này chưa được phát hành. Bấm «Xuất lại với mã mới» để xuất hóa đơn theo mã mới sau khi đã kiểm tra.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_eighty_random_bits_within_both_providers_rules() {
        let keys: std::collections::HashSet<String> = (0..10_000).map(|_| new_key(9_223_372_036_854_775_807).unwrap()).collect();
        assert_eq!(keys.len(), 10_000);
        for k in &keys {
            assert!(k.len() <= 50, "{k}");
            assert!(k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{k}");
            assert!(!k.contains(['_', ',', ';']));
            hoadon_einvoice::InvoiceKey::new(k.as_str()).unwrap();
        }
        assert_eq!(new_key(42).unwrap().len(), "HD42-".len() + 16);
    }

    #[test]
    fn fingerprints_tell_accounts_apart_and_hold_no_password() {
        let real = |url: &str, user: &str| account_fingerprint(ProviderChoice::Vnpt, false, url, user, "acc", "");
        assert_eq!(real("https://A.vnpt-invoice.com.vn/", "u"), real("https://a.vnpt-invoice.com.vn/portal", "u"));
        assert_ne!(real("https://a.vnpt-invoice.com.vn", "u"), real("https://b.vnpt-invoice.com.vn", "u"));
        assert_ne!(real("https://a.vnpt-invoice.com.vn", "u"), real("https://a.vnpt-invoice.com.vn", "v"));
        let demo = account_fingerprint(ProviderChoice::Vnpt, true, "http://127.0.0.1:4001", "", "", "");
        assert_eq!(demo, account_fingerprint(ProviderChoice::Vnpt, true, "http://127.0.0.1:4999", "x", "", ""), "a demo simulator's port changes each start");
        assert!(is_demo_account(&demo) && !is_demo_account(&real("https://a", "u")));
        assert_ne!(demo, account_fingerprint(ProviderChoice::EasyInvoice, true, "", "", "", ""));
        assert!(!real("https://a", "secret-user").contains("secret"));
    }

    #[test]
    fn a_lease_of_a_process_gone_is_free() {
        let me = lease_owner();
        assert!(!holder_gone(&Lease { owner: me.clone(), until: 0 }), "this process is alive");
        let gone = format!("{}/{}/abcd", host_name(), u32::MAX - 7);
        if cfg!(target_os = "linux") {
            assert!(holder_gone(&Lease { owner: gone, until: 0 }));
        }
        assert!(!holder_gone(&Lease { owner: "another-host/1/abcd".into(), until: 0 }), "another machine's process is not ours to judge");
    }

    #[test]
    fn another_buyer_under_the_key_is_a_difference_and_spelling_aside_the_same_is_not() {
        let today = calendar::now().date();
        let expected = Expected { amount: Dong(97_200), earliest: today, latest: today, buyer_names: vec!["Công ty TNHH Hoa Sen".into(), "Nguyễn Văn An".into()] };
        let key = hoadon_einvoice::InvoiceKey::new("HD1-ABC").unwrap();
        let state = |buyer: &str| InvoiceState {
            status: ProviderStatus::Signed,
            number: Some(7),
            amount: Some(Dong(97_200)),
            arising_date: Some(today),
            buyer: Some(buyer.to_string()),
            ..InvoiceState::not_found(key.clone())
        };
        assert_eq!(expected.differs(&state("công ty  TNHH Hoa Sen")), None);
        assert_eq!(expected.differs(&state("Nguyễn Văn An")), None, "the person who bought, as EasyInvoice's Buyer");
        let other = expected.differs(&state("Cửa hàng Bình Minh")).unwrap();
        assert!(other.contains("người mua «Cửa hàng Bình Minh» (hóa đơn của đơn hàng này: «Công ty TNHH Hoa Sen»)"), "{other}");
        assert!(other.contains("số 7"), "{other}");
    }
}
