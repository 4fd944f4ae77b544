//! The merged regions of one `.xlsx` sheet, found without parsing its cells.
//!
//! A sheet lists its merged regions after all its cells, so reading them through calamine is
//! a second full XML parse of the sheet (as long as reading the cells: 0.8–1.6 s for a
//! 200,000-row export). Here the sheet's part is only inflated and searched for the
//! `mergeCells` element (0.13 s for the same sheet): in well-formed XML a `<` is always
//! markup (text and attribute values escape it), so the first `<mergeCells` (or
//! `<prefix:mergeCells`) is the element itself. Only what follows it is parsed as XML.
//!
//! calamine reports no merged regions for `.ods` at all: there a merged cell carries its
//! span (`table:number-rows-spanned`, `table:number-columns-spanned`) and the cells it
//! covers are `table:covered-table-cell`s, found by [`ods_merged_regions`].

use calamine::Dimensions;
use memchr::memmem;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{Read, Seek};
use zip::ZipArchive;

const NAME: &[u8] = b"mergeCells";
/// Bytes kept from one buffer to the next so a match split between them is still found.
const OVERLAP: usize = 64;

/// The merged regions of the sheet named `sheet` (0-based, as calamine's `Dimensions`).
/// Errors are plain text; the caller names the file.
pub fn merged_regions<R: Read + Seek>(input: R, sheet: &str) -> Result<Vec<Dimensions>, String> {
    let mut zip = ZipArchive::new(input).map_err(|e| e.to_string())?;
    let part = sheet_part(&mut zip, sheet)?;
    let entry = zip.by_name(&part).map_err(|e| format!("{part}: {e}"))?;
    let tail = tail_from_merge_cells(entry).map_err(|e| format!("{part}: {e}"))?;
    match tail {
        Some(xml) => parse_merge_cells(&xml).map_err(|e| format!("{part}: {e}")),
        None => Ok(Vec::new()),
    }
}

/// The merged regions of the `.ods` sheet (table) named `sheet`.
pub fn ods_merged_regions<R: Read + Seek>(
    input: R,
    sheet: &str,
) -> Result<Vec<Dimensions>, String> {
    let mut zip = ZipArchive::new(input).map_err(|e| e.to_string())?;
    let content = read_part(&mut zip, "content.xml")?;
    let mut reader = Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();
    let mut inside = false;
    let (mut row, mut col, mut row_repeats) = (0u32, 0u32, 1u32);
    let mut out = Vec::new();
    loop {
        let (event, empty) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "table" if inside => return Ok(out),
                    "table-row" if inside => row = row.saturating_add(row_repeats),
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(format!("content.xml: {e}")),
            _ => {
                buf.clear();
                continue;
            }
        };
        let number = |name: &str| -> u32 {
            event
                .attributes()
                .flatten()
                .find(|a| a.key.local_name().as_ref() == name)
                .and_then(|a| a.value.parse().ok())
                .filter(|&n| n >= 1)
                .unwrap_or(1)
        };
        match event.local_name().as_ref() {
            "table" if !inside => {
                inside = event
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "name")
                    .and_then(|a| attribute_text(&a.value).ok())
                    .is_some_and(|name| name == sheet);
                if inside && empty {
                    return Ok(out);
                }
            }
            "table-row" if inside => {
                row_repeats = number("number-rows-repeated");
                col = 0;
                if empty {
                    row = row.saturating_add(row_repeats);
                }
            }
            "table-cell" | "covered-table-cell" if inside => {
                let rows = number("number-rows-spanned");
                let cols = number("number-columns-spanned");
                if rows > 1 || cols > 1 {
                    out.push(Dimensions {
                        start: (row, col),
                        end: (row + rows - 1, col + cols - 1),
                    });
                }
                col = col.saturating_add(number("number-columns-repeated"));
            }
            _ => {}
        }
        buf.clear();
    }
}

/// Inflate a sheet part and return everything from its `mergeCells` element on, if any.
fn tail_from_merge_cells(mut part: impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let finder = memmem::Finder::new(NAME);
    let mut buf = vec![0u8; 256 * 1024];
    let mut kept = 0;
    loop {
        let n = part.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(None);
        }
        let filled = kept + n;
        let found = finder
            .find_iter(&buf[..filled])
            .find_map(|at| element_start(&buf[..filled], at));
        if let Some(start) = found {
            let mut tail = buf[start..filled].to_vec();
            part.read_to_end(&mut tail)?;
            return Ok(Some(tail));
        }
        // Keep the end of the buffer: a match may begin there.
        let keep = filled.min(OVERLAP);
        buf.copy_within(filled - keep..filled, 0);
        kept = keep;
    }
}

/// Where the tag holding the name at `at` begins, if the name is an element's: right after
/// `<`, or after `<prefix:`.
fn element_start(buf: &[u8], at: usize) -> Option<usize> {
    let before = buf[..at].last()?;
    if *before == b'<' {
        return Some(at - 1);
    }
    if *before != b':' {
        return None;
    }
    let prefix = buf[..at - 1]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    let lt = at - 1 - prefix;
    (prefix > 0 && lt > 0 && buf[lt - 1] == b'<').then(|| lt - 1)
}

fn parse_merge_cells(xml: &[u8]) -> Result<Vec<Dimensions>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                let reference = e
                    .try_get_attribute("ref")
                    .map_err(|e| e.to_string())?
                    .ok_or("a merged region without a ref")?;
                out.push(parse_range(&attribute_text(&reference.value)?)?);
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => return Ok(out),
            Ok(Event::Eof) => return Err("the merged regions are cut short".into()),
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
}

/// `A1:C3` or `B2` → 0-based (row, column) corners.
fn parse_range(text: &str) -> Result<Dimensions, String> {
    let mut corners = text.split(':').map(parse_cell);
    let start = corners.next().ok_or("an empty merged region")??;
    let end = corners.next().transpose()?.unwrap_or(start);
    if corners.next().is_some() || end.0 < start.0 || end.1 < start.1 {
        return Err(format!("a merged region that is not a range: {text:?}"));
    }
    Ok(Dimensions { start, end })
}

fn parse_cell(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("a merged region that is not a range: {text:?}");
    let text = text.replace('$', "");
    let split = text
        .find(|c: char| c.is_ascii_digit())
        .filter(|&i| i > 0)
        .ok_or_else(bad)?;
    let (letters, digits) = text.split_at(split);
    let mut col: u32 = 0;
    for c in letters.bytes() {
        if !c.is_ascii_alphabetic() {
            return Err(bad());
        }
        col = col
            .checked_mul(26)
            .and_then(|v| v.checked_add(u32::from(c.to_ascii_uppercase() - b'A') + 1))
            .ok_or_else(bad)?;
    }
    let row: u32 = digits.parse().map_err(|_| bad())?;
    if row == 0 {
        return Err(bad());
    }
    Ok((row - 1, col - 1))
}

/// The zip path of the worksheet named `sheet`: the package's relationships name the
/// workbook part, the workbook names its sheets' relationship ids, and the workbook's
/// relationships give each id's part.
fn sheet_part<R: Read + Seek>(zip: &mut ZipArchive<R>, sheet: &str) -> Result<String, String> {
    let root = read_part(zip, "_rels/.rels")?;
    let workbook = relationship_targets(&root)?
        .into_iter()
        .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
        .map(|(_, _, target)| resolve("", &target))
        .unwrap_or_else(|| "xl/workbook.xml".into());
    let (dir, file) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let id = sheet_relationship_id(&read_part(zip, &workbook)?, sheet)?;
    relationship_targets(&read_part(zip, &rels_path)?)?
        .into_iter()
        .find(|(rid, _, _)| *rid == id)
        .map(|(_, _, target)| resolve(dir, &target))
        .ok_or_else(|| format!("no part for the sheet \"{sheet}\""))
}

fn read_part<R: Read + Seek>(zip: &mut ZipArchive<R>, name: &str) -> Result<Vec<u8>, String> {
    let mut entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut out = Vec::new();
    entry
        .read_to_end(&mut out)
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(out)
}

/// (Id, Type, Target) of every `Relationship` of a `.rels` part.
fn relationship_targets(xml: &[u8]) -> Result<Vec<(String, String, String)>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let attr = |name: &str| -> String {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .and_then(|a| attribute_text(&a.value).ok())
                        .unwrap_or_default()
                };
                out.push((attr("Id"), attr("Type"), attr("Target")));
            }
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
}

/// The relationship id (`r:id`) of the sheet named `sheet` in `workbook.xml`.
fn sheet_relationship_id(xml: &[u8], sheet: &str) -> Result<String, String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                let mut name = None;
                let mut id = None;
                for a in e.attributes().flatten() {
                    let value = attribute_text(&a.value)?;
                    match a.key.local_name().as_ref() {
                        "name" => name = Some(value),
                        "id" => id = Some(value),
                        _ => {}
                    }
                }
                if name.as_deref() == Some(sheet) {
                    return id.ok_or_else(|| format!("the sheet \"{sheet}\" has no part"));
                }
            }
            Ok(Event::Eof) => return Err(format!("no sheet named \"{sheet}\"")),
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
}

fn attribute_text(raw: &str) -> Result<String, String> {
    quick_xml::escape::unescape(raw)
        .map(|v| v.into_owned())
        .map_err(|e| e.to_string())
}

/// A relationship target: absolute (`/xl/worksheets/sheet1.xml`) or relative to `dir`.
fn resolve(dir: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(xml: &str) -> Vec<Dimensions> {
        let tail = tail_from_merge_cells(xml.as_bytes()).unwrap();
        tail.map(|t| parse_merge_cells(&t).unwrap())
            .unwrap_or_default()
    }

    #[test]
    fn finds_the_element_and_not_its_name_in_text() {
        let xml = r#"<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>mergeCells &lt;mergeCells</t></is></c></row></sheetData><mergeCells count="2"><mergeCell ref="A2:A4"/><mergeCell ref="$B$1:C1"/></mergeCells><pageMargins/></worksheet>"#;
        let r = regions(xml);
        assert_eq!(
            r,
            vec![
                Dimensions {
                    start: (1, 0),
                    end: (3, 0)
                },
                Dimensions {
                    start: (0, 1),
                    end: (0, 2)
                },
            ]
        );
        assert!(regions("<worksheet><sheetData/></worksheet>").is_empty());
    }

    /// Gives at most `step` bytes a read, so every match straddles reads somewhere.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.data.len().min(self.step).min(out.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_prefixed_element_split_between_reads_is_found() {
        let xml = r#"<x:worksheet><x:sheetData><x:row r="1"/></x:sheetData><x:mergeCells><x:mergeCell ref="AA10:AB12"/></x:mergeCells></x:worksheet>"#;
        let want = vec![Dimensions {
            start: (9, 26),
            end: (11, 27),
        }];
        for step in [1, 3, 7, 64, 1000] {
            let tail = tail_from_merge_cells(Trickle {
                data: xml.as_bytes(),
                step,
            })
            .unwrap()
            .expect("found");
            assert_eq!(parse_merge_cells(&tail).unwrap(), want, "step {step}");
        }
    }

    fn ods(content: &str) -> std::io::Cursor<Vec<u8>> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        let mut out = zip.finish().unwrap();
        out.set_position(0);
        out
    }

    #[test]
    fn ods_spans_are_placed_past_repeated_rows_and_columns_of_the_chosen_table() {
        let xml = r#"<office:document-content xmlns:table="t"><office:body><office:spreadsheet>
            <table:table table:name="Other"><table:table-row><table:table-cell table:number-rows-spanned="9"/></table:table-row></table:table>
            <table:table table:name="Report">
              <table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>
              <table:table-row-group><table:table-row/></table:table-row-group>
              <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="2"><text:p>x</text:p></table:table-cell></table:table-row>
              <table:table-row><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert_eq!(
            ods_merged_regions(ods(xml), "Report").unwrap(),
            vec![Dimensions {
                start: (4, 2),
                end: (5, 3)
            }]
        );
        assert!(ods_merged_regions(ods(xml), "Missing").unwrap().is_empty());
    }

    #[test]
    fn bad_references_are_refused() {
        for r in ["", "A0", "1:2", "B2:A1", "A1:B2:C3", "Ä1"] {
            assert!(parse_range(r).is_err(), "{r}");
        }
        assert!(parse_merge_cells(b"<mergeCells><mergeCell ref=\"A1:B1\"/>").is_err());
    }

    #[test]
    fn targets_resolve_against_the_workbook_folder() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(
            resolve("xl/sub", "../worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
    }
}
