//! The nine indicators, computed from the shop's database.
//!
//! Each figure carries the period it covers ([`Figure::from`], [`Figure::to`]) so that a
//! screen, a page or a file can say it next to the number instead of leaving the reader to
//! guess which of the two periods of the documents applies.

use hoadon_rules::calendar::{self, start_of_day, start_of_year};
use hoadon_store::Store;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use time::{Date, Month};
use ts_rs::TS;

use crate::{MoitError, Result};

/// Where the period of a figure starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "MoitSince")]
pub enum Since {
    /// 01/01 00:00:00 (+07) of the report's year.
    StartOfYear,
    /// The start of the shop's operation ([`MoitReport::started_at`]).
    StartOfOperation,
}

/// One number of the report and the period it counts, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitFigure")]
pub struct Figure {
    /// The number.
    #[ts(type = "number")]
    pub value: i64,
    /// Where its period starts.
    pub since: Since,
    /// Unix seconds.
    #[ts(type = "number")]
    pub from: i64,
    /// Unix seconds: the moment of the statistics (`as_of`).
    #[ts(type = "number")]
    pub to: i64,
}

/// Which period the visits figure covers.
///
/// The two documents disagree: the API text counts visits "from 1/1/202x", the report-page
/// table "from the start of operation". The report computes both and this setting picks
/// what each output (the API answer, the page) shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "MoitVisitsPeriod")]
pub enum VisitsPeriod {
    /// Each output as its own document says: the API answer from 01/01 of the year, the
    /// report page from the start of operation.
    #[default]
    AsEachDocumentSays,
    /// Both outputs from 01/01 of the year.
    StartOfYear,
    /// Both outputs from the start of operation.
    StartOfOperation,
}

impl VisitsPeriod {
    /// The period of the visits in the API answer (`soLuongTruyCap`).
    pub fn for_api(self) -> Since {
        match self {
            VisitsPeriod::AsEachDocumentSays | VisitsPeriod::StartOfYear => Since::StartOfYear,
            VisitsPeriod::StartOfOperation => Since::StartOfOperation,
        }
    }

    /// The period of the visits on the report page (and the CSV and PDF made from it).
    pub fn for_page(self) -> Since {
        match self {
            VisitsPeriod::AsEachDocumentSays | VisitsPeriod::StartOfOperation => Since::StartOfOperation,
            VisitsPeriod::StartOfYear => Since::StartOfYear,
        }
    }
}

/// Orders and value of one month of the report's year, for a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitMonth")]
pub struct MonthFigures {
    /// 1 to 12.
    pub month: u8,
    /// Unix seconds, first moment of the month (+07).
    #[ts(type = "number")]
    pub from: i64,
    /// Unix seconds, last moment counted: the end of the month or `as_of`, whichever is
    /// first. A month that starts after `as_of` has `to < from` and zeros.
    #[ts(type = "number")]
    pub to: i64,
    /// All orders, whatever their status.
    #[ts(type = "number")]
    pub orders: i64,
    /// Successful orders (completed).
    #[ts(type = "number")]
    pub successful: i64,
    /// Unsuccessful orders (failed).
    #[ts(type = "number")]
    pub failed: i64,
    /// Whole đồng, of the successful orders only.
    #[ts(type = "number")]
    pub value: i64,
}

/// The MOIT e-commerce statistics of one year, up to one moment.
///
/// Orders: a sale is an order. `completed` counts as successful, `failed` as unsuccessful,
/// and `pending` (not settled yet) counts in the total only, so the total can exceed
/// successful + unsuccessful by the number of pending orders ([`MoitReport::orders_pending`]).
/// The transaction value is the sum of the totals (VAT included) of the successful orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoitReport {
    /// The year reported.
    pub year: i32,
    /// The moment of the statistics, Unix seconds; everything after it is left out.
    #[ts(type = "number")]
    pub as_of: i64,
    /// The start of operation: the shop's `started_at`, or the first record if one is older,
    /// so that a total "from the start of operation" never counts something from before the
    /// moment it names.
    #[ts(type = "number")]
    pub started_at: i64,
    /// The shop's name, printed above the table.
    pub shop_name: Option<String>,
    /// The setting that chose [`MoitReport::api_visits`] and [`MoitReport::page_visits`];
    /// change it with [`MoitReport::with_visits_period`].
    pub visits_period: VisitsPeriod,
    /// Visits from 01/01 of the year (the API text's period).
    pub visits_since_start_of_year: Figure,
    /// Visits from the start of operation (the page table's period).
    pub visits_since_start_of_operation: Figure,
    /// The visits the API answers (`soLuongTruyCap`): one of the two above.
    pub api_visits: Figure,
    /// The visits the report page shows: one of the two above.
    pub page_visits: Figure,
    /// Sellers created up to `as_of` (a single shop is its own one seller).
    pub sellers_total: Figure,
    /// Sellers created this year.
    pub sellers_new: Figure,
    /// Products (SKUs) created up to `as_of`.
    pub products_total: Figure,
    /// Products created this year.
    pub products_new: Figure,
    /// All orders of the year so far: successful + unsuccessful + pending.
    pub orders_total: Figure,
    /// Orders of the year completed.
    pub orders_successful: Figure,
    /// Orders of the year failed.
    pub orders_failed: Figure,
    /// Orders not settled yet: in the total, in neither of the two other counts.
    pub orders_pending: Figure,
    /// Whole đồng, of the successful orders.
    pub transaction_value: Figure,
    /// Twelve months, January first.
    pub months: Vec<MonthFigures>,
}

impl MoitReport {
    /// The same report with the visits of each output taken by `period`.
    pub fn with_visits_period(mut self, period: VisitsPeriod) -> MoitReport {
        self.visits_period = period;
        self.api_visits = self.visits(period.for_api());
        self.page_visits = self.visits(period.for_page());
        self
    }

    fn visits(&self, since: Since) -> Figure {
        match since {
            Since::StartOfYear => self.visits_since_start_of_year,
            Since::StartOfOperation => self.visits_since_start_of_operation,
        }
    }
}

/// The last moment of `year` that is still in it (31/12 23:59:59 +07).
pub fn end_of_year(year: i32) -> i64 {
    start_of_year(year + 1) - 1
}

/// The moment to report `year` at when asked at `now`: `now` itself for the current year,
/// the last second of the year for a past one. `None` for a year that has not begun.
pub fn as_of_for_year(year: i32, now: i64) -> Option<i64> {
    (now >= start_of_year(year)).then(|| now.min(end_of_year(year)))
}

/// Computes the report of `year` as it stands at `as_of` (Unix seconds, included), with
/// visits per [`VisitsPeriod::AsEachDocumentSays`].
///
/// `as_of` must fall inside `year` (see [`as_of_for_year`]): a report "from 01/01" up to a
/// moment of another year would count a different period than its heading says.
///
/// Orders are read in one pass over the `sales_by_time` index (`sold_at, status, total`):
/// one range query per month, each aggregating status and value with conditional sums, and
/// the year's figures are the sums of the months. SQLite cannot tell that a month computed
/// from `sold_at` follows the index order, so a single `GROUP BY month` would sort every
/// order first; twelve range scans read each index entry once and sort nothing.
pub fn report(store: &Store, year: i32, as_of: i64) -> Result<MoitReport> {
    let year_start = start_of_year(year);
    if !(year_start..=end_of_year(year)).contains(&as_of) {
        return Err(MoitError::OutsideYear { year, as_of: calendar::format_moment(as_of) });
    }
    let conn = store.connection();
    let shop = store.shop()?;
    let started_at = start_of_operation(conn, shop.as_ref().map(|s| s.started_at))?.min(as_of);
    let since_year = |value| Figure { value, since: Since::StartOfYear, from: year_start, to: as_of };
    let since_start = |value| Figure { value, since: Since::StartOfOperation, from: started_at, to: as_of };

    let (sellers_total, sellers_new) = created_counts(conn, "sellers", year_start, as_of)?;
    let (products_total, products_new) = created_counts(conn, "products", year_start, as_of)?;
    let months = month_figures(conn, year, as_of)?;
    let orders: i64 = months.iter().map(|m| m.orders).sum();
    let successful: i64 = months.iter().map(|m| m.successful).sum();
    let failed: i64 = months.iter().map(|m| m.failed).sum();
    let value: i64 = months.iter().map(|m| m.value).sum();

    // Visits are known per day: the day of `as_of` counts with what was recorded for it.
    let as_of_day = calendar::date_of(as_of);
    let visits_year = store.total_visits_between(calendar::date_of(year_start), as_of_day)?;
    let visits_all = store.total_visits_between(calendar::date_of(started_at), as_of_day)?;

    let report = MoitReport {
        year,
        as_of,
        started_at,
        shop_name: shop.map(|s| s.name).filter(|n| !n.trim().is_empty()),
        visits_period: VisitsPeriod::default(),
        visits_since_start_of_year: since_year(visits_year),
        visits_since_start_of_operation: since_start(visits_all),
        api_visits: since_year(visits_year),
        page_visits: since_start(visits_all),
        sellers_total: since_start(sellers_total),
        sellers_new: since_year(sellers_new),
        products_total: since_start(products_total),
        products_new: since_year(products_new),
        orders_total: since_year(orders),
        orders_successful: since_year(successful),
        orders_failed: since_year(failed),
        orders_pending: since_year(orders - successful - failed),
        transaction_value: since_year(value),
        months,
    };
    Ok(report.with_visits_period(VisitsPeriod::default()))
}

/// The shop's own start, or the oldest record when one predates it. Each `MIN` is answered
/// from the first entry of an index.
fn start_of_operation(conn: &Connection, shop_started_at: Option<i64>) -> Result<i64> {
    let oldest: Option<i64> = conn.query_row(
        "SELECT MIN(m) FROM (
             SELECT MIN(created_at) AS m FROM sellers
             UNION ALL SELECT MIN(created_at) FROM products
             UNION ALL SELECT MIN(sold_at) FROM sales
         )",
        [],
        |r| r.get(0),
    )?;
    let first_visit_day: Option<String> =
        conn.query_row("SELECT MIN(day) FROM visits", [], |r| r.get(0)).optional()?.flatten();
    let first_visit = first_visit_day
        .as_deref()
        .and_then(hoadon_rules::calendar::parse_iso_date)
        .map(start_of_day);
    let candidates = [shop_started_at, oldest, first_visit];
    Ok(candidates.into_iter().flatten().min().unwrap_or_else(|| start_of_year(calendar::now().year())))
}

/// (created up to `as_of`, created from `year_start` to `as_of`) for `sellers` or
/// `products`, both answered from their `created_at` index.
fn created_counts(conn: &Connection, table: &'static str, year_start: i64, as_of: i64) -> Result<(i64, i64)> {
    Ok(conn.prepare_cached(&created_sql(table))?.query_row([year_start, as_of], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

fn created_sql(table: &str) -> String {
    format!("SELECT COUNT(*), COALESCE(SUM(created_at >= ?1), 0) FROM {table} WHERE created_at <= ?2")
}

/// The orders of one period: count, successful, failed, value of the successful ones.
const ORDERS_SQL: &str = "SELECT COUNT(*),
        COALESCE(SUM(status = 'completed'), 0),
        COALESCE(SUM(status = 'failed'), 0),
        COALESCE(SUM(CASE WHEN status = 'completed' THEN total END), 0)
    FROM sales WHERE sold_at BETWEEN ?1 AND ?2";

fn month_figures(conn: &Connection, year: i32, as_of: i64) -> Result<Vec<MonthFigures>> {
    let mut stmt = conn.prepare_cached(ORDERS_SQL)?;
    let mut months = Vec::with_capacity(12);
    for month in 1..=12u8 {
        let from = month_start(year, month);
        let end = if month == 12 { end_of_year(year) } else { month_start(year, month + 1) - 1 };
        let to = end.min(as_of);
        let (orders, successful, failed, value) = if from > as_of {
            (0, 0, 0, 0)
        } else {
            stmt.query_row([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        };
        months.push(MonthFigures { month, from, to, orders, successful, failed, value });
    }
    Ok(months)
}

fn month_start(year: i32, month: u8) -> i64 {
    let month = Month::try_from(month).expect("months are 1 to 12");
    start_of_day(Date::from_calendar_date(year, month, 1).expect("the first of a month exists"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([0i64, 1], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    /// A year of orders must be read from the index alone, never the table, and never sorted.
    #[test]
    fn the_figures_come_from_indexes() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
        let orders = plan(conn, ORDERS_SQL);
        assert!(orders.contains("USING COVERING INDEX sales_by_time (sold_at>? AND sold_at<?)"), "{orders}");
        assert!(!orders.contains("TEMP B-TREE"), "{orders}");
        for table in ["sellers", "products"] {
            let p = plan(conn, &created_sql(table));
            assert!(p.contains(&format!("USING COVERING INDEX {table}_by_created_at")), "{p}");
        }
    }
}
