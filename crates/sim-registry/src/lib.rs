//! A local stand-in for the business registries the app asks about its partners, so the
//! look-up can be tested and demonstrated without agency credentials or the Internet.
//!
//! It serves, on 127.0.0.1:
//! - the NDXP OAuth 2.0 token endpoint (client credentials; tokens live a configurable number
//!   of seconds; look-ups with an expired or unknown token get 401);
//! - the four NBRS look-ups of công văn 448/BKHĐT-ĐKKD: basic information by `mst`
//!   (EntInfo / CoopInfo / HouseInfo), dossiers received in a period, the latest state of a
//!   dossier, and its processing detail;
//! - a VietQR-compatible `GET /vietqr/v2/business/{taxCode}`.
//!
//! Answers come from a seeded data set ([`demo`] names the tax codes) covering enterprises,
//! a branch, a cooperative and household businesses in every legal status, plus codes that
//! make the registry fail. Tests read per-endpoint request counters and turn [`Knobs`]:
//! token lifetime, expiring all tokens, forced 429s and 5xx, delays.
//!
//! The document gives no URL paths, so the simulator picks its own ([`TOKEN_PATH`] and the
//! other constants); the client takes them as settings.
//!
//! In a test (inside a Tokio runtime):
//!
//! ```text
//! let sim = hoadon_sim_registry::start(SimConfig::default()).await?;   // port 0: any free port
//! // NBRS: base_url = sim.base_url(), token_url = sim.token_url(),
//! //       credentials sim.client_id() / sim.client_secret(), paths BASIC_INFO_PATH, …
//! // VietQR: base_url = sim.vietqr_base_url()
//! sim.knobs().force_429(Endpoint::VietQr, 2, Some(1));
//! assert_eq!(sim.request_count(Endpoint::Token), 1);
//! sim.stop().await;
//! ```
//!
//! As a program: `cargo run -p hoadon-sim-registry --bin sim-registry -- --port 8787`; its
//! first line is `sim-registry listening on http://127.0.0.1:<port>`.

mod knobs;
mod nbrs;
mod seed;
mod vietqr;

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use knobs::{Endpoint, Knobs};
pub use seed::{demo, seeded_tax_codes};

/// The OAuth 2.0 token endpoint (client credentials).
pub const TOKEN_PATH: &str = "/ndxp/oauth2/token";
/// NBRS basic registration information by tax code.
pub const BASIC_INFO_PATH: &str = "/ndxp/nbrs/thong-tin-dang-ky";
/// NBRS dossiers received by an office in a period.
pub const DOSSIERS_RECEIVED_PATH: &str = "/ndxp/nbrs/ho-so-tiep-nhan";
/// NBRS latest state of a dossier, by ProcessID.
pub const DOSSIER_LATEST_PATH: &str = "/ndxp/nbrs/ho-so-moi-nhat";
/// NBRS processing detail of a dossier, by in_journal_no.
pub const DOSSIER_DETAIL_PATH: &str = "/ndxp/nbrs/qua-trinh-xu-ly";
/// The VietQR-style service's base path: its look-up is `{VIETQR_BASE_PATH}/v2/business/{taxCode}`.
pub const VIETQR_BASE_PATH: &str = "/vietqr";

/// Site codes (siteID) that have seeded dossiers.
pub const DOSSIER_SITES: [&str; 2] = ["HN", "HCM"];
/// A seeded dossier: ProcessID and journal number (in_journal_no) of an enterprise's change.
pub const DEMO_PROCESS_ID: u64 = 2026000101;
/// The journal number (in_journal_no) of the same seeded dossier.
pub const DEMO_JOURNAL_NO: &str = "HN-2026-000101";

/// How to start the simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// 0 picks a free port; [`RegistrySim::addr`] tells which.
    pub port: u16,
    /// The OAuth client the token endpoint accepts.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// Lifetime of the tokens issued, in seconds.
    pub token_ttl_secs: u64,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            port: 0,
            client_id: "hoadon-demo".into(),
            client_secret: "demo-secret-khong-dung-that".into(),
            token_ttl_secs: 3600,
        }
    }
}

pub(crate) struct SimState {
    knobs: Arc<Knobs>,
    client_id: String,
    client_secret: String,
    businesses: HashMap<&'static str, seed::Business>,
    dossiers: Vec<seed::SeedDossier>,
}

/// A running simulator. Dropping it stops the server.
pub struct RegistrySim {
    addr: SocketAddr,
    config: SimConfig,
    knobs: Arc<Knobs>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Binds 127.0.0.1:`config.port` and serves in the background of the current Tokio runtime.
pub async fn start(config: SimConfig) -> std::io::Result<RegistrySim> {
    let knobs = Arc::new(Knobs::new(config.token_ttl_secs));
    let state = Arc::new(SimState {
        knobs: knobs.clone(),
        client_id: config.client_id.clone(),
        client_secret: config.client_secret.clone(),
        businesses: seed::businesses().into_iter().map(|b| (b.tax_code, b)).collect(),
        dossiers: seed::dossiers(),
    });
    let app = Router::new()
        .route(TOKEN_PATH, post(nbrs::token))
        .route(BASIC_INFO_PATH, get(nbrs::basic_info))
        .route(DOSSIERS_RECEIVED_PATH, get(nbrs::dossiers_received))
        .route(DOSSIER_LATEST_PATH, get(nbrs::dossier_latest))
        .route(DOSSIER_DETAIL_PATH, get(nbrs::dossier_detail))
        .route(&format!("{VIETQR_BASE_PATH}/v2/business/{{tax_code}}"), get(vietqr::business))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let addr = listener.local_addr()?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(error) = serve.await {
            eprintln!("sim-registry: {error}");
        }
    });
    Ok(RegistrySim { addr, config, knobs, shutdown: Some(shutdown), task: Some(task) })
}

impl RegistrySim {
    /// The address it listens on (127.0.0.1 and the port it got).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the NBRS base URL (paths are the `*_PATH` constants).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The token endpoint's full URL.
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url())
    }

    /// The base URL to give a VietQR client.
    pub fn vietqr_base_url(&self) -> String {
        format!("{}{VIETQR_BASE_PATH}", self.base_url())
    }

    /// The OAuth client id it accepts.
    pub fn client_id(&self) -> &str {
        &self.config.client_id
    }

    /// The OAuth client secret it accepts.
    pub fn client_secret(&self) -> &str {
        &self.config.client_secret
    }

    /// The fault knobs and request counters, to change it while it runs.
    pub fn knobs(&self) -> &Knobs {
        &self.knobs
    }

    /// Shorthand for `knobs().request_count(endpoint)`.
    pub fn request_count(&self, endpoint: Endpoint) -> u64 {
        self.knobs.request_count(endpoint)
    }

    /// Stops the server: open requests get two seconds to finish (a client's idle pooled
    /// connections would otherwise hold a graceful shutdown open).
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            let finished = tokio::time::timeout(std::time::Duration::from_secs(2), &mut task).await.is_ok();
            if !finished {
                task.abort();
            }
        }
    }
}

impl Drop for RegistrySim {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
