//! `href` and `xml:base` to local paths: relative references against a base folder,
//! `file:` URLs, percent-escapes; every other scheme (`http:`, `https:`, `ftp:`, …) refused.

use std::path::{Component, Path, PathBuf};

/// Why a reference leads to no local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A URL with a scheme other than `file:` (the scheme).
    Network(String),
    /// Not a usable reference (why).
    Bad(String),
}

/// The scheme of `r` (`http`), if it has one (a one-letter "scheme" is a Windows drive).
fn scheme(r: &str) -> Option<&str> {
    let colon = r.find(':')?;
    let s = &r[..colon];
    let ok = s.len() > 1
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(s)
}

fn percent_decode(r: &str) -> Result<String, Refused> {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(r).collect();
    String::from_utf8(bytes)
        .map_err(|_| Refused::Bad(format!("`{r}` holds percent-escapes that are not UTF-8")))
}

/// `r` (a relative reference or a `file:` URL) resolved against the folder `dir`.
pub fn resolve(dir: &Path, r: &str) -> Result<PathBuf, Refused> {
    let r = r.trim();
    if let Some(s) = scheme(r) {
        if !s.eq_ignore_ascii_case("file") {
            return Err(Refused::Network(s.to_ascii_lowercase()));
        }
        let rest = &r[s.len() + 1..];
        let path = if let Some(p) = rest.strip_prefix("//") {
            // file://host/path: only the local host
            let slash = p.find('/').unwrap_or(p.len());
            let host = &p[..slash];
            if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
                return Err(Refused::Network(format!("file://{host}")));
            }
            &p[slash..]
        } else {
            rest
        };
        return Ok(tidy(&dir.join(percent_decode(path)?)));
    }
    Ok(tidy(&dir.join(percent_decode(r)?)))
}

/// The folder a base (a file's path, or a reference ending in `/`) stands for.
pub fn folder_of(base: &Path, ends_with_slash: bool) -> PathBuf {
    if ends_with_slash {
        base.to_path_buf()
    } else {
        base.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// `p` with `.` left out and `..` taken back where a name precedes it (no link is followed).
pub fn tidy(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// `to` written relative to the folder `from` (both tidy; made absolute against the working
/// folder first), with `/` separators, as an `xml:base` value.
pub fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| tidy(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let (from, to) = (abs(from), abs(to));
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let d = Path::new("ed/letters");
        assert_eq!(resolve(d, "b.xml"), Ok(PathBuf::from("ed/letters/b.xml")));
        assert_eq!(
            resolve(d, "../x/b%20c.xml"),
            Ok(PathBuf::from("ed/x/b c.xml"))
        );
        assert_eq!(
            resolve(d, "file:///tmp/a.xml"),
            Ok(PathBuf::from("/tmp/a.xml"))
        );
        assert_eq!(
            resolve(d, "file://localhost/tmp/a.xml"),
            Ok(PathBuf::from("/tmp/a.xml"))
        );
        assert_eq!(
            resolve(d, "https://example.org/a.xml"),
            Err(Refused::Network("https".into()))
        );
        assert!(matches!(
            resolve(d, "file://server/a.xml"),
            Err(Refused::Network(_))
        ));
        assert_eq!(
            relative(Path::new("a/b"), Path::new("a/c/d.xml")),
            "../c/d.xml"
        );
        assert_eq!(
            relative(Path::new("a"), Path::new("a/sub/d.xml")),
            "sub/d.xml"
        );
        assert_eq!(tidy(Path::new("../a/./b/../c")), PathBuf::from("../a/c"));
    }
}
