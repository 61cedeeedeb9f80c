//! The report server's settings as Cài đặt edits them: the form, what is shown back (password
//! boxes empty), and the validation that turns the form into a [`MoitServerConfig`] with the
//! new passwords hashed (Argon2id); a password is never stored, shown or logged as typed.

use hoadon_moit::{ApiOption, KeyCase, MIN_PASSWORD_CHARS, MoitServerConfig, PageOption, VisitsPeriod, hash_password};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DOMAIN_KEY, MoitServerStatus};
use crate::{Error, FieldError, Result, Shop};

/// The server settings as Cài đặt edits them. Passwords are write-only: empty keeps the saved
/// one; they are hashed here and never stored, shown or logged as typed.
#[derive(Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
pub struct MoitServerForm {
    /// «Bật máy chủ báo cáo».
    pub enabled: bool,
    /// The IP address to listen on (`127.0.0.1`).
    pub bind_address: String,
    /// «Tôi hiểu và xác nhận mở ra ngoài»: needed for any address but loopback.
    pub expose_confirmed: bool,
    /// As typed.
    pub port: String,
    /// The API option (the ministry `POST`s an account and reads the nine keys).
    pub api_enabled: bool,
    /// The API's path (`/api/baocao` when empty).
    pub api_path: String,
    /// The API account's UserName.
    pub api_user_name: String,
    /// Write-only: empty keeps the saved password.
    pub api_password: String,
    /// The API answers in PascalCase keys instead of the guide's camelCase.
    pub pascal_case: bool,
    /// The report page option (login `BaocaoTMDT`).
    pub page_enabled: bool,
    /// Write-only: empty keeps the saved password.
    pub page_password: String,
    /// The server runs behind a reverse proxy (the client address comes from it).
    pub behind_proxy: bool,
    /// Which visits the API and the page each show.
    pub visits_period: VisitsPeriod,
    /// The shop's website (tenmien.vn), for the publishing explanation.
    pub domain: String,
}

impl std::fmt::Debug for MoitServerForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MoitServerForm")
            .field("enabled", &self.enabled)
            .field("bind_address", &self.bind_address)
            .field("port", &self.port)
            .field("api_enabled", &self.api_enabled)
            .field("api_path", &self.api_path)
            .field("page_enabled", &self.page_enabled)
            .finish_non_exhaustive()
    }
}

/// What Cài đặt shows: the form (password boxes empty), whether passwords are saved, the
/// status, and how to publish the server as `baocao.<domain>`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitServerSettings {
    /// The saved settings, password boxes empty.
    pub form: MoitServerForm,
    /// A password of the API account is saved.
    pub api_password_set: bool,
    /// A password of the page account is saved.
    pub page_password_set: bool,
    /// Whether the server runs, and where.
    pub status: MoitServerStatus,
    /// How to publish the server as `baocao.<domain>`, in Vietnamese.
    pub publishing_help: String,
}

impl MoitServerForm {
    /// The saved configuration as the form shows it (password boxes empty).
    fn of(config: &MoitServerConfig, domain: String) -> MoitServerForm {
        MoitServerForm {
            enabled: config.enabled,
            bind_address: config.bind_address.clone(),
            expose_confirmed: config.expose_confirmed,
            port: config.port.to_string(),
            api_enabled: config.api.is_some(),
            api_path: config.api.as_ref().map_or(hoadon_moit::DEFAULT_API_PATH.to_string(), |a| a.path.clone()),
            api_user_name: config.api.as_ref().map(|a| a.user_name.clone()).unwrap_or_default(),
            api_password: String::new(),
            pascal_case: config.api.as_ref().is_some_and(|a| a.key_case == KeyCase::Pascal),
            page_enabled: config.page.is_some(),
            page_password: String::new(),
            behind_proxy: config.behind_proxy,
            visits_period: config.visits_period,
            domain,
        }
    }

    /// The form as a configuration over `saved`: each wrong box named, new passwords hashed,
    /// an empty password box keeping the saved hash.
    pub fn to_config(&self, saved: &MoitServerConfig) -> Result<MoitServerConfig> {
        let form = self;
        let mut fields = Vec::new();
        let port = form.port.trim().parse::<u16>().ok();
        if port.is_none() {
            fields.push(FieldError::new("port", "Cổng cần là số từ 0 đến 65535."));
        }
        match form.bind_address.trim().parse::<std::net::IpAddr>() {
            Err(_) => fields.push(FieldError::new("bind_address", "Địa chỉ lắng nghe cần là địa chỉ IP, ví dụ 127.0.0.1.")),
            Ok(ip) if !ip.is_loopback() && !form.expose_confirmed => fields.push(FieldError::new(
                "expose_confirmed",
                "Địa chỉ này mở máy chủ (HTTP, không mã hoá) ra ngoài máy: cần HTTPS qua máy chủ chuyển tiếp hoặc đường hầm, và cần đánh dấu xác nhận.",
            )),
            Ok(_) => {}
        }
        let short = |p: &str| !p.is_empty() && p.chars().count() < MIN_PASSWORD_CHARS;
        if form.api_enabled && short(&form.api_password) {
            fields.push(FieldError::new("api_password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự.")));
        }
        if form.page_enabled && short(&form.page_password) {
            fields.push(FieldError::new("page_password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự.")));
        }
        if form.enabled {
            if !form.api_enabled && !form.page_enabled {
                fields.push(FieldError::new("options", "Chọn ít nhất một phương án: API hoặc trang báo cáo."));
            }
            let saved_api = saved.api.as_ref().is_some_and(|a| !a.password_hash.is_empty());
            if form.api_enabled && form.api_user_name.trim().is_empty() {
                fields.push(FieldError::new("api_user_name", "Chưa đặt tên đăng nhập (UserName) cho API."));
            }
            if form.api_enabled && form.api_password.is_empty() && !saved_api {
                fields.push(FieldError::new("api_password", "Chưa đặt mật khẩu (PassWord) cho API."));
            }
            let saved_page = saved.page.as_ref().is_some_and(|p| !p.password_hash.is_empty());
            if form.page_enabled && form.page_password.is_empty() && !saved_page {
                fields.push(FieldError::new("page_password", "Chưa đặt mật khẩu cho tài khoản BaocaoTMDT."));
            }
        }
        if !fields.is_empty() {
            return Err(Error::invalid(fields));
        }
        let hash = |p: &str, old: Option<&String>| -> Result<String> {
            if p.is_empty() { Ok(old.cloned().unwrap_or_default()) } else { Ok(hash_password(p)?) }
        };
        let api = if form.api_enabled {
            Some(ApiOption {
                path: if form.api_path.trim().is_empty() {
                    hoadon_moit::DEFAULT_API_PATH.into()
                } else {
                    form.api_path.trim().into()
                },
                user_name: form.api_user_name.trim().into(),
                password_hash: hash(&form.api_password, saved.api.as_ref().map(|a| &a.password_hash))?,
                key_case: if form.pascal_case { KeyCase::Pascal } else { KeyCase::Camel },
            })
        } else {
            None
        };
        let page = if form.page_enabled {
            Some(PageOption { password_hash: hash(&form.page_password, saved.page.as_ref().map(|p| &p.password_hash))? })
        } else {
            None
        };
        Ok(MoitServerConfig {
            enabled: form.enabled,
            bind_address: form.bind_address.trim().into(),
            expose_confirmed: form.expose_confirmed,
            public_host: hoadon_moit::public_host(&form.domain).unwrap_or_default(),
            port: port.expect("checked above"),
            api,
            page,
            behind_proxy: form.behind_proxy,
            visits_period: form.visits_period,
            ..saved.clone()
        })
    }
}

impl Shop {
    /// The report server's configuration as saved (the defaults while none is); a
    /// configuration saved before the public name existed gets `baocao.<domain>` from the
    /// saved domain, so a proxy passing that `Host` is answered.
    pub fn moit_server_config(&self) -> Result<MoitServerConfig> {
        let mut config = MoitServerConfig::load(&self.store)?;
        if config.public_host.is_empty() {
            let domain = self.store.setting(DOMAIN_KEY).map_err(Error::Store)?.unwrap_or_default();
            config.public_host = hoadon_moit::public_host(&domain).unwrap_or_default();
        }
        Ok(config)
    }

    /// What Cài đặt shows, with `status` of the server as it runs now.
    pub fn moit_server_settings(&self, status: MoitServerStatus) -> Result<MoitServerSettings> {
        let config = self.moit_server_config()?;
        let domain = self.store.setting(DOMAIN_KEY).map_err(Error::Store)?.unwrap_or_default();
        let mut help_config = config.clone();
        if help_config.api.is_none() && help_config.page.is_none() {
            help_config.api = Some(ApiOption::default());
            help_config.page = Some(PageOption::default());
        }
        // A server started on port 0 (a free one) is explained with the port it really got.
        if let Some(port) = status.url.as_deref().and_then(|u| u.trim_end_matches('/').rsplit(':').next()).and_then(|p| p.parse().ok()) {
            help_config.port = port;
        }
        Ok(MoitServerSettings {
            api_password_set: config.api.as_ref().is_some_and(|a| !a.password_hash.is_empty()),
            page_password_set: config.page.as_ref().is_some_and(|p| !p.password_hash.is_empty()),
            publishing_help: hoadon_moit::publishing_help_for(&domain, &help_config),
            form: MoitServerForm::of(&config, domain),
            status,
        })
    }

    /// Checks and saves the settings (passwords hashed) and the domain; a running server keeps
    /// its old settings until restarted. Returns what Cài đặt shows next.
    pub fn save_moit_server_settings(&self, form: &MoitServerForm, status: MoitServerStatus) -> Result<MoitServerSettings> {
        let saved = self.moit_server_config()?;
        let config = form.to_config(&saved)?;
        config.save(&self.store)?;
        self.store.set_setting(DOMAIN_KEY, form.domain.trim()).map_err(Error::Store)?;
        self.moit_server_settings(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MoitServerForm {
        MoitServerForm {
            enabled: true,
            bind_address: "127.0.0.1".into(),
            port: "0".into(),
            api_enabled: true,
            api_user_name: "bct".into(),
            api_password: "mat-khau-du-dai-123".into(),
            ..MoitServerForm::default()
        }
    }

    #[test]
    fn each_wrong_box_is_named_and_nothing_is_hashed() {
        let wrong = MoitServerForm { port: "70000".into(), bind_address: "localhost".into(), api_user_name: " ".into(), ..form() };
        let Error::Invalid { fields, .. } = wrong.to_config(&MoitServerConfig::default()).unwrap_err() else { panic!() };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["port", "bind_address", "api_user_name"]);
    }

    #[test]
    fn an_address_beyond_loopback_needs_the_confirmation() {
        for address in ["0.0.0.0", "192.168.1.10", "::"] {
            let exposed = MoitServerForm { bind_address: address.into(), ..form() };
            let Error::Invalid { fields, .. } = exposed.to_config(&MoitServerConfig::default()).unwrap_err() else { panic!() };
            assert_eq!(fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["expose_confirmed"], "{address}");
        }
        let confirmed = MoitServerForm { bind_address: "192.168.1.10".into(), expose_confirmed: true, ..form() };
        let config = confirmed.to_config(&MoitServerConfig::default()).unwrap();
        assert!(config.expose_confirmed);
        assert!(hoadon_moit::validate_config(&config).is_ok());
        let with_domain = MoitServerForm { domain: "https://www.camhoa.vn/".into(), ..form() };
        assert_eq!(with_domain.to_config(&MoitServerConfig::default()).unwrap().public_host, "baocao.camhoa.vn");
    }

    #[test]
    fn a_new_password_is_hashed_and_an_empty_box_keeps_the_saved_hash() {
        let config = form().to_config(&MoitServerConfig::default()).unwrap();
        let hash = config.api.as_ref().unwrap().password_hash.clone();
        assert!(hoadon_moit::is_valid_password_hash(&hash) && !hash.contains("mat-khau"), "{hash}");
        assert_eq!(config.api.as_ref().unwrap().path, hoadon_moit::DEFAULT_API_PATH);
        let again = MoitServerForm { api_password: String::new(), ..form() }.to_config(&config).unwrap();
        assert_eq!(again.api.unwrap().password_hash, hash);
        assert!(!format!("{:?}", form()).contains("mat-khau"));
    }
}
