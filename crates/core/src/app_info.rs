use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app tells about itself on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The app's version (`0.1.0`).
    pub version: String,
    /// The shop's database file, as a path to show.
    pub db_path: String,
    /// The log file, as a path to show (where to look when something went wrong).
    pub log_path: String,
    /// The shop holds the demo data filled on first start.
    pub demo: bool,
}
