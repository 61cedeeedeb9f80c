//! The look-up clients pointed at a running registry simulator (`hoadon-sim-registry`): what
//! the app's demo mode and `hoadon lookup --demo` use, so both talk to it the same way.

use hoadon_sim_registry::{self as sim, RegistrySim};

use crate::{LookupSettings, NbrsPaths, NbrsSettings, VietQrSettings};

/// NBRS (with the simulator's OAuth client) first, then the VietQR-style look-up.
pub fn settings(registry: &RegistrySim) -> LookupSettings {
    let paths = NbrsPaths::new(sim::BASIC_INFO_PATH, sim::DOSSIERS_RECEIVED_PATH, sim::DOSSIER_LATEST_PATH, sim::DOSSIER_DETAIL_PATH);
    let nbrs = NbrsSettings::new(registry.base_url(), registry.token_url(), registry.client_id(), registry.client_secret(), paths);
    LookupSettings { nbrs: Some(nbrs), vietqr: Some(VietQrSettings::new(registry.vietqr_base_url())), ..LookupSettings::default() }
}
