//! Embed the participant page of the Vite build: `ui/dist/participant.html` and only the
//! assets it loads (its entry's file, CSS and imported chunks, read from Vite's manifest
//! `ui/dist/.vite/manifest.json`), never the desktop window's bundle. Without a build the
//! crate still compiles and the room says the page was not built.
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

const ENTRY: &str = "participant.html";

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir");
    let dist = Path::new(&manifest_dir).join("../../../ui/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let vite_manifest = dist.join(".vite/manifest.json");
    println!("cargo:rerun-if-changed={}", vite_manifest.display());
    let mut files = Vec::new();
    let page = dist.join(ENTRY);
    if page.is_file() {
        match std::fs::read_to_string(&vite_manifest) {
            Ok(text) => {
                files.push((ENTRY.to_string(), page));
                for name in page_assets(&text) {
                    let path = dist.join(&name);
                    assert!(path.is_file(), "{name} is in the Vite manifest but not in ui/dist");
                    files.push((name, path));
                }
            }
            Err(_) => println!(
                "cargo:warning=ui/dist has no .vite/manifest.json: rebuild the UI (npm run build) to embed the participant page"
            ),
        }
    }
    files.sort();
    let mut out = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &files {
        let path = path.canonicalize().expect("dist file");
        writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("writing");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("out dir")).join("page.rs");
    std::fs::write(dest, out).expect("writing page.rs");
}

/// The files the participant entry loads: its own, its CSS and assets, and those of every
/// chunk it imports (statically or dynamically), transitively.
fn page_assets(manifest: &str) -> BTreeSet<String> {
    let manifest: serde_json::Value = serde_json::from_str(manifest).expect("Vite manifest");
    let mut out = BTreeSet::new();
    let mut todo = vec![ENTRY.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(key) = todo.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        let chunk = &manifest[&key];
        assert!(chunk.is_object(), "{key} is not in the Vite manifest");
        let strings = |field: &str| -> Vec<String> {
            chunk[field]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(file) = chunk["file"].as_str() {
            if file != ENTRY {
                out.insert(file.to_string());
            }
        }
        out.extend(strings("css"));
        out.extend(strings("assets"));
        todo.extend(strings("imports"));
        todo.extend(strings("dynamicImports"));
    }
    out
}
