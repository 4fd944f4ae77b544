//! Rewrites the committed demo exports in `data/` from the generator.
//! Run: `cargo run -p baton-demo --bin generate-demo-data`.
use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let files = baton_demo::generate::generate();
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in [
        (baton_demo::generate::HUBSPOT_FILE, &files.hubspot_contacts),
        (baton_demo::generate::PIPEDRIVE_FILE, &files.pipedrive_deals),
    ] {
        std::fs::write(dir.join(name), bytes)?;
        println!("wrote {} ({} bytes)", dir.join(name).display(), bytes.len());
    }
    Ok(())
}
