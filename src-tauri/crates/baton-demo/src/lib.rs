//! The demo workspace: sample CRM exports of a fictional company (Larkspur Analytics),
//! shipped inside the binary and imported through `baton-import` exactly as a user's
//! files would be. No CRM record is written any other way. Its goals are drafts
//! ([`goal_drafts`]) that `baton-service` adds through the app's goal check.

use baton_store::prelude::*;
pub mod generate;
mod goals;
mod rng;
mod workshop;

use baton_core::workspace::{COMPANY_SETTING, DEMO_SETTING};
use baton_core::{Cancel, Result};
use baton_import::ImportOptions;
use baton_store::Workspace;
use std::path::Path;

pub use goals::{goal_drafts, DemoGoal, FOLLOW_UP_SLA, GOAL_PERIOD};

pub const COMPANY: &str = "Larkspur Analytics";

/// The shipped export files, in import order.
pub const FILES: [(&str, &[u8]); 2] = [
    (
        generate::HUBSPOT_FILE,
        include_bytes!("../data/hubspot-contacts-export-2026-11-02.csv"),
    ),
    (
        generate::PIPEDRIVE_FILE,
        include_bytes!("../data/deals-8841207-17.csv"),
    ),
];

/// Create the demo workspace at `path` (which must not exist): records, SLA clauses
/// and the workshop, without the goals ([`goal_drafts`]). On failure the half-built
/// file is removed so a retry starts clean.
pub fn create_demo(path: &Path) -> Result<Workspace> {
    let ws = Workspace::create(path)?;
    match fill(ws) {
        Ok(ws) => Ok(ws),
        Err(e) => {
            remove_workspace_files(path);
            Err(e)
        }
    }
}

/// Remove a half-built workspace file and its journal files.
pub fn remove_workspace_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn fill(mut ws: Workspace) -> Result<Workspace> {
    ws.set_setting(COMPANY_SETTING, &serde_json::to_string(COMPANY)?)?;
    ws.set_setting(DEMO_SETTING, "true")?;
    let cancel = Cancel::new();
    for (file_name, bytes) in FILES {
        // The preset is detected from the headers, as for a file the user drops in.
        baton_import::import_bytes(
            &mut ws,
            file_name,
            bytes,
            &ImportOptions::default(),
            &mut |_| {},
            &cancel,
        )?;
    }
    goals::add_demo_slas(&mut ws)?;
    workshop::add_demo_workshop(&mut ws)?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_workspace_holds_the_shipped_exports() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.baton");
        let ws = create_demo(&path).unwrap();
        let o = ws.overview().unwrap();
        assert_eq!(o.info.company.as_deref(), Some(COMPANY));
        assert!(o.info.is_demo);
        assert_eq!(o.imports, FILES.len() as i64);
        let data_rows = |bytes: &[u8]| csv::Reader::from_reader(bytes).records().count() as i64;
        let kind = |k: &str| {
            o.records_by_kind
                .iter()
                .find(|c| c.kind == k)
                .map(|c| c.count)
        };
        assert_eq!(kind("contact"), Some(data_rows(FILES[0].1)));
        assert_eq!(kind("deal"), Some(data_rows(FILES[1].1)));
        assert_eq!(o.records, data_rows(FILES[0].1) + data_rows(FILES[1].1));
        // Contacts populate every funnel stage; lost deals are recognised.
        assert_eq!(o.default_kind.as_deref(), Some("contact"));
        assert_eq!(o.kinds[0].kind, "contact");
        assert!(
            o.kinds[0].stages.iter().all(|s| s.count > 0),
            "{:?}",
            o.kinds
        );
        assert!(o.kinds.iter().any(|k| k.kind == "deal" && k.lost > 0));
    }

    #[test]
    fn an_existing_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.baton");
        std::fs::write(&path, b"precious").unwrap();
        let err = create_demo(&path).err().unwrap();
        assert_eq!(err.code, baton_core::ErrorCode::Conflict);
        assert_eq!(std::fs::read(&path).unwrap(), b"precious");
    }
}
