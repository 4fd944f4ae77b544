//! The funnel's times on a workspace, as the app meets them: connect (or open the file),
//! the first funnel by source (the dataset built, or read from the copy kept beside a
//! file or, for a team workspace, in the cache folder as the CLI keeps it), then a funnel refresh after a filter change (the service's dataset cache), then
//! the unfiltered one again. `scripts/bench-import-pg.sh` runs it on a team workspace and
//! on the same data in a file:
//!   bench_funnel W.baton | postgres://user@host:port/db  [FIELD VALUE]
//! Prints one line of JSON: seconds for `open`, `first`, `filtered`, `again`, and the
//! records each funnel counted (so two workspaces can be compared).
use baton_metrics::{Filters, FunnelQuery};
use baton_service::{Service, Session};
use std::path::Path;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let w = args
        .next()
        .expect("usage: bench_funnel WORKSPACE [FIELD VALUE]");
    let field = args.next().unwrap_or_else(|| "owner".into());
    let value = args.next().unwrap_or_else(|| "Alice Martin".into());
    let t = Instant::now();
    let svc = if baton_store::pg::is_connection_string(&w) {
        let target = baton_store::pg::PgTarget::parse(&w).expect("a connection string");
        Service::new(Session::team(&target).expect("connecting"))
            .keeping_team_datasets_in(baton_service::team_datasets::default_dir())
    } else {
        Service::for_file(Path::new(&w))
    };
    let open = t.elapsed().as_secs_f64();
    let by_source = |filters: Filters| FunnelQuery {
        by: Some("source".into()),
        filters,
        ..FunnelQuery::default()
    };
    let time = |q: &FunnelQuery| {
        let t = Instant::now();
        let report = svc.funnel(q).expect("the funnel");
        (t.elapsed().as_secs_f64(), report)
    };
    let (first, all) = time(&by_source(Filters::default()));
    let (filtered, some) = time(&by_source(Filters::default().field(&field, &value)));
    let (again, _) = time(&by_source(Filters::default()));
    println!(
        "{{\"open\": {open:.3}, \"first\": {first:.3}, \"filtered\": {filtered:.3}, \"again\": {again:.3}, \"records\": {}, \"records_filtered\": {}}}",
        all.records,
        some.records
    );
}
