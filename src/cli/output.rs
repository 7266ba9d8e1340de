//! Writing for people and pipes without ever panicking: a reader that has gone away (`teikit
//! explain | head`, `| true`) ends the output quietly, and colour follows the conventions
//! (<https://no-color.org>, `TERM=dumb`).

use std::io::{IsTerminal, Write};

/// Writes `text` to standard output and flushes it. A closed pipe is not an error (the
/// command then exits as it would have); any other failure is returned.
pub fn stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// Writes one line to standard error, ignoring a closed stream (see [`stderr!`]).
pub fn stderr_line(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{args}").and_then(|()| err.flush());
}

/// Whether output to standard output may be coloured: a terminal, `NO_COLOR` unset or empty,
/// and a `TERM` other than `dumb`.
pub fn colour() -> bool {
    colour_for(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    )
}

fn colour_for(
    terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    #[test]
    fn colour_follows_no_color_and_term() {
        let c = |t, n: Option<&str>, term: Option<&str>| {
            super::colour_for(t, n.map(OsStr::new), term.map(OsStr::new))
        };
        assert!(c(true, None, Some("xterm-256color")));
        assert!(c(true, Some(""), None), "an empty NO_COLOR changes nothing");
        assert!(!c(true, Some("1"), None));
        assert!(!c(true, None, Some("dumb")));
        assert!(!c(false, None, None));
    }
}
