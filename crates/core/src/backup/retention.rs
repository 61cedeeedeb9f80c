//! Which copies are kept: the newest of each of the last [`KEEP_DAILY`] days that have one,
//! and the newest of each of the last [`KEEP_MONTHLY`] months that have one. Days and months
//! are counted among those with a copy, not on the calendar, so a shop closed for a month
//! comes back to its last copies rather than to an empty folder.
//!
//! A copy's moment is in its name (`hoadon-2026-12-02_10-55-00.db`, Vietnam time), so the
//! rule needs neither the files' dates, which a USB stick or a synced folder may change, nor
//! the database.

use std::collections::BTreeSet;

use hoadon_rules::calendar::VIETNAM;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Daily copies kept.
pub const KEEP_DAILY: usize = 14;
/// Monthly copies kept.
pub const KEEP_MONTHLY: usize = 12;

/// The prefix and extension of the scheduled copies, the only files pruning ever removes.
pub(crate) const PREFIX: &str = "hoadon-";
const EXTENSION: &str = ".db";
/// The prefix of the copy of the current file kept before a restore; never pruned.
pub(crate) const BEFORE_RESTORE_PREFIX: &str = "truoc-khoi-phuc-";

const STAMP: &[time::format_description::FormatItem<'static>] = format_description!("[year]-[month]-[day]_[hour]-[minute]-[second]");

/// The name of a copy taken at `at`; `attempt` > 1 when a copy of the same second exists.
pub(crate) fn file_name(prefix: &str, at: OffsetDateTime, attempt: u32) -> String {
    let stamp = at.to_offset(VIETNAM).format(STAMP).expect("formats every moment");
    let suffix = if attempt > 1 { format!("-{attempt}") } else { String::new() };
    format!("{prefix}{stamp}{suffix}{EXTENSION}")
}

/// The name of a scheduled copy taken at `at`.
#[cfg(test)]
fn backup_name(at: OffsetDateTime, attempt: u32) -> String {
    file_name(PREFIX, at, attempt)
}

/// The moment in a copy's name (scheduled or kept before a restore), Vietnam time, or `None`
/// for any other file.
pub(crate) fn moment_of(name: &str) -> Option<(PrimitiveDateTime, bool)> {
    let (rest, scheduled) = match name.strip_prefix(PREFIX) {
        Some(rest) => (rest, true),
        None => (name.strip_prefix(BEFORE_RESTORE_PREFIX)?, false),
    };
    let rest = rest.strip_suffix(EXTENSION)?;
    let stamp = rest.get(..19)?;
    let tail = &rest[19..];
    if !(tail.is_empty() || tail.strip_prefix('-').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))) {
        return None;
    }
    Some((PrimitiveDateTime::parse(stamp, STAMP).ok()?, scheduled))
}

/// Of the scheduled copies named in `names`, those the rule does not keep (other files are
/// never named). Names of the same moment are ordered by their attempt suffix.
pub fn to_prune(names: &[String]) -> Vec<String> {
    let mut copies: Vec<(PrimitiveDateTime, u32, &String)> = names
        .iter()
        .filter_map(|n| match moment_of(n) {
            Some((at, true)) => Some((at, attempt_of(n), n)),
            _ => None,
        })
        .collect();
    copies.sort_by_key(|c| std::cmp::Reverse((c.0, c.1)));
    let mut keep = BTreeSet::new();
    let mut days = Vec::new();
    let mut months = Vec::new();
    for (at, _, name) in &copies {
        let day = at.date();
        if !days.contains(&day) && days.len() < KEEP_DAILY {
            days.push(day);
            keep.insert(name.as_str());
        }
        let month = (day.year(), day.month());
        if !months.contains(&month) && months.len() < KEEP_MONTHLY {
            months.push(month);
            keep.insert(name.as_str());
        }
    }
    copies.iter().filter(|(_, _, n)| !keep.contains(n.as_str())).map(|(_, _, n)| (*n).clone()).collect()
}

fn attempt_of(name: &str) -> u32 {
    let stem = name.strip_suffix(EXTENSION).unwrap_or(name);
    stem.rsplit_once('-').filter(|(head, _)| head.len() >= PREFIX.len() + 19).and_then(|(_, n)| n.parse().ok()).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn names_carry_the_moment_in_vietnam_time() {
        let at = datetime!(2026-12-01 20:30:05 UTC);
        let name = backup_name(at, 1);
        assert_eq!(name, "hoadon-2026-12-02_03-30-05.db");
        assert_eq!(moment_of(&name), Some((datetime!(2026-12-02 03:30:05), true)));
        assert_eq!(backup_name(at, 2), "hoadon-2026-12-02_03-30-05-2.db");
        assert_eq!(moment_of("hoadon-2026-12-02_03-30-05-2.db").map(|m| m.0), Some(datetime!(2026-12-02 03:30:05)));
        assert_eq!(moment_of("truoc-khoi-phuc-2026-12-02_03-30-05.db"), Some((datetime!(2026-12-02 03:30:05), false)));
        for other in ["hoadon.db", "hoadon-2026-12-02.db", "hoadon-2026-12-02_03-30-05.db-wal", "hoadon-2026-12-02_03-30-05-x.db", "ghi-chu.txt"] {
            assert_eq!(moment_of(other), None, "{other}");
        }
    }

    #[test]
    fn the_newest_of_a_day_is_the_days_copy() {
        let names: Vec<String> = ["hoadon-2026-12-02_08-00-00.db", "hoadon-2026-12-02_09-00-00.db", "hoadon-2026-12-02_09-00-00-2.db"]
            .map(String::from)
            .to_vec();
        assert_eq!(to_prune(&names), vec!["hoadon-2026-12-02_09-00-00.db".to_string(), "hoadon-2026-12-02_08-00-00.db".to_string()]);
    }

    #[test]
    fn files_that_are_not_scheduled_copies_are_never_pruned() {
        let mut names: Vec<String> = (1..=28).map(|d| format!("hoadon-2026-02-{d:02}_10-00-00.db")).collect();
        names.push("truoc-khoi-phuc-2020-01-01_10-00-00.db".into());
        names.push("hoadon.db".into());
        let pruned = to_prune(&names);
        assert_eq!(pruned.len(), 28 - 14);
        assert!(pruned.iter().all(|n| n.starts_with("hoadon-2026-02-")));
        assert!(!pruned.contains(&"hoadon-2026-02-28_10-00-00.db".to_string()));
    }
}
