//! Every installer carries this `baton` binary next to the app: the release
//! configuration names it as Tauri's external binary, and both ways of packaging (the
//! local `.deb` and the release workflow) build it first and use that configuration.
//! (`dpkg -c` on a built `.deb` is the end check; see docs/release.md.)
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

#[test]
fn the_release_configuration_ships_the_cli_with_every_installer() {
    let conf: serde_json::Value =
        serde_json::from_str(&read("src-tauri/tauri.release.conf.json")).unwrap();
    // Tauri installs `binaries/baton-<triple>` as `baton` beside the app's executable.
    assert_eq!(
        conf["bundle"]["externalBin"],
        serde_json::json!(["binaries/baton"])
    );
    assert_eq!(conf["bundle"]["targets"], "all");
    assert!(
        env!("CARGO_BIN_EXE_baton").ends_with(&format!("baton{}", std::env::consts::EXE_SUFFIX))
    );

    // The sidecar script writes exactly the name externalBin looks for.
    let sidecar = read("scripts/cli-sidecar.mjs");
    assert!(
        sidecar.contains("join(root, 'src-tauri', 'binaries')"),
        "{sidecar}"
    );
    assert!(
        sidecar.contains("`baton-${target}${exe(target)}`"),
        "{sidecar}"
    );

    let package: serde_json::Value = serde_json::from_str(&read("ui/package.json")).unwrap();
    let deb = package["scripts"]["bundle:deb"].as_str().unwrap();
    assert!(
        deb.starts_with("node ../scripts/cli-sidecar.mjs && "),
        "{deb}"
    );
    assert!(
        deb.contains("--config ../src-tauri/tauri.release.conf.json"),
        "{deb}"
    );

    let release = read(".github/workflows/release.yml");
    assert!(release.contains("node scripts/cli-sidecar.mjs --target ${{ matrix.sidecar }}"));
    assert!(release.contains("args: --config src-tauri/tauri.release.conf.json"));
    // A plain `cargo build -p baton-app` must not need the sidecar: the base
    // configuration has no external binary.
    let base: serde_json::Value = serde_json::from_str(&read("src-tauri/tauri.conf.json")).unwrap();
    assert!(base["bundle"]["externalBin"].is_null());
    // The app's executable keeps its cargo name (`baton-app`): one called `Baton` would
    // collide with `baton` on Windows and macOS, whose file names ignore case.
    assert!(base["mainBinaryName"]
        .as_str()
        .is_none_or(|n| !n.eq_ignore_ascii_case("baton")));
}
