//! The spellings cache (`known_values` in baton-store) stays what a scan of the records
//! gives through whole imports, where rows are encoded (and their new spellings flagged)
//! on the reading thread: a rejected row's values never reach the writer.
mod common;
use baton_import::ImportOptions;
use baton_store::{NewImport, TextField, Workspace};
use common::*;

const HEADER: &str = "Record ID,Lifecycle Stage,Create Date,Original Source,Country/Region\n";

fn partial() -> ImportOptions {
    ImportOptions {
        allow_partial: true,
        ..Default::default()
    }
}

/// What the next import starts from, per text field, and what a scan gives.
fn cache_and_scan(ws: &mut Workspace) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let scan = TextField::ALL
        .iter()
        .map(|f| ws.scan_known_values(*f).unwrap())
        .collect();
    let w = ws
        .begin_import(&NewImport {
            file_name: "next.csv".into(),
            preset: "profile".into(),
            kind: "contact".into(),
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            imported_at: 0,
            profile: "{}".into(),
            rollback_journal: false,
        })
        .unwrap();
    let cache = TextField::ALL
        .iter()
        .map(|f| w.known_values(*f).unwrap())
        .collect();
    (cache, scan)
}

#[test]
fn spellings_stay_exact_through_rejected_rows_and_repeats() {
    let (_d, mut ws) = workspace();
    let week1 = format!(
        "{HEADER}1,Lead,2025-01-02,Ads,France\n\
         2,Lead,someday,Fair,Spain\n\
         3,Lead,2025-01-03,fair,France\n\
         4,Lead,2025-01-03,Web,\n\
         5,Lead,2025-01-04,Ads,Spain\n"
    );
    let s = import_text(&mut ws, "week1.csv", &week1, &partial()).unwrap();
    assert_eq!((s.inserted, s.rejected), (4, 1));
    assert!(ws.known_values_current().unwrap());
    let (cache, scan) = cache_and_scan(&mut ws);
    assert_eq!(cache, scan);
    assert_eq!(scan[5], ["France", "Spain"], "Spain came from record 5");
    // New records, a record filled in (4 gets a country), a repeated id.
    let week2 = format!(
        "{HEADER}6,Lead,2025-02-01,Mail,Italy\n\
         4,Lead,2025-01-03,Web,Italy\n\
         6,Lead,2025-02-01,Mail,Italy\n\
         7,Lead,2025-02-02,Ads,Peru\n"
    );
    import_text(&mut ws, "week2.csv", &week2, &partial()).unwrap();
    assert!(ws.known_values_current().unwrap());
    let (cache, scan) = cache_and_scan(&mut ws);
    assert_eq!(cache, scan);
    assert_eq!(scan[5], ["France", "Italy", "Spain", "Peru"]);
}
