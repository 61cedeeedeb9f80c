use rusqlite::params;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::{Result, Store};

/// Visits of the shop's website or app on one day in Vietnam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayVisits {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// How many visits that day (never negative).
    #[ts(type = "number")]
    pub visits: i64,
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Store {
    /// Sets (not adds to) the visits of a day, so importing the same export twice is harmless.
    pub fn set_visits(&self, day: Date, visits: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO visits (day, visits) VALUES (?1, ?2) ON CONFLICT (day) DO UPDATE SET visits = excluded.visits",
            params![iso(day), visits],
        )?;
        Ok(())
    }

    /// Visits of the days from `from` to `to`, both included.
    pub fn visits_between(&self, from: Date, to: Date) -> Result<Vec<DayVisits>> {
        let mut stmt = self.conn.prepare_cached("SELECT day, visits FROM visits WHERE day BETWEEN ?1 AND ?2 ORDER BY day")?;
        let rows = stmt.query_map([iso(from), iso(to)], |r| Ok(DayVisits { day: r.get(0)?, visits: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sum of the visits of the days from `from` to `to`, both included (0 when none recorded).
    pub fn total_visits_between(&self, from: Date, to: Date) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(visits), 0) FROM visits WHERE day BETWEEN ?1 AND ?2",
            [iso(from), iso(to)],
            |r| r.get(0),
        )?)
    }
}
