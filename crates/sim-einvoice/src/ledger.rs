//! What a simulator remembers: invoices by key, the next number of each symbol, a log of
//! every number given (to count issues per key), and the fault knobs.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::faults::FaultState;
use crate::invoice::SimInvoice;

/// The status code of an unsigned invoice, and of a signed one, at both providers.
const DRAFT: i64 = 0;
const SIGNED: i64 = 1;

/// The state of one simulator, behind [`SharedLedger`].
#[derive(Debug, Default)]
pub struct Ledger {
    /// The invoices held, by key (`Ikey`, `fkey` or `transactionUuid`).
    pub invoices: HashMap<String, SimInvoice>,
    next_number: HashMap<(String, String), u64>,
    /// Every (key, number) given, in order.
    pub issued_log: Vec<(String, u64)>,
    /// The fault knobs and their live counters.
    pub faults: FaultState,
    /// Numbers available per symbol; `None` is unlimited. Lets tests reach "out of numbers".
    pub range_size: Option<u64>,
    /// The most rows a list answer carries, below the service's own limit; `None` is that
    /// limit. A tenant configured to answer fewer ("hoặc theo cấu hình trên từng app", VNPT)
    /// or a Viettel range with more invoices than one answer carries (`totalRows` still
    /// counts them all).
    pub list_page_size: Option<usize>,
    /// VNPT customers by code (`UpdateCus`): code → name.
    pub customers: BTreeMap<String, String>,
    /// Viettel access tokens and when they stop working. An expired token stays here, so
    /// the simulator can answer it as Viettel answers an expired token, not an unknown one.
    pub tokens: HashMap<String, std::time::Instant>,
}

impl Ledger {
    /// Numbers left in the range of this symbol.
    pub fn numbers_left(&self, pattern: &str, serial: &str) -> u64 {
        let used = self.next_number.get(&(pattern.to_string(), serial.to_string())).copied().unwrap_or(0);
        match self.range_size {
            Some(size) => size.saturating_sub(used),
            None => u64::MAX,
        }
    }

    /// Numbers given so far in the range of this symbol.
    pub fn used(&self, pattern: &str, serial: &str) -> u64 {
        self.next_number.get(&(pattern.to_string(), serial.to_string())).copied().unwrap_or(0)
    }

    /// Stores an invoice as if it had been issued earlier. With a number, the number is
    /// logged as given to its key and the symbol's counter moves past it, so counts and
    /// later numbers stay right.
    pub fn seed(&mut self, inv: SimInvoice) {
        if let Some(number) = inv.number {
            let n = self.next_number.entry((inv.pattern.clone(), inv.serial.clone())).or_insert(0);
            *n = (*n).max(number);
            self.issued_log.push((inv.key.clone(), number));
        }
        self.invoices.insert(inv.key.clone(), inv);
    }

    /// Gives the next number of the symbol to `key` and logs it.
    pub fn allocate(&mut self, key: &str, pattern: &str, serial: &str) -> u64 {
        let n = self.next_number.entry((pattern.to_string(), serial.to_string())).or_insert(0);
        *n += 1;
        let number = *n;
        self.issued_log.push((key.to_string(), number));
        number
    }

    /// What the owner does in the provider's own software with a USB token: signs a draft,
    /// which takes the next number of its symbol. Both providers call a draft status 0 and a
    /// signed invoice status 1. `None` when there is no draft under the key.
    pub fn sign_draft(&mut self, key: &str) -> Option<u64> {
        let (pattern, serial) = match self.invoices.get(key) {
            Some(inv) if inv.status == DRAFT && inv.number.is_none() => (inv.pattern.clone(), inv.serial.clone()),
            _ => return None,
        };
        let number = self.allocate(key, &pattern, &serial);
        let inv = self.invoices.get_mut(key).expect("checked above");
        inv.number = Some(number);
        inv.status = SIGNED;
        // Viettel reports the moment of signing as the issue date, in whole seconds.
        inv.issued_at_ms = Some(now_ms() / 1000 * 1000);
        Some(number)
    }

    /// Deletes a draft, as the provider's software lets the owner do; signed invoices stay.
    pub fn delete_draft(&mut self, key: &str) -> bool {
        match self.invoices.get(key) {
            Some(inv) if inv.status == DRAFT && inv.number.is_none() => self.invoices.remove(key).is_some(),
            _ => false,
        }
    }

    /// How many numbers each key received: more than one is an invoice issued twice.
    pub fn issued_per_key(&self) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        for (key, _) in &self.issued_log {
            *out.entry(key.clone()).or_insert(0) += 1;
        }
        out
    }
}

/// A ledger shared by a server and the test that drives it.
#[derive(Debug, Clone, Default)]
pub struct SharedLedger(Arc<Mutex<Ledger>>);

impl SharedLedger {
    /// The lock is never held across an await, so a poisoned lock only follows a panic in a
    /// handler; the data is still the best account of what was issued.
    pub fn lock(&self) -> MutexGuard<'_, Ledger> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
