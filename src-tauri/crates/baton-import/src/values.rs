//! Cell values: null tokens, locale numbers, company sizes, booleans and case folding.

/// Looked up for every text value of every row: a fast hasher (seeded per map).
use foldhash::HashMap;

/// Cells meaning "no value" in real exports, compared ignoring ASCII case and surrounding
/// spaces (`N/A`, `n/a` and `N/a` alike). The Imports screen gets this list generated
/// (`ui/src/lib/bindings/nullTokens.ts`), so it reads the same cells as empty.
pub const NULL_TOKENS: [&str; 8] = ["", "-", "--", "#n/a", "n/a", "null", "select", "(blank)"];

/// Is this cell one of the [`NULL_TOKENS`]?
pub fn is_null(s: &str) -> bool {
    let t = s.trim();
    // Every token is at most 7 bytes: most cells are decided by their length alone.
    t.len() <= 7 && NULL_TOKENS.iter().any(|n| t.eq_ignore_ascii_case(n))
}

/// Which character separates decimals in a column whose values do not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

/// Parse a number written with locale separators: `1234.5`, `1,234.56`, `1 234,56`,
/// `1.234,56`, `1'234.50`, `€ 1 234`, `(120)`, `-5`, `12%` (as 12).
/// `mark` decides the lone-separator case (`1,234`): thousands or decimals.
pub fn parse_number(s: &str, mark: DecimalMark) -> Option<f64> {
    let t = strip_currency_code(s.trim());
    if !digit_groups_ok(t) {
        return None; // "+33 6 12 34 56 78" is a phone number, not 33,612,345,678
    }
    let (negative, t) = if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        (true, &t[1..t.len() - 1])
    } else {
        (false, t)
    };
    let mut digits = String::with_capacity(t.len());
    let mut last_point = None;
    let mut last_comma = None;
    let mut points = 0;
    let mut commas = 0;
    let mut minus = false;
    let mut seen_digit = false;
    for c in t.chars() {
        match c {
            '0'..='9' => {
                digits.push(c);
                seen_digit = true;
            }
            '.' => {
                points += 1;
                last_point = Some(digits.len());
                digits.push('.');
            }
            ',' => {
                commas += 1;
                last_comma = Some(digits.len());
                digits.push(',');
            }
            '-' | '\u{2212}' if !seen_digit && !minus => minus = true,
            ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' => {}
            '+' if !seen_digit => {}
            '€' | '$' | '£' | '¥' | '%' => {}
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let decimal = match (last_point, last_comma) {
        (Some(p), Some(c)) => Some(if p > c { '.' } else { ',' }),
        (Some(p), None) => {
            lone_separator_is_decimal(&digits, p, points, mark == DecimalMark::Point).then_some('.')
        }
        (None, Some(c)) => {
            lone_separator_is_decimal(&digits, c, commas, mark == DecimalMark::Comma).then_some(',')
        }
        (None, None) => None,
    };
    let mut clean = String::with_capacity(digits.len() + 1);
    if minus != negative {
        clean.push('-');
    }
    for (i, c) in digits.char_indices() {
        match c {
            '0'..='9' => clean.push(c),
            _ if Some(c) == decimal && (Some(i) == last_point || Some(i) == last_comma) => {
                clean.push('.')
            }
            _ => {}
        }
    }
    clean.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// An ISO 4217 code before or after the number (`EUR 12`, `12 USD`, `CHF1'200`) removed.
/// Only three letters count: `A-1` is an id, not the number -1.
fn strip_currency_code(t: &str) -> &str {
    let is_code = |w: &str| w.len() == 3 && w.bytes().all(|b| b.is_ascii_alphabetic());
    let mut t = t;
    if t.len() > 3 && t.is_char_boundary(3) && is_code(&t[..3]) {
        t = t[3..].trim_start();
    }
    if t.len() > 3 && t.is_char_boundary(t.len() - 3) && is_code(&t[t.len() - 3..]) {
        t = t[..t.len() - 3].trim_end();
    }
    t
}

/// Digits grouped by spaces or apostrophes come in threes after the first group
/// (`1 234 567`, `1'234.50`).
fn digit_groups_ok(t: &str) -> bool {
    // Digits counted since a grouping character that stood between two digits.
    let mut group: Option<usize> = None;
    let mut after_separator = false;
    let mut previous_digit = false;
    for c in t.chars() {
        if c.is_ascii_digit() {
            if after_separator {
                group = Some(0);
                after_separator = false;
            }
            if let Some(n) = group.as_mut() {
                *n += 1;
            }
            previous_digit = true;
        } else {
            if group.take().is_some_and(|n| n != 3) {
                return false;
            }
            after_separator =
                previous_digit && matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’');
            previous_digit = false;
        }
    }
    group.is_none_or(|n| n == 3)
}

/// A separator appearing `count` times with its last at `pos`: decimal or thousands?
fn lone_separator_is_decimal(
    digits: &str,
    pos: usize,
    count: usize,
    mark_says_decimal: bool,
) -> bool {
    if count > 1 {
        return false; // 1.234.567 or 1,234,567
    }
    let after = digits.len() - pos - 1;
    if after != 3 {
        return true; // 1,5 or 1.25
    }
    // "1,234" / "1.234": the column's decimal mark decides; a leading "0," is decimal.
    mark_says_decimal || digits.starts_with("0")
}

/// Company size in employees from `250`, `1 000`, ranges `51-200` / `51 - 200` / `10,001+`
/// (lower bound), or a range Excel turned into a date (`May-20` for `5-20`).
pub fn parse_company_size(s: &str) -> Option<i64> {
    let t = s.trim();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if let Some((mon, _)) = t.split_once('-') {
        if let Some(i) = MONTHS.iter().position(|m| mon.eq_ignore_ascii_case(m)) {
            return Some(i as i64 + 1);
        }
    }
    let first = t.split(['-', '–', '+']).next().unwrap_or(t).trim();
    let v = parse_number(first, DecimalMark::Point)?;
    (v >= 0.0 && v.fract() == 0.0).then_some(v as i64)
}

/// Parse a yes/no cell (`true`, `TRUE`, `yes`, `1`, `oui`, `ja`…).
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "oui" | "ja" | "vrai" | "wahr" | "x" => Some(true),
        "false" | "no" | "n" | "0" | "non" | "nein" | "faux" | "falsch" => Some(false),
        _ => None,
    }
}

/// A value holding an e-mail address (`anna@acme.test`, or a whole row with one in it)
/// or that is a phone number: personal data wherever it sits.
pub fn holds_contact_detail(v: &str) -> bool {
    has_email(v) || is_phone(v.trim()) || has_international_phone(v)
}

/// A `+33 6 12 34 56 78`-style number inside a longer text (`call +33 6 12 34 56 78`).
fn has_international_phone(v: &str) -> bool {
    let b = v.as_bytes();
    memchr::memchr_iter(b'+', b).any(|plus| {
        let run = &b[plus + 1..];
        let end = run
            .iter()
            .position(|c| !(c.is_ascii_digit() || b"-.()/ ".contains(c)))
            .unwrap_or(run.len());
        let digits = run[..end].iter().filter(|c| c.is_ascii_digit()).count();
        run.first().is_some_and(u8::is_ascii_digit) && (8..=15).contains(&digits)
    })
}

/// Some `local@domain.tld` inside the value.
fn has_email(v: &str) -> bool {
    let b = v.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-'".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    memchr::memchr_iter(b'@', b).any(|at| {
        let before = at > 0 && local(b[at - 1]);
        let after = &b[at + 1..];
        let end = after
            .iter()
            .position(|&c| !domain(c))
            .unwrap_or(after.len());
        let host = after[..end].trim_ascii_end();
        let host = host.strip_suffix(b".").unwrap_or(host);
        before
            && host.first().is_some_and(u8::is_ascii_alphanumeric)
            && host
                .iter()
                .rposition(|&c| c == b'.')
                .is_some_and(|dot| dot > 0 && host.len() - dot > 2)
    })
}

/// A phone number as written by people and CRMs: `+33 6 12 34 56 78`, `(555) 123-4567`,
/// `555-123-4567`, `+14155550123`: 7 to 15 digits with a leading `+` or separators
/// between groups. Plain digit strings (`12345678`) are ids, not phones; dates and
/// numbers with thousands separators are not phones either.
fn is_phone(t: &str) -> bool {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    if !(7..=15).contains(&digits)
        || !t
            .bytes()
            .all(|c| c.is_ascii_digit() || b"+-.()/ ".contains(&c))
        || !t.bytes().next_back().is_some_and(|c| c.is_ascii_digit())
    {
        return false;
    }
    if let Some(rest) = t.strip_prefix('+') {
        return rest.starts_with(|c: char| c.is_ascii_digit() || c == ' ' || c == '(');
    }
    let separated = t.bytes().any(|c| b"-.()/ ".contains(&c));
    separated
        && baton_core::dates::parse(t).is_none()
        && parse_number(t, DecimalMark::Point).is_none()
        && parse_number(t, DecimalMark::Comma).is_none()
}

/// Folds case variants (`Google`/`google`/` GOOGLE `) of a column's values to the first
/// spelling seen (in the workspace, then in the file).
#[derive(Debug, Default)]
pub struct Folder {
    canonical: HashMap<String, String>,
    /// Spelling as written → folded spelling, for values already seen.
    exact: HashMap<String, String>,
    key: String,
}

/// Past this many distinct values a column is an identifier, not a category: stop folding.
const MAX_FOLDED: usize = 50_000;

impl Folder {
    pub fn seed(&mut self, known: impl IntoIterator<Item = String>) {
        for v in known {
            let key = v.to_lowercase();
            self.canonical.entry(key).or_insert(v);
        }
    }

    /// Write the folded spelling of `value` (trimmed) into `out`.
    pub fn fold_into(&mut self, value: &str, out: &mut String) {
        out.clear();
        let v = value.trim();
        // Most values repeat exactly: no lower-casing needed then.
        if let Some(c) = self.exact.get(v) {
            out.push_str(c);
            return;
        }
        self.key.clear();
        for c in v.chars() {
            self.key.extend(c.to_lowercase());
        }
        if let Some(c) = self.canonical.get(&self.key) {
            out.push_str(c);
            if self.exact.len() < MAX_FOLDED {
                self.exact.insert(v.to_string(), c.clone());
            }
            return;
        }
        if self.canonical.len() < MAX_FOLDED {
            self.canonical.insert(self.key.clone(), v.to_string());
        }
        out.push_str(v);
        if self.exact.len() < MAX_FOLDED {
            self.exact.insert(v.to_string(), v.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_tokens() {
        for s in [
            "",
            "  ",
            "#N/A",
            "Select",
            "select",
            "-",
            "null",
            "NULL",
            "N/A",
            "N/a",
            "n/A",
            " (Blank) ",
            "--",
        ] {
            assert!(is_null(s), "{s:?}");
        }
        for s in ["0", "None", "Google", "a-b", "n/a/b", "(blank"] {
            assert!(!is_null(s), "{s:?}");
        }
    }

    /// The TypeScript module the UI imports: [`NULL_TOKENS`] and the same comparison.
    pub fn null_tokens_typescript() -> String {
        let is_null_token = "\
/** A cell the importer reads as empty: a token ignoring ASCII case and surrounding spaces (`values::is_null`). */
export function isNullToken(value: string): boolean {
  const t = value.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
  return NULL_TOKENS.includes(t);
}
";
        baton_core::generated::ts_module(
            "baton-import/src/values.rs",
            &[],
            &[
                baton_core::generated::ts_list(
                    "Cells the importer reads as empty, lower-case (`values::NULL_TOKENS`).",
                    "NULL_TOKENS",
                    "string",
                    &NULL_TOKENS,
                ),
                is_null_token.to_string(),
            ],
        )
    }

    /// `is_null` is exactly the exported list: every token in any ASCII case and with
    /// spaces around is null, and the generated module carries every token.
    #[test]
    fn is_null_agrees_with_the_exported_list() {
        let ts = null_tokens_typescript();
        for token in NULL_TOKENS {
            assert_eq!(
                token,
                token.to_lowercase(),
                "tokens are listed in lower case"
            );
            for v in [
                token.to_string(),
                token.to_uppercase(),
                format!("  {}\t", token.to_uppercase()),
            ] {
                assert!(is_null(&v), "{v:?}");
            }
            let mut mixed = token.to_string();
            if let Some(first) = mixed.get(..1) {
                mixed = first.to_uppercase() + &mixed[1..];
            }
            assert!(is_null(&mixed), "{mixed:?}");
            assert!(
                ts.contains(&format!("{token:?}")),
                "{token} missing from the TS list"
            );
        }
    }

    /// Named like ts-rs's export tests so `scripts/check-bindings.sh` regenerates
    /// and drift-checks it with the other bindings.
    #[test]
    fn export_bindings_null_tokens() {
        baton_core::generated::write("nullTokens.ts", &null_tokens_typescript());
    }

    #[test]
    fn locale_numbers() {
        let p = DecimalMark::Point;
        let c = DecimalMark::Comma;
        assert_eq!(parse_number("1234.5", p), Some(1234.5));
        assert_eq!(parse_number("1,234.56", p), Some(1234.56));
        assert_eq!(parse_number("1 234,56", p), Some(1234.56));
        assert_eq!(parse_number("1\u{a0}234,56", p), Some(1234.56));
        assert_eq!(parse_number("1.234,56", p), Some(1234.56));
        assert_eq!(parse_number("1'234.50", p), Some(1234.5));
        assert_eq!(parse_number("1,7", p), Some(1.7));
        assert_eq!(parse_number("200.000.000", p), Some(200_000_000.0));
        assert_eq!(parse_number("1,234", p), Some(1234.0));
        assert_eq!(parse_number("1,234", c), Some(1.234));
        assert_eq!(parse_number("€ 1 234", p), Some(1234.0));
        assert_eq!(parse_number("12 EUR", p), Some(12.0));
        assert_eq!(parse_number("(120)", p), Some(-120.0));
        assert_eq!(parse_number("-5", p), Some(-5.0));
        assert_eq!(parse_number("abc", p), None);
        assert_eq!(parse_number("1-2", p), None);
        assert_eq!(parse_number("USD 1,234.50", p), Some(1234.5));
        assert_eq!(parse_number("CHF1'200", p), Some(1200.0));
        assert_eq!(parse_number("+4", p), Some(4.0));
        // Ids and phone numbers are not numbers.
        assert_eq!(parse_number("A-1", p), None);
        assert_eq!(parse_number("INV-2024-17", p), None);
        assert_eq!(parse_number("+33 6 12 34 56 78", p), None);
        assert_eq!(parse_number("+1 555 123 4567", p), None);
        assert_eq!(parse_number("555+1", p), None);
        assert_eq!(parse_number("1 234 567", p), Some(1_234_567.0));
        assert_eq!(parse_number("12 345,6", p), Some(12_345.6));
        assert_eq!(parse_number("1 2345", p), None);
        assert_eq!(parse_number("", p), None);
    }

    #[test]
    fn e_mail_addresses_and_phone_numbers_are_recognised() {
        for v in [
            "anna@example.com",
            " Anna.Moreau+crm@sub.acme.co.uk ",
            "101;Anna;Moreau;anna@example.com;Customer",
            "call +33 6 12 34 56 78 after 5",
            "+33 6 12 34 56 78",
            "+14155550123",
            "(555) 123-4567",
            "555-123-4567",
            "030/1234567",
        ] {
            assert!(holds_contact_detail(v), "{v:?}");
        }
        for v in [
            "12345678901",
            "00Q5e00000AbCdE",
            "zcrm_5001",
            "2024-03-05",
            "05.03.2024",
            "1 234 567",
            "1.234.567",
            "A-1",
            "INV-2024-17",
            "Google",
            "@acme",
            "a@b",
            "user@localhost",
            "Q1 2025",
            "Q1 2025 - 2026 budget 1 234 567",
            "+4",
            "score +12 points",
        ] {
            assert!(!holds_contact_detail(v), "{v:?}");
        }
    }

    #[test]
    fn company_sizes() {
        assert_eq!(parse_company_size("250"), Some(250));
        assert_eq!(parse_company_size("51-200"), Some(51));
        assert_eq!(parse_company_size("10,001+"), Some(10001));
        assert_eq!(parse_company_size("May-20"), Some(5));
        assert_eq!(parse_company_size("lots"), None);
    }

    #[test]
    fn case_variants_fold_to_first_spelling() {
        let mut f = Folder::default();
        f.seed(["Google".to_string()]);
        let mut out = String::new();
        f.fold_into(" google ", &mut out);
        assert_eq!(out, "Google");
        f.fold_into("LinkedIn", &mut out);
        f.fold_into("LINKEDIN", &mut out);
        assert_eq!(out, "LinkedIn");
    }
}
