//! Typesetting with typst as a library. The template (`template/report.typ`)
//! is compiled against a tiny in-memory world holding two files: the template
//! itself and `data.json` (the serialized [`ReportData`]). Fonts come from
//! `typst-assets` and are embedded in the PDF, so output does not depend on
//! the fonts installed on the machine.

use crate::model::ReportData;
use baton_core::{BatonError, Result};
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("../template/report.typ");
const TEMPLATE_PATH: &str = "report.typ";
const DATA_PATH: &str = "data.json";

/// Parsed fonts and the standard library, built once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("static virtual path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

struct ReportWorld {
    shared: &'static Shared,
    main: Source,
    data: Bytes,
    data_id: FileId,
    today: Option<Datetime>,
}

impl ReportWorld {
    fn new(data_json: Vec<u8>, generated_on: &str) -> Self {
        Self {
            shared: shared(),
            main: Source::new(file_id(TEMPLATE_PATH), TEMPLATE.to_string()),
            data: Bytes::new(data_json),
            data_id: file_id(DATA_PATH),
            today: parse_ymd(generated_on),
        }
    }
}

fn parse_ymd(s: &str) -> Option<Datetime> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8)
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

fn diagnostics_error(what: &str, diags: &[SourceDiagnostic]) -> BatonError {
    let msgs: Vec<String> = diags
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            for h in &d.hints {
                m.push_str(&format!(" (hint: {})", h.v));
            }
            m
        })
        .collect();
    BatonError::internal(format!("{what}: {}", msgs.join("; ")))
}

/// Lay out the report into pages.
pub fn layout(data: &ReportData) -> Result<PagedDocument> {
    let json = serde_json::to_vec(data)
        .map_err(|e| BatonError::internal(format!("serializing report data: {e}")))?;
    let world = ReportWorld::new(json, &data.generated_on);
    let warned = typst::compile::<PagedDocument>(&world);
    warned
        .output
        .map_err(|diags| diagnostics_error("typesetting the report failed", &diags))
}

/// The laid-out document as PDF bytes (fonts embedded, title and date in metadata).
pub fn pdf(doc: &PagedDocument) -> Result<Vec<u8>> {
    let options = typst_pdf::PdfOptions {
        creator: Smart::Custom(Some("Baton".into())),
        ..Default::default()
    };
    let mut pdf = typst_pdf::pdf(doc, &options)
        .map_err(|diags| diagnostics_error("writing the PDF failed", &diags))?;
    blank_default_suspects(&mut pdf);
    Ok(pdf)
}

/// poppler up to 25.11 (`pdfinfo`, `pdftotext`, many Linux PDF viewers) prints "Syntax
/// Error: Suspects object is wrong type (boolean)" for the legal `/Suspects false` typst
/// writes in the catalog's `/MarkInfo` (poppler tests the type and the value together).
/// `false` is the default, so the entry is overwritten with spaces of the same length:
/// the document means the same and every offset in the cross-reference table holds.
fn blank_default_suspects(pdf: &mut [u8]) {
    const ENTRY: &[u8] = b"/Suspects false";
    let Some(mark_info) = find(pdf, b"/MarkInfo", 0) else {
        return;
    };
    let Some(open) = find(pdf, b"<<", mark_info) else {
        return;
    };
    let Some(close) = find(pdf, b">>", open) else {
        return;
    };
    if let Some(at) = find(&pdf[..close], ENTRY, open) {
        pdf[at..at + ENTRY.len()].fill(b' ');
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Each page as an SVG document, for the preview in the app.
pub fn svg_pages(doc: &PagedDocument) -> Vec<String> {
    let opts = typst_svg::SvgOptions::default();
    doc.pages()
        .iter()
        .map(|p| typst_svg::svg(p, &opts))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::blank_default_suspects;

    #[test]
    fn only_the_mark_info_suspects_entry_is_blanked() {
        let mut pdf = b"1 0 obj\n<</Title (x /Suspects false)>>\n2 0 obj\n<</Type /Catalog /MarkInfo <</Marked true /Suspects false>> /Lang (en)>>".to_vec();
        let len = pdf.len();
        blank_default_suspects(&mut pdf);
        let text = String::from_utf8(pdf).unwrap();
        assert_eq!(text.len(), len);
        assert!(text.contains("(x /Suspects false)"), "{text}");
        assert!(
            text.contains("/MarkInfo <</Marked true                >>"),
            "{text}"
        );
    }
}
