//! Encoding sniffing (byte-order marks, BOM-less UTF-16, UTF-8, then chardetng) and a
//! streaming decoder to UTF-8 built on encoding_rs.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::io::{self, Read};

/// The encoding decided for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip.
    pub bom_len: usize,
}

impl Detected {
    /// Name shown to the user: `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `windows-1252`…
    pub fn label(&self) -> String {
        if self.encoding == UTF_8 && self.bom_len > 0 {
            "UTF-8 (BOM)".into()
        } else {
            self.encoding.name().into()
        }
    }

    pub fn is_utf8(&self) -> bool {
        self.encoding == UTF_8
    }
}

/// Decide the encoding from the first bytes of a file (a few KiB are enough; more is better).
pub fn detect(head: &[u8]) -> Detected {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return Detected { encoding, bom_len };
    }
    if let Some(encoding) = bomless_utf16(head) {
        return Detected {
            encoding,
            bom_len: 0,
        };
    }
    if valid_utf8_prefix(head) {
        return Detected {
            encoding: UTF_8,
            bom_len: 0,
        };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(head, true);
    Detected {
        encoding: detector.guess(None, Utf8Detection::Allow),
        bom_len: 0,
    }
}

/// Text files in UTF-16 without a BOM have a NUL in every other byte for ASCII text.
fn bomless_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even_nul += (pair[0] == 0) as usize;
        odd_nul += (pair[1] == 0) as usize;
    }
    if odd_nul * 10 >= pairs * 6 && even_nul * 10 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 6 && odd_nul * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Valid UTF-8, allowing a multi-byte sequence cut off at the end of the sample.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Decode one field that was not valid UTF-8 in a file sniffed as UTF-8: such bytes are
/// almost always Windows-1252 (Excel's code page in Western Europe).
pub fn decode_stray_bytes(bytes: &[u8]) -> String {
    WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// A reader yielding UTF-8 from a reader in another encoding (the BOM already skipped).
pub struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
}

impl<R: Read> DecodeReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        Self {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        loop {
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = self.inner.read(&mut self.input)?;
                self.eof = self.in_end == 0;
            }
            let (_, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if written > 0 || self.eof {
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_start == self.out_end {
            if self.eof && self.in_start == self.in_end {
                // The final flush already happened in `fill` with `last = true`.
                return Ok(0);
            }
            self.fill()?;
        }
        let n = (self.out_end - self.out_start).min(buf.len());
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], enc: &'static Encoding) -> String {
        let mut s = String::new();
        DecodeReader::new(bytes, enc)
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn boms_are_recognised() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b").label(), "UTF-8 (BOM)");
        assert_eq!(detect(b"\xFF\xFEa\0,\0").encoding, UTF_16LE);
        assert_eq!(detect(b"\xFE\xFF\0a\0,").encoding, UTF_16BE);
    }

    #[test]
    fn bomless_utf16_is_recognised() {
        let le: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(detect(&le).encoding, UTF_16LE);
        assert_eq!(detect(&be).encoding, UTF_16BE);
        assert_eq!(decode_all(&le, UTF_16LE), "a,b\n1,2\n");
    }

    #[test]
    fn one_nul_byte_does_not_make_utf16() {
        assert_eq!(detect(b"a,b,c\n\0,2,3\n").encoding, UTF_8);
    }

    #[test]
    fn latin_text_is_windows_1252() {
        let d = detect(b"Nom,Ville\nJos\xe9,Montr\xe9al\nFran\xe7ois,Qu\xe9bec\n");
        assert_eq!(d.encoding, WINDOWS_1252);
        assert_eq!(
            decode_all(b"Jos\xe9 \x80", WINDOWS_1252),
            "Jos\u{e9} \u{20ac}"
        );
    }

    #[test]
    fn decoder_streams_across_small_reads() {
        let text = "é,ü\n".repeat(50_000);
        let bytes: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_all(&bytes, UTF_16LE), text);
    }
}
