//! The background queue: sends invoices that wait (queued while the provider was
//! unreachable, unclear after a lost answer, or left `sending` by a crash), every 30 seconds
//! and once right after start-up. Only rows bound to the account configured now are touched
//! (a row sent in demo mode, or to another account, waits for that account), and each row is
//! leased before sending, so the CLI running beside the app never sends the same row.

use std::time::Duration;

use tauri::{AppHandle, Manager};

use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(30);

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            let state = app.state::<AppState>();
            match state.provider() {
                Ok(provider) => match state.invoicer.process_queue(state.shop_lock(), &state.secrets, &provider).await {
                    Ok(report) if report.issued + report.failed + report.still_waiting + report.key_conflicts > 0 => {
                        tracing::info!(?report, "invoice queue pass");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "invoice queue pass failed"),
                },
                Err(e) => tracing::debug!(error = ?e, "no provider configured; the queue waits"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
