//! Time to generate the demo workspace's full report (gather + typeset + PDF).
//! Run: `cargo bench -p baton-report --bench report`. Results: docs/report.md.
//! The first run in a process also parses the embedded fonts ("cold").

use baton_core::Cancel;
use baton_report::{gather, generate, render, ReportRequest};
use std::time::{Duration, Instant};

const RUNS: usize = 10;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = baton_demo::create_demo(&dir.path().join("demo.baton")).expect("demo workspace");
    let cancel = Cancel::new();

    for period in ["all", "2026-Q3"] {
        let request = ReportRequest {
            period: period.into(),
            ..Default::default()
        };
        let t = Instant::now();
        let first = generate(&ws, &request, false, &mut |_| {}, &cancel).expect("report");
        let cold = t.elapsed();

        let mut total = Vec::new();
        let mut gathering = Vec::new();
        let mut typesetting = Vec::new();
        let mut with_preview = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            generate(&ws, &request, false, &mut |_| {}, &cancel).expect("report");
            total.push(t.elapsed());

            let t = Instant::now();
            let data = gather::report_data(&ws, &request, baton_report::today()).expect("gather");
            gathering.push(t.elapsed());
            let t = Instant::now();
            render(&data, false, &mut |_| {}, &cancel).expect("render");
            typesetting.push(t.elapsed());

            let t = Instant::now();
            generate(&ws, &request, true, &mut |_| {}, &cancel).expect("report");
            with_preview.push(t.elapsed());
        }
        println!(
            "period {period}: {} pages, {} KB PDF; first run {}; median of {RUNS}: total {} (gather {}, typeset+pdf {}); with SVG preview {}",
            first.page_count,
            first.pdf.len() / 1024,
            ms(cold),
            ms(median(total)),
            ms(median(gathering)),
            ms(median(typesetting)),
            ms(median(with_preview)),
        );
    }
}
