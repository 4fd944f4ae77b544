//! Import one file into a fresh workspace and print the wall time; used by
//! `scripts/bench-import.sh` (built in release, measured with /usr/bin/time -v for peak RSS)
//! and `scripts/bench-import-xlsx.sh`.
//! Usage: bench_import FILE WORKSPACE.baton [--twice] (FILE: a CSV or a workbook)

use baton_core::Cancel;
use baton_import::{import_file, ImportOptions};
use baton_store::Workspace;
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: bench_import FILE WORKSPACE.baton [--twice]");
        std::process::exit(2);
    }
    let (file, ws_path) = (Path::new(&args[1]), Path::new(&args[2]));
    let _ = std::fs::remove_file(ws_path);
    let mut ws = Workspace::create(ws_path).expect("create workspace");
    let runs = if args.iter().any(|a| a == "--twice") {
        2
    } else {
        1
    };
    for run in 0..runs {
        let start = Instant::now();
        let s = import_file(
            &mut ws,
            file,
            &ImportOptions {
                // As the CLI does: the fresh workspace is not open anywhere else.
                rollback_journal: true,
                ..ImportOptions::default()
            },
            &mut |_| {},
            &Cancel::new(),
        )
        .unwrap_or_else(|e| panic!("import failed: {}", e.message));
        println!(
            "{} import: {:.3} s ({} rows: {} inserted, {} updated)",
            if run == 0 { "first" } else { "re-" },
            start.elapsed().as_secs_f64(),
            s.rows_read,
            s.inserted,
            s.updated
        );
    }
}
