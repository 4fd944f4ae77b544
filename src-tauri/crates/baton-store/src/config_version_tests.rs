//! Versions of the stages, the stage map, the business hours and the company name,
//! checked the same way on either backend: on a file here and on a file and a team
//! database in `pg/tests_row_versions.rs`.
use crate::prelude::*;
use crate::Config;
use baton_core::sla::BusinessHours;
use baton_core::ErrorCode;

/// A stale change is refused with `conflict` naming what changed since, and changes
/// nothing; a current one bumps; saving what is there keeps the version; no version
/// stated is not checked (but bumps). The refusals' messages and what is there at the end.
pub(crate) fn config_is_versioned(ws: &(impl WorkspaceData + ?Sized)) -> Vec<String> {
    let mut refusals = Vec::new();
    let mut refuse = |e: baton_core::BatonError| {
        assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
        refusals.push(e.message);
    };

    // Stages: both see version 1; one renames SQL and adds Demo, the other's rename is refused.
    assert_eq!(ws.config_version(Config::Stages).unwrap(), 1);
    ws.rename_stage_from("sql", "SQL", Some(1)).unwrap();
    ws.add_stage_from("demo", "Demo", Some("sql"), Some(2))
        .unwrap();
    assert_eq!(ws.config_version(Config::Stages).unwrap(), 3);
    refuse(ws.rename_stage_from("mql", "MQL", Some(1)).unwrap_err());
    refuse(
        ws.add_stage_from("sal", "SAL", Some("mql"), Some(2))
            .unwrap_err(),
    );
    let names: Vec<String> = ws.stages().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "Lead",
            "Marketing Qualified Lead",
            "SQL",
            "Demo",
            "Opportunity",
            "Customer"
        ],
        "the refusals changed nothing"
    );
    ws.rename_stage_from("sql", "SQL", Some(3)).unwrap();
    assert_eq!(
        ws.config_version(Config::Stages).unwrap(),
        3,
        "saving what is there keeps the version"
    );
    ws.rename_stage_from("mql", "MQL", Some(3)).unwrap();
    ws.rename_stage("mql", "Marketing Qualified").unwrap();
    assert_eq!(ws.config_version(Config::Stages).unwrap(), 5);

    // The CRM value → stage map.
    ws.set_stage_value_from("SalesQualified", "sql", Some(1))
        .unwrap();
    ws.set_stage_value_from("salesqualified", "sql", Some(2))
        .unwrap();
    assert_eq!(ws.config_version(Config::StageMap).unwrap(), 2);
    refuse(
        ws.set_stage_value_from("Junk", "lost", Some(1))
            .unwrap_err(),
    );
    ws.remove_stage_value_from("SalesQualified", Some(2))
        .unwrap();
    refuse(ws.remove_stage_value_from("Junk", Some(2)).unwrap_err());
    assert_eq!(ws.stage_value_map().unwrap(), []);
    assert_eq!(ws.config_version(Config::StageMap).unwrap(), 3);

    // The business hours.
    let short = BusinessHours {
        end_minute: 16 * 60,
        ..Default::default()
    };
    ws.set_business_hours_from(&short, Some(1)).unwrap();
    let weekend = BusinessHours {
        days: vec![1, 2, 3, 4, 5, 6],
        ..Default::default()
    };
    refuse(ws.set_business_hours_from(&weekend, Some(1)).unwrap_err());
    assert_eq!(ws.business_hours().unwrap(), short);
    ws.set_business_hours_from(&short, Some(2)).unwrap();
    assert_eq!(ws.config_version(Config::BusinessHours).unwrap(), 2);

    // The company name.
    let info = ws.set_company_from(Some("Acme"), Some(1)).unwrap();
    assert_eq!(info.company_version, 2);
    refuse(ws.set_company_from(Some("Acme Ltd"), Some(1)).unwrap_err());
    refuse(ws.set_company_from(None, Some(1)).unwrap_err());
    assert_eq!(ws.company().unwrap().as_deref(), Some("Acme"));
    assert_eq!(ws.set_company(None).unwrap().company_version, 3);
    refusals
}

#[test]
fn config_is_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    let refusals = config_is_versioned(&ws);
    assert_eq!(
        refusals,
        [
            "The stages were changed by someone else since you opened them (stage \"Sales Qualified Lead\" renamed to \"SQL\", stage \"Demo\" added); your edit was not saved: the screen now shows their version",
            "The stages were changed by someone else since you opened them (stage \"Demo\" added); your edit was not saved: the screen now shows their version",
            "The CRM values → stages map was changed by someone else since you opened it (\"SalesQualified\" now counts as SQL); your edit was not saved: the screen now shows their version",
            "The CRM values → stages map was changed by someone else since you opened it (\"SalesQualified\" no longer mapped); your edit was not saved: the screen now shows their version",
            "The business hours were changed by someone else since you opened them (their end time); your edit was not saved: the screen now shows their version",
            "The company name was changed by someone else since you opened it (now \"Acme\"); your edit was not saved: the screen now shows their version",
            "The company name was changed by someone else since you opened it (now \"Acme\"); your edit was not saved: the screen now shows their version",
        ]
    );
}
