//! Where a running report server answers, as Cài đặt shows it.

use hoadon_moit::MoitServerConfig;
use serde::Serialize;
use ts_rs::TS;

/// Whether the server runs, and where.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct MoitServerStatus {
    /// The server answers now.
    pub running: bool,
    /// `http://127.0.0.1:8787` while running.
    pub url: Option<String>,
    /// The API option's address (`POST`), when that option is on.
    pub api_url: Option<String>,
    /// The report page's login, when that option is on.
    pub page_url: Option<String>,
}

impl MoitServerStatus {
    /// A server started from `config`, answering at `base_url`.
    pub fn running(config: &MoitServerConfig, base_url: String) -> MoitServerStatus {
        MoitServerStatus {
            running: true,
            api_url: config.api.as_ref().map(|a| format!("{base_url}{}", a.path)),
            page_url: config.page.is_some().then(|| format!("{base_url}/")),
            url: Some(base_url),
        }
    }
}
