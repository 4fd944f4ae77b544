//! Cost of finding an `.xlsx` sheet's merged regions, against reading its cells.
//! Usage: cargo run --release -p baton-import --example bench_sheet_merges -- FILE.xlsx [RUNS]
//! Prints medians: Baton's scan (inflate + search, `sheet_merges.rs`), calamine's
//! `merge_cells_by_sheet_name` (a full XML parse of the sheet) and reading every cell.
use calamine::{Reader, Xlsx};
use std::fs::File;
use std::io::BufReader;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("an .xlsx file");
    let runs: usize = args.next().map_or(5, |r| r.parse().expect("RUNS"));
    let (mut ours, mut calamine_scan, mut cells) = (vec![], vec![], vec![]);
    let mut regions = 0;
    for _ in 0..runs {
        let mut wb: Xlsx<_> = calamine::open_workbook(&path).expect("workbook");
        let sheet = wb.sheet_names()[0].clone();

        let t = Instant::now();
        let file = BufReader::new(File::open(&path).expect("file"));
        regions = baton_import::xlsx_merged_regions(file, &sheet)
            .expect("scan")
            .len();
        ours.push(t.elapsed());

        let t = Instant::now();
        let theirs = wb.merge_cells_by_sheet_name(&sheet).expect("merges");
        calamine_scan.push(t.elapsed());
        assert_eq!(theirs.len(), regions, "both find the same regions");

        let t = Instant::now();
        let mut reader = wb.worksheet_cells_reader(&sheet).expect("cells");
        while reader.next_cell().expect("cell").is_some() {}
        cells.push(t.elapsed());
    }
    println!(
        "{regions} merged regions; medians of {runs}: Baton's scan {:?}, calamine's scan {:?}, reading the cells {:?}",
        median(ours),
        median(calamine_scan),
        median(cells)
    );
}
