//! A reader that stops early (`baton funnel | head -1`) ends every command quietly,
//! as it does for other command-line tools: no panic, no backtrace.

/// Call first thing in `main`.
///
/// On Unix the process takes SIGPIPE's default action again (Rust ignores the signal),
/// so a write to a closed pipe ends it silently with the conventional status (141 in a
/// shell). Elsewhere (Windows) such a write fails with a broken-pipe error and
/// `println!` panics: the panic hook below turns exactly that panic into a quiet exit.
pub fn end_quietly_on_closed_stdout() {
    #[cfg(unix)]
    // SAFETY: called once at startup before any thread exists; SIG_DFL is the
    // signal's default disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if is_closed_stdout(message) {
            std::process::exit(0);
        }
        default_hook(info);
    }));
}

/// Is this the panic `println!` raises when stdout's reader has gone away?
fn is_closed_stdout(panic_message: &str) -> bool {
    panic_message.starts_with("failed printing to stdout")
        && closed_pipe_errors()
            .iter()
            .any(|e| panic_message.contains(e.as_str()))
}

/// How the OS words a write to a closed pipe: EPIPE on Unix; ERROR_NO_DATA and
/// ERROR_BROKEN_PIPE on Windows.
fn closed_pipe_errors() -> Vec<String> {
    let codes: &[i32] = if cfg!(windows) { &[232, 109] } else { &[32] };
    codes
        .iter()
        .map(|c| std::io::Error::from_raw_os_error(*c).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_closed_stdout_is_silenced() {
        let closed = std::io::Error::from_raw_os_error(if cfg!(windows) { 232 } else { 32 });
        assert!(is_closed_stdout(&format!(
            "failed printing to stdout: {closed}"
        )));
        assert!(!is_closed_stdout("failed printing to stdout: disk full"));
        assert!(!is_closed_stdout(&format!("index out of bounds: {closed}")));
    }
}
