//! Decoding a byte stream piece by piece, as [`decode`](super::decode) decodes a whole file:
//! the same encoding choice (byte order mark, XML declaration, else UTF-8) and the same
//! message for invalid bytes, with the byte offset counted from the start of the stream.

use std::io::{ErrorKind, Read};

use encoding_rs::{Decoder, DecoderResult};

use super::decode::{bad_bytes, sniff, Sniffed};
use super::reader::{Feed, FeedError};

/// Bytes read before the encoding is chosen (the XML declaration fits in them).
const HEAD: usize = 1024;

/// Streams the decoded text of `input` to `each`, a piece at a time (about `piece` bytes),
/// up to its end, its first invalid bytes (which [`parse_read`](super::parse_read) reports),
/// or until `each` returns `false`.
pub fn for_each_text(
    input: &mut dyn Read,
    piece: usize,
    mut each: impl FnMut(&str) -> bool,
) -> std::io::Result<()> {
    let mut reader = DecodeReader::new(input);
    let mut buf = String::new();
    loop {
        buf.clear();
        match reader.fill(&mut buf, piece) {
            Ok(true) => {
                if !each(&buf) {
                    return Ok(());
                }
            }
            Ok(false) => return Ok(()),
            Err(FeedError::Decode(_)) => {
                each(&buf);
                return Ok(());
            }
            Err(FeedError::Io(e)) => return Err(e),
        }
    }
}

/// Reads decoded text from a byte stream, a piece at a time.
pub(super) struct DecodeReader<'r> {
    input: &'r mut dyn Read,
    /// Raw bytes read but not decoded yet.
    raw: Vec<u8>,
    /// Offset in the stream of `raw[0]`.
    raw_at: usize,
    sniffed: Option<Sniffed>,
    decoder: Option<Decoder>,
    eof: bool,
    done: bool,
}

impl<'r> DecodeReader<'r> {
    /// A reader over `input`; nothing is read before the first call.
    pub(super) fn new(input: &'r mut dyn Read) -> Self {
        DecodeReader {
            input,
            raw: Vec::new(),
            raw_at: 0,
            sniffed: None,
            decoder: None,
            eof: false,
            done: false,
        }
    }

    /// Reads until `raw` holds `n` bytes or the input ends.
    fn read_raw(&mut self, n: usize) -> std::io::Result<()> {
        let mut chunk = [0u8; 64 * 1024];
        while self.raw.len() < n && !self.eof {
            let want = (n - self.raw.len()).min(chunk.len());
            match self.input.read(&mut chunk[..want]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.raw.extend_from_slice(&chunk[..k]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl Feed for DecodeReader<'_> {
    fn fill(&mut self, out: &mut String, want: usize) -> Result<bool, FeedError> {
        if self.done {
            return Ok(false);
        }
        if self.sniffed.is_none() {
            self.read_raw(HEAD).map_err(FeedError::Io)?;
            let s = sniff(&self.raw).map_err(|d| FeedError::Decode(Box::new(d)))?;
            self.raw.drain(..s.bom.min(self.raw.len()));
            self.raw_at = s.bom;
            if !s.utf8 {
                self.decoder = Some(s.encoding.new_decoder_without_bom_handling());
            }
            self.sniffed = Some(s);
        }
        // four bytes hold any character, so every call makes progress
        let limit = want.max(4);
        self.read_raw(limit).map_err(FeedError::Io)?;
        if self.raw.is_empty() && self.eof {
            self.done = true;
            return Ok(false);
        }
        let before = out.len();
        let result = match self.decoder.as_mut() {
            None => self.utf8_piece(out, limit),
            Some(_) => self.decode_piece(out, limit),
        };
        if let Err(e) = result {
            self.done = true;
            return Err(e);
        }
        if out.len() == before && self.eof && self.raw.is_empty() {
            self.done = true;
            return Ok(false);
        }
        Ok(true)
    }
}

impl DecodeReader<'_> {
    fn bad(&self, at_raw: usize, bad: &[u8]) -> FeedError {
        let Some(s) = self.sniffed.as_ref() else {
            return FeedError::Io(std::io::Error::other(
                "decoding before the encoding was chosen",
            ));
        };
        FeedError::Decode(Box::new(bad_bytes(
            s.encoding,
            s.why,
            s.declared.as_deref(),
            bad,
            self.raw_at + at_raw,
        )))
    }

    /// Moves the valid UTF-8 of the first `limit` bytes of `raw` to `out`, keeping an
    /// incomplete sequence at the end.
    fn utf8_piece(&mut self, out: &mut String, limit: usize) -> Result<(), FeedError> {
        let all = limit >= self.raw.len();
        let piece = &self.raw[..limit.min(self.raw.len())];
        let (valid, error) = match std::str::from_utf8(piece) {
            Ok(t) => {
                // checked once: the common case
                out.push_str(t);
                (t.len(), None)
            }
            Err(e) => {
                // the prefix up to `valid_up_to` is UTF-8 (checked just above)
                let valid = e.valid_up_to();
                out.push_str(std::str::from_utf8(&piece[..valid]).unwrap_or_default());
                // a sequence cut by the limit (not by the end of the input) is read next time
                let error = (e.error_len().is_some() || all).then_some(e.error_len());
                (valid, error)
            }
        };
        match error {
            Some(Some(len)) => {
                let e = self.bad(valid, &self.raw[valid..valid + len]);
                return Err(e);
            }
            Some(None) if self.eof => {
                let e = self.bad(valid, &self.raw[valid..]);
                return Err(e);
            }
            _ => {}
        }
        self.raw.drain(..valid);
        self.raw_at += valid;
        Ok(())
    }

    /// Decodes the first `limit` bytes of `raw` (a legacy encoding or UTF-16) into `out`.
    fn decode_piece(&mut self, out: &mut String, limit: usize) -> Result<(), FeedError> {
        let n = limit.min(self.raw.len());
        let last = self.eof && n == self.raw.len();
        let Some(decoder) = self.decoder.as_mut() else {
            return Ok(());
        };
        let room = decoder
            .max_utf8_buffer_length_without_replacement(n)
            .unwrap_or(n * 3);
        out.reserve(room);
        let (result, read) =
            decoder.decode_to_string_without_replacement(&self.raw[..n], out, last);
        match result {
            DecoderResult::Malformed(bad, extra) => {
                let end = read.saturating_sub(extra as usize);
                let start = end.saturating_sub(bad as usize);
                let e = self.bad(start, &self.raw[start..end.max(start)]);
                Err(e)
            }
            DecoderResult::InputEmpty | DecoderResult::OutputFull => {
                self.raw.drain(..read);
                self.raw_at += read;
                Ok(())
            }
        }
    }
}
