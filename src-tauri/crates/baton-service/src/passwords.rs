//! Passwords typed for team workspaces: kept in the OS keyring (secret-service on Linux,
//! the macOS keychain, the Windows credential manager) when one answers, otherwise for
//! this run only. Never written anywhere else: not the recent list, a log or a message.
use baton_core::team::PasswordKept;
use std::collections::HashMap;
#[cfg(feature = "keyring")]
use std::sync::Arc;
use std::sync::Mutex;

/// The keyring's service name; each entry's user is the workspace's address.
#[cfg(feature = "keyring")]
const SERVICE: &str = "app.baton.workbench";

/// The keyring entry for an address (`None`: no keyring on this machine).
#[cfg(feature = "keyring")]
pub(crate) type EntryFor = dyn Fn(&str) -> Option<Arc<keyring::Entry>> + Send + Sync;

pub(crate) struct Passwords {
    #[cfg(feature = "keyring")]
    keyring: Option<Box<EntryFor>>,
    this_run: Mutex<HashMap<String, String>>,
}

impl Passwords {
    /// No keyring: a typed password lasts until the app quits (CLI, tests).
    pub(crate) fn this_run_only() -> Self {
        Self {
            #[cfg(feature = "keyring")]
            keyring: None,
            this_run: Mutex::new(HashMap::new()),
        }
    }

    /// The OS keyring when the build has it, else [`Self::this_run_only`].
    pub(crate) fn os() -> Self {
        #[cfg(feature = "keyring")]
        {
            Self::with_keyring(Box::new(|address| {
                keyring::Entry::new(SERVICE, address).ok().map(Arc::new)
            }))
        }
        #[cfg(not(feature = "keyring"))]
        Self::this_run_only()
    }

    #[cfg(feature = "keyring")]
    pub(crate) fn with_keyring(entry_for: Box<EntryFor>) -> Self {
        Self {
            keyring: Some(entry_for),
            this_run: Mutex::new(HashMap::new()),
        }
    }

    #[cfg(feature = "keyring")]
    fn entry(&self, address: &str) -> Option<Arc<keyring::Entry>> {
        self.keyring
            .as_ref()
            .and_then(|entry_for| entry_for(address))
    }

    /// Does a keyring answer? (Under Xvfb in CI there is no secret service.)
    pub(crate) fn keyring_available(&self) -> bool {
        #[cfg(feature = "keyring")]
        if let Some(entry) = self.entry("keyring availability check") {
            return matches!(entry.get_password(), Ok(_) | Err(keyring::Error::NoEntry));
        }
        false
    }

    /// The password kept for `address` (this run's first, then the keyring's).
    pub(crate) fn find(&self, address: &str) -> Option<String> {
        if let Some(pw) = self.this_run.lock().expect("passwords lock").get(address) {
            return Some(pw.clone());
        }
        #[cfg(feature = "keyring")]
        if let Some(entry) = self.entry(address) {
            return entry.get_password().ok();
        }
        None
    }

    /// Keep a password that just connected to `address`.
    pub(crate) fn keep(&self, address: &str, password: &str) -> PasswordKept {
        let mut this_run = self.this_run.lock().expect("passwords lock");
        #[cfg(feature = "keyring")]
        if let Some(entry) = self.entry(address) {
            if entry.set_password(password).is_ok() {
                this_run.remove(address);
                return PasswordKept::InKeyring;
            }
        }
        this_run.insert(address.to_string(), password.to_string());
        PasswordKept::ThisRunOnly
    }
}

#[cfg(all(test, feature = "keyring"))]
mod tests {
    use super::*;
    use keyring::mock::{self, MockCredential};

    const ADDRESS: &str = "postgres://ana@db.example:5432/team";

    fn mock_entry(address: &str) -> keyring::Entry {
        let cred = mock::default_credential_builder()
            .build(None, SERVICE, address)
            .unwrap();
        keyring::Entry::new_with_credential(cred)
    }

    /// A keyring that remembers: one mock entry per address, shared by every run.
    fn working_keyring() -> Box<EntryFor> {
        let entries: Mutex<HashMap<String, Arc<keyring::Entry>>> = Mutex::default();
        Box::new(move |address| {
            let mut entries = entries.lock().unwrap();
            let entry = entries
                .entry(address.to_string())
                .or_insert_with(|| Arc::new(mock_entry(address)));
            Some(entry.clone())
        })
    }

    /// A keyring that fails every call, as secret-service does without a session bus.
    fn unavailable_keyring() -> Box<EntryFor> {
        Box::new(|address| {
            let entry = mock_entry(address);
            let cred: &MockCredential = entry.get_credential().downcast_ref().unwrap();
            cred.set_error(keyring::Error::NoStorageAccess(Box::new(
                std::io::Error::other("no secret service"),
            )));
            Some(Arc::new(entry))
        })
    }

    #[test]
    fn a_typed_password_goes_to_the_keyring_when_one_answers() {
        let entries = working_keyring();
        let shared: Arc<EntryFor> = Arc::from(entries);
        let for_run = |shared: &Arc<EntryFor>| {
            let shared = shared.clone();
            Passwords::with_keyring(Box::new(move |a| shared(a)))
        };
        let first = for_run(&shared);
        assert!(first.keyring_available());
        assert_eq!(first.find(ADDRESS), None);
        assert_eq!(first.keep(ADDRESS, "s3cret"), PasswordKept::InKeyring);
        assert!(first.this_run.lock().unwrap().is_empty());
        // The next run finds it in the keyring; another address does not.
        let next = for_run(&shared);
        assert_eq!(next.find(ADDRESS).as_deref(), Some("s3cret"));
        assert_eq!(next.find("postgres://ana@db.example:5432/other"), None);
    }

    #[test]
    fn without_a_keyring_a_typed_password_lasts_this_run_only() {
        let run = Passwords::with_keyring(unavailable_keyring());
        assert!(!run.keyring_available());
        assert_eq!(run.keep(ADDRESS, "s3cret"), PasswordKept::ThisRunOnly);
        assert_eq!(run.find(ADDRESS).as_deref(), Some("s3cret"));
        let next = Passwords::with_keyring(unavailable_keyring());
        assert_eq!(next.find(ADDRESS), None);
        assert_eq!(
            Passwords::this_run_only().keep(ADDRESS, "x"),
            PasswordKept::ThisRunOnly
        );
    }
}
