//! Which provider the shop issues through, and with which account, template and symbol.
//!
//! Plain settings live in the database (`invoice.*` keys); passwords live in the encrypted
//! [`SecretStore`]. In demo mode (the default until the owner enters an account) the app
//! talks to a simulator it started on 127.0.0.1: the URL and the simulator's demo account
//! come from the shell as a [`DemoProvider`], so the real client code is used either way.

use std::collections::BTreeMap;

use hoadon_einvoice::{AnyProvider, EasyInvoiceSettings, Provider, ProviderSettings, Timeouts, VnptSettings};
use hoadon_rules::calendar;
use hoadon_rules::symbol::InvoiceSymbol;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, FieldError, Result, Secret, SecretStore, Shop};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProviderChoice {
    #[serde(rename = "easyinvoice")]
    EasyInvoice,
    Vnpt,
}

impl ProviderChoice {
    pub fn code(self) -> &'static str {
        match self {
            ProviderChoice::EasyInvoice => "easyinvoice",
            ProviderChoice::Vnpt => "vnpt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProviderChoice::EasyInvoice => "EasyInvoice",
            ProviderChoice::Vnpt => "VNPT Invoice",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<ProviderChoice> {
        match code {
            "easyinvoice" => Some(ProviderChoice::EasyInvoice),
            "vnpt" => Some(ProviderChoice::Vnpt),
            _ => None,
        }
    }
}

/// Who signs the shop's invoices. EasyPOS's integration guide names both ways: remote
/// signing at the provider (HSM), or a USB token the owner plugs in to sign in the provider's
/// own software, which no sales app can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Signing {
    /// The provider signs as it issues: "Xuất hóa đơn" ends with the invoice number.
    Provider,
    /// "Xuất hóa đơn" creates an unsigned invoice (hóa đơn mới tạo lập) at the provider; the
    /// owner signs it there with the token, and the app learns its number afterwards.
    Token,
}

impl Signing {
    pub fn code(self) -> &'static str {
        match self {
            Signing::Provider => "provider",
            Signing::Token => "token",
        }
    }

    fn from_code(code: &str) -> Signing {
        match code {
            "token" => Signing::Token,
            _ => Signing::Provider,
        }
    }
}

/// A simulator the shell started for demo mode, with the account it accepts.
#[derive(Debug, Clone)]
pub struct DemoProvider {
    pub provider: ProviderChoice,
    pub base_url: String,
    pub username: String,
    pub password: Secret,
    /// VNPT's `Account` / `ACpass`.
    pub account: String,
    pub ac_password: Secret,
}

/// The settings as the Cài đặt screen shows them: never a password, only whether one is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSettingsView {
    pub provider: ProviderChoice,
    pub demo: bool,
    pub base_url: String,
    pub username: String,
    pub has_password: bool,
    pub account: String,
    pub has_ac_password: bool,
    pub seller_tax_code: String,
    pub template: String,
    pub serial: String,
    pub signing: Signing,
    /// EasyInvoice `LocationCode` of a household business's place of business; empty for a
    /// company.
    pub location_code: String,
    /// Where the passwords are kept (the OS keyring or the encrypted file), in a sentence.
    pub passwords_kept: String,
}

/// The settings as typed. An empty password keeps the one already stored.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSettingsForm {
    pub provider: ProviderChoice,
    pub demo: bool,
    pub base_url: String,
    pub username: String,
    pub password: String,
    pub account: String,
    pub ac_password: String,
    pub seller_tax_code: String,
    pub template: String,
    pub serial: String,
    pub signing: Signing,
    /// Mã địa điểm kinh doanh, for a household business on EasyInvoice (at most 5 letters or
    /// digits); empty for a company.
    #[serde(default)]
    pub location_code: String,
}

/// Masks the passwords, like [`Secret`].
impl std::fmt::Debug for InvoiceSettingsForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvoiceSettingsForm")
            .field("provider", &self.provider)
            .field("demo", &self.demo)
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &Secret::new(self.password.as_str()))
            .field("account", &self.account)
            .field("ac_password", &Secret::new(self.ac_password.as_str()))
            .field("seller_tax_code", &self.seller_tax_code)
            .field("template", &self.template)
            .field("serial", &self.serial)
            .field("signing", &self.signing)
            .field("location_code", &self.location_code)
            .finish()
    }
}

/// A template and serial the provider has registered for the shop, offered in Cài đặt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PatternChoice {
    /// What goes in "Mẫu số": `1` (EasyInvoice) or `1/001` (VNPT).
    pub template: String,
    /// What goes in "Ký hiệu", e.g. `C26TAA`.
    pub serial: String,
    /// As printed on the invoice, e.g. `1C26TAA`.
    pub symbol: String,
}

/// The tenant's own templates and serials ("Lấy từ nhà cung cấp" in Cài đặt). Those that are
/// not a valid symbol of the rules (an old series, another kind of document) are left out.
pub async fn provider_patterns(provider: &AnyProvider) -> Result<Vec<PatternChoice>> {
    let listed = provider.list_patterns().await.map_err(|e| Error::Provider { message: e.to_string(), unclear: false })?;
    let mut out = Vec::new();
    for p in listed {
        let (template, serial) = match (p.pattern.as_str(), p.serial.as_str()) {
            // A TT78 host may list the whole symbol as the pattern.
            (whole, "") if whole.chars().count() == 7 => (whole[..1].to_string(), whole[1..].to_string()),
            (t, s) => (t.to_string(), s.to_string()),
        };
        if let Ok(symbol) = InvoiceSymbol::parse(&template, &serial) {
            out.push(PatternChoice { template, serial: symbol.serial.clone(), symbol: symbol.to_string() });
        }
    }
    Ok(out)
}

/// The household business's place of business, for EasyInvoice's `LocationCode`.
pub(crate) const LOCATION_CODE: &str = "invoice.location_code";

/// The VNPT tenant's own parameter names (JSON, operation → names), learnt from its WSDL.
const VNPT_PARAM_NAMES: &str = "invoice.vnpt_param_names";

const PASSWORD: &str = "invoice.password";
const AC_PASSWORD: &str = "invoice.ac_password";

/// The form (mẫu số) a new shop starts with: a VAT invoice, written as each provider names it.
fn default_template(provider: ProviderChoice) -> &'static str {
    match provider {
        ProviderChoice::Vnpt => "1/001",
        ProviderChoice::EasyInvoice => "1",
    }
}

fn default_serial() -> String {
    format!("C{:02}TAA", calendar::now().year() % 100)
}

impl Shop {
    /// The VNPT tenant's parameter names where they differ from the published WSDL.
    pub(crate) fn vnpt_param_names(&self) -> Result<BTreeMap<String, Vec<String>>> {
        Ok(match self.store.setting(VNPT_PARAM_NAMES)? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "unreadable VNPT parameter names; using the published ones");
                BTreeMap::new()
            }),
            None => BTreeMap::new(),
        })
    }

    /// "Kiểm tra kết nối": signs in to the provider; for VNPT also reads the tenant's WSDL,
    /// keeps its parameter names where they differ, and says what differs.
    pub async fn check_provider_connection(shop: &std::sync::Mutex<Shop>, provider: &AnyProvider) -> Result<String> {
        let unclear = |e: hoadon_einvoice::ProviderError| Error::Provider { message: e.to_string(), unclear: false };
        let mut notes = Vec::new();
        if let Some(vnpt) = provider.as_vnpt() {
            match vnpt.compare_wsdl().await {
                Ok(c) => {
                    let json = serde_json::to_string(&c.renamed).expect("names are plain strings");
                    shop.lock().unwrap_or_else(|p| p.into_inner()).store.set_setting(VNPT_PARAM_NAMES, &json)?;
                    if c.differences.is_empty() {
                        notes.push("Mô tả dịch vụ (WSDL) của máy chủ khớp với các lệnh ứng dụng gửi.".to_string());
                    } else {
                        notes.push(format!("Mô tả dịch vụ (WSDL) của máy chủ khác ở {} chỗ: {}", c.differences.len(), c.differences.join(" ")));
                    }
                }
                Err(e) => notes.push(format!("Không đọc được mô tả dịch vụ (WSDL) của máy chủ: {e}")),
            }
        }
        let info = provider.verify_account().await.map_err(unclear)?;
        let who = info.company.or(info.tax_code).map(|c| format!(" ({c})")).unwrap_or_default();
        let mut message = format!("Kết nối thành công với {}{who}.", info.provider);
        for n in notes {
            message.push(' ');
            message.push_str(&n);
        }
        Ok(message)
    }

    pub fn invoice_settings(&self, secrets: &SecretStore) -> Result<InvoiceSettingsView> {
        let get = |k: &str| -> Result<String> { Ok(self.store.setting(k)?.unwrap_or_default()) };
        let provider = ProviderChoice::from_code(&get("invoice.provider")?).unwrap_or(ProviderChoice::Vnpt);
        Ok(InvoiceSettingsView {
            provider,
            demo: get("invoice.demo")? != "0",
            base_url: get("invoice.base_url")?,
            username: get("invoice.username")?,
            has_password: secrets.is_saved(PASSWORD)?,
            account: get("invoice.account")?,
            has_ac_password: secrets.is_saved(AC_PASSWORD)?,
            seller_tax_code: get("invoice.seller_tax_code")?,
            template: Some(get("invoice.template")?).filter(|t| !t.is_empty()).unwrap_or_else(|| default_template(provider).into()),
            serial: Some(get("invoice.serial")?).filter(|t| !t.is_empty()).unwrap_or_else(default_serial),
            signing: Signing::from_code(&get("invoice.signing")?),
            location_code: get(LOCATION_CODE)?,
            passwords_kept: secrets.backend().describe().to_string(),
        })
    }

    /// The form's mistakes, each naming its field, before anything is saved or asked.
    pub(crate) fn check_invoice_settings(&self, secrets: &SecretStore, form: &InvoiceSettingsForm) -> Result<()> {
        let mut errors = Vec::new();
        let template = form.template.trim();
        let serial = form.serial.trim().to_uppercase();
        match InvoiceSymbol::parse(template, &serial) {
            Err(e @ hoadon_rules::symbol::SymbolError::BadTemplate(_)) => errors.push(FieldError::new("template", crate::customers::sentence(&e.to_string()))),
            Err(e) => errors.push(FieldError::new("serial", crate::customers::sentence(&e.to_string()))),
            Ok(_) if form.provider == ProviderChoice::EasyInvoice && template.contains('/') => errors.push(FieldError::new(
                "template",
                "EasyInvoice ghi mẫu số là một chữ số (1: hóa đơn GTGT, 2: hóa đơn bán hàng); dạng 1/001 là của VNPT.",
            )),
            Ok(_) => {}
        }
        if !form.demo {
            let url = form.base_url.trim();
            // The password travels with every request: https, or http to this computer only.
            if url.contains(char::is_whitespace) || hoadon_rules::url::insecure_reason(url).is_some() {
                errors.push(FieldError::new(
                    "base_url",
                    "Địa chỉ máy chủ hóa đơn phải bắt đầu bằng https:// (ví dụ https://0312345678.easyinvoice.vn); http:// chỉ dùng được cho máy này (127.0.0.1, localhost).",
                ));
            }
            if form.username.trim().is_empty() {
                errors.push(FieldError::new("username", "Chưa nhập tên đăng nhập của tài khoản hóa đơn."));
            }
            let has_password = !form.password.is_empty() || secrets.is_saved(PASSWORD)?;
            if !has_password {
                errors.push(FieldError::new("password", "Chưa nhập mật khẩu của tài khoản hóa đơn."));
            }
            if form.provider == ProviderChoice::Vnpt && form.account.trim().is_empty() {
                errors.push(FieldError::new("account", "VNPT cần tài khoản phát hành (Account) bên cạnh tài khoản dịch vụ."));
            }
            if form.provider == ProviderChoice::EasyInvoice {
                // EasyInvoice carries these in a header: refused here rather than by the host.
                if let Some((field, problem)) = hoadon_einvoice::easyinvoice::credential_problem(form.username.trim(), &form.password, form.seller_tax_code.trim()) {
                    errors.push(FieldError::new(field, crate::customers::sentence(&problem)));
                }
            }
        }
        let location_code = form.location_code.trim();
        if location_code.chars().count() > 5 || !location_code.chars().all(|c| c.is_ascii_alphanumeric()) {
            errors.push(FieldError::new("location_code", "Mã địa điểm kinh doanh có tối đa 5 chữ cái không dấu hoặc chữ số, như cơ quan thuế cấp cho địa điểm kinh doanh của hộ."));
        }
        if errors.is_empty() { Ok(()) } else { Err(Error::invalid(errors)) }
    }

    pub fn save_invoice_settings(&self, secrets: &SecretStore, form: &InvoiceSettingsForm) -> Result<InvoiceSettingsView> {
        self.check_invoice_settings(secrets, form)?;
        let template = form.template.trim();
        let serial = form.serial.trim().to_uppercase();
        self.store.in_transaction(|store| {
            store.set_setting("invoice.provider", form.provider.code())?;
            store.set_setting("invoice.demo", if form.demo { "1" } else { "0" })?;
            store.set_setting("invoice.base_url", form.base_url.trim())?;
            store.set_setting("invoice.username", form.username.trim())?;
            store.set_setting("invoice.account", form.account.trim())?;
            store.set_setting("invoice.seller_tax_code", form.seller_tax_code.trim())?;
            store.set_setting("invoice.template", template)?;
            store.set_setting("invoice.serial", &serial)?;
            store.set_setting("invoice.signing", form.signing.code())?;
            store.set_setting(LOCATION_CODE, form.location_code.trim())?;
            Ok(())
        })?;
        if !form.password.is_empty() {
            secrets.set(PASSWORD, &Secret::new(form.password.clone()))?;
        }
        if !form.ac_password.is_empty() {
            secrets.set(AC_PASSWORD, &Secret::new(form.ac_password.clone()))?;
        }
        tracing::info!(provider = form.provider.code(), demo = form.demo, "saved invoice settings");
        self.invoice_settings(secrets)
    }

    /// The client settings for the chosen provider: the shop's account, or in demo mode the
    /// simulator the shell started for that provider.
    pub fn provider_settings(&self, secrets: &SecretStore, demos: &[DemoProvider]) -> Result<ProviderSettings> {
        let view = self.invoice_settings(secrets)?;
        let timeouts = Timeouts::default();
        let (base_url, username, password, account, ac_password) = if view.demo {
            let demo = demos.iter().find(|d| d.provider == view.provider).ok_or_else(|| {
                Error::field("demo", "Chế độ dùng thử chưa sẵn sàng (không khởi động được máy chủ mô phỏng). Hãy nhập tài khoản hóa đơn thật trong Cài đặt.")
            })?;
            (demo.base_url.clone(), demo.username.clone(), demo.password.clone(), demo.account.clone(), demo.ac_password.clone())
        } else {
            (
                view.base_url.clone(),
                view.username.clone(),
                secrets.get(PASSWORD)?.unwrap_or_default(),
                view.account.clone(),
                secrets.get(AC_PASSWORD)?.unwrap_or_default(),
            )
        };
        Ok(match view.provider {
            ProviderChoice::EasyInvoice => ProviderSettings::EasyInvoice(EasyInvoiceSettings {
                base_url,
                username,
                password,
                seller_tax_code: Some(view.seller_tax_code.clone()).filter(|t| !t.is_empty()),
                pattern: view.template.clone(),
                serial: view.serial.clone(),
                // Circular 78 accounts take the whole symbol in `Pattern` (document v8, TT78 §1).
                symbol_in_pattern: true,
                timeouts,
            }),
            ProviderChoice::Vnpt => ProviderSettings::Vnpt(VnptSettings {
                base_url,
                account,
                ac_password,
                username,
                password,
                pattern: view.template.clone(),
                serial: view.serial.clone(),
                convert: 0,
                mark_paid_on_issue: true,
                param_names: self.vnpt_param_names()?,
                timeouts,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The password goes with every request: http is refused unless the host is this computer.
    #[test]
    fn the_provider_address_needs_https_off_this_computer() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = crate::Shop::open_in_memory().unwrap();
        let form = |base_url: &str| InvoiceSettingsForm {
            provider: ProviderChoice::EasyInvoice,
            demo: false,
            base_url: base_url.into(),
            username: "owner".into(),
            password: "pw".into(),
            account: String::new(),
            ac_password: String::new(),
            seller_tax_code: String::new(),
            template: "1".into(),
            serial: "C26TAA".into(),
            signing: Signing::Provider,
            location_code: String::new(),
        };
        for refused in ["http://127.evil.com", "http://localhost.evil.com", "http://10.0.0.1", "0312345678.easyinvoice.vn"] {
            match shop.check_invoice_settings(&secrets, &form(refused)) {
                Err(crate::Error::Invalid { fields, .. }) => {
                    let f = fields.iter().find(|f| f.field == "base_url").expect(refused);
                    assert!(f.message.contains("Địa chỉ máy chủ hóa đơn") && f.message.contains("https://"), "{}", f.message);
                }
                other => panic!("{refused}: {other:?}"),
            }
        }
        for accepted in ["http://127.0.0.1:8080", "http://[::1]:9", "http://localhost:3000", "https://0312345678.easyinvoice.vn"] {
            shop.check_invoice_settings(&secrets, &form(accepted)).unwrap_or_else(|e| panic!("{accepted}: {e:?}"));
        }
    }
}
