//! The committed demo exports must be exactly what the generator produces.
//! If this fails after changing the generator: `cargo run -p baton-demo --bin generate-demo-data`.
use baton_demo::{generate, FILES};

#[test]
fn committed_exports_match_the_generator() {
    let fresh = generate::generate();
    assert_eq!(FILES[0].0, generate::HUBSPOT_FILE);
    assert_eq!(FILES[1].0, generate::PIPEDRIVE_FILE);
    assert!(
        FILES[0].1 == fresh.hubspot_contacts.as_slice(),
        "data/{} is stale: run `cargo run -p baton-demo --bin generate-demo-data`",
        FILES[0].0
    );
    assert!(
        FILES[1].1 == fresh.pipedrive_deals.as_slice(),
        "data/{} is stale: run `cargo run -p baton-demo --bin generate-demo-data`",
        FILES[1].0
    );
}
