//! Preview timing on one file: what a mapping change cost when every change read and
//! sniffed the file again (`preview_file`), and what it costs now that the rows read are
//! kept and re-mapped (`PreviewCache`). Usage: bench_preview FILE.csv [RUNS]
//! (`scripts/bench-preview.sh` generates an 8,800-row HubSpot export and runs it).
use baton_import::{ImportOptions, PreviewCache, PreviewContext};
use std::path::PathBuf;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: bench_preview FILE.csv [RUNS]"));
    let runs: usize = args.next().map_or(11, |r| r.parse().expect("RUNS"));
    let detected = baton_import::preview_file(&path, &ImportOptions::default()).unwrap();
    let base = detected
        .profile
        .clone()
        .expect("a preset or profile reads the file");
    // Mapping changes as the screen makes them: alternately drop and restore the source.
    let change = |i: usize| {
        let mut p = base.clone();
        if i.is_multiple_of(2) {
            p.fields.remove("source");
        }
        ImportOptions {
            profile: Some(p),
            ..Default::default()
        }
    };
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let reread: Vec<f64> = (0..runs)
        .map(|i| {
            let t = Instant::now();
            baton_import::preview_file(&path, &change(i)).unwrap();
            ms(t)
        })
        .collect();
    let cache = PreviewCache::default();
    let cx = PreviewContext::default();
    let t = Instant::now();
    let first = cache.preview(&path, &change(0), &cx).unwrap();
    let cold = ms(t);
    let cached: Vec<f64> = (1..=runs)
        .map(|i| {
            let t = Instant::now();
            cache.preview(&path, &change(i), &cx).unwrap();
            ms(t)
        })
        .collect();
    println!(
        "{}: {} rows examined, {} records would be imported",
        path.display(),
        first.rows_scanned,
        first.would_import.map_or(0, |w| w.records)
    );
    println!(
        "median of {runs}: re-reading the file on every change {:.1} ms; first preview {:.1} ms, then each change {:.1} ms (rows kept in memory)",
        median(reread),
        cold,
        median(cached)
    );
}
