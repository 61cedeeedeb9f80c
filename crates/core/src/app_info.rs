use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app tells about itself on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub log_path: String,
    /// The shop holds the demo data filled on first start.
    pub demo: bool,
}
