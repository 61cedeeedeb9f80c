//! One client of the configured provider, kept between commands so that its connections
//! (and their TLS sessions) are reused instead of opened again for every command and every
//! queue pass.

use std::sync::Mutex;

use hoadon_einvoice::{AnyProvider, Provider, ProviderSettings};

use super::DemoProvider;
use crate::{Error, Result, SecretStore, Shop};

/// The client last built, with the settings it was built from. Each [`ProviderClient::get`]
/// reads the settings as they are now and builds a new client only when they differ: saved in
/// Cài đặt, saved by the CLI beside the app, a demo simulator started on another port, or a
/// VNPT tenant's parameter names learnt by "Kiểm tra kết nối". So a row is never sent with a
/// client of an account other than the one the settings name.
#[derive(Debug, Default)]
pub struct ProviderClient {
    built: Mutex<Option<(ProviderSettings, AnyProvider)>>,
}

impl ProviderClient {
    /// Empty: the first [`ProviderClient::get`] builds the client.
    pub fn new() -> ProviderClient {
        ProviderClient::default()
    }

    /// The client of the provider the settings name (the demo simulator in demo mode).
    pub fn get(&self, shop: &Shop, secrets: &SecretStore, demos: &[DemoProvider]) -> Result<AnyProvider> {
        let settings = shop.provider_settings(secrets, demos)?;
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((from, client)) = built.as_ref()
            && *from == settings {
                return Ok(client.clone());
            }
        let client = AnyProvider::new(settings.clone()).map_err(|e| Error::Provider { message: e.to_string(), unclear: false })?;
        tracing::debug!(provider = %client.kind(), "built the provider client");
        *built = Some((settings, client.clone()));
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoicing::ProviderChoice;
    use crate::Secret;

    fn demo(port: u16) -> DemoProvider {
        DemoProvider {
            provider: ProviderChoice::EasyInvoice,
            base_url: format!("http://127.0.0.1:{port}"),
            username: "demo".into(),
            password: Secret::new("demo-pass"),
            account: String::new(),
            ac_password: Secret::default(),
            seller_tax_code: String::new(),
        }
    }

    #[test]
    fn one_client_until_the_settings_change() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = Shop::open_in_memory().unwrap();
        shop.store().set_setting("invoice.provider", "easyinvoice").unwrap();
        let cache = ProviderClient::new();
        let first = cache.get(&shop, &secrets, &[demo(9)]).unwrap();
        assert!(first.same_client(&cache.get(&shop, &secrets, &[demo(9)]).unwrap()), "same settings, same client");

        shop.store().set_setting("invoice.serial", "C26TBB").unwrap();
        let saved = cache.get(&shop, &secrets, &[demo(9)]).unwrap();
        assert!(!saved.same_client(&first), "settings saved: a new client");
        assert!(saved.same_client(&cache.get(&shop, &secrets, &[demo(9)]).unwrap()));

        let restarted = cache.get(&shop, &secrets, &[demo(10)]).unwrap();
        assert!(!restarted.same_client(&saved), "the simulator moved: a new client");

        shop.store().set_setting("invoice.provider", "vnpt").unwrap();
        assert!(cache.get(&shop, &secrets, &[demo(10)]).is_err(), "no VNPT simulator: no client");
    }
}
