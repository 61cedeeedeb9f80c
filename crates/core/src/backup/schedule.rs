//! When a copy is due: at start-up when the last good one is older than a day, then daily
//! while the app runs. A failed attempt does not count as a copy, so the next check (every
//! [`CHECK_EVERY_SECONDS`]) tries again: a USB stick plugged back in gets its copy within
//! minutes, and the warning stays until one succeeds.

/// A day, the longest the shop goes without a copy while the app runs.
pub const DAY_SECONDS: i64 = 86_400;

/// How often the running app asks whether a copy is due.
pub const CHECK_EVERY_SECONDS: u64 = 600;

/// Whether a copy is due at `now` (Unix seconds), given the moment of the last good one.
pub fn is_due(last_ok_at: Option<i64>, now: i64) -> bool {
    match last_ok_at {
        None => true,
        // A clock set back (last good copy "in the future") also makes one due.
        Some(last) => now - last >= DAY_SECONDS || now < last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_due_after_a_day_or_when_there_is_none() {
        assert!(is_due(None, 1_000));
        assert!(!is_due(Some(1_000), 1_000 + DAY_SECONDS - 1));
        assert!(is_due(Some(1_000), 1_000 + DAY_SECONDS));
        assert!(is_due(Some(1_000), 999));
    }
}
