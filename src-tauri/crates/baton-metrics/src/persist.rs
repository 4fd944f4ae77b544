//! The dataset kept beside the workspace file (`<file>.dataset`), so a fresh process
//! opens a big workspace without decoding every record again.
//!
//! The file is a cache, never the truth: its header names the workspace's data version
//! it was built at, and its body carries a CRC-32. [`read`] returns `None` (rebuild)
//! when the file is missing, of another format, built at another data version, cut
//! short, or its checksum does not match; the caller also checks the stages and the
//! record count against the workspace. [`write`] writes a temporary file and renames it
//! over the old one, so a crash leaves the old file or the new one, each checked on read.
//!
//! A team workspace's dataset is kept the same way on the client ([`Kept::for_team`]),
//! with one more check: the file names the workspace it was built from (its address and
//! identity, inside the checksum), and is used only for that one.

use crate::dataset::{Codes, Column, Dataset, Dates, IdTable, Outcome};
use baton_core::stages::Stage;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"BATONDS\0";
/// A dataset naming the workspace it belongs to (a team workspace's, on the client):
/// the same header, then that name at the start of the body.
const OWNED_MAGIC: &[u8; 8] = b"BATONDO\0";
/// Bump when the layout below changes: an older file is then rebuilt.
const FORMAT: u32 = 2;
/// Magic, format, data version, body length, body CRC-32.
const HEADER_LEN: usize = 8 + 4 + 8 + 8 + 4;

/// Where the dataset of the workspace at `workspace` is kept.
pub fn cache_path(workspace: &Path) -> PathBuf {
    let mut name = workspace.as_os_str().to_owned();
    name.push(".dataset");
    PathBuf::from(name)
}

/// Where a workspace's dataset is kept, and which workspace it must name to be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    path: PathBuf,
    /// Empty for the file's own (beside it, named by its path).
    owner: String,
}

impl Kept {
    /// The dataset kept beside the workspace file at `workspace`.
    pub fn beside(workspace: &Path) -> Kept {
        Kept {
            path: cache_path(workspace),
            owner: String::new(),
        }
    }

    /// The dataset of the team workspace at `address` (`postgres://user@host:port/db`,
    /// never a password) kept on the client in `dir`: one file per address, named by a
    /// hash of it; used only while the workspace there has `identity`.
    pub fn for_team(dir: &Path, address: &str, identity: &str) -> Kept {
        use sha2::{Digest, Sha256};
        let hash = Sha256::digest(address.as_bytes());
        let name: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        Kept {
            path: dir.join(format!("{name}.dataset")),
            owner: format!("{address}\n{identity}"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The kept dataset if the file is whole and names this workspace.
    pub fn read(&self) -> Option<Dataset> {
        read_owned(&self.path, &self.owner)
    }

    /// Keep `ds` (its folder created when missing).
    pub fn write(&self, ds: &Dataset) -> io::Result<()> {
        if !self.owner.is_empty() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
        }
        write_owned(ds, &self.path, &self.owner)
    }
}

/// Write `ds` to `path` (temporary file, then rename).
pub fn write(ds: &Dataset, path: &Path) -> io::Result<()> {
    write_owned(ds, path, "")
}

fn write_owned(ds: &Dataset, path: &Path, owner: &str) -> io::Result<()> {
    let tmp = {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".tmp{}", std::process::id()));
        PathBuf::from(name)
    };
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(&tmp)?);
        out.write_all(&[0; HEADER_LEN])?;
        let mut w = Sink {
            out,
            crc: crc32fast::Hasher::new(),
            len: 0,
        };
        if !owner.is_empty() {
            w.str(owner)?;
        }
        body(ds, &mut w)?;
        let Sink { out, crc, len } = w;
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        let crc = crc.finalize();
        file.seek(SeekFrom::Start(0))?;
        let magic = if owner.is_empty() { MAGIC } else { OWNED_MAGIC };
        file.write_all(&header(magic, ds.version, len, crc))?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn header(magic: &[u8; 8], version: i64, len: u64, crc: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(magic);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(&version.to_le_bytes());
    h.extend_from_slice(&len.to_le_bytes());
    h.extend_from_slice(&crc.to_le_bytes());
    h
}

/// The dataset at `path` if the file is whole (its `version` is the data version it
/// was built at); `None` otherwise.
pub fn read(path: &Path) -> Option<Dataset> {
    read_owned(path, "")
}

fn read_owned(path: &Path, owner: &str) -> Option<Dataset> {
    let mut file = File::open(path).ok()?;
    let mut h = [0u8; HEADER_LEN];
    file.read_exact(&mut h).ok()?;
    let word = |at: usize| u64::from_le_bytes(h[at..at + 8].try_into().expect("8 bytes"));
    let magic = if owner.is_empty() { MAGIC } else { OWNED_MAGIC };
    if &h[..8] != magic || u32::from_le_bytes(h[8..12].try_into().expect("4 bytes")) != FORMAT {
        return None;
    }
    let (len, crc) = (
        word(20),
        u32::from_le_bytes(h[28..32].try_into().expect("4 bytes")),
    );
    if file.metadata().ok()?.len() != HEADER_LEN as u64 + len {
        return None;
    }
    let mut r = Source {
        inp: BufReader::with_capacity(1 << 16, file),
        crc: crc32fast::Hasher::new(),
        left: len,
    };
    if !owner.is_empty() && r.string().ok()? != owner {
        return None;
    }
    let ds = read_body(&mut r, word(12) as i64).ok()?;
    (r.left == 0 && r.crc.finalize() == crc && ds.is_consistent()).then_some(ds)
}

struct Sink<W: Write> {
    out: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Sink<W> {
    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.crc.update(b);
        self.len += b.len() as u64;
        self.out.write_all(b)
    }
    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    fn str(&mut self, s: &str) -> io::Result<()> {
        self.u64(s.len() as u64)?;
        self.bytes(s.as_bytes())
    }
    fn strs<'a>(&mut self, v: impl ExactSizeIterator<Item = &'a str>) -> io::Result<()> {
        self.u64(v.len() as u64)?;
        v.into_iter().try_for_each(|s| self.str(s))
    }
}

/// Fixed-size little-endian values written and read in bulk.
trait Pod: Copy + Default {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    fn get(b: &[u8]) -> Self;
}

macro_rules! pod {
    ($($t:ty),*) => {$(
        impl Pod for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(b: &[u8]) -> Self {
                <$t>::from_le_bytes(b.try_into().expect("sized"))
            }
        }
    )*};
}
pod!(i64, i32, u64, u32, u16, u8, i8, f64);

const CHUNK: usize = 1 << 16;

impl<W: Write> Sink<W> {
    fn vec<T: Pod>(&mut self, v: &[T]) -> io::Result<()> {
        self.u64(v.len() as u64)?;
        let mut buf = Vec::with_capacity(CHUNK);
        for part in v.chunks(CHUNK / T::SIZE) {
            buf.clear();
            part.iter().for_each(|x| x.put(&mut buf));
            self.bytes(&buf)?;
        }
        Ok(())
    }
}

struct Source<R: Read> {
    inp: R,
    crc: crc32fast::Hasher,
    left: u64,
}

fn bad() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "dataset file does not add up")
}

impl<R: Read> Source<R> {
    fn bytes(&mut self, b: &mut [u8]) -> io::Result<()> {
        if b.len() as u64 > self.left {
            return Err(bad());
        }
        self.inp.read_exact(b)?;
        self.crc.update(b);
        self.left -= b.len() as u64;
        Ok(())
    }
    fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0; 8];
        self.bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    /// A length that the rest of the file can hold (`unit` bytes per item at least).
    fn len(&mut self, unit: u64) -> io::Result<usize> {
        let n = self.u64()?;
        if n.saturating_mul(unit) > self.left {
            return Err(bad());
        }
        Ok(n as usize)
    }
    fn string(&mut self) -> io::Result<String> {
        let n = self.len(1)?;
        let mut b = vec![0; n];
        self.bytes(&mut b)?;
        String::from_utf8(b).map_err(|_| bad())
    }
    fn strings(&mut self) -> io::Result<Vec<String>> {
        let n = self.len(8)?;
        (0..n).map(|_| self.string()).collect()
    }
    fn vec<T: Pod>(&mut self) -> io::Result<Vec<T>> {
        let n = self.len(T::SIZE as u64)?;
        let mut out = Vec::with_capacity(n);
        let mut buf = vec![0u8; CHUNK - CHUNK % T::SIZE];
        while out.len() < n {
            let take = ((n - out.len()) * T::SIZE).min(buf.len());
            self.bytes(&mut buf[..take])?;
            out.extend(buf[..take].chunks_exact(T::SIZE).map(T::get));
        }
        Ok(out)
    }
}

fn outcome_code(o: Outcome) -> u8 {
    match o {
        Outcome::Open => 0,
        Outcome::Won => 1,
        Outcome::Lost => 2,
    }
}

fn body<W: Write>(ds: &Dataset, w: &mut Sink<W>) -> io::Result<()> {
    w.u64(ds.stages.len() as u64)?;
    for s in &ds.stages {
        w.str(&s.id)?;
        w.str(&s.name)?;
        w.u64(s.position as u64)?;
    }
    w.vec(&[ds.as_of])?;
    w.vec(&ds.ids)?;
    w.vec(ds.external_ids.offsets())?;
    w.vec(ds.external_ids.bytes())?;
    match &ds.dates {
        Dates::Narrow(v) => w.u64(4).and_then(|_| w.vec(v))?,
        Dates::Wide(v) => w.u64(8).and_then(|_| w.vec(v))?,
    }
    w.vec(&ds.reach)?;
    w.vec(&ds.evidence)?;
    w.vec(
        &ds.outcome
            .iter()
            .map(|o| outcome_code(*o))
            .collect::<Vec<_>>(),
    )?;
    w.vec(&ds.tracked_masks)?;
    w.vec(&ds.tracked_of)?;
    w.vec(&ds.evidence_reach)?;
    w.vec(&ds.entry)?;
    w.vec(&ds.closed_at)?;
    w.vec(&ds.amount)?;
    w.u64(ds.columns.len() as u64)?;
    for (name, col) in &ds.columns {
        w.str(name)?;
        match &col.codes {
            Codes::U8(v) => w.u64(1).and_then(|_| w.vec(v))?,
            Codes::U16(v) => w.u64(2).and_then(|_| w.vec(v))?,
            Codes::U32(v) => w.u64(4).and_then(|_| w.vec(v))?,
        }
        w.strs(col.display.iter().map(String::as_str))?;
        w.vec(&col.counts)?;
        let mut variants: Vec<_> = col.variants.iter().collect();
        variants.sort_by_key(|(code, _)| **code);
        w.u64(variants.len() as u64)?;
        for (code, list) in variants {
            w.u64(*code as u64)?;
            w.strs(list.iter().map(|(s, _)| s.as_str()))?;
            w.vec(&list.iter().map(|(_, n)| *n).collect::<Vec<_>>())?;
        }
        let mut odd: Vec<(u32, u32)> = col.odd.iter().map(|(r, a)| (*r, *a)).collect();
        odd.sort_unstable();
        w.vec(&odd.iter().map(|(r, _)| *r).collect::<Vec<_>>())?;
        w.vec(&odd.iter().map(|(_, a)| *a).collect::<Vec<_>>())?;
    }
    w.strs(ds.custom_fields.iter().map(|(n, _)| n.as_str()))?;
    w.vec(
        &ds.custom_fields
            .iter()
            .map(|(_, c)| *c as u64)
            .collect::<Vec<_>>(),
    )?;
    w.strs(ds.unmapped.iter().map(|(v, _)| v.as_str()))?;
    w.vec(&ds.unmapped.iter().map(|(_, n)| *n).collect::<Vec<_>>())?;
    w.strs(ds.record_unmapped.iter().map(|(v, _)| v.as_str()))?;
    w.vec(
        &ds.record_unmapped
            .iter()
            .map(|(_, n)| *n)
            .collect::<Vec<_>>(),
    )?;
    w.u64(ds.unmapped_date_rows)?;
    w.u64(ds.several_files.len() as u64)?;
    for (row, files) in &ds.several_files {
        w.u64(*row as u64)?;
        w.strs(files.iter().map(String::as_str))?;
    }
    w.u64(ds.id_variant_groups.len() as u64)?;
    for g in &ds.id_variant_groups {
        w.vec(g)?;
    }
    Ok(())
}

fn read_body<R: Read>(r: &mut Source<R>, version: i64) -> io::Result<Dataset> {
    let n = r.len(24)?;
    let stages = (0..n)
        .map(|_| {
            Ok(Stage {
                id: r.string()?,
                name: r.string()?,
                position: r.u64()? as u32,
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    let as_of = *r.vec::<i64>()?.first().ok_or_else(bad)?;
    let ids = r.vec()?;
    let external_ids = IdTable::from_parts(r.vec()?, r.vec()?).ok_or_else(bad)?;
    let dates = match r.u64()? {
        4 => Dates::Narrow(r.vec()?),
        8 => Dates::Wide(r.vec()?),
        _ => return Err(bad()),
    };
    let reach = r.vec()?;
    let evidence = r.vec()?;
    let outcome = r
        .vec::<u8>()?
        .into_iter()
        .map(|c| match c {
            0 => Ok(Outcome::Open),
            1 => Ok(Outcome::Won),
            2 => Ok(Outcome::Lost),
            _ => Err(bad()),
        })
        .collect::<io::Result<Vec<_>>>()?;
    let tracked_masks = r.vec()?;
    let tracked_of = r.vec()?;
    let evidence_reach = r.vec()?;
    let entry = r.vec()?;
    let closed_at = r.vec()?;
    let amount = r.vec()?;
    let ncols = r.len(8)?;
    let mut columns = Vec::with_capacity(ncols);
    for _ in 0..ncols {
        let name = r.string()?;
        let codes = match r.u64()? {
            1 => Codes::U8(r.vec()?),
            2 => Codes::U16(r.vec()?),
            4 => Codes::U32(r.vec()?),
            _ => return Err(bad()),
        };
        let display = r.strings()?;
        let counts = r.vec()?;
        let nvar = r.len(8)?;
        let mut variants = HashMap::with_capacity(nvar);
        for _ in 0..nvar {
            let code = r.u64()? as u32;
            let spellings = r.strings()?;
            let counts: Vec<u64> = r.vec()?;
            if spellings.len() != counts.len() {
                return Err(bad());
            }
            variants.insert(code, spellings.into_iter().zip(counts).collect());
        }
        let rows: Vec<u32> = r.vec()?;
        let at: Vec<u32> = r.vec()?;
        if rows.len() != at.len() {
            return Err(bad());
        }
        let odd = rows.into_iter().zip(at).collect();
        let col = Column::from_parts(codes, display, counts, variants, odd).ok_or_else(bad)?;
        columns.push((name, col));
    }
    let names = r.strings()?;
    let cols: Vec<u64> = r.vec()?;
    if names.len() != cols.len() || cols.iter().any(|&c| c as usize >= columns.len()) {
        return Err(bad());
    }
    let custom_fields = names.into_iter().zip(cols.iter().map(|&c| c as usize));
    let values = r.strings()?;
    let counts: Vec<u64> = r.vec()?;
    let record_values = r.strings()?;
    let record_counts: Vec<u64> = r.vec()?;
    if values.len() != counts.len() || record_values.len() != record_counts.len() {
        return Err(bad());
    }
    let unmapped_date_rows = r.u64()?;
    let nseveral = r.len(16)?;
    let several_files = (0..nseveral)
        .map(|_| Ok((r.u64()? as u32, r.strings()?)))
        .collect::<io::Result<Vec<_>>>()?;
    let ngroups = r.len(8)?;
    let id_variant_groups = (0..ngroups)
        .map(|_| r.vec())
        .collect::<io::Result<Vec<_>>>()?;
    Ok(Dataset {
        version,
        stages,
        as_of,
        ids,
        external_ids,
        dates,
        reach,
        evidence,
        outcome,
        tracked_masks,
        tracked_of,
        evidence_reach,
        entry,
        closed_at,
        amount,
        columns,
        custom_fields: custom_fields.collect(),
        unmapped: values.into_iter().zip(counts).collect(),
        record_unmapped: record_values.into_iter().zip(record_counts).collect(),
        unmapped_date_rows,
        several_files,
        id_variant_groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Record;
    use baton_core::stages::default_stages;

    fn sample() -> Dataset {
        let rec = |id: i64, ext: &str, source: &str, stage: &str, dates: &[(&str, i64)]| Record {
            id,
            kind: "contact".into(),
            external_id: ext.into(),
            current_stage: Some(stage.into()),
            source: Some(source.into()),
            stage_dates: dates.iter().map(|(s, d)| (s.to_string(), *d)).collect(),
            amount: (id % 2 == 0).then_some(id as f64 * 10.5),
            custom: vec![("Lead Score".into(), format!("{}", id * 7))],
            ..Record::default()
        };
        let mut ds = Dataset::build(
            default_stages(),
            vec![
                rec(3, "X1", "Google", "sql", &[("lead", 100), ("sql", 900)]),
                rec(5, " x1 ", "google", "lost", &[("mql", 50)]),
                rec(8, "Z9", "Événement", "Nurture", &[]),
            ],
            1_000,
        );
        ds.set_tracked_stages([2], &["lead", "sql"]);
        ds.several_files = vec![(1, vec!["a.csv".into(), "b.csv".into()])];
        ds.version = 42;
        ds
    }

    fn bytes(ds: &Dataset, dir: &Path, name: &str) -> Vec<u8> {
        let path = dir.join(name);
        write(ds, &path).unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_written_dataset_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let ds = sample();
        let first = bytes(&ds, dir.path(), "a.dataset");
        let back = read(&dir.path().join("a.dataset")).expect("whole file");
        assert_eq!(back.version, 42);
        assert_eq!(back.ids, ds.ids);
        assert_eq!(back.external_ids.get(1), " x1 ");
        assert_eq!(back.dates, ds.dates);
        assert_eq!(back.tracked_masks, ds.tracked_masks);
        assert_eq!(back.id_variant_groups, vec![vec![0, 1]]);
        let source = back.column("source").unwrap();
        assert_eq!(source.code_of("GOOGLE"), Some(source.codes.get(0)));
        assert_eq!(source.variants[&source.codes.get(0)].len(), 2);
        assert_eq!(back.unmapped, vec![("Nurture".to_string(), 1)]);
        assert!(back.amount[0].is_nan() && back.amount[1].is_nan());
        assert_eq!(back.amount[2], 84.0);
        // Every field round-trips: writing the read copy gives the same bytes.
        assert_eq!(bytes(&back, dir.path(), "b.dataset"), first);
    }

    #[test]
    fn a_file_says_the_data_version_it_was_built_at() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.dataset");
        let mut ds = sample();
        write(&ds, &path).unwrap();
        assert_eq!(read(&path).unwrap().version, 42);
        ds.version = 7;
        write(&ds, &path).unwrap();
        assert_eq!(read(&path).unwrap().version, 7);
    }

    #[test]
    fn a_damaged_or_cut_file_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.dataset");
        let good = bytes(&sample(), dir.path(), "w.dataset");
        for at in [HEADER_LEN + 40, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            assert!(read(&path).is_none(), "byte {at} flipped");
        }
        std::fs::write(&path, &good[..good.len() - 9]).unwrap();
        assert!(read(&path).is_none(), "cut short");
        std::fs::write(&path, b"BATONDS").unwrap();
        assert!(read(&path).is_none(), "no header");
        std::fs::write(&path, &good).unwrap();
        assert!(read(&path).is_some());
    }

    #[test]
    fn a_team_workspaces_dataset_is_read_only_for_the_workspace_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let address = "postgres://ana@db.example:5432/team";
        let kept = Kept::for_team(&cache, address, "id-1 16384");
        kept.write(&sample()).expect("the cache folder is created");
        assert!(kept.path().starts_with(&cache));
        assert_eq!(kept.read().map(|ds| ds.version), Some(42));
        // Same address, another workspace there: another identity, not used.
        let recreated = Kept::for_team(&cache, address, "id-2 16384");
        assert_eq!(recreated.path(), kept.path(), "one file per address");
        assert!(recreated.read().is_none());
        // Another address: another file.
        let other = Kept::for_team(&cache, "postgres://ana@db.example:5432/other", "id-1 16384");
        assert_ne!(other.path(), kept.path());
        assert!(other.read().is_none());
        // A file's own dataset is not a team workspace's, nor the other way round.
        assert!(read(kept.path()).is_none());
        write(&sample(), kept.path()).unwrap();
        assert!(kept.read().is_none());
    }

    #[test]
    fn a_damaged_team_workspace_dataset_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let kept = Kept::for_team(dir.path(), "postgres://ana@h:5432/db", "x 1");
        kept.write(&sample()).unwrap();
        let good = std::fs::read(kept.path()).unwrap();
        // In the workspace's name, and in the body.
        for at in [HEADER_LEN + 12, good.len() - 3] {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            std::fs::write(kept.path(), &bad).unwrap();
            assert!(kept.read().is_none(), "byte {at} flipped");
        }
    }

    #[test]
    fn a_cache_folder_that_cannot_be_written_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"not a folder").unwrap();
        let kept = Kept::for_team(&blocker.join("cache"), "postgres://a@h:1/d", "x 1");
        assert!(kept.write(&sample()).is_err());
        assert!(kept.read().is_none());
    }
}
