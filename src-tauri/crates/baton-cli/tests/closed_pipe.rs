//! `baton funnel | head -1`: a reader that goes away ends every command quietly.
use std::process::{Command, Stdio};

fn baton() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baton"))
}

/// Run `args` with stdout a pipe whose reading end is closed before the command
/// writes anything; return (exited quietly, stderr).
fn run_into_closed_pipe(args: &[&str]) -> (bool, String) {
    let mut child = baton()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (quiet_exit(&out.status), stderr)
}

/// Success, or the conventional end of a process whose reader left: killed by SIGPIPE.
fn quiet_exit(status: &std::process::ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(SIGPIPE) {
            return true;
        }
    }
    status.success()
}

/// SIGPIPE's number on Linux and macOS.
#[cfg(unix)]
const SIGPIPE: i32 = 13;

#[test]
fn every_kind_of_output_ends_quietly_on_a_closed_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("demo.baton");
    let w = w.to_str().unwrap();
    let made = baton().args(["--workspace", w, "demo"]).output().unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    for args in [
        vec!["--workspace", w, "funnel"],
        vec!["--workspace", w, "funnel", "--json"],
        vec!["--workspace", w, "overview"],
        vec!["--workspace", w, "personas"],
        vec!["--help"],
    ] {
        let (quiet, stderr) = run_into_closed_pipe(&args);
        assert!(
            quiet,
            "`baton {}` did not end quietly: {stderr}",
            args.join(" ")
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "`baton {}` printed a panic: {stderr}",
            args.join(" ")
        );
        assert_eq!(stderr, "", "`baton {}`", args.join(" "));
    }
}
