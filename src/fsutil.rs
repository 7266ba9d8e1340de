//! File-system helpers shared by every command.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::OnceLock;

/// The path that stands for standard input where a command reads one input (`teikit validate -`).
pub const STDIN: &str = "-";

/// Whether `path` is [`STDIN`].
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// The bytes of an input: the file at `path`, or standard input for [`STDIN`] (read once, on
/// first use; later calls get the same bytes, so that a report can read its input again).
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    static BYTES: OnceLock<Result<Vec<u8>, String>> = OnceLock::new();
    if !is_stdin(path) {
        return std::fs::read(path);
    }
    BYTES
        .get_or_init(|| {
            let mut b = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut b)
                .map(|_| b)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(std::io::Error::other)
}

/// The bytes of the regular file at `path`, at most `max_bytes` of them: a folder, device, FIFO
/// or socket is refused without being opened (a FIFO would block the open itself, `/dev/zero`
/// never ends), and a larger file is an error that [`is_too_large`] recognises.
pub fn read_regular(path: &Path, max_bytes: usize) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "a device, FIFO or socket"
        };
        return Err(std::io::Error::other(format!(
            "it is {what}, not a regular file"
        )));
    }
    if meta.len() > max_bytes as u64 {
        return Err(std::io::Error::other(TooLarge(max_bytes)));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // the file may have grown since: read one byte past the limit at most
    file.take(max_bytes as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max_bytes {
        return Err(std::io::Error::other(TooLarge(max_bytes)));
    }
    Ok(bytes)
}

/// The payload of [`read_regular`]'s error for a file that is too large.
#[derive(Debug)]
pub struct TooLarge(pub usize);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the file holds more than {} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

/// Whether `e` says that a file was larger than [`read_regular`] allowed.
pub fn is_too_large(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TooLarge>())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename,
/// so readers never see a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = temp_beside(path, dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `dir` with the permissions `path` will have: those of the file it
/// replaces, else what a newly created file gets (0666 less the umask; a temporary file alone
/// would leave the output readable by its owner only).
fn temp_beside(path: &Path, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::Builder::new()
            .permissions(std::fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)?;
        if let Ok(existing) = std::fs::metadata(path) {
            tmp.as_file().set_permissions(existing.permissions())?;
        }
        Ok(tmp)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        tempfile::NamedTempFile::new_in(dir)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn atomic_write_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.xml");
        super::write_atomic(&p, b"one").unwrap();
        super::write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_or_gives_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // a new file: what File::create gives beside it (0666 less the umask)
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let want = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        let p = dir.path().join("out.xml");
        super::write_atomic(&p, b"one").unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), want);
        // a replaced file keeps its own
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        super::write_atomic(&p, b"two").unwrap();
        assert_eq!(mode(&p), 0o640);
    }
}
