//! A fixture per preset (written from the documented headers) and an Excel-mangled variant
//! of each (`;`, decimal commas, D/M/YYYY dates without seconds, Windows-1252 with `sep=`,
//! UTF-16LE with tabs, or UTF-8 with BOM): both import to the same records.
use baton_store::prelude::*;
mod common;
use baton_import::{ImportOptions, PersonalData};
use baton_store::{Outcome, RecordView};
use common::*;

fn records(file: &str, opts: &ImportOptions) -> (baton_import::ImportSummary, Vec<RecordView>) {
    let (_d, mut ws) = workspace();
    let s =
        import(&mut ws, &fixture(file), opts).unwrap_or_else(|e| panic!("{file}: {}", e.message));
    (s, ws.import_records(None).unwrap())
}

/// The records with `first_seen`'s stages but not its times: a stage seen with no date of
/// its own is stamped with the import's time, which differs between two imports a second
/// apart.
fn without_first_seen(v: &[RecordView]) -> Vec<RecordView> {
    v.iter()
        .map(|r| RecordView {
            first_seen: r.first_seen.keys().map(|k| (k.clone(), 0)).collect(),
            ..r.clone()
        })
        .collect()
}

/// The clean file and its Excel variant give the same records.
fn same_as_excel(clean: &str, opts: &ImportOptions) -> Vec<RecordView> {
    same_records(clean, &clean.replace(".csv", "-excel.csv"), opts)
}

fn same_records(clean: &str, excel: &str, opts: &ImportOptions) -> Vec<RecordView> {
    let (s1, a) = records(clean, opts);
    let (s2, b) = records(excel, opts);
    assert_eq!(s1.preset, s2.preset, "{excel}");
    // Excel drops seconds; the fixtures have none, so dates must match exactly.
    let (mut a2, mut b2) = (without_first_seen(&a), without_first_seen(&b));
    // The mangled HubSpot file has an accented name (Windows-1252) that only matters with opt-in.
    for r in a2.iter_mut().chain(b2.iter_mut()) {
        r.personal = None;
    }
    assert_eq!(a2, b2, "{clean} vs {excel}");
    a
}

fn by_id<'a>(rs: &'a [RecordView], id: &str) -> &'a RecordView {
    rs.iter()
        .find(|r| r.external_id == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

#[test]
fn hubspot_contacts_became_a_dates() {
    let rs = same_as_excel("hubspot-contacts.csv", &ImportOptions::default());
    assert_eq!(rs.len(), 3);
    let anna = by_id(&rs, "101");
    assert_eq!(anna.kind, "contact");
    assert_eq!(anna.current_stage.as_deref(), Some("customer"));
    assert_eq!(anna.outcome, Some(Outcome::Won));
    assert_eq!(anna.stage_dates["mql"], at("2025-01-20 10:00"));
    assert_eq!(anna.stage_dates["customer"], at("2025-03-14 16:45"));
    assert_eq!(anna.created_at, Some(at("2025-01-06 09:15")));
    assert_eq!(anna.country.as_deref(), Some("France"));
    assert_eq!(
        anna.personal, None,
        "personal data is not stored by default"
    );
    // `organic search` folds to the first spelling; `Select` is a null token.
    assert_eq!(by_id(&rs, "102").source.as_deref(), Some("Organic Search"));
    assert!(!by_id(&rs, "103").custom.contains_key("lead_status"));
    assert_eq!(by_id(&rs, "102").outcome, None);
}

#[test]
fn hubspot_contacts_date_entered_headers() {
    let (s, rs) = records(
        "hubspot-contacts-date-entered.csv",
        &ImportOptions::default(),
    );
    assert_eq!(s.preset, "hubspot-contacts");
    let lea = by_id(&rs, "201");
    assert_eq!(lea.current_stage.as_deref(), Some("sql"));
    assert_eq!(lea.stage_dates["lead"], at("2025-04-08 17:19"));
    assert_eq!(lea.stage_dates["sql"], at("2025-04-22 15:00"));
    assert!(!lea.stage_dates.contains_key("customer"));
    assert_eq!(
        by_id(&rs, "202").stage_dates["customer"],
        at("2025-05-01 12:00")
    );
}

#[test]
fn hubspot_deals_outcomes_and_amounts() {
    let rs = same_as_excel("hubspot-deals.csv", &ImportOptions::default());
    let won = by_id(&rs, "9001");
    assert_eq!(
        (won.kind.as_str(), won.outcome),
        ("deal", Some(Outcome::Won))
    );
    assert_eq!(won.amount, Some(12000.5));
    assert_eq!(won.closed_at, Some(at("2025-04-30 00:00")));
    assert_eq!(won.stage_dates["opportunity"], at("2025-03-02 10:00"));
    let lost = by_id(&rs, "9002");
    assert_eq!(lost.current_stage.as_deref(), Some("lost"));
    assert_eq!(lost.closed_at, Some(at("2025-04-20 00:00")));
    let open = by_id(&rs, "9003");
    assert_eq!(
        (open.current_stage.as_deref(), open.outcome, open.closed_at),
        (Some("opportunity"), None, None)
    );
}

#[test]
fn salesforce_leads_footer_is_stripped_and_key_is_composite() {
    let (s, rs) = records("salesforce-leads.csv", &ImportOptions::default());
    assert_eq!((s.rows_read, s.inserted), (6, 3), "{s:?}");
    assert!(
        s.warnings.iter().any(|w| w.contains("footer")),
        "{:?}",
        s.warnings
    );
    same_as_excel("salesforce-leads.csv", &ImportOptions::default());
    // The key is made of names: stored as its SHA-256, not in plain.
    let paul = by_id(&rs, &sha256_hex("Paul|Keller|Globex|3/14/2024"));
    assert_eq!(paul.current_stage.as_deref(), Some("sql"));
    assert_eq!(paul.stage_dates["sql"], at("2024-04-02 00:00"));
    assert_eq!(paul.created_at, Some(at("2024-03-14 00:00")));
    let jan = by_id(&rs, &sha256_hex("Jan|Novak|Initech|4/1/2024"));
    assert_eq!(
        (jan.outcome, jan.source.as_deref()),
        (Some(Outcome::Lost), None)
    );
}

#[test]
fn salesforce_opportunities_french_and_german() {
    let rs = same_as_excel("salesforce-opportunities-fr.csv", &ImportOptions::default());
    assert_eq!(rs.len(), 3);
    let won = rs
        .iter()
        .find(|r| r.external_id.starts_with("Acme|"))
        .unwrap();
    assert_eq!(won.outcome, Some(Outcome::Won));
    assert_eq!(won.amount, Some(12500.0));
    assert_eq!(
        won.closed_at,
        Some(at("2024-03-28 00:00")),
        "D/M/YYYY decided from 28/03/2024"
    );
    assert_eq!(won.owner.as_deref(), Some("Chloé Dubois"));
    let (_, de) = records("salesforce-opportunities-de.csv", &ImportOptions::default());
    let a1 = by_id(&de, "006A1");
    assert_eq!((a1.outcome, a1.amount), (Some(Outcome::Won), Some(1250.0)));
    assert_eq!(a1.created_at, Some(at("2024-03-05 00:00")));
    assert_eq!(
        by_id(&de, "006A2").current_stage.as_deref(),
        Some("opportunity")
    );
}

#[test]
fn pipedrive_status_and_won_lost_times() {
    let rs = same_as_excel("pipedrive-deals.csv", &ImportOptions::default());
    let won = by_id(&rs, "42");
    assert_eq!(won.outcome, Some(Outcome::Won));
    assert_eq!(won.closed_at, Some(at("2025-02-20 15:00")));
    assert_eq!(won.custom["crm_stage"], "Negotiations Started");
    let lost = by_id(&rs, "43");
    assert_eq!(
        (lost.outcome, lost.lost_reason.as_deref()),
        (Some(Outcome::Lost), Some("Price"))
    );
    assert_eq!(lost.closed_at, Some(at("2025-03-01 11:00")));
    assert_eq!(
        lost.stage_dates["opportunity"],
        at("2025-01-12 09:00"),
        "a deal is an opportunity from the day it was created, so a lost deal reached that stage"
    );
    assert_eq!(by_id(&rs, "44").outcome, None);
}

#[test]
fn zoho_leads_and_deals() {
    let rs = same_as_excel("zoho-leads.csv", &ImportOptions::default());
    assert_eq!(
        by_id(&rs, "zcrm_5002").current_stage.as_deref(),
        Some("mql")
    );
    assert_eq!(
        by_id(&rs, "zcrm_5003").current_stage.as_deref(),
        Some("sql"),
        "Is Converted = true"
    );
    assert_eq!(
        by_id(&rs, "zcrm_5001").created_at,
        Some(at("2026-08-28 10:00"))
    );
    let deals = same_as_excel("zoho-deals.csv", &ImportOptions::default());
    assert_eq!(by_id(&deals, "zcrm_7001").outcome, Some(Outcome::Won));
    assert_eq!(by_id(&deals, "zcrm_7002").outcome, Some(Outcome::Lost));
    assert_eq!(
        by_id(&deals, "zcrm_7003").current_stage.as_deref(),
        Some("opportunity")
    );
}

#[test]
fn excel_variants_report_their_encoding_and_delimiter() {
    let cases = [
        ("hubspot-contacts-excel.csv", "windows-1252", ";"),
        ("hubspot-deals-excel.csv", "UTF-16LE", "tab"),
        ("salesforce-leads-excel.csv", "UTF-8 (BOM)", ";"),
    ];
    for (file, enc, delim) in cases {
        let (s, _) = records(file, &ImportOptions::default());
        assert_eq!(
            (s.encoding.as_str(), s.delimiter.as_str()),
            (enc, delim),
            "{file}"
        );
    }
}

#[test]
fn personal_data_only_when_opted_in() {
    let plain = ImportOptions {
        personal: PersonalData::Plain,
        ..Default::default()
    };
    let (_, rs) = records("hubspot-contacts-excel.csv", &plain);
    let p = by_id(&rs, "101").personal.clone().unwrap();
    assert_eq!(p["last_name"], "Moreau-Lefèvre");
    assert_eq!(p["email"], "anna@example.com");
    let hashed = ImportOptions {
        personal: PersonalData::Hashed,
        ..Default::default()
    };
    let (_, rs) = records("hubspot-contacts.csv", &hashed);
    let p = by_id(&rs, "101").personal.clone().unwrap();
    assert_eq!(p["email"], baton_import::hash_personal(" ANNA@example.com"));
    assert_eq!(p["email"].len(), 64);
    assert!(!p.values().any(|v| v.contains("anna")));
}

/// Stage, outcome, created, closed and stage dates of a record.
type Facts = (
    Option<String>,
    Option<Outcome>,
    Option<i64>,
    Option<i64>,
    Vec<(String, i64)>,
);

/// What a record says about the funnel, whatever the CRM's language.
fn facts(rs: &[RecordView]) -> Vec<Facts> {
    rs.iter()
        .map(|r| {
            (
                r.current_stage.clone(),
                r.outcome,
                r.created_at,
                r.closed_at,
                r.stage_dates.clone().into_iter().collect(),
            )
        })
        .collect()
}

#[test]
fn salesforce_opportunities_english_report_with_footer() {
    let (s, rs) = records("salesforce-opportunities.csv", &ImportOptions::default());
    assert_eq!(s.preset, "salesforce-opportunities");
    assert_eq!((s.rows_read, s.inserted, s.rejected), (6, 3, 0), "{s:?}");
    assert!(
        s.warnings.iter().any(|w| w.contains("skipped 3 footer")),
        "{:?}",
        s.warnings
    );
    let won = by_id(&rs, "Acme|Acme - Renewal|3/5/2024");
    assert_eq!(
        (won.outcome, won.amount, won.owner.as_deref()),
        (Some(Outcome::Won), Some(12500.0), Some("Emma Stone"))
    );
    let lost = by_id(&rs, "Initech|Initech - Expansion|4/1/2024");
    assert_eq!(
        (lost.outcome, lost.lost_reason.as_deref(), lost.closed_at),
        (
            Some(Outcome::Lost),
            Some("Price"),
            Some(at("2024-04-20 00:00"))
        )
    );
    // The same three deals as the French report: same stages, outcomes and dates.
    let (_, fr) = records("salesforce-opportunities-fr.csv", &ImportOptions::default());
    assert_eq!(facts(&rs), facts(&fr));
    assert_eq!(
        rs.iter().map(|r| r.amount).collect::<Vec<_>>(),
        fr.iter().map(|r| r.amount).collect::<Vec<_>>()
    );
}

#[test]
fn salesforce_leads_german_report() {
    let (s, de) = records("salesforce-leads-de.csv", &ImportOptions::default());
    assert_eq!((s.preset.as_str(), s.inserted), ("salesforce-leads", 3));
    assert!(
        s.warnings.iter().any(|w| w.contains("skipped 3 footer")),
        "{:?}",
        s.warnings
    );
    let paul = by_id(&de, &sha256_hex("Paul|Keller|Globex|14.03.2024"));
    assert_eq!(paul.current_stage.as_deref(), Some("sql"));
    assert_eq!(paul.source.as_deref(), Some("Messe"));
    assert_eq!(paul.owner.as_deref(), Some("Lukas Weber"));
    // The same leads as the English report.
    let (_, en) = records("salesforce-leads.csv", &ImportOptions::default());
    assert_eq!(facts(&de), facts(&en));
}

#[test]
fn a_forced_preset_wins_over_detection() {
    let text =
        "Record ID,Deal Stage,Lifecycle Stage,Create Date\n1,Closed Won,Customer,2025-01-02\n";
    let (_d, mut ws) = workspace();
    let detected = import_text(&mut ws, "x.csv", text, &ImportOptions::default()).unwrap();
    let forced_name = if detected.preset == "hubspot-deals" {
        "hubspot-contacts"
    } else {
        "hubspot-deals"
    };
    let (_d, mut ws) = workspace();
    let forced = ImportOptions {
        preset: Some(forced_name.to_string()),
        ..Default::default()
    };
    let s = import_text(&mut ws, "x.csv", text, &forced).unwrap();
    assert_eq!(s.preset, forced_name);
    let kind = if forced_name == "hubspot-deals" {
        "deal"
    } else {
        "contact"
    };
    assert_eq!(ws.import_records(None).unwrap()[0].kind, kind);
    // Forcing the preset detection would pick anyway gives the same records.
    let (_, a) = records("salesforce-leads-de.csv", &ImportOptions::default());
    let sf = ImportOptions {
        preset: Some("salesforce-leads".into()),
        ..Default::default()
    };
    let (_, b) = records("salesforce-leads-de.csv", &sf);
    assert_eq!(without_first_seen(&a), without_first_seen(&b));
    // A preset that does not fit the file, or does not exist, is refused clearly.
    let (_d, mut ws) = workspace();
    let zoho = ImportOptions {
        preset: Some("zoho-deals".into()),
        ..Default::default()
    };
    let e = import(&mut ws, &fixture("salesforce-leads-de.csv"), &zoho).unwrap_err();
    // In the words of the Imports screen, not the profile's keys.
    assert!(
        e.message
            .contains("choose which column holds the record id")
            && !e.message.contains("record_id")
            && !e.message.contains('`'),
        "{}",
        e.message
    );
    let nope = ImportOptions {
        preset: Some("nope".into()),
        ..Default::default()
    };
    let e = import_text(&mut ws, "x.csv", text, &nope).unwrap_err();
    assert!(
        e.message.contains("there is no preset \"nope\"") && e.message.contains("pipedrive-deals"),
        "{}",
        e.message
    );
}

#[test]
fn excel_serial_dates_and_d_m_yyyy_read_like_the_clean_file() {
    let rs = same_records(
        "pipedrive-deals.csv",
        "pipedrive-deals-excel-serial.csv",
        &ImportOptions::default(),
    );
    assert_eq!(by_id(&rs, "42").closed_at, Some(at("2025-02-20 15:00")));
    let (s, _) = records(
        "pipedrive-deals-excel-serial.csv",
        &ImportOptions::default(),
    );
    assert_eq!(s.encoding, "UTF-8 (BOM)");
    for part in ["Excel serial", "\"Deal - Deal created\"", "D/M/YYYY"] {
        assert!(
            s.warnings.iter().any(|w| w.contains(part)),
            "{part}: {:?}",
            s.warnings
        );
    }
}
