//! The embedded server the ministry pulls the figures from, with both options of the guide.
//!
//! - API option: `POST <api.path>` (default `/api/baocao`) with `{"UserName","PassWord"}`,
//!   answered with the nine keys.
//! - Page option: `GET /` login form, `POST /login` as `BaocaoTMDT`, then `GET /baocao`,
//!   the report table as HTML; `POST /logout`.
//!
//! It is off unless the merchant turns it on ([`MoitServerConfig::enabled`]) and listens on
//! 127.0.0.1 unless told otherwise: the public name `baocao.<domain>` and its TLS belong to
//! a reverse proxy in front (see [`crate::publishing_help`]). Every pull computes a fresh
//! report through a [`ReportSource`].

mod api;
mod guard;
mod page;
mod timed;

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use hoadon_rules::calendar;
use hoadon_store::Store;
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;
use ts_rs::TS;

pub use guard::{BackoffPolicy, GLOBAL_FAILURES_PER_MINUTE, address_key, MIN_PASSWORD_CHARS, hash_password, is_valid_password_hash};
pub use page::{login_html, report_html};
pub use timed::ServerTimeouts;

use crate::json::KeyCase;
use crate::report::{MoitReport, VisitsPeriod, report};
use crate::{MoitError, Result};

/// The port when none is configured.
pub const DEFAULT_PORT: u16 = 8787;
/// The API option's path when none is configured.
pub const DEFAULT_API_PATH: &str = "/api/baocao";
/// Paths of the page option; the API path may not take one of them.
pub const PAGE_PATHS: [&str; 4] = ["/", "/login", "/baocao", "/logout"];

/// The settings of the embedded server, as the settings screen edits them and the app
/// stores them (passwords only as hashes, see [`hash_password`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct MoitServerConfig {
    /// Off by default: [`serve`] refuses to start while this is `false`.
    pub enabled: bool,
    /// `127.0.0.1` by default, so only a reverse proxy on the same computer reaches it.
    /// Any other address needs [`MoitServerConfig::expose_confirmed`].
    pub bind_address: String,
    /// The owner confirmed listening on an address other than loopback, knowing the server
    /// speaks plain HTTP and needs HTTPS in front (a reverse proxy or a tunnel).
    pub expose_confirmed: bool,
    /// The public name (`baocao.<domain>`) the `Host` header may carry besides a loopback
    /// address, `localhost` and the bind address; empty for none. Anything else is 421.
    pub public_host: String,
    /// [`DEFAULT_PORT`] by default; 0 lets the system choose (tests).
    pub port: u16,
    /// The API option, when offered.
    pub api: Option<ApiOption>,
    /// The report-page option, when offered.
    pub page: Option<PageOption>,
    /// How an address is slowed down after failed logins.
    pub backoff: BackoffPolicy,
    /// Behind a reverse proxy every request comes from 127.0.0.1, so the slow-down would
    /// hold back everyone at once. When set, a request from a loopback address is taken to
    /// come from the address in its `X-Forwarded-For` (last entry) or `X-Real-IP` header,
    /// and `X-Forwarded-Proto: https` marks the session cookie `Secure`. Set it only when
    /// the proxy is the sole way in.
    pub behind_proxy: bool,
    /// How long a login to the report page lasts.
    pub session_minutes: u32,
    /// Which period the visits of each output cover (used by [`StoreSource`]).
    pub visits_period: VisitsPeriod,
    /// The connection time limits; not saved (always the defaults when loaded).
    #[serde(skip)]
    #[ts(skip)]
    pub timeouts: ServerTimeouts,
}

impl Default for MoitServerConfig {
    fn default() -> Self {
        MoitServerConfig {
            enabled: false,
            bind_address: "127.0.0.1".into(),
            expose_confirmed: false,
            public_host: String::new(),
            port: DEFAULT_PORT,
            api: None,
            page: None,
            backoff: BackoffPolicy::default(),
            behind_proxy: false,
            session_minutes: 30,
            visits_period: VisitsPeriod::default(),
            timeouts: ServerTimeouts::default(),
        }
    }
}

/// Where [`MoitServerConfig::load`] and [`MoitServerConfig::save`] keep the settings in the
/// shop's database, so the app and the CLI share them.
pub const SETTINGS_KEY: &str = "moit.server";

impl MoitServerConfig {
    /// The saved settings, or the defaults (server off) when none were saved.
    pub fn load(store: &Store) -> Result<MoitServerConfig> {
        match store.setting(SETTINGS_KEY)? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| MoitError::Config(format!("cài đặt đã lưu không đọc được ({e})"))),
            None => Ok(MoitServerConfig::default()),
        }
    }

    /// Saves the settings after checking them when the server is on ([`validate_config`]).
    pub fn save(&self, store: &Store) -> Result<()> {
        if self.enabled {
            validate_config(self)?;
        }
        let json = serde_json::to_string(self).expect("plain data serialises");
        Ok(store.set_setting(SETTINGS_KEY, &json)?)
    }
}

/// The API option: the address and account given to the ministry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitApiOption")]
#[serde(default)]
pub struct ApiOption {
    /// [`DEFAULT_API_PATH`] by default.
    pub path: String,
    /// The `UserName` the ministry sends.
    pub user_name: String,
    /// Argon2 hash of the `PassWord` the ministry sends ([`hash_password`]).
    pub password_hash: String,
    /// camelCase as the official guide (default), or PascalCase.
    pub key_case: KeyCase,
}

impl Default for ApiOption {
    fn default() -> Self {
        ApiOption { path: DEFAULT_API_PATH.into(), user_name: String::new(), password_hash: String::new(), key_case: KeyCase::Camel }
    }
}

/// The report-page option: the user is always `BaocaoTMDT`, the password the merchant's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitPageOption")]
pub struct PageOption {
    /// Argon2 hash of the password ([`hash_password`]).
    pub password_hash: String,
}

/// Gives the report as it stands at the moment of a pull.
///
/// Called on a blocking thread for every authorised request, so it may lock a database
/// and run SQL. The app implements it over its own locked store; [`StoreSource`] is a
/// ready one over a [`Store`] of its own, and any `Fn() -> Result<MoitReport>` is one too.
pub trait ReportSource: Send + Sync + 'static {
    /// The report as it stands at this pull.
    fn current_report(&self) -> Result<MoitReport>;
}

impl<F> ReportSource for F
where
    F: Fn() -> Result<MoitReport> + Send + Sync + 'static,
{
    fn current_report(&self) -> Result<MoitReport> {
        self()
    }
}

/// A [`ReportSource`] over a store: the report of the current year (Asia/Ho_Chi_Minh) up
/// to now, or up to a fixed moment for tests and demos.
pub struct StoreSource {
    store: Mutex<Store>,
    visits_period: VisitsPeriod,
    fixed_as_of: Option<i64>,
}

impl StoreSource {
    /// The report of this year up to each pull, over `store`, visits per `visits_period`.
    pub fn new(store: Store, visits_period: VisitsPeriod) -> StoreSource {
        StoreSource { store: Mutex::new(store), visits_period, fixed_as_of: None }
    }

    /// Always reports as of `as_of` (Unix seconds), in the year that moment falls in.
    pub fn at(mut self, as_of: i64) -> StoreSource {
        self.fixed_as_of = Some(as_of);
        self
    }

    /// The store, e.g. to record more sales between two pulls.
    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl ReportSource for StoreSource {
    fn current_report(&self) -> Result<MoitReport> {
        let as_of = self.fixed_as_of.unwrap_or_else(|| calendar::now().unix_timestamp());
        let year = calendar::date_of(as_of).year();
        Ok(report(&self.store(), year, as_of)?.with_visits_period(self.visits_period))
    }
}

/// What the handlers share.
pub(crate) struct App {
    pub(crate) config: MoitServerConfig,
    pub(crate) source: Arc<dyn ReportSource>,
    pub(crate) backoff: guard::Backoff,
    /// Argon2 takes ~19 MiB and tens of milliseconds per check: a flood of logins must not
    /// take the shop's computer down with it.
    pub(crate) verifications: Semaphore,
    /// Passwords checked since the start ([`MoitServer::passwords_checked`]).
    pub(crate) verified: AtomicU64,
    pub(crate) api_account: Option<guard::Account>,
    pub(crate) page_account: Option<guard::Account>,
    pub(crate) sessions: page::Sessions,
}

impl App {
    /// The address a request is counted against for the slow-down.
    pub(crate) fn client_ip(&self, peer: ConnectInfo<timed::Peer>, headers: &HeaderMap) -> IpAddr {
        let peer = peer.0.0.ip();
        if !(self.config.behind_proxy && peer.is_loopback()) {
            return peer;
        }
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        let real = || headers.get("x-real-ip").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
        forwarded.or_else(real).unwrap_or(peer)
    }

    /// Checks a user and password off the async threads; [`Verdict::Busy`] at once, with
    /// nothing checked, when [`MAX_VERIFICATIONS`] checks are already running (no queue).
    pub(crate) async fn verify(self: &Arc<Self>, which: Which, user: String, password: String) -> Verdict {
        let Ok(_permit) = self.verifications.try_acquire() else {
            tracing::warn!("MOIT report server busy checking passwords: login refused with 503");
            return Verdict::Busy;
        };
        let app = Arc::clone(self);
        let right = tokio::task::spawn_blocking(move || {
            app.verified.fetch_add(1, Ordering::Relaxed);
            let account = match which {
                Which::Api => app.api_account.as_ref(),
                Which::Page => app.page_account.as_ref(),
            };
            account.is_some_and(|a| a.verify(&user, &password))
        })
        .await
        .unwrap_or(false);
        if right { Verdict::Right } else { Verdict::Wrong }
    }

    pub(crate) async fn current_report(&self) -> Result<MoitReport> {
        let source = Arc::clone(&self.source);
        tokio::task::spawn_blocking(move || source.current_report())
            .await
            .map_err(|e| MoitError::Io(format!("report task: {e}")))?
    }
}

/// What a password check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Right,
    Wrong,
    /// Too many checks running: nothing was checked (HTTP 503).
    Busy,
}

/// Password checks (Argon2, ~19 MiB each) running at once at most; one more is refused
/// with HTTP 503 instead of waiting in a queue.
pub const MAX_VERIFICATIONS: usize = 4;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Which {
    Api,
    Page,
}

/// A running server. Dropping it stops the server too.
pub struct MoitServer {
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl MoitServer {
    /// The address it listens on (with the real port when 0 was configured).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many passwords (API and page) were checked with Argon2 since the start: logins
    /// refused before the check (held back, busy, malformed) are not counted.
    pub fn passwords_checked(&self) -> u64 {
        self.app.verified.load(Ordering::Relaxed)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in progress finish, and waits for the end.
    pub async fn shutdown(mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => result.map_err(|e| MoitError::Io(e.to_string())),
                Err(e) => Err(MoitError::Io(e.to_string())),
            },
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for MoitServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MoitServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Drop for MoitServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Checks `config` without starting anything: what the settings screen calls on save.
pub fn validate_config(config: &MoitServerConfig) -> Result<()> {
    build_accounts(config).map(|_| ())?;
    let ip = config
        .bind_address
        .parse::<IpAddr>()
        .map_err(|_| MoitError::Config(format!("địa chỉ lắng nghe «{}» không hợp lệ", config.bind_address)))?;
    if !ip.is_loopback() && !config.expose_confirmed {
        return Err(MoitError::Config(format!(
            "lắng nghe trên «{}» đưa máy chủ (HTTP không mã hoá) ra ngoài máy này: cần HTTPS qua reverse proxy hoặc tunnel, và cần đánh dấu «Tôi hiểu và xác nhận mở ra ngoài»",
            config.bind_address
        )));
    }
    Ok(())
}

type Accounts = (Option<guard::Account>, Option<guard::Account>);

fn build_accounts(config: &MoitServerConfig) -> Result<Accounts> {
    if config.api.is_none() && config.page.is_none() {
        return Err(MoitError::Config("chưa chọn phương án nào (API hoặc trang báo cáo)".into()));
    }
    let api = match &config.api {
        Some(api) => {
            let path_ok = api.path.starts_with('/') && api.path.len() > 1 && !api.path.contains(['?', '#', ' ', '{', '}', '*']);
            if !path_ok || (config.page.is_some() && PAGE_PATHS.contains(&api.path.as_str())) {
                return Err(MoitError::Config(format!(
                    "đường dẫn API «{}» không dùng được: cần bắt đầu bằng «/» và khác các trang {}",
                    api.path,
                    PAGE_PATHS.join(", ")
                )));
            }
            if api.user_name.trim().is_empty() {
                return Err(MoitError::Config("chưa đặt tên đăng nhập (UserName) cho API".into()));
            }
            Some(guard::Account::new(&api.user_name, &api.password_hash, "API")?)
        }
        None => None,
    };
    let page = match &config.page {
        Some(page) => Some(guard::Account::new(crate::table::PAGE_USER, &page.password_hash, "trang báo cáo")?),
        None => None,
    };
    Ok((api, page))
}

/// Starts the server described by `config`, answering from `source`, and returns once it
/// listens. Refuses when the server is not enabled or the configuration is incomplete.
pub async fn serve(config: MoitServerConfig, source: impl ReportSource) -> Result<MoitServer> {
    if !config.enabled {
        return Err(MoitError::Config("máy chủ báo cáo Bộ Công Thương đang tắt".into()));
    }
    validate_config(&config)?;
    let (api_account, page_account) = build_accounts(&config)?;
    let ip: IpAddr = config.bind_address.parse().expect("validated above");
    let wanted = SocketAddr::new(ip, config.port);
    let listener = tokio::net::TcpListener::bind(wanted)
        .await
        .map_err(|e| MoitError::Bind { addr: wanted.to_string(), reason: e.to_string() })?;
    let addr = listener.local_addr().map_err(|e| MoitError::Io(e.to_string()))?;
    let listener = timed::TimedListener { inner: listener, timeouts: config.timeouts };
    let session_ttl = Duration::from_secs(u64::from(config.session_minutes.max(1)) * 60);
    let app = Arc::new(App {
        backoff: guard::Backoff::new(config.backoff),
        verifications: Semaphore::new(MAX_VERIFICATIONS),
        verified: AtomicU64::new(0),
        api_account,
        page_account,
        sessions: page::Sessions::new(session_ttl),
        source: Arc::new(source),
        config,
    });
    let router = routes(&app)
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), check_host))
        .with_state(Arc::clone(&app));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<timed::Peer>())
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, api = app.config.api.is_some(), page = app.config.page.is_some(), "MOIT report server listening");
    Ok(MoitServer { addr, app, stop: Some(stop), task: Some(task) })
}

fn routes(app: &App) -> Router<Arc<App>> {
    let mut router = Router::new();
    if let Some(api) = &app.config.api {
        router = router.route(&api.path, axum::routing::post(api::pull));
    }
    if app.config.page.is_some() {
        router = router
            .route("/", axum::routing::get(page::login_form))
            .route("/login", axum::routing::post(page::login))
            .route("/baocao", axum::routing::get(page::report_page))
            .route("/logout", axum::routing::post(page::logout));
    }
    router
}

/// Whether `host` (a `Host` header, port included or not) names this server: a loopback
/// address, `localhost`, the bind address, or the configured public name.
pub fn host_allowed(config: &MoitServerConfig, host: &str) -> bool {
    let host = host.trim();
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => match host.rsplit_once(':') {
            Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(ip) = name.parse::<IpAddr>() {
        return ip.is_loopback() || config.bind_address.parse::<IpAddr>().is_ok_and(|bound| bound == ip && !bound.is_unspecified());
    }
    let public = config.public_host.trim().trim_end_matches('.');
    !public.is_empty() && name.eq_ignore_ascii_case(public)
}

/// Refuses a request whose `Host` does not name this server (DNS rebinding: a web page
/// whose name was pointed at 127.0.0.1): 400 without one, 421 for another name.
async fn check_host(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    match host {
        None => (axum::http::StatusCode::BAD_REQUEST, "Thiếu tiêu đề Host").into_response(),
        Some(host) if !host_allowed(&app.config, &host) => {
            tracing::info!(%host, "MOIT report server: request for another host refused");
            (axum::http::StatusCode::MISDIRECTED_REQUEST, "Tên máy chủ không đúng").into_response()
        }
        Some(_) => next.run(request).await,
    }
}

/// `Retry-After` in whole seconds, rounded up so a client that obeys it is let in.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_millis().div_ceil(1000).max(1) as u64
}
