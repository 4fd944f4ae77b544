//! Layout sniffing on the decoded start of a file: Excel's `sep=` line, blank lines
//! before the header, and the delimiter.

/// Delimiters Baton recognises, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Bytes of decoded text before the header row (`sep=` line, blank lines).
    pub preamble_len: usize,
    /// 1-based line number of the header row in the file.
    pub header_line: u64,
    pub delimiter: u8,
    /// The delimiter came from a `sep=` line.
    pub from_sep_line: bool,
}

/// Human name of a delimiter, as shown in summaries (`,` `;` `tab` `|`).
pub fn delimiter_label(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        other => (other as char).to_string(),
    }
}

/// Parse a delimiter given by the user: a single character or `tab`.
pub fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Some(s.as_bytes()[0]),
        _ => None,
    }
}

/// Find the header row and the delimiter in the decoded start of a file.
pub fn sniff(head: &str) -> Layout {
    let mut offset = 0;
    let mut line_no = 1u64;
    let mut sep = None;
    let mut rest = head;
    loop {
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let content = line.trim_end_matches('\r');
        let lower = content.trim().to_ascii_lowercase();
        let is_sep_line = sep.is_none() && offset == 0 && lower.starts_with("sep=");
        if is_sep_line {
            // Not `trim()`: the delimiter itself may be a tab.
            let value = content.trim_start()[4..].trim_matches(|c| c == ' ' || c == '"');
            sep = parse_delimiter(value).or(Some(b','));
        } else if !content.trim().is_empty() || next.is_empty() {
            break;
        }
        // Only consume a line that ended with a newline inside the sample.
        if next.is_empty() && !rest.contains('\n') {
            break;
        }
        offset += line.len() + 1;
        line_no += 1;
        rest = next;
    }
    let delimiter = sep.unwrap_or_else(|| guess_delimiter(&head[offset..]));
    Layout {
        preamble_len: offset,
        header_line: line_no,
        delimiter,
        from_sep_line: sep.is_some(),
    }
}

/// The delimiter giving the most consistent field count (above 1) over the first rows,
/// quotes respected; `,` when nothing splits the rows.
fn guess_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for &d in &DELIMITERS {
        let counts = field_counts(text, d, 50);
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == header).count();
        // Score: rows agreeing with the header's width, then the width itself.
        if (consistent, header) > (best.1, best.2) {
            best = (d, consistent, header);
        }
    }
    best.0
}

/// An Excel re-encoding of a CSV file opened as one column: every line is one quoted value
/// holding the real row, followed only by delimiters (`"Id;Name;Email";;`). Returns the
/// delimiter inside the quotes when the first rows (at least a header and one row) all have
/// that shape and their inner values split consistently into two or more columns.
pub fn wrapped_rows_delimiter(text: &str) -> Option<u8> {
    let firsts = wrapped_first_values(text, 50)?;
    if firsts.len() < 2 {
        return None;
    }
    let inner = firsts.join("\n");
    let d = guess_delimiter(&inner);
    let counts = field_counts(&inner, d, 50);
    let header = *counts.first()?;
    let consistent = counts.iter().filter(|&&c| c == header).count();
    (header >= 2 && consistent * 10 >= counts.len() * 8).then_some(d)
}

/// The quoted first value of each of the first `max` complete lines, `None` as soon as a
/// line is not `"…"` followed only by delimiters and spaces.
fn wrapped_first_values(text: &str, max: usize) -> Option<Vec<String>> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while out.len() < max {
        while i < b.len() && (b[i] == b'\n' || b[i] == b'\r') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] != b'"' {
            return None;
        }
        i += 1;
        let mut value = Vec::new();
        let mut closed = false;
        while i < b.len() {
            if b[i] == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    value.push(b'"');
                    i += 2;
                    continue;
                }
                closed = true;
                i += 1;
                break;
            }
            value.push(b[i]);
            i += 1;
        }
        let mut line_ended = false;
        while i < b.len() {
            match b[i] {
                b'\n' | b'\r' => {
                    line_ended = true;
                    break;
                }
                b' ' => i += 1,
                d if DELIMITERS.contains(&d) => i += 1,
                _ => return None,
            }
        }
        // The sample may end in the middle of a line: only complete lines count.
        if !closed || !line_ended {
            break;
        }
        out.push(String::from_utf8(value).ok()?);
    }
    Some(out)
}

/// Field counts of the first `max_rows` complete rows, quotes respected.
fn field_counts(text: &str, delimiter: u8, max_rows: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut fields = 1usize;
    let mut in_quotes = false;
    let mut row_has_content = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && counts.len() < max_rows {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' {
            in_quotes = true;
            row_has_content = true;
        } else if b == delimiter {
            fields += 1;
            row_has_content = true;
        } else if b == b'\n' || b == b'\r' {
            if row_has_content {
                counts.push(fields);
            }
            fields = 1;
            row_has_content = false;
        } else {
            row_has_content = true;
        }
        i += 1;
    }
    // A last row without a line end (a one-line file) counts too.
    if row_has_content && counts.len() < max_rows && !in_quotes {
        counts.push(fields);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_semicolon_tab_pipe() {
        assert_eq!(sniff("a,b,c\n1,2,3\n").delimiter, b',');
        assert_eq!(sniff("a;b;c\n1,5;2;3\n").delimiter, b';');
        assert_eq!(sniff("a\tb\n1\t2\n").delimiter, b'\t');
        assert_eq!(sniff("a|b|c\n1|2|3\n").delimiter, b'|');
    }

    #[test]
    fn quoted_delimiters_do_not_count() {
        assert_eq!(sniff("\"a;x\",b\n\"1;2;3\",2\n").delimiter, b',');
    }

    #[test]
    fn excel_sep_line_and_blank_lines() {
        let text = "sep=;\r\n\r\n\nName;Amount\r\n1;2\r\n";
        let l = sniff(text);
        assert_eq!(l.delimiter, b';');
        assert!(l.from_sep_line);
        assert_eq!(&text[l.preamble_len..l.preamble_len + 4], "Name");
        assert_eq!(l.header_line, 4);
    }

    #[test]
    fn blank_lines_before_header() {
        let text = "\n\n\ncolumn_a,column_b\n1,2\n";
        let l = sniff(text);
        assert_eq!(l.preamble_len, 3);
        assert_eq!(l.header_line, 4);
    }

    #[test]
    fn rows_wrapped_in_one_quoted_value_are_recognised() {
        let text = "\"Id;Name;Email\";;\r\n\"1;Anna;anna@x.test\";;\r\n\"2;\"\"Bo, B\"\";b@x.test\";;\r\n\"3;Cy";
        assert_eq!(wrapped_rows_delimiter(text), Some(b';'));
        assert_eq!(wrapped_rows_delimiter("\"a,b\"\n\"1,2\"\n"), Some(b','));
        // Ordinary quoting, a one-column file, values holding a delimiter: not wrapped.
        assert_eq!(
            wrapped_rows_delimiter("\"Id\",\"Name\"\n\"1\",\"a\"\n"),
            None
        );
        assert_eq!(wrapped_rows_delimiter("\"Name\"\n\"Anna\"\n\"Bo\"\n"), None);
        assert_eq!(wrapped_rows_delimiter("\"Tags\"\n\"a;b\"\n\"c;d\"\n"), None);
        assert_eq!(
            wrapped_rows_delimiter("\"Id;Name\";;\n"),
            None,
            "a header alone"
        );
    }

    #[test]
    fn single_column_defaults_to_comma() {
        assert_eq!(sniff("a\n1\n2\n").delimiter, b',');
    }
}
