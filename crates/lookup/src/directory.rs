//! The look-up the app calls: validate, ask the sources, keep the answer, fall back to it.

use std::sync::Arc;
use std::time::Duration;

use hoadon_rules::TaxCode;
use serde::Serialize;

use crate::cache::PartnerCache;
use crate::error::LookupError;
use crate::legal_status::LegalStatus;
use crate::partner::Partner;
use crate::{PartnerLookup, unix_now};

/// How far to go for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupMode {
    /// Ask the sources; when none can be reached, serve the stored answer.
    Online,
    /// Serve a stored answer younger than `max_age` without asking anyone (filling in an
    /// invoice for a regular buyer should not cost a request); otherwise as `Online`.
    CacheFirst {
        /// The oldest stored answer still served without asking.
        max_age: Duration,
    },
    /// Never touch the network (the app's `--offline`): stored answers only.
    Offline,
}

/// A partner and whether it is news or memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupAnswer {
    /// The partner, as the source (or the cache) described it.
    pub partner: Partner,
    /// Whether a source just answered or the stored answer was served, and why.
    pub freshness: Freshness,
    /// Set when the source that answered does not tell legal status (public look-ups) and
    /// the status shown was carried over from the registry's answer fetched at this time
    /// (Unix seconds). Without it, a business the registry once reported closed would lose
    /// its warning the day the registry is unreachable and a public look-up stands in.
    pub status_as_of: Option<i64>,
}

/// Where an answer comes from: a source just now, or the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Freshness {
    /// Just answered by a source.
    Fresh,
    /// Served from the cache: `fetched_at` is when a source gave this answer (Unix seconds).
    Cached {
        /// When a source gave this answer, Unix seconds.
        fetched_at: i64,
        /// Why the stored answer was served.
        because: CachedBecause,
    },
}

/// Why a stored answer was served instead of asking a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CachedBecause {
    /// `LookupMode::Offline`.
    OfflineMode,
    /// `LookupMode::CacheFirst` and the answer was young enough.
    StillFresh,
    /// Every source was unavailable; the message says why.
    SourcesUnavailable(String),
}

impl LookupAnswer {
    /// Whether the answer came from the cache (the UI then shows [`LookupAnswer::note`]).
    pub fn is_cached(&self) -> bool {
        matches!(self.freshness, Freshness::Cached { .. })
    }

    /// A line for the UI under a cached answer, e.g. "Thông tin lưu lúc 05/03/2026 14:05:00
    /// (không kết nối được nguồn tra cứu)". `None` for a fresh answer.
    pub fn note(&self) -> Option<String> {
        let Freshness::Cached { fetched_at, because } = &self.freshness else {
            return self.status_as_of.map(|at| {
                format!("Tình trạng pháp lý theo thông tin lưu lúc {}", hoadon_rules::calendar::format_moment(at))
            });
        };
        let when = hoadon_rules::calendar::format_moment(*fetched_at);
        let why = match because {
            CachedBecause::OfflineMode => "đang làm việc ngoại tuyến",
            CachedBecause::StillFresh => "tra cứu gần đây",
            CachedBecause::SourcesUnavailable(_) => "không kết nối được nguồn tra cứu",
        };
        Some(format!("Thông tin lưu lúc {when} ({why})"))
    }
}

/// Partner look-up with validation first and a cache behind it.
pub struct PartnerDirectory {
    source: Arc<dyn PartnerLookup>,
    cache: Arc<dyn PartnerCache>,
}

impl PartnerDirectory {
    /// `source` is usually a [`LookupChain`](crate::LookupChain) built from
    /// [`LookupSettings::build_chain`](crate::LookupSettings::build_chain).
    pub fn new(source: Arc<dyn PartnerLookup>, cache: Arc<dyn PartnerCache>) -> PartnerDirectory {
        PartnerDirectory { source, cache }
    }

    /// Looks `mst` up as typed by the user.
    ///
    /// An invalid code is refused with its precise reason before any source or the cache
    /// is consulted. "Not found" is returned as is, never papered over with a stored answer:
    /// a business that disappeared from the registry is exactly what the owner must learn.
    pub async fn lookup(&self, mst: &str, mode: LookupMode) -> Result<LookupAnswer, LookupError> {
        let tax_code = TaxCode::parse(mst)?;
        match mode {
            LookupMode::Offline => {
                return self.cached(&tax_code, CachedBecause::OfflineMode).ok_or_else(|| not_cached(&tax_code));
            }
            LookupMode::CacheFirst { max_age } => {
                if let Some((partner, fetched_at)) = self.cache.get(&tax_code) {
                    let age = unix_now().saturating_sub(fetched_at);
                    if age >= 0 && (age as u64) <= max_age.as_secs() {
                        return Ok(LookupAnswer {
                            partner,
                            freshness: Freshness::Cached { fetched_at, because: CachedBecause::StillFresh },
                            status_as_of: None,
                        });
                    }
                }
            }
            LookupMode::Online => {}
        }
        match self.source.find(&tax_code).await {
            Ok(mut partner) => {
                let status_as_of = self.carry_status_over(&mut partner);
                // A status-less answer must not replace the registry's answer in the cache,
                // or the carried-over status would be lost on the next look-up.
                if status_as_of.is_none() {
                    self.cache.put(&partner);
                }
                Ok(LookupAnswer { partner, freshness: Freshness::Fresh, status_as_of })
            }
            Err(error) if error.is_unavailable() => {
                let because = CachedBecause::SourcesUnavailable(error.to_string());
                match self.cached(&tax_code, because) {
                    Some(answer) => {
                        tracing::info!(tax_code = tax_code.as_str(), %error, "serving the cached partner");
                        Ok(answer)
                    }
                    None => Err(error),
                }
            }
            Err(answer) => Err(answer),
        }
    }

    fn cached(&self, tax_code: &TaxCode, because: CachedBecause) -> Option<LookupAnswer> {
        let (partner, fetched_at) = self.cache.get(tax_code)?;
        Some(LookupAnswer { partner, freshness: Freshness::Cached { fetched_at, because }, status_as_of: None })
    }

    /// Fills in the legal status of a status-less answer from the cache; returns when that
    /// status was fetched.
    fn carry_status_over(&self, partner: &mut Partner) -> Option<i64> {
        if partner.legal_status != LegalStatus::Unknown {
            return None;
        }
        let (known, fetched_at) = self.cache.get(&partner.tax_code)?;
        if known.legal_status == LegalStatus::Unknown {
            return None;
        }
        partner.legal_status = known.legal_status;
        partner.legal_status_code = known.legal_status_code;
        partner.legal_status_text = known.legal_status_text;
        Some(fetched_at)
    }
}

fn not_cached(tax_code: &TaxCode) -> LookupError {
    LookupError::NotCached { tax_code: tax_code.as_str().to_owned() }
}
