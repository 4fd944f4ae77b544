//! Embed the participant page of the Vite build (`ui/dist/participant.html` and
//! `ui/dist/assets/*`) when it exists; without it the crate still builds and the room
//! says the page was not built.
use std::fmt::Write;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir");
    let dist = Path::new(&manifest).join("../../../ui/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    let page = dist.join("participant.html");
    if page.is_file() {
        files.push(("participant.html".to_string(), page));
        if let Ok(entries) = std::fs::read_dir(dist.join("assets")) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_file() {
                    let name = format!("assets/{}", e.file_name().to_string_lossy());
                    files.push((name, p));
                }
            }
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
