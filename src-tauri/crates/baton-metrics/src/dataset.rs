//! The records in a compact columnar form: stage dates as `i64` seconds per stage,
//! text fields dictionary-encoded under case-folded keys (`Google`/`google` group
//! together and the quality panel lists the spellings), everything the engine asks
//! per record precomputed once at load.

pub use baton_core::dates::{format_date, month_index, parse_date};
use baton_core::fields;
use baton_core::reach::Reach;
use baton_core::stages::{Stage, LOST};
use baton_core::Result;
use baton_store::prelude::*;
use baton_store::{StoredRecord, Workspace};
use std::collections::HashMap;

pub use crate::persist::Kept;

/// How [`Dataset::open_kept`] had the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The kept one, as it was (no record read).
    Kept,
    /// The kept one with what imports wrote since (only their records read).
    Extended,
    /// Loaded from every record (none kept, or the kept one could not be used).
    Loaded,
}

/// Marks "no date" in the date columns.
pub const NO_DATE: i64 = i64::MIN;

/// The display key of a missing value in breakdowns.
pub const NONE_KEY: &str = "(none)";

/// Reads one built-in column's value from a record (`size`: the company size as text).
type Read = for<'a> fn(&'a Record, &'a Option<String>) -> Option<&'a str>;

/// How the dataset reads each field `baton_core::fields` marks `breakdown` (filters and
/// breakdowns use these columns); `None` for any other name.
fn reader(id: &str) -> Option<Read> {
    let read: Read = match id {
        "source" => |r, _| r.source.as_deref(),
        "campaign" => |r, _| r.campaign.as_deref(),
        "owner" => |r, _| r.owner.as_deref(),
        "segment" => |r, _| r.segment.as_deref(),
        "industry" => |r, _| r.industry.as_deref(),
        "country" => |r, _| r.country.as_deref(),
        "company_size" => |_, size| size.as_deref(),
        "lost_reason" => |r, _| r.lost_reason.as_deref(),
        "kind" => |r, _| Some(r.kind.as_str()),
        "stage" => |r, _| r.current_stage.as_deref(),
        _ => return None,
    };
    Some(read)
}

/// The built-in columns, in `baton_core::fields` order, with how to read each.
fn builtin_columns() -> Vec<(&'static str, Read)> {
    fields::breakdown()
        .filter_map(|id| Some((id, reader(id)?)))
        .collect()
}

/// Open, won or lost, as decided by [`baton_core::reach`].
pub use baton_core::reach::Outcome;

/// Case-fold a value for grouping: trimmed, lowercase.
pub fn fold(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The stage dates, `records × stages`, row-major. Stored as `i32` seconds from
/// 2000-01-01 (1932 to 2068) — half the memory — until a date falls outside that span.
#[derive(Debug, Clone, PartialEq)]
pub enum Dates {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

impl Dates {
    const BASE: i64 = 946_684_800;
    const NONE: i32 = i32::MIN;

    fn narrow(d: i64) -> Option<i32> {
        if d == NO_DATE {
            return Some(Self::NONE);
        }
        i32::try_from(d - Self::BASE)
            .ok()
            .filter(|&v| v != Self::NONE)
    }

    /// The date at `at`, [`NO_DATE`] when absent.
    #[inline]
    pub fn get(&self, at: usize) -> i64 {
        match self {
            Dates::Narrow(v) => match v[at] {
                Self::NONE => NO_DATE,
                d => d as i64 + Self::BASE,
            },
            Dates::Wide(v) => v[at],
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Dates::Narrow(v) => v.len(),
            Dates::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn fit(&mut self, dates: &[i64]) {
        if let Dates::Narrow(v) = self {
            if dates.iter().any(|&d| Self::narrow(d).is_none()) {
                let mut w = Vec::with_capacity(v.capacity());
                w.extend(v.iter().map(|&d| match d {
                    Self::NONE => NO_DATE,
                    d => d as i64 + Self::BASE,
                }));
                *self = Dates::Wide(w);
            }
        }
    }

    fn extend(&mut self, dates: &[i64]) {
        self.fit(dates);
        match self {
            Dates::Narrow(v) => v.extend(dates.iter().map(|&d| Self::narrow(d).expect("fits"))),
            Dates::Wide(v) => v.extend_from_slice(dates),
        }
    }

    fn set(&mut self, from: usize, dates: &[i64]) {
        self.fit(dates);
        for (k, &d) in dates.iter().enumerate() {
            match self {
                Dates::Narrow(v) => v[from + k] = Self::narrow(d).expect("fits"),
                Dates::Wide(v) => v[from + k] = d,
            }
        }
    }

    fn reserve_exact(&mut self, n: usize) {
        match self {
            Dates::Narrow(v) => v.reserve_exact(n),
            Dates::Wide(v) => v.reserve_exact(n),
        }
    }
}

/// A column's codes, one per record, each as narrow as the largest code allows (most
/// columns have fewer than 256 values: a byte per record instead of four).
#[derive(Debug, Clone, PartialEq)]
pub enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    /// The code of row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(v) => v[i] as u32,
            Codes::U16(v) => v[i] as u32,
            Codes::U32(v) => v[i],
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Every code widened (for callers that need a slice).
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }

    /// Codes from `u32`s, stored as narrow as they fit.
    pub fn from_u32(v: Vec<u32>) -> Codes {
        let max = v.iter().copied().max().unwrap_or(0);
        if max <= u8::MAX as u32 {
            Codes::U8(v.into_iter().map(|c| c as u8).collect())
        } else if max <= u16::MAX as u32 {
            Codes::U16(v.into_iter().map(|c| c as u16).collect())
        } else {
            Codes::U32(v)
        }
    }

    fn widen_for(&mut self, code: u32) {
        let wider = match self {
            Codes::U8(v) if code > u8::MAX as u32 => {
                let mut w = Vec::with_capacity(v.capacity());
                w.extend(v.iter().map(|&c| c as u16));
                Codes::U16(w)
            }
            Codes::U16(v) if code > u16::MAX as u32 => {
                let mut w = Vec::with_capacity(v.capacity());
                w.extend(v.iter().map(|&c| c as u32));
                Codes::U32(w)
            }
            _ => return,
        };
        *self = wider;
        self.widen_for(code);
    }

    pub fn push(&mut self, code: u32) {
        self.widen_for(code);
        match self {
            Codes::U8(v) => v.push(code as u8),
            Codes::U16(v) => v.push(code as u16),
            Codes::U32(v) => v.push(code),
        }
    }

    fn resize(&mut self, len: usize) {
        match self {
            Codes::U8(v) => v.resize(len, 0),
            Codes::U16(v) => v.resize(len, 0),
            Codes::U32(v) => v.resize(len, 0),
        }
    }

    pub fn reserve_exact(&mut self, n: usize) {
        match self {
            Codes::U8(v) => v.reserve_exact(n),
            Codes::U16(v) => v.reserve_exact(n),
            Codes::U32(v) => v.reserve_exact(n),
        }
    }

    fn capacity(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity(),
            Codes::U32(v) => v.capacity(),
        }
    }
}

/// A dictionary-encoded text column. Code 0 is "missing".
#[derive(Debug, Default, Clone)]
pub struct Column {
    pub codes: Codes,
    /// Display spelling per code (the first one seen); `display[0]` is [`NONE_KEY`].
    pub display: Vec<String>,
    /// How many records carry each code.
    pub counts: Vec<u64>,
    /// Codes spelled more than one way: the spellings and how often each occurs.
    pub variants: HashMap<u32, Vec<(String, u64)>>,
    /// Rows spelled otherwise than their code's first spelling: row → index into the
    /// code's `variants` (so a row's own spelling is known when the dataset is extended).
    pub(crate) odd: HashMap<u32, u32>,
    index: HashMap<String, u32>,
}

impl Column {
    fn new() -> Self {
        Column {
            display: vec![NONE_KEY.to_string()],
            counts: vec![0],
            ..Column::default()
        }
    }

    fn push(&mut self, value: Option<&str>) {
        let code = match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => 0,
            Some(v) => self.intern(v, self.codes.len() as u32),
        };
        self.counts[code as usize] += 1;
        self.codes.push(code);
    }

    fn intern(&mut self, v: &str, row: u32) -> u32 {
        let key = fold(v);
        match self.index.get(&key) {
            Some(&code) => {
                let first = &self.display[code as usize];
                if first != v || self.variants.contains_key(&code) {
                    let list = self
                        .variants
                        .entry(code)
                        .or_insert_with(|| vec![(first.clone(), self.counts[code as usize])]);
                    let at = match list.iter().position(|(s, _)| s == v) {
                        Some(at) => {
                            list[at].1 += 1;
                            at
                        }
                        None => {
                            list.push((v.to_string(), 1));
                            list.len() - 1
                        }
                    };
                    if at > 0 {
                        self.odd.insert(row, at as u32);
                    }
                }
                code
            }
            None => {
                let code = self.display.len() as u32;
                self.display.push(v.to_string());
                self.counts.push(0);
                self.index.insert(key, code);
                code
            }
        }
    }

    /// The code of a value (case-folded), or `None` if no record has it.
    /// [`NONE_KEY`] names the missing value.
    pub fn code_of(&self, value: &str) -> Option<u32> {
        if value == NONE_KEY {
            return Some(0);
        }
        self.index.get(&fold(value)).copied()
    }

    /// Row `i`'s own spelling (trimmed), or `None` when missing.
    pub fn spelling(&self, i: usize) -> Option<&str> {
        let code = self.codes.get(i);
        if code == 0 {
            return None;
        }
        Some(match self.odd.get(&(i as u32)) {
            Some(&at) => self.variants[&code][at as usize].0.as_str(),
            None => self.display[code as usize].as_str(),
        })
    }

    /// The value of row `i`, or `None` when missing.
    pub fn value(&self, i: usize) -> Option<&str> {
        match self.codes.get(i) {
            0 => None,
            c => Some(self.display[c as usize].as_str()),
        }
    }

    /// A column read back from the persisted dataset: its dictionary is rebuilt from
    /// the display spellings; `None` when the parts do not fit together.
    pub(crate) fn from_parts(
        codes: Codes,
        display: Vec<String>,
        counts: Vec<u64>,
        variants: HashMap<u32, Vec<(String, u64)>>,
        odd: HashMap<u32, u32>,
    ) -> Option<Column> {
        if display.is_empty() || display.len() != counts.len() {
            return None;
        }
        if codes.iter().any(|c| c as usize >= display.len())
            || variants.keys().any(|&c| c as usize >= display.len())
        {
            return None;
        }
        let odd_fits = odd.iter().all(|(&row, &at)| {
            ((row as usize) < codes.len())
                .then(|| codes.get(row as usize))
                .is_some_and(|c| {
                    variants
                        .get(&c)
                        .is_some_and(|list| (at as usize) < list.len())
                })
        });
        if !odd_fits {
            return None;
        }
        let index = display
            .iter()
            .enumerate()
            .skip(1)
            .map(|(code, v)| (fold(v), code as u32))
            .collect();
        Some(Column {
            codes,
            display,
            counts,
            variants,
            odd,
            index,
        })
    }

    fn pad_to(&mut self, len: usize) {
        let missing = len - self.codes.len();
        self.codes.resize(len);
        self.counts[0] += missing as u64;
    }
}

/// The records' CRM ids, packed in one buffer (a million `String`s would cost three
/// times the memory).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct IdTable {
    bytes: Vec<u8>,
    /// `len + 1` offsets into `bytes` (ids total far less than 4 GiB).
    offsets: Vec<u32>,
}

impl IdTable {
    pub fn with_capacity(n: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        IdTable {
            bytes: Vec::with_capacity(n * 8),
            offsets,
        }
    }

    pub fn push(&mut self, id: &str) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.bytes.extend_from_slice(id.as_bytes());
        let end = u32::try_from(self.bytes.len()).expect("record ids under 4 GiB in all");
        self.offsets.push(end);
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of row `i`.
    pub fn get(&self, i: usize) -> &str {
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        std::str::from_utf8(&self.bytes[a..b]).expect("ids are pushed as str")
    }

    pub(crate) fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Read back from the persisted dataset; `None` unless the offsets rise from 0 to
    /// the end of `bytes` and every id is UTF-8.
    pub(crate) fn from_parts(offsets: Vec<u32>, bytes: Vec<u8>) -> Option<IdTable> {
        let whole = offsets.first() == Some(&0)
            && offsets.last().map(|&o| o as usize) == Some(bytes.len())
            && offsets.windows(2).all(|w| w[0] <= w[1]);
        let table = IdTable { bytes, offsets };
        (whole
            && (0..table.len()).all(|i| {
                let (a, b) = (table.offsets[i] as usize, table.offsets[i + 1] as usize);
                std::str::from_utf8(&table.bytes[a..b]).is_ok()
            }))
        .then_some(table)
    }
}

/// A record's bits the engine needs, as the loader sees them; [`Dataset::build`]
/// takes these so tests can construct datasets without SQLite.
pub type Record = StoredRecord;

/// Every record of a workspace, columnar.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The workspace's `data_version` this copy was loaded at.
    pub version: i64,
    pub stages: Vec<Stage>,
    /// "As of" for open SLA clocks and goal pace: the latest import's wall clock.
    pub as_of: i64,
    pub ids: Vec<i64>,
    pub external_ids: IdTable,
    /// `len * stages` dates, row-major, [`NO_DATE`] when absent (read with [`Dataset::date`]).
    pub dates: Dates,
    /// Highest stage index reached, -1 when nothing says the record entered the funnel.
    pub reach: Vec<i8>,
    /// Bit `s` set when the record itself says it was at stage `s` (a date, a snapshot,
    /// its current stage); stages below `reach` without the bit were skipped.
    pub evidence: Vec<u32>,
    pub outcome: Vec<Outcome>,
    /// The distinct sets of tracked stages (bit `s` = stage `s`): a stage no file of a
    /// record can express is not tracked for it. `tracked_masks[0]` is every stage.
    pub tracked_masks: Vec<u32>,
    /// Per record, its index into `tracked_masks`.
    pub tracked_of: Vec<u8>,
    /// Per record, the highest stage reached with evidence of every tracked stage up to
    /// it (the "evidence" counting rule); -1 when the first tracked stage has none.
    pub evidence_reach: Vec<i8>,
    /// Date of the first dated stage (funnel order), or [`NO_DATE`].
    pub entry: Vec<i64>,
    pub closed_at: Vec<i64>,
    pub amount: Vec<f64>,
    /// Text columns by name: the built-ins, then custom fields.
    pub columns: Vec<(String, Column)>,
    /// Custom fields as the records name them, with their column, in byte order of the
    /// name (a custom field with a built-in's name is the column `custom:NAME`).
    pub custom_fields: Vec<(String, usize)>,
    /// Current-stage values and date keys that are not agreed stages: `(value, records)`.
    pub unmapped: Vec<(String, u64)>,
    /// The part of `unmapped` the records themselves carry (before the values imports
    /// could not map are added), and how many records have a date for an unknown stage.
    pub record_unmapped: Vec<(String, u64)>,
    pub unmapped_date_rows: u64,
    /// Rows that arrived from several differently named files, with the files.
    pub several_files: Vec<(u32, Vec<String>)>,
    /// Rows whose ids (of one kind) differ only by case or surrounding spaces, grouped;
    /// found once at load so the quality panel does not fold every id per query.
    pub id_variant_groups: Vec<Vec<u32>>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn stage_count(&self) -> usize {
        self.stages.len()
    }

    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    /// The date row `i` entered stage `s`, if the files gave one.
    #[inline]
    pub fn date(&self, i: usize, s: usize) -> Option<i64> {
        let d = self.dates.get(i * self.stages.len() + s);
        (d != NO_DATE).then_some(d)
    }

    /// Whether record `i`'s files can express stage `s`.
    #[inline]
    pub fn tracks(&self, i: usize, s: usize) -> bool {
        self.tracked_masks[self.tracked_of[i] as usize] >> s & 1 == 1
    }

    /// The tracked-stage bits of record `i`.
    #[inline]
    pub fn tracked_mask(&self, i: usize) -> u32 {
        self.tracked_masks[self.tracked_of[i] as usize]
    }

    /// Mark `rows` as tracking only `stages` (ids; unknown ids ignored). The loader does
    /// this from the imports; tests call it directly.
    pub fn set_tracked_stages(&mut self, rows: impl IntoIterator<Item = usize>, stages: &[&str]) {
        let mask = stages
            .iter()
            .filter_map(|id| self.stage_index(id))
            .fold(0u32, |m, s| m | 1 << s);
        let mut masks: Vec<u32> = (0..self.len()).map(|i| self.tracked_mask(i)).collect();
        for r in rows {
            masks[r] = mask;
        }
        self.apply_tracking(&masks);
    }

    /// Set every record's tracked stages from one mask per row.
    fn apply_tracking(&mut self, row_masks: &[u32]) {
        let all = all_stages(self.stage_count());
        let mut masks = vec![all];
        let mut index: HashMap<u32, u8> = HashMap::from([(all, 0)]);
        self.tracked_of = row_masks
            .iter()
            .map(|&m| {
                *index.entry(m).or_insert_with(|| {
                    if masks.len() > u8::MAX as usize {
                        return 0; // more distinct sets than expected: count as tracked
                    }
                    masks.push(m);
                    (masks.len() - 1) as u8
                })
            })
            .collect();
        self.tracked_masks = masks;
        self.compute_evidence_reach();
    }

    fn compute_evidence_reach(&mut self) {
        let n = self.stage_count();
        self.evidence_reach = (0..self.len())
            .map(|i| {
                let (mask, evidence) = (self.tracked_mask(i), self.evidence[i]);
                let mut level = -1i8;
                for s in 0..=self.reach[i].max(-1) {
                    let s = s as usize;
                    if s >= n || mask >> s & 1 == 0 {
                        continue;
                    }
                    if evidence >> s & 1 == 0 {
                        break;
                    }
                    level = s as i8;
                }
                level
            })
            .collect();
    }

    /// Read which stages each record's imports track (`import_tracking`): one mask per
    /// kind when every import of the kind tracks the same stages, else the union over the
    /// imports that wrote each record.
    fn load_tracking<W: RecordsSource + ?Sized>(&mut self, ws: &W) -> Result<()> {
        let all = all_stages(self.stage_count());
        let mask_of = |stages: &Option<Vec<String>>| match stages {
            None => all,
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.stage_index(id))
                .fold(0u32, |m, s| m | 1 << s),
        };
        let mut by_kind: HashMap<String, Vec<(i64, u32)>> = HashMap::new();
        for t in ws.live_import_tracking()? {
            by_kind
                .entry(fold(&t.kind))
                .or_default()
                .push((t.import_id, mask_of(&t.stages)));
        }
        if by_kind.values().flatten().all(|(_, m)| *m == all) {
            return Ok(());
        }
        let kinds = self.column("kind").expect("built-in column");
        let mut kind_mask: Vec<Option<u32>> = vec![Some(all); kinds.display.len()];
        let mut per_import: HashMap<i64, u32> = HashMap::new();
        for (code, name) in kinds.display.iter().enumerate().skip(1) {
            let Some(imports) = by_kind.get(&fold(name)) else {
                continue;
            };
            let first = imports[0].1;
            if imports.iter().all(|(_, m)| *m == first) {
                kind_mask[code] = Some(first);
            } else {
                kind_mask[code] = None;
                per_import.extend(imports.iter().copied());
            }
        }
        let mut row_masks: Vec<u32> = kinds
            .codes
            .iter()
            .map(|c| kind_mask[c as usize].unwrap_or(0))
            .collect();
        if !per_import.is_empty() {
            let ids: Vec<i64> = per_import.keys().copied().collect();
            let ds_ids = &self.ids;
            ws.scan_import_records(&ids, &mut |record, import| {
                if let Ok(row) = ds_ids.binary_search(&record) {
                    row_masks[row] |= per_import[&import];
                }
            })?;
            // A record no live import's snapshot names: nothing says what it lacks.
            for (m, c) in row_masks.iter_mut().zip(kinds.codes.iter()) {
                if *m == 0 && kind_mask[c as usize].is_none() {
                    *m = all;
                }
            }
        }
        self.apply_tracking(&row_masks);
        Ok(())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| n == name)
    }

    /// The columns a criteria field name reads, by the one lookup rule
    /// ([`baton_core::record::resolve_field`]): `None` for `amount` (not a text column),
    /// else the built-in's column or every column of the custom field's spellings (a
    /// record reads the first of them that has a value); empty when no record has it.
    pub fn criteria_columns(&self, field: &str) -> Option<Vec<usize>> {
        use baton_core::record::{custom_name_matches, resolve_field, FieldRef};
        match resolve_field(field) {
            FieldRef::Builtin("amount") => None,
            FieldRef::Builtin(name) => Some(self.column_index(name).into_iter().collect()),
            FieldRef::Custom(name) => Some(
                self.custom_fields
                    .iter()
                    .filter(|(stored, _)| custom_name_matches(stored, name))
                    .map(|(_, col)| *col)
                    .collect(),
            ),
        }
    }

    /// Names usable for filters and breakdowns.
    pub fn field_names(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The dataset of `ws` from the persisted copy beside the file when that is whole
    /// and names the same stages: used as it is when built at the workspace's data
    /// version (and ending at the same record), extended when only imports wrote since;
    /// else loaded from the records and persisted for the next open (a folder that
    /// cannot be written only costs the next open a full load).
    pub fn open(ws: &Workspace) -> Result<Dataset> {
        Ok(Dataset::open_kept(ws, &Kept::beside(ws.path()))?.0)
    }

    /// [`Dataset::open`] with the dataset kept at `kept`, on either backend (a team
    /// workspace's is kept on the client, see [`Kept::for_team`]); also says how the
    /// dataset was had.
    pub fn open_kept<W: RecordsSource + StageConfig + ?Sized>(
        ws: &W,
        kept: &Kept,
    ) -> Result<(Dataset, Opened)> {
        let version = ws.data_version()?;
        if let Some(mut ds) = kept.read() {
            if ds.stages == ws.stages()? {
                let last = ws.last_record_id()?;
                if ds.version == version && ds.ids.last().copied() == last {
                    ds.as_of = as_of(ws)?;
                    return Ok((ds, Opened::Kept));
                }
                let before = ds.len();
                if let Some(imports) = ws.imports_since(ds.version)? {
                    if let Some(ds) = ds.extended(ws, &imports, version)? {
                        if ds.ids.last().copied() == last {
                            // Rewritten once it lacks more than a sixteenth of the records
                            // or eight imports: until then extending costs less than
                            // writing it all.
                            if ds.len() - before > before / 16 || imports.len() >= 8 {
                                let _ = kept.write(&ds);
                            }
                            return Ok((ds, Opened::Extended));
                        }
                    }
                }
            }
        }
        let ds = Dataset::load(ws)?;
        let _ = kept.write(&ds);
        Ok((ds, Opened::Loaded))
    }

    /// Whether every per-record column has one entry per record and every index points
    /// inside its table (checked on the persisted copy before it is used).
    pub(crate) fn is_consistent(&self) -> bool {
        let n = self.len();
        let per_row = [
            self.external_ids.len(),
            self.reach.len(),
            self.evidence.len(),
            self.outcome.len(),
            self.tracked_of.len(),
            self.evidence_reach.len(),
            self.entry.len(),
            self.closed_at.len(),
            self.amount.len(),
        ];
        let rows = |r: &u32| (*r as usize) < n;
        per_row.iter().all(|&l| l == n)
            && self.dates.len() == n * self.stage_count()
            && self.ids.windows(2).all(|w| w[0] < w[1])
            && self
                .tracked_of
                .iter()
                .all(|&t| (t as usize) < self.tracked_masks.len())
            && self.columns.iter().all(|(_, c)| c.codes.len() == n)
            && self.several_files.iter().all(|(r, _)| rows(r))
            && self.id_variant_groups.iter().flatten().all(rows)
    }

    /// Load every record of `ws` (one pass over `records`): a file or a team workspace.
    pub fn load<W: RecordsSource + StageConfig + ?Sized>(ws: &W) -> Result<Dataset> {
        let version = ws.data_version()?;
        let stages = ws.stages()?;
        let as_of = as_of(ws)?;
        let mut builder = Builder::new(stages, ws.record_count()? as usize);
        ws.scan_records(&mut |r| builder.push(r))?;
        let several = ws.records_from_several_files()?;
        let mut ds = builder.finish(version, as_of);
        ds.attach_workspace_facts(ws, several)?;
        Ok(ds)
    }

    /// What the dataset takes from the workspace beside the records: tracked stages,
    /// the stage values imports could not map, the records from several files.
    fn attach_workspace_facts<W: RecordsSource + StageConfig + ?Sized>(
        &mut self,
        ws: &W,
        several: Vec<(i64, Vec<String>)>,
    ) -> Result<()> {
        self.load_tracking(ws)?;
        let mapped: Vec<String> = ws
            .stage_value_map()?
            .into_iter()
            .map(|(v, _)| fold(&v))
            .collect();
        let mut unmapped: HashMap<String, u64> = self.record_unmapped.iter().cloned().collect();
        // Values the imports could not map (their records were kept without a stage).
        for (value, n) in ws.unmapped_stage_values()? {
            if !mapped.contains(&fold(&value)) {
                *unmapped.entry(value).or_default() += n;
            }
        }
        self.unmapped = sorted_counts(unmapped);
        self.several_files = several
            .into_iter()
            .filter_map(|(id, files)| Some((self.ids.binary_search(&id).ok()? as u32, files)))
            .collect();
        Ok(())
    }

    /// This dataset with what the imports `imports` wrote since it was loaded (the
    /// workspace's data version is now `version`): inserted records appended, updated
    /// ones replaced in place; exactly what a fresh [`Dataset::load`] would read.
    /// `None` when a change cannot be applied row by row that way (a record that
    /// vanished, a new custom field or a record with an unknown stage among the updated
    /// ones): the caller loads afresh.
    pub fn extended<W: RecordsSource + StageConfig + ?Sized>(
        self,
        ws: &W,
        imports: &[i64],
        version: i64,
    ) -> Result<Option<Dataset>> {
        if ws.stages()? != self.stages {
            return Ok(None);
        }
        let mut written = Vec::new();
        ws.scan_records_written_by(imports, &mut |r| written.push(r))?;
        let last = self.ids.last().copied().unwrap_or(i64::MIN);
        let split = written.partition_point(|r| r.id <= last);
        let inserted = written.split_off(split);
        let mut updated = Vec::with_capacity(written.len());
        for r in written {
            match self.ids.binary_search(&r.id) {
                Ok(row) => updated.push((row, r)),
                Err(_) => return Ok(None),
            }
        }
        let several = {
            let mut by_id: Vec<(i64, Vec<String>)> = self
                .several_files
                .iter()
                .map(|(row, files)| (self.ids[*row as usize], files.clone()))
                .filter(|(id, _)| updated.binary_search_by_key(id, |(_, r)| r.id).is_err())
                .collect();
            by_id.extend(ws.several_files_among_written_by(imports)?);
            by_id.sort_by_key(|(id, _)| *id);
            by_id
        };
        let mut b = Builder::resume(self);
        if !b.replace(&updated) {
            return Ok(None);
        }
        b.reserve(inserted.len());
        for r in inserted {
            b.push(r);
        }
        let mut ds = b.finish(version, as_of(ws)?);
        ds.attach_workspace_facts(ws, several)?;
        Ok(Some(ds))
    }

    /// Build from records in memory (tests, benchmarks).
    pub fn build(stages: Vec<Stage>, records: Vec<Record>, as_of: i64) -> Dataset {
        let mut b = Builder::new(stages, records.len());
        for r in records {
            b.push(r);
        }
        b.finish(0, as_of)
    }
}

/// "As of" for open clocks: the latest live import's wall clock, else now.
fn as_of<W: RecordsSource + ?Sized>(ws: &W) -> Result<i64> {
    Ok(ws
        .latest_import_time()?
        .unwrap_or_else(|| chrono::Utc::now().naive_utc().and_utc().timestamp()))
}

struct Builder {
    ds: Dataset,
    stage_pos: HashMap<String, usize>,
    /// How to read each built-in column, in column order.
    readers: Vec<Read>,
    custom_names: HashMap<String, usize>,
    unmapped: HashMap<String, u64>,
    unmapped_date_rows: u64,
    /// When resumed: the finished dataset's id groups and record count.
    resumed_from: Option<(Vec<Vec<u32>>, usize)>,
}

/// What the engine derives from one record's stages.
struct Facts {
    dates: Vec<i64>,
    reach: Reach,
    entry: i64,
}

impl Builder {
    fn new(stages: Vec<Stage>, capacity: usize) -> Self {
        let n = stages.len();
        let columns = builtin_columns()
            .iter()
            .map(|(id, _)| (id.to_string(), Column::new()))
            .collect();
        let mut b = Builder::resume(Dataset {
            version: 0,
            stages,
            as_of: 0,
            ids: Vec::with_capacity(capacity),
            external_ids: IdTable::with_capacity(capacity),
            dates: Dates::Narrow(Vec::with_capacity(capacity * n)),
            reach: Vec::with_capacity(capacity),
            evidence: Vec::with_capacity(capacity),
            outcome: Vec::with_capacity(capacity),
            tracked_masks: vec![all_stages(n)],
            tracked_of: Vec::new(),
            evidence_reach: Vec::new(),
            entry: Vec::with_capacity(capacity),
            closed_at: Vec::with_capacity(capacity),
            amount: Vec::with_capacity(capacity),
            columns,
            custom_fields: Vec::new(),
            unmapped: Vec::new(),
            record_unmapped: Vec::new(),
            unmapped_date_rows: 0,
            several_files: Vec::new(),
            id_variant_groups: Vec::new(),
        });
        b.resumed_from = None;
        b
    }

    /// Go on building from a finished dataset (its records stay as they are).
    fn resume(mut ds: Dataset) -> Self {
        let stage_pos = ds
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let readers = builtin_columns()
            .into_iter()
            .map(|(_, read)| read)
            .collect();
        let custom_names = ds.custom_fields.drain(..).collect();
        let unmapped = ds.record_unmapped.drain(..).collect();
        let resumed_from = Some((std::mem::take(&mut ds.id_variant_groups), ds.len()));
        Builder {
            stage_pos,
            readers,
            custom_names,
            unmapped,
            unmapped_date_rows: ds.unmapped_date_rows,
            resumed_from,
            ds,
        }
    }

    /// Room for `n` more records without doubling every column.
    fn reserve(&mut self, n: usize) {
        let ds = &mut self.ds;
        ds.ids.reserve_exact(n);
        ds.dates.reserve_exact(n * ds.stages.len());
        ds.reach.reserve_exact(n);
        ds.evidence.reserve_exact(n);
        ds.outcome.reserve_exact(n);
        ds.entry.reserve_exact(n);
        ds.closed_at.reserve_exact(n);
        ds.amount.reserve_exact(n);
        for (_, col) in ds.columns.iter_mut() {
            col.codes.reserve_exact(n);
        }
    }

    /// The record's dates per stage, reach and entry; counts its unknown stages.
    fn facts(&mut self, r: &Record) -> Facts {
        let n = self.ds.stages.len();
        let mut dates = vec![NO_DATE; n];
        let mut unknown_date = false;
        for (stage, secs) in &r.stage_dates {
            match self.stage_pos.get(stage) {
                Some(&s) => dates[s] = *secs,
                None if stage != LOST => {
                    unknown_date = true;
                    *self.unmapped.entry(stage.clone()).or_default() += 1
                }
                None => {}
            }
        }
        self.unmapped_date_rows += unknown_date as u64;
        if let Some(stage) = r.current_stage.as_deref() {
            if stage != LOST && !self.stage_pos.contains_key(stage) {
                *self.unmapped.entry(stage.to_string()).or_default() += 1;
            }
        }
        let stage_pos = &self.stage_pos;
        let reach = Reach::with_index(n, |id| stage_pos.get(id).copied(), r);
        let entry = dates
            .iter()
            .copied()
            .find(|d| *d != NO_DATE)
            .unwrap_or(NO_DATE);
        Facts {
            dates,
            reach,
            entry,
        }
    }

    /// Each text column's spelling for `r`, in column order (`None`: missing).
    fn spellings<'r>(&self, r: &'r Record, size: &'r Option<String>) -> Vec<Option<&'r str>> {
        let mut out: Vec<Option<&str>> = self.readers.iter().map(|read| read(r, size)).collect();
        out.resize(self.ds.columns.len(), None);
        for (name, value) in &r.custom {
            if let Some(&col) = self.custom_names.get(name) {
                out[col] = Some(value);
            }
        }
        for v in out.iter_mut() {
            *v = v.map(str::trim).filter(|v| !v.is_empty());
        }
        out
    }

    /// Replace the records at the given rows (sorted by row) with their new versions.
    /// `false` (and a dataset to throw away) when that cannot give what a fresh load
    /// gives: an unknown stage on a row before or after, or a new custom field.
    fn replace(&mut self, updated: &[(usize, Record)]) -> bool {
        if updated.is_empty() {
            return true;
        }
        let stage_col = self.ds.column_index("stage").expect("built-in column");
        for (row, r) in updated {
            let unknown = |s: &str| s != LOST && !self.stage_pos.contains_key(s);
            let old_stage = self.ds.columns[stage_col].1.spelling(*row);
            if self.unmapped_date_rows > 0
                || old_stage.is_some_and(unknown)
                || r.current_stage.as_deref().is_some_and(unknown)
                || r.custom
                    .iter()
                    .any(|(k, _)| !self.custom_names.contains_key(k))
            {
                return false;
            }
        }
        let n = self.ds.stages.len();
        let sizes: Vec<Option<String>> = updated
            .iter()
            .map(|(_, r)| r.company_size.map(|s| s.to_string()))
            .collect();
        let new: Vec<Vec<Option<&str>>> = updated
            .iter()
            .zip(&sizes)
            .map(|((_, r), size)| self.spellings(r, size))
            .collect();
        // A text column whose spelling changed on some row is read again row by row, so
        // its codes, first spellings and variants are those of a fresh load.
        for c in 0..self.ds.columns.len() {
            let old = &self.ds.columns[c].1;
            if updated
                .iter()
                .zip(&new)
                .all(|((row, _), values)| old.spelling(*row) == values[c])
            {
                continue;
            }
            let mut col = Column::new();
            col.codes.reserve_exact(old.codes.capacity());
            let mut next = updated.iter().zip(&new).peekable();
            for row in 0..old.codes.len() {
                let value = match next.peek() {
                    Some(((at, _), values)) if *at == row => {
                        let v = values[c];
                        next.next();
                        v
                    }
                    _ => old.spelling(row),
                };
                col.push(value);
            }
            self.ds.columns[c].1 = col;
        }
        for ((row, r), _) in updated.iter().zip(&sizes) {
            let f = self.facts(r);
            let ds = &mut self.ds;
            ds.dates.set(row * n, &f.dates);
            ds.reach[*row] = f.reach.highest;
            ds.evidence[*row] = f.reach.evidence;
            ds.outcome[*row] = f.reach.outcome;
            ds.entry[*row] = f.entry;
            ds.closed_at[*row] = r.closed_at.unwrap_or(NO_DATE);
            ds.amount[*row] = r.amount.unwrap_or(f64::NAN);
        }
        true
    }

    fn push(&mut self, r: Record) {
        let row = self.ds.ids.len();
        let Facts {
            dates,
            reach:
                Reach {
                    highest: reach,
                    evidence,
                    outcome,
                },
            entry,
        } = self.facts(&r);
        self.ds.dates.extend(&dates);
        self.ds.ids.push(r.id);
        self.ds.reach.push(reach);
        self.ds.evidence.push(evidence);
        self.ds.outcome.push(outcome);
        self.ds.entry.push(entry);
        self.ds.closed_at.push(r.closed_at.unwrap_or(NO_DATE));
        self.ds.amount.push(r.amount.unwrap_or(f64::NAN));

        let size = r.company_size.map(|s| s.to_string());
        for (col, read) in self.ds.columns.iter_mut().zip(&self.readers) {
            col.1.push(read(&r, &size));
        }
        self.ds.external_ids.push(&r.external_id);
        for (name, value) in &r.custom {
            let idx = match self.custom_names.get(name) {
                Some(&i) => i,
                None => {
                    let shown = if fields::builtin(name).is_some() {
                        format!("custom:{name}")
                    } else {
                        name.clone()
                    };
                    let mut col = Column::new();
                    col.pad_to(row);
                    self.ds.columns.push((shown, col));
                    let i = self.ds.columns.len() - 1;
                    self.custom_names.insert(name.clone(), i);
                    i
                }
            };
            let col = &mut self.ds.columns[idx].1;
            col.pad_to(row);
            col.push(Some(value));
        }
    }

    fn finish(mut self, version: i64, as_of: i64) -> Dataset {
        let len = self.ds.ids.len();
        for (_, col) in self.ds.columns.iter_mut() {
            col.pad_to(len);
        }
        self.ds.record_unmapped = sorted_counts(self.unmapped);
        self.ds.unmapped = self.ds.record_unmapped.clone();
        self.ds.unmapped_date_rows = self.unmapped_date_rows;
        self.ds.custom_fields = self.custom_names.into_iter().collect();
        self.ds.custom_fields.sort();
        let kinds = &self.ds.column("kind").expect("built-in column").codes;
        let ids = &self.ds.external_ids;
        self.ds.id_variant_groups = match &self.resumed_from {
            Some((old, from)) => id_variant_groups_after(kinds, ids, old, *from),
            None => id_variant_groups(kinds, ids),
        };
        self.ds.version = version;
        self.ds.as_of = as_of;
        self.ds.tracked_masks = vec![all_stages(self.ds.stage_count())];
        self.ds.tracked_of = vec![0; len];
        self.ds.compute_evidence_reach();
        self.ds
    }
}

/// The hash of a row's `(kind, folded id)`, computed without allocating for ASCII ids.
fn id_key_hash(kind: u32, id: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = (kind as u64).wrapping_mul(K);
    let mut add = |b: u8| h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
    let id = id.trim();
    if id.is_ascii() {
        id.bytes().for_each(|b| add(b.to_ascii_lowercase()));
    } else {
        fold(id).bytes().for_each(add);
    }
    h
}

/// Groups of rows whose `(kind, folded id)` are equal. Ids are hashed without
/// allocating (most ids are ASCII), and only rows whose hashes collide are compared.
fn id_variant_groups(kinds: &Codes, ids: &IdTable) -> Vec<Vec<u32>> {
    id_variant_groups_among(kinds, ids, 0..ids.len())
}

/// [`id_variant_groups`] after rows `from..` were appended to a dataset whose groups
/// were `old`: only the rows of old groups, the new rows and the old rows whose key
/// hashes like a new row's can be in a group, so only those are compared (same result).
fn id_variant_groups_after(
    kinds: &Codes,
    ids: &IdTable,
    old: &[Vec<u32>],
    from: usize,
) -> Vec<Vec<u32>> {
    let fresh: std::collections::HashSet<u64> = (from..ids.len())
        .map(|row| id_key_hash(kinds.get(row), ids.get(row)))
        .collect();
    if fresh.is_empty() {
        return old.to_vec();
    }
    let mut rows: Vec<usize> = (0..from)
        .filter(|&row| fresh.contains(&id_key_hash(kinds.get(row), ids.get(row))))
        .collect();
    rows.extend(old.iter().flatten().map(|&r| r as usize));
    rows.sort_unstable();
    rows.dedup();
    rows.extend(from..ids.len());
    id_variant_groups_among(kinds, ids, rows.into_iter())
}

fn id_variant_groups_among(
    kinds: &Codes,
    ids: &IdTable,
    rows: impl Iterator<Item = usize>,
) -> Vec<Vec<u32>> {
    let mut keyed: Vec<(u64, u32)> = rows
        .map(|row| (id_key_hash(kinds.get(row), ids.get(row)), row as u32))
        .collect();
    keyed.sort_unstable();
    let mut groups = Vec::new();
    for run in keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        let mut by_key: HashMap<(u32, String), Vec<u32>> = HashMap::new();
        for &(_, row) in run {
            let r = row as usize;
            by_key
                .entry((kinds.get(r), fold(ids.get(r))))
                .or_default()
                .push(row);
        }
        let mut found: Vec<Vec<u32>> = by_key.into_values().filter(|g| g.len() > 1).collect();
        found.sort_unstable();
        groups.extend(found);
    }
    groups
}

fn sorted_counts(map: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The bits of every one of `n` stages.
pub fn all_stages(n: usize) -> u32 {
    if n >= 32 {
        u32::MAX
    } else {
        (1u32 << n) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::stages::default_stages;

    fn rec(id: i64, stage: Option<&str>, dates: &[(&str, i64)]) -> Record {
        Record {
            id,
            kind: "contact".into(),
            external_id: format!("X{id}"),
            current_stage: stage.map(str::to_string),
            stage_dates: dates.iter().map(|(s, d)| (s.to_string(), *d)).collect(),
            ..Record::default()
        }
    }

    /// Every field `baton_core::fields` marks `breakdown` is a column, holding the
    /// record's own value; a custom field named like a built-in one is kept apart.
    #[test]
    fn each_breakdown_field_is_a_column_of_its_record_value() {
        let mut r = rec(1, Some("sql"), &[("lead", 100)]);
        r.source = Some("Ads".into());
        r.campaign = Some("Spring".into());
        r.owner = Some("Ann".into());
        r.segment = Some("ENT".into());
        r.industry = Some("Software".into());
        r.country = Some("FR".into());
        r.company_size = Some(120);
        r.lost_reason = Some("Price".into());
        r.custom = vec![("owner".into(), "custom".into())];
        let ds = Dataset::build(default_stages(), vec![r.clone()], 0);
        let ids: Vec<&str> = fields::breakdown().collect();
        assert_eq!(&ds.field_names()[..ids.len()], ids.as_slice());
        for id in ids {
            let want = r.field(baton_core::record::resolve_field(id));
            assert_eq!(ds.column(id).unwrap().value(0), want.as_deref(), "{id}");
        }
        assert_eq!(ds.column("custom:owner").unwrap().value(0), Some("custom"));
    }

    #[test]
    fn reach_evidence_and_entry() {
        let mut skipped = rec(1, Some("sql"), &[("lead", 100)]);
        skipped.source = Some("Google".into());
        let mut lost = rec(2, Some("lost"), &[("mql", 50), ("lead", 10)]);
        lost.source = Some(" google".into());
        lost.custom = vec![("Score".into(), "7".into())];
        let ds = Dataset::build(
            default_stages(),
            vec![skipped, lost, rec(3, Some("Nurture"), &[])],
            0,
        );
        assert_eq!(ds.reach, vec![2, 1, -1]);
        assert_eq!(ds.evidence[0], 0b101, "mql was skipped");
        assert_eq!(ds.outcome[1], Outcome::Lost);
        assert_eq!(ds.entry, vec![100, 10, NO_DATE]);
        let source = ds.column("source").unwrap();
        assert_eq!(
            source.codes.get(0),
            source.codes.get(1),
            "case variants fold together"
        );
        assert_eq!(source.variants[&source.codes.get(0)].len(), 2);
        let score = ds.column("Score").unwrap();
        assert_eq!(score.codes.to_vec(), vec![0, 1, 0]);
        assert_eq!(ds.unmapped, vec![("Nurture".to_string(), 1)]);
    }

    #[test]
    fn dates_outside_the_narrow_span_widen_the_table() {
        let mut d = Dates::Narrow(Vec::new());
        d.extend(&[NO_DATE, 1_700_000_000]);
        assert!(matches!(d, Dates::Narrow(_)));
        d.extend(&[-5_000_000_000, 0]);
        assert!(matches!(d, Dates::Wide(_)));
        let all: Vec<i64> = (0..4).map(|i| d.get(i)).collect();
        assert_eq!(all, [NO_DATE, 1_700_000_000, -5_000_000_000, 0]);
        let mut n = Dates::Narrow(vec![0; 2]);
        n.set(0, &[NO_DATE, 4_000_000_000]);
        assert_eq!((n.get(0), n.get(1)), (NO_DATE, 4_000_000_000));
    }

    #[test]
    fn codes_widen_as_values_grow_and_keep_every_code() {
        let mut col = Column::new();
        for i in 0..70_000u32 {
            col.push(Some(&format!("v{}", i % 66_000)));
        }
        col.push(None);
        assert!(matches!(col.codes, Codes::U32(_)));
        assert_eq!(col.codes.get(0), 1);
        assert_eq!(col.codes.get(65_999), 66_000);
        assert_eq!(col.codes.get(66_000), 1, "v0 again");
        assert_eq!(col.codes.get(70_000), 0);
        let mut small = Column::new();
        (0..300).for_each(|i| small.push(Some(&format!("{}", i % 260))));
        assert!(matches!(small.codes, Codes::U16(_)));
        assert_eq!(small.codes.get(259), 260);
        assert_eq!(Codes::from_u32(vec![0, 3, 255]), Codes::U8(vec![0, 3, 255]));
    }

    #[test]
    fn ids_differing_only_by_case_or_spaces_are_grouped_at_load() {
        let mut deal = rec(4, None, &[]);
        deal.kind = "deal".into();
        deal.external_id = "x1".into();
        let mut records = vec![rec(1, None, &[]), rec(2, None, &[]), rec(3, None, &[])];
        records[1].external_id = " x1 ".into(); // X1, " x1 ": one contact
        records[2].external_id = "X2".into();
        records.push(deal); // a deal "x1" is another entity
        let ds = Dataset::build(default_stages(), records, 0);
        assert_eq!(ds.id_variant_groups, vec![vec![0, 1]]);
    }
}
