//! Several sources behind one [`PartnerLookup`].

use std::sync::Arc;

use hoadon_rules::TaxCode;

use crate::error::LookupError;
use crate::{LookupFuture, PartnerLookup};

/// Asks its sources in order and returns the first answer.
///
/// Only an unavailable source ([`LookupError::is_unavailable`]: unreachable, rate limited,
/// bad credentials, garbled answer) passes the question on. "Not found" and a refused code
/// are answers and end the chain: asking a second source whether the business exists after
/// the first said it does not would let a lenient source overrule a strict one.
pub struct LookupChain {
    sources: Vec<Arc<dyn PartnerLookup>>,
}

impl LookupChain {
    /// A chain asking `sources` in the order given. An empty chain answers every look-up with
    /// [`LookupError::NoSource`].
    pub fn new(sources: Vec<Arc<dyn PartnerLookup>>) -> LookupChain {
        LookupChain { sources }
    }

    /// Whether no source is configured.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// How many sources the chain asks.
    pub fn len(&self) -> usize {
        self.sources.len()
    }
}

impl PartnerLookup for LookupChain {
    fn name(&self) -> &str {
        "chain"
    }

    fn find<'a>(&'a self, tax_code: &'a TaxCode) -> LookupFuture<'a> {
        Box::pin(async move {
            let mut failures: Vec<LookupError> = Vec::new();
            for source in &self.sources {
                match source.find(tax_code).await {
                    Ok(partner) => return Ok(partner),
                    Err(error) if error.is_unavailable() => {
                        tracing::info!(source = source.name(), %error, "source unavailable; trying the next");
                        failures.push(error);
                    }
                    Err(answer) => return Err(answer),
                }
            }
            Err(most_telling(failures))
        })
    }
}

/// When every source failed, the failure the owner can act on: a credentials or format
/// problem (fix the settings, call support) or a rate limit (wait) says more than "could
/// not connect", which every source says at once when the Internet is down.
fn most_telling(failures: Vec<LookupError>) -> LookupError {
    let mut fallback = None;
    for failure in failures {
        match failure {
            LookupError::Unreachable { .. } => fallback = Some(failure),
            other => return other,
        }
    }
    fallback.unwrap_or(LookupError::NoSource)
}
