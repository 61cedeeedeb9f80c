//! Fault knobs: the ways a real provider fails that make a careless client issue twice.
//!
//! Set per server, in process ([`crate::SimHandle::set_faults`]) or over HTTP
//! (`POST /_sim/faults` with the JSON of [`Faults`]). Each knob fires for the next `count`
//! matching requests, then with `probability` on each further one.
//!
//! | knob | what the client sees | stored? |
//! |---|---|---|
//! | `reset_before_commit` | TCP reset, no answer | no |
//! | `drop_after_commit` | connection closed, no answer | yes |
//! | `server_error` | HTTP 500 (EasyInvoice: Status 5, ErrorCode 199; VNPT: a `soap:Server` fault; Viettel: Spring's `{"status": 500, "error": "Internal Server Error"}`) | yes |
//! | `malformed` | HTTP 200 with a garbled body | yes |
//! | `delay_ms` | the answer, late (a client timeout) | yes |

use serde::{Deserialize, Serialize};

/// How often one fault fires.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Knob {
    /// Fires for this many of the next matching requests.
    #[serde(default)]
    pub count: u32,
    /// Then fires with this probability (0…1) on each matching request.
    #[serde(default)]
    pub probability: f64,
}

impl Knob {
    /// Fires for the next `count` matching requests only.
    pub fn times(count: u32) -> Knob {
        Knob { count, probability: 0.0 }
    }

    /// Fires with probability `p` (0…1) on every matching request.
    pub fn probability(p: f64) -> Knob {
        Knob { count: 0, probability: p }
    }
}

/// The faults of one server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Waits this long after storing and before answering, on every matching request.
    #[serde(default)]
    pub delay_ms: u64,
    /// TCP reset before the request is stored: nothing issued, no answer.
    #[serde(default)]
    pub reset_before_commit: Knob,
    /// Connection closed after the request is stored: issued, but no answer.
    #[serde(default)]
    pub drop_after_commit: Knob,
    /// HTTP 500 after the request is stored, in the provider's own failure shape.
    #[serde(default)]
    pub server_error: Knob,
    /// HTTP 200 with a garbled body, after the request is stored.
    #[serde(default)]
    pub malformed: Knob,
    /// Operations the faults apply to (EasyInvoice routes such as `importAndIssueInvoice`,
    /// VNPT operations such as `ImportAndPublishInv`, Viettel's operation segment such as
    /// `createInvoice` or `searchInvoiceByTransactionUuid`, and `login`); empty means all.
    #[serde(default)]
    pub only: Vec<String>,
    /// Seed of the random draws, so a probabilistic run can be repeated.
    #[serde(default)]
    pub seed: u64,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally.
    None,
    /// Reset the connection before storing anything.
    ResetBeforeCommit,
    /// Store, then close the connection without answering.
    DropAfterCommit,
    /// Store, then answer the provider's server error.
    ServerError,
    /// Store, then answer a garbled body.
    Malformed,
}

/// The live faults of a server, with their counters and random state.
#[derive(Debug, Clone, Default)]
pub struct FaultState {
    faults: Faults,
    rng: u64,
}

impl FaultState {
    /// Replaces the faults, restarting their counters and random draws from `faults.seed`.
    pub fn set(&mut self, faults: Faults) {
        // xorshift must not start at zero.
        self.rng = faults.seed ^ 0x9E37_79B9_7F4A_7C15;
        self.faults = faults;
    }

    /// The faults as last set.
    pub fn get(&self) -> &Faults {
        &self.faults
    }

    fn applies(&self, operation: &str) -> bool {
        self.faults.only.is_empty() || self.faults.only.iter().any(|o| o.eq_ignore_ascii_case(operation))
    }

    /// The delay for this operation, in milliseconds.
    pub fn delay_ms(&self, operation: &str) -> u64 {
        if self.applies(operation) { self.faults.delay_ms } else { 0 }
    }

    /// Decides the fault of one request, counting it down.
    pub fn decide(&mut self, operation: &str) -> Fault {
        if !self.applies(operation) {
            return Fault::None;
        }
        let order = [Fault::ResetBeforeCommit, Fault::DropAfterCommit, Fault::ServerError, Fault::Malformed];
        for fault in order {
            let knob = match fault {
                Fault::ResetBeforeCommit => self.faults.reset_before_commit,
                Fault::DropAfterCommit => self.faults.drop_after_commit,
                Fault::ServerError => self.faults.server_error,
                Fault::Malformed => self.faults.malformed,
                Fault::None => continue,
            };
            if knob.count > 0 {
                let k = match fault {
                    Fault::ResetBeforeCommit => &mut self.faults.reset_before_commit,
                    Fault::DropAfterCommit => &mut self.faults.drop_after_commit,
                    Fault::ServerError => &mut self.faults.server_error,
                    _ => &mut self.faults.malformed,
                };
                k.count -= 1;
                return fault;
            }
            if knob.probability > 0.0 && self.draw() < knob.probability {
                return fault;
            }
        }
        Fault::None
    }

    /// A uniform draw in [0, 1) from xorshift64*.
    fn draw(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_then_probability() {
        let mut s = FaultState::default();
        s.set(Faults { drop_after_commit: Knob::times(2), only: vec!["ImportAndPublishInv".into()], ..Default::default() });
        assert_eq!(s.decide("listInvByCusFkey"), Fault::None);
        assert_eq!(s.decide("ImportAndPublishInv"), Fault::DropAfterCommit);
        assert_eq!(s.decide("importandpublishinv"), Fault::DropAfterCommit);
        assert_eq!(s.decide("ImportAndPublishInv"), Fault::None);

        s.set(Faults { server_error: Knob::probability(0.5), seed: 7, ..Default::default() });
        let fired = (0..10_000).filter(|_| s.decide("x") == Fault::ServerError).count();
        assert!((4_500..5_500).contains(&fired), "{fired}");
    }
}
