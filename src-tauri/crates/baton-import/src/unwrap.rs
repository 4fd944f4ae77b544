//! Reading a file whose every line is one quoted value holding the real row (an Excel
//! re-encoding, `"Id;Name;Email";;`): a stream of the values inside the quotes, one line
//! per line, so rows keep their line numbers. See [`crate::sniff::wrapped_rows_delimiter`].

use std::io::{self, Read};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    LineStart,
    /// Inside the quoted value.
    Quoted,
    /// A quote inside the value: closing, or the first of a doubled `""`.
    QuoteSeen,
    /// After the closing quote: the outer delimiters, dropped up to the line end.
    Rest,
    /// A line that is not wrapped: passed through as it is.
    Raw,
}

pub struct Unwrap<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    state: State,
}

impl<R: Read> Unwrap<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; 64 * 1024],
            pos: 0,
            len: 0,
            state: State::LineStart,
        }
    }
}

impl<R: Read> Read for Unwrap<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            if self.pos == self.len {
                // Hand over what is ready before blocking on more input.
                if n > 0 {
                    break;
                }
                self.len = self.inner.read(&mut self.buf)?;
                self.pos = 0;
                if self.len == 0 {
                    break;
                }
            }
            let b = self.buf[self.pos];
            self.pos += 1;
            let line_end = b == b'\n' || b == b'\r';
            let emit = match self.state {
                State::LineStart if b == b'"' => {
                    self.state = State::Quoted;
                    false
                }
                State::LineStart if line_end => true,
                State::LineStart => {
                    self.state = State::Raw;
                    true
                }
                State::Quoted if b == b'"' => {
                    self.state = State::QuoteSeen;
                    false
                }
                State::Quoted => true,
                State::QuoteSeen if b == b'"' => {
                    self.state = State::Quoted;
                    true
                }
                State::QuoteSeen | State::Rest | State::Raw if line_end => {
                    self.state = State::LineStart;
                    true
                }
                State::QuoteSeen | State::Rest => {
                    self.state = State::Rest;
                    false
                }
                State::Raw => true,
            };
            if emit {
                out[n] = b;
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unwrap(text: &str) -> String {
        let mut s = String::new();
        Unwrap::new(text.as_bytes()).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn values_inside_the_quotes_line_by_line() {
        assert_eq!(
            unwrap(
                "\"Id;Name\";;\r\n\r\n\"1;\"\"Bo; B\"\"\";;\r\n2;plain\n\"3;\"\"two\nlines\"\"\";;"
            ),
            "Id;Name\r\n\r\n1;\"Bo; B\"\r\n2;plain\n3;\"two\nlines\""
        );
    }
}
