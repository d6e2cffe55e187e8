//! gzip and zstd, recognised by their magic bytes (never by a file name) and undone before
//! a format is detected: logs stream through the decoder, whole documents are inflated within
//! a bound, so a small bomb cannot become an unbounded allocation.

use std::io::{self, BufRead, BufReader, Read};

/// A compression the importers undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (RFC 1952), one member or several.
    Gzip,
    /// Zstandard, one frame or several.
    Zstd,
}

impl Compression {
    /// The compression `head` starts with, if any.
    pub fn sniff(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The compression an HTTP `Content-Encoding` names; `Ok(None)` for identity, `Err` with
    /// the value for one the importers do not undo.
    pub fn from_content_encoding(value: &str) -> Result<Option<Compression>, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "identity" => Ok(None),
            "gzip" | "x-gzip" => Ok(Some(Compression::Gzip)),
            "zstd" => Ok(Some(Compression::Zstd)),
            other => Err(other.to_string()),
        }
    }

    /// Its name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// A reader of the decompressed bytes of `reader`.
    fn decoder<'r>(self, reader: impl BufRead + 'r) -> io::Result<Box<dyn Read + 'r>> {
        Ok(match self {
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
        })
    }
}

/// `reader`, decompressed when it starts with gzip or zstd magic bytes; with the compression.
pub fn decoded<'r>(mut reader: impl BufRead + 'r) -> io::Result<(Option<Compression>, Box<dyn BufRead + 'r>)> {
    let head = reader.fill_buf()?;
    match Compression::sniff(head) {
        None => Ok((None, Box::new(reader))),
        Some(c) => Ok((Some(c), Box::new(BufReader::with_capacity(1 << 20, c.decoder(reader)?)))),
    }
}

/// As [`decoded`], for a reader another thread may own.
pub fn decoded_send<'r>(
    mut reader: impl BufRead + Send + 'r,
) -> io::Result<(Option<Compression>, Box<dyn BufRead + Send + 'r>)> {
    let head = reader.fill_buf()?;
    Ok(match Compression::sniff(head) {
        None => (None, Box::new(reader)),
        Some(Compression::Gzip) => (
            Some(Compression::Gzip),
            Box::new(BufReader::with_capacity(1 << 20, flate2::bufread::MultiGzDecoder::new(reader))),
        ),
        Some(Compression::Zstd) => (
            Some(Compression::Zstd),
            Box::new(BufReader::with_capacity(1 << 20, zstd::stream::read::Decoder::with_buffer(reader)?)),
        ),
    })
}

/// Why bytes could not be decompressed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecompressError {
    /// They inflate to more than the limit.
    #[error("{compression} content inflates to more than {limit} bytes")]
    TooLarge {
        /// The compression.
        compression: &'static str,
        /// The limit, bytes.
        limit: usize,
    },
    /// They are not valid compressed data.
    #[error("not valid {compression} data: {message}")]
    Corrupt {
        /// The compression.
        compression: &'static str,
        /// What the decoder said.
        message: String,
    },
}

/// The bytes, decompressed when they start with gzip or zstd magic bytes, refusing to inflate
/// past `limit` bytes (it reads at most `limit + 1`).
pub fn decompress(bytes: &[u8], limit: usize) -> Result<std::borrow::Cow<'_, [u8]>, DecompressError> {
    match Compression::sniff(bytes) {
        None => Ok(std::borrow::Cow::Borrowed(bytes)),
        Some(c) => decompress_as(c, bytes, limit).map(std::borrow::Cow::Owned),
    }
}

/// `bytes` decompressed as `c` (a `Content-Encoding` said so), within `limit` bytes.
pub fn decompress_as(c: Compression, bytes: &[u8], limit: usize) -> Result<Vec<u8>, DecompressError> {
    let corrupt = |e: io::Error| DecompressError::Corrupt { compression: c.name(), message: e.to_string() };
    let decoder = c.decoder(bytes).map_err(corrupt)?;
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit.saturating_add(1)));
    decoder.take(limit as u64 + 1).read_to_end(&mut out).map_err(corrupt)?;
    if out.len() > limit {
        return Err(DecompressError::TooLarge { compression: c.name(), limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_and_zstd_are_recognised_by_their_bytes() {
        let text = b"web=1:Standard-1X\n".repeat(100);
        let gz = gzip(&text);
        let zst = zstd::encode_all(&text[..], 3).unwrap();
        assert_eq!(decompress(&gz, 1 << 20).unwrap().as_ref(), &text[..]);
        assert_eq!(decompress(&zst, 1 << 20).unwrap().as_ref(), &text[..]);
        assert!(matches!(decompress(&text, 10).unwrap(), std::borrow::Cow::Borrowed(_)), "plain text is left alone");
        let (c, mut r) = decoded(&gz[..]).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!((c, out), (Some(Compression::Gzip), text.clone()));
    }

    #[test]
    fn a_bomb_is_refused_at_the_limit() {
        // 64 MiB of zeros compress to about 64 KiB.
        let bomb = gzip(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 1 << 20);
        let err = decompress(&bomb, 1 << 20).unwrap_err();
        assert_eq!(err, DecompressError::TooLarge { compression: "gzip", limit: 1 << 20 });
    }

    #[test]
    fn corrupt_data_says_so() {
        let mut gz = gzip(b"hello world, hello world");
        gz.truncate(12);
        assert!(matches!(decompress(&gz, 1024), Err(DecompressError::Corrupt { compression: "gzip", .. })));
        assert_eq!(Compression::from_content_encoding("GZIP"), Ok(Some(Compression::Gzip)));
        assert_eq!(Compression::from_content_encoding("br"), Err("br".into()));
    }
}
