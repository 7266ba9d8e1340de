//! Authority files (GND, VIAF, Wikidata, Library of Congress, BnF, GeoNames): recognising their
//! URIs in any of the usual spellings and writing them in the form CMIF uses.

/// An authority file whose URIs correspSearch understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Authority {
    /// Gemeinsame Normdatei (German National Library).
    Gnd,
    /// Virtual International Authority File.
    Viaf,
    /// Wikidata.
    Wikidata,
    /// Library of Congress name authority file.
    Loc,
    /// Bibliothèque nationale de France.
    Bnf,
    /// GeoNames (places).
    Geonames,
}

impl Authority {
    /// Preference when a person has several identifiers (lower is better).
    pub fn person_rank(self) -> u8 {
        match self {
            Authority::Gnd => 0,
            Authority::Viaf => 1,
            Authority::Wikidata => 2,
            Authority::Loc => 3,
            Authority::Bnf => 4,
            Authority::Geonames => 9,
        }
    }

    /// The authority named by an `idno/@type` or `@subtype` such as `GND`, `viaf`, `wikidata`.
    pub fn from_type_name(name: &str) -> Option<Authority> {
        match name.trim().to_ascii_lowercase().as_str() {
            "gnd" | "pnd" | "dnb" => Some(Authority::Gnd),
            "viaf" => Some(Authority::Viaf),
            "wikidata" | "wd" => Some(Authority::Wikidata),
            "lc" | "loc" | "lccn" | "lcnaf" => Some(Authority::Loc),
            "bnf" => Some(Authority::Bnf),
            "geonames" | "geoname" => Some(Authority::Geonames),
            _ => None,
        }
    }
}

/// A recognised authority URI, normalised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuthorityUri {
    /// Which authority file.
    pub authority: Authority,
    /// The URI in the form CMIF uses (`http://d-nb.info/gnd/118540238`).
    pub uri: String,
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// The first path segment after `marker` in `url`, if it is a plausible identifier.
fn segment_after<'a>(url: &'a str, marker: &str) -> Option<&'a str> {
    let start = url.find(marker)? + marker.len();
    let rest = &url[start..];
    let end = rest.find(|c: char| !is_id_char(c)).unwrap_or(rest.len());
    let id = &rest[..end];
    (!id.is_empty()).then_some(id)
}

fn make(authority: Authority, id: &str) -> Option<AuthorityUri> {
    let id = id.trim();
    let ok = match authority {
        Authority::Gnd => {
            id.chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == 'X' || c == 'x')
                && id.len() >= 4
        }
        Authority::Viaf | Authority::Geonames => {
            id.chars().all(|c| c.is_ascii_digit()) && !id.is_empty()
        }
        Authority::Wikidata => {
            id.len() > 1
                && (id.starts_with('Q') || id.starts_with('q'))
                && id[1..].chars().all(|c| c.is_ascii_digit())
        }
        Authority::Loc | Authority::Bnf => !id.is_empty() && id.chars().all(is_id_char),
    };
    if !ok {
        return None;
    }
    let uri = match authority {
        Authority::Gnd => format!("http://d-nb.info/gnd/{id}"),
        Authority::Viaf => format!("http://viaf.org/viaf/{id}"),
        Authority::Wikidata => {
            format!("http://www.wikidata.org/entity/{}", id.to_ascii_uppercase())
        }
        Authority::Loc => format!("http://id.loc.gov/authorities/names/{id}"),
        Authority::Bnf => format!("http://data.bnf.fr/ark:/12148/{id}"),
        Authority::Geonames => format!("http://www.geonames.org/{id}"),
    };
    Some(AuthorityUri { authority, uri })
}

/// Recognises an authority URI in any usual form (http or https, with or without `www.`,
/// trailing slashes, `/about.rdf`, `wiki/Q…`); `None` for other URLs.
pub fn classify_url(url: &str) -> Option<AuthorityUri> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let host_and_path = &url[url.find("//")? + 2..];
    let host = host_and_path
        .split('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = host.trim_start_matches("www.");
    match host {
        "d-nb.info" => make(Authority::Gnd, segment_after(url, "/gnd/")?),
        "viaf.org" => make(Authority::Viaf, segment_after(url, "/viaf/")?),
        "wikidata.org" => {
            let id = segment_after(url, "/entity/").or_else(|| segment_after(url, "/wiki/"))?;
            make(Authority::Wikidata, id)
        }
        "id.loc.gov" => make(Authority::Loc, segment_after(url, "/names/")?),
        "data.bnf.fr" | "catalogue.bnf.fr" => make(Authority::Bnf, segment_after(url, "/12148/")?),
        "geonames.org" | "sws.geonames.org" => {
            let path = &host_and_path[host_and_path.find('/')? + 1..];
            let id: String = path.chars().take_while(|c| c.is_ascii_digit()).collect();
            make(Authority::Geonames, &id)
        }
        _ => None,
    }
}

/// Recognises an identifier given as `idno` text with a type (`<idno type="GND">118540238</idno>`,
/// `<idno type="URL" subtype="gnd">https://d-nb.info/gnd/118540238/</idno>`).
pub fn classify_idno(
    text: &str,
    type_: Option<&str>,
    subtype: Option<&str>,
) -> Option<AuthorityUri> {
    let text = text.trim();
    if let Some(found) = classify_url(text) {
        return Some(found);
    }
    let authority = type_
        .and_then(Authority::from_type_name)
        .or_else(|| subtype.and_then(Authority::from_type_name))?;
    make(authority, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_their_usual_spellings() {
        let gnd = "http://d-nb.info/gnd/118540238";
        assert_eq!(
            classify_url("https://d-nb.info/gnd/118540238/")
                .map(|a| a.uri)
                .as_deref(),
            Some(gnd)
        );
        assert_eq!(
            classify_url("http://d-nb.info/gnd/118540238/about/html")
                .map(|a| a.uri)
                .as_deref(),
            Some(gnd)
        );
        assert_eq!(
            classify_url("https://www.wikidata.org/wiki/Q42")
                .map(|a| a.uri)
                .as_deref(),
            Some("http://www.wikidata.org/entity/Q42")
        );
        assert_eq!(
            classify_url("https://sws.geonames.org/2925533/")
                .map(|a| a.uri)
                .as_deref(),
            Some("http://www.geonames.org/2925533")
        );
        assert_eq!(
            classify_url("http://www.geonames.org/2812482/weimar.html")
                .map(|a| a.uri)
                .as_deref(),
            Some("http://www.geonames.org/2812482")
        );
        assert_eq!(
            classify_url("https://viaf.org/viaf/12345/").map(|a| a.authority),
            Some(Authority::Viaf)
        );
        assert_eq!(
            classify_url("https://pmb.acdh.oeaw.ac.at/entity/4986/"),
            None
        );
        assert_eq!(classify_url("#pmb4986"), None);
        assert_eq!(classify_url("https://d-nb.info/gnd/"), None);
    }

    #[test]
    fn typed_idnos() {
        assert_eq!(
            classify_idno("118540238", Some("GND"), None).map(|a| a.authority),
            Some(Authority::Gnd)
        );
        assert_eq!(
            classify_idno("Q42", Some("URL"), Some("wikidata")).map(|a| a.authority),
            Some(Authority::Wikidata)
        );
        assert_eq!(classify_idno("not an id", Some("gnd"), None), None);
        assert_eq!(classify_idno("12", Some("pmb"), None), None);
    }
}
