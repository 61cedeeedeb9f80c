//! What a test can see and turn while the simulator runs: request counters per endpoint,
//! the token lifetime, issued tokens, and faults (429s, 5xx, delay).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The simulator's endpoints, for counters and faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// The OAuth 2.0 token endpoint.
    Token,
    /// NBRS basic information by `mst`.
    BasicInfo,
    /// NBRS dossiers received in a period.
    DossiersReceived,
    /// NBRS latest state of a dossier.
    DossierLatest,
    /// NBRS processing detail of a dossier.
    DossierDetail,
    /// The VietQR-style `GET /v2/business/{taxCode}`.
    VietQr,
}

impl Endpoint {
    /// Every endpoint, in the order of the counters.
    pub const ALL: [Endpoint; 6] = [
        Endpoint::Token,
        Endpoint::BasicInfo,
        Endpoint::DossiersReceived,
        Endpoint::DossierLatest,
        Endpoint::DossierDetail,
        Endpoint::VietQr,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Default, Clone, Copy)]
struct Faults {
    too_many: u32,
    retry_after_secs: Option<u64>,
    server_errors: u32,
    delay: Duration,
}

/// What a handler must do before answering normally.
pub(crate) enum Fault {
    TooManyRequests { retry_after_secs: Option<u64> },
    ServerError,
}

/// Counters and knobs, shared between the running server and the test that started it.
pub struct Knobs {
    counts: [AtomicU64; Endpoint::ALL.len()],
    token_ttl_secs: AtomicU64,
    faults: Mutex<HashMap<Endpoint, Faults>>,
    tokens: Mutex<HashMap<String, Instant>>,
    issued: AtomicU64,
}

impl Knobs {
    pub(crate) fn new(token_ttl_secs: u64) -> Knobs {
        Knobs {
            counts: Default::default(),
            token_ttl_secs: AtomicU64::new(token_ttl_secs),
            faults: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            issued: AtomicU64::new(0),
        }
    }

    /// Requests `endpoint` has received, whatever it answered.
    pub fn request_count(&self, endpoint: Endpoint) -> u64 {
        self.counts[endpoint.index()].load(Ordering::SeqCst)
    }

    /// Requests received by all endpoints together.
    pub fn total_requests(&self) -> u64 {
        Endpoint::ALL.iter().map(|e| self.request_count(*e)).sum()
    }

    /// Sets every request counter back to 0.
    pub fn reset_counts(&self) {
        for count in &self.counts {
            count.store(0, Ordering::SeqCst);
        }
    }

    /// Lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, secs: u64) {
        self.token_ttl_secs.store(secs, Ordering::SeqCst);
    }

    /// Lifetime of the tokens issued from now on, in seconds.
    pub fn token_ttl_secs(&self) -> u64 {
        self.token_ttl_secs.load(Ordering::SeqCst)
    }

    /// Makes every token issued so far expired, as the platform may do before the time it
    /// announced: the next look-up with one is answered 401.
    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for expiry in lock(&self.tokens).values_mut() {
            *expiry = now;
        }
    }

    /// The next `times` requests to `endpoint` are answered 429, with `Retry-After` when given.
    pub fn force_429(&self, endpoint: Endpoint, times: u32, retry_after_secs: Option<u64>) {
        let mut faults = lock(&self.faults);
        let entry = faults.entry(endpoint).or_default();
        entry.too_many = times;
        entry.retry_after_secs = retry_after_secs;
    }

    /// The next `times` requests to `endpoint` are answered 503.
    pub fn force_5xx(&self, endpoint: Endpoint, times: u32) {
        lock(&self.faults).entry(endpoint).or_default().server_errors = times;
    }

    /// Every request to `endpoint` waits `delay` before it is answered (to test time-outs).
    pub fn set_delay(&self, endpoint: Endpoint, delay: Duration) {
        lock(&self.faults).entry(endpoint).or_default().delay = delay;
    }

    /// Removes all faults and delays.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Counts a request and tells the handler what to do first: wait, then maybe fail.
    /// Server errors come before rate limits, as a gateway's would.
    pub(crate) fn arrive(&self, endpoint: Endpoint) -> (Duration, Option<Fault>) {
        self.counts[endpoint.index()].fetch_add(1, Ordering::SeqCst);
        let mut faults = lock(&self.faults);
        let Some(entry) = faults.get_mut(&endpoint) else {
            return (Duration::ZERO, None);
        };
        let fault = if entry.server_errors > 0 {
            entry.server_errors -= 1;
            Some(Fault::ServerError)
        } else if entry.too_many > 0 {
            entry.too_many -= 1;
            Some(Fault::TooManyRequests { retry_after_secs: entry.retry_after_secs })
        } else {
            None
        };
        (entry.delay, fault)
    }

    pub(crate) fn issue_token(&self) -> (String, u64) {
        let ttl = self.token_ttl_secs();
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let token = format!("sim-{n}-{nanos:08x}");
        lock(&self.tokens).insert(token.clone(), Instant::now() + Duration::from_secs(ttl));
        (token, ttl)
    }

    pub(crate) fn token_is_valid(&self, token: &str) -> bool {
        lock(&self.tokens).get(token).is_some_and(|expiry| Instant::now() < *expiry)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A test that panicked while holding a knob should not take the server down with it.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
