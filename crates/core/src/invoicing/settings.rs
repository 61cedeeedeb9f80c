//! Which provider the shop issues through, and with which account, template and symbol.
//!
//! Plain settings live in the database (`invoice.*` keys); passwords live in the encrypted
//! [`SecretStore`]. In demo mode (the default until the owner enters an account) the app
//! talks to a simulator it started on 127.0.0.1: the URL and the simulator's demo account
//! come from the shell as a [`DemoProvider`], so the real client code is used either way.

use std::collections::BTreeMap;

use hoadon_einvoice::{AnyProvider, EasyInvoiceSettings, Provider, ProviderSettings, Timeouts, ViettelSettings, VnptSettings};
use hoadon_rules::calendar;
use hoadon_rules::symbol::InvoiceSymbol;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, FieldError, Result, Secret, SecretStore, Shop};

/// The e-invoice provider the shop has a contract with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProviderChoice {
    /// EasyInvoice (SoftDreams).
    #[serde(rename = "easyinvoice")]
    EasyInvoice,
    /// VNPT Invoice.
    Vnpt,
    /// Viettel S-Invoice.
    Viettel,
}

impl ProviderChoice {
    /// Every provider, in the order Cài đặt offers them.
    pub const ALL: [ProviderChoice; 3] = [ProviderChoice::Vnpt, ProviderChoice::EasyInvoice, ProviderChoice::Viettel];

    /// The name stored in the settings and on each invoice row (`invoice.provider`).
    pub fn code(self) -> &'static str {
        match self {
            ProviderChoice::EasyInvoice => "easyinvoice",
            ProviderChoice::Vnpt => "vnpt",
            ProviderChoice::Viettel => "viettel",
        }
    }

    /// The provider's name as the owner knows it.
    pub fn label(self) -> &'static str {
        match self {
            ProviderChoice::EasyInvoice => "EasyInvoice",
            ProviderChoice::Vnpt => "VNPT Invoice",
            ProviderChoice::Viettel => "Viettel S-Invoice",
        }
    }

    /// The form (mẫu số) of a VAT invoice as this provider writes it: `1/001` for VNPT and
    /// Viettel, `1` for EasyInvoice.
    pub fn default_template(self) -> &'static str {
        match self {
            ProviderChoice::Vnpt | ProviderChoice::Viettel => "1/001",
            ProviderChoice::EasyInvoice => "1",
        }
    }

    /// How Cài đặt asks for an account at this provider.
    pub fn option(self) -> ProviderOption {
        let text = |s: &str| s.to_string();
        match self {
            ProviderChoice::Vnpt => ProviderOption {
                value: self,
                label: text("VNPT Invoice"),
                base_url_hint: text("Ví dụ https://0312345678-tt78.vnpt-invoice.com.vn"),
                base_url_required: true,
                issuing_account: true,
                seller_tax_code_label: String::new(),
                seller_tax_code_hint: String::new(),
                seller_tax_code_required: false,
                template_hint: text("VNPT ghi như 1/001 (hóa đơn GTGT) hoặc 2/001 (bán hàng)"),
                location_code: false,
            },
            ProviderChoice::EasyInvoice => ProviderOption {
                value: self,
                label: text("EasyInvoice (SoftDreams)"),
                base_url_hint: text("Ví dụ https://0312345678.easyinvoice.vn"),
                base_url_required: true,
                issuing_account: false,
                seller_tax_code_label: text("MST người bán (máy chủ dùng chung)"),
                seller_tax_code_hint: text("Chỉ cần khi địa chỉ máy chủ dùng chung cho nhiều doanh nghiệp."),
                seller_tax_code_required: false,
                template_hint: text("EasyInvoice: 1 (GTGT) hoặc 2 (bán hàng)"),
                location_code: true,
            },
            ProviderChoice::Viettel => ProviderOption {
                value: self,
                label: text("Viettel S-Invoice"),
                base_url_hint: text("Để trống: https://api-vinvoice.viettel.vn, máy chủ chung của Viettel"),
                base_url_required: false,
                issuing_account: false,
                seller_tax_code_label: text("MST người bán (supplierTaxCode)"),
                seller_tax_code_hint: text("Mã số thuế của tài khoản Viettel, có thể kèm mã chi nhánh (0100109106-506)."),
                seller_tax_code_required: true,
                template_hint: text("Viettel ghi như 1/001 (hóa đơn GTGT) hoặc 2/001 (bán hàng)"),
                location_code: false,
            },
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<ProviderChoice> {
        ProviderChoice::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// What Cài đặt asks of an account at one provider: the words and which boxes it shows, so
/// the window lays out the form from data and a new provider needs no screen code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderOption {
    /// The provider.
    pub value: ProviderChoice,
    /// Its name in the provider list.
    pub label: String,
    /// The example under "Địa chỉ máy chủ".
    pub base_url_hint: String,
    /// `false` when the provider has one host for every shop (Viettel): an empty box uses it.
    pub base_url_required: bool,
    /// VNPT's second account (Account / ACpass) is asked.
    pub issuing_account: bool,
    /// The seller tax code box: its label, hint and whether it must be filled.
    pub seller_tax_code_label: String,
    /// The hint under the seller tax code box.
    pub seller_tax_code_hint: String,
    /// The seller tax code must be filled.
    pub seller_tax_code_required: bool,
    /// The hint under "Mẫu số".
    pub template_hint: String,
    /// The household business's place-of-business code is asked (EasyInvoice `LocationCode`).
    pub location_code: bool,
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

/// One choice of "Cách ký hóa đơn" in Cài đặt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SigningOption {
    /// The choice.
    pub value: Signing,
    /// Its words in the list.
    pub label: String,
    /// What "Xuất hóa đơn" then does, shown under the list.
    pub hint: String,
}

impl Signing {
    /// Both ways, in the order Cài đặt offers them.
    pub const ALL: [Signing; 2] = [Signing::Provider, Signing::Token];

    /// How Cài đặt offers this way of signing.
    pub fn option(self) -> SigningOption {
        let (label, hint) = match self {
            Signing::Provider => ("Nhà cung cấp ký tự động (ký số từ xa, HSM)", "«Xuất hóa đơn» phát hành ngay và hiện số hóa đơn."),
            Signing::Token => (
                "Tôi ký bằng USB Token trên phần mềm hóa đơn",
                "«Xuất hóa đơn» tạo hóa đơn nháp ở nhà cung cấp; sau khi bạn ký, ứng dụng tự nhận số hóa đơn.",
            ),
        };
        SigningOption { value: self, label: label.into(), hint: hint.into() }
    }

    /// The name stored in the settings (`invoice.signing`).
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
    /// Which provider the simulator stands in for.
    pub provider: ProviderChoice,
    /// `http://127.0.0.1:<port>` of the simulator.
    pub base_url: String,
    /// The simulator's demo account.
    pub username: String,
    /// Its password.
    pub password: Secret,
    /// VNPT's `Account` (the issuing account beside the service account).
    pub account: String,
    /// VNPT's `ACpass`.
    pub ac_password: Secret,
    /// Viettel's `supplierTaxCode`: the seller tax code the simulator's account holds (empty
    /// for the others).
    pub seller_tax_code: String,
}

/// The settings as the Cài đặt screen shows them: never a password, only whether one is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSettingsView {
    /// The provider invoices are issued through.
    pub provider: ProviderChoice,
    /// Demo mode: invoices go to the app's own simulator, not to a real account.
    pub demo: bool,
    /// The provider's host, as saved.
    pub base_url: String,
    /// The account's user name.
    pub username: String,
    /// A password is saved (it is never shown).
    pub has_password: bool,
    /// VNPT's issuing account (`Account`).
    pub account: String,
    /// VNPT's `ACpass` is saved.
    pub has_ac_password: bool,
    /// The seller's tax code as the provider wants it (Viettel, EasyInvoice's shared host).
    pub seller_tax_code: String,
    /// Mẫu số, as the provider writes it (`1/001`, `1`).
    pub template: String,
    /// Ký hiệu, e.g. `C26TAA`.
    pub serial: String,
    /// Who signs the invoices.
    pub signing: Signing,
    /// EasyInvoice `LocationCode` of a household business's place of business; empty for a
    /// company.
    pub location_code: String,
    /// Where the passwords are kept (the OS keyring or the encrypted file), in a sentence.
    pub passwords_kept: String,
    /// The providers Cài đặt offers, each with what its form asks.
    pub providers: Vec<ProviderOption>,
    /// The ways of signing Cài đặt offers.
    pub signings: Vec<SigningOption>,
}

/// The settings as typed. An empty password keeps the one already stored.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSettingsForm {
    /// The provider chosen.
    pub provider: ProviderChoice,
    /// Demo mode on: the account fields are not used.
    pub demo: bool,
    /// The provider's host (`https://`, or `http://` to this computer only).
    pub base_url: String,
    /// The account's user name.
    pub username: String,
    /// A new password; empty keeps the saved one.
    pub password: String,
    /// VNPT's issuing account (`Account`).
    pub account: String,
    /// A new VNPT `ACpass`; empty keeps the saved one.
    pub ac_password: String,
    /// The seller's tax code as the provider wants it.
    pub seller_tax_code: String,
    /// Mẫu số.
    pub template: String,
    /// Ký hiệu.
    pub serial: String,
    /// Who signs the invoices.
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
    provider.default_template()
}

/// The host a Viettel account uses when the owner leaves "Địa chỉ máy chủ" empty: Viettel
/// serves every shop from one host, unlike EasyInvoice and VNPT (one per shop).
fn base_url_of(form: &InvoiceSettingsForm) -> &str {
    match form.base_url.trim() {
        "" if form.provider == ProviderChoice::Viettel => hoadon_einvoice::viettel::DEFAULT_BASE_URL,
        url => url,
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

    /// What Cài đặt shows: the saved settings (defaults where none), never a password.
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
            providers: ProviderChoice::ALL.into_iter().map(ProviderChoice::option).collect(),
            signings: Signing::ALL.into_iter().map(Signing::option).collect(),
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
                "EasyInvoice ghi mẫu số là một chữ số (1: hóa đơn GTGT, 2: hóa đơn bán hàng); dạng 1/001 là của VNPT và Viettel.",
            )),
            Ok(_) if form.provider == ProviderChoice::Viettel && !template.contains('/') => errors.push(FieldError::new(
                "template",
                "Viettel S-Invoice ghi mẫu số đầy đủ, ví dụ 1/001 (hóa đơn GTGT) hoặc 2/001 (hóa đơn bán hàng), như trên trang quản trị của Viettel.",
            )),
            Ok(_) => {}
        }
        if !form.demo {
            let url = base_url_of(form);
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
            if form.provider == ProviderChoice::Viettel {
                // Viettel names the seller in every path and form (`supplierTaxCode`).
                let tax_code = form.seller_tax_code.trim();
                if tax_code.is_empty() {
                    errors.push(FieldError::new("seller_tax_code", "Viettel S-Invoice cần mã số thuế người bán (supplierTaxCode) của tài khoản."));
                } else if let Err(e) = hoadon_rules::TaxCode::parse(tax_code) {
                    errors.push(FieldError::new("seller_tax_code", crate::customers::sentence(&format!("Mã số thuế người bán: {e}"))));
                }
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

    /// Checks and saves `form` (passwords to `secrets`, the rest to the database) without
    /// asking about invoices left at another account: see
    /// [`Shop::save_invoice_settings_checked`] for what Cài đặt calls.
    pub fn save_invoice_settings(&self, secrets: &SecretStore, form: &InvoiceSettingsForm) -> Result<InvoiceSettingsView> {
        self.check_invoice_settings(secrets, form)?;
        let template = form.template.trim();
        let serial = form.serial.trim().to_uppercase();
        self.store.in_transaction(|store| {
            store.set_setting("invoice.provider", form.provider.code())?;
            store.set_setting("invoice.demo", if form.demo { "1" } else { "0" })?;
            store.set_setting("invoice.base_url", base_url_of(form))?;
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
        let (base_url, username, password, account, ac_password, seller_tax_code) = if view.demo {
            let demo = demos.iter().find(|d| d.provider == view.provider).ok_or_else(|| {
                Error::field("demo", "Chế độ dùng thử chưa sẵn sàng (không khởi động được máy chủ mô phỏng). Hãy nhập tài khoản hóa đơn thật trong Cài đặt.")
            })?;
            let tax_code = Some(demo.seller_tax_code.clone()).filter(|t| !t.is_empty()).unwrap_or_else(|| view.seller_tax_code.clone());
            (demo.base_url.clone(), demo.username.clone(), demo.password.clone(), demo.account.clone(), demo.ac_password.clone(), tax_code)
        } else {
            (
                view.base_url.clone(),
                view.username.clone(),
                secrets.get(PASSWORD)?.unwrap_or_default(),
                view.account.clone(),
                secrets.get(AC_PASSWORD)?.unwrap_or_default(),
                view.seller_tax_code.clone(),
            )
        };
        Ok(match view.provider {
            ProviderChoice::EasyInvoice => ProviderSettings::EasyInvoice(EasyInvoiceSettings {
                base_url,
                username,
                password,
                seller_tax_code: Some(seller_tax_code).filter(|t| !t.is_empty()),
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
            ProviderChoice::Viettel => ProviderSettings::Viettel(ViettelSettings {
                base_url,
                username,
                password,
                supplier_tax_code: seller_tax_code,
                template_code: view.template.clone(),
                series: view.serial.clone(),
                mark_paid_on_issue: true,
                timeouts,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cai_dat_offers_both_ways_of_signing_and_every_provider() {
        let signings: Vec<SigningOption> = Signing::ALL.into_iter().map(Signing::option).collect();
        assert_eq!(signings.iter().map(|s| s.value).collect::<Vec<_>>(), [Signing::Provider, Signing::Token]);
        assert!(signings[1].label.contains("USB Token") && signings[1].hint.contains("nháp"));
        let providers: Vec<ProviderOption> = ProviderChoice::ALL.into_iter().map(ProviderChoice::option).collect();
        assert_eq!(providers.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["VNPT Invoice", "EasyInvoice (SoftDreams)", "Viettel S-Invoice"]);
        assert!(providers[0].issuing_account && !providers[1].issuing_account && !providers[2].issuing_account);
        assert!(providers[2].seller_tax_code_required && !providers[2].base_url_required);
        for p in ProviderChoice::ALL {
            assert_eq!(ProviderChoice::from_code(p.code()), Some(p));
        }
    }

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
