//! `teikit export index`: one row per letter (file, id, senders, addressees, date, place,
//! authority URIs) as CSV or JSON, for spreadsheets and scripts.

use super::model::{Action, Letter};

/// One row of the letter index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The file the letter is in.
    pub file: String,
    /// 1-based line of its correspDesc.
    pub line: u32,
    /// The letter id.
    pub id: String,
    /// Senders' names, `; `-separated.
    pub senders: String,
    /// Addressees' names, `; `-separated.
    pub addressees: String,
    /// The date of sending (`YYYY-MM-DD`, `a/b` for a range, `a..b` for a period).
    pub date: String,
    /// The place of sending.
    pub place: String,
    /// Every authority URI of the letter's persons and places, space-separated.
    pub authority_uris: String,
}

fn names(action: &Option<Action>) -> String {
    action
        .as_ref()
        .map(|a| {
            a.parties
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// The index rows of some letters.
pub fn rows(letters: &[Letter]) -> Vec<Row> {
    letters
        .iter()
        .map(|l| {
            let mut uris: Vec<&str> = Vec::new();
            for a in [&l.sent, &l.received].into_iter().flatten() {
                uris.extend(a.parties.iter().filter_map(|p| p.uri.as_deref()));
                uris.extend(a.places.iter().filter_map(|p| p.uri.as_deref()));
            }
            let mut seen = std::collections::HashSet::new();
            uris.retain(|u| seen.insert(*u));
            let date = l
                .sent
                .as_ref()
                .and_then(|a| a.date.as_ref())
                .or_else(|| l.received.as_ref().and_then(|a| a.date.as_ref()))
                .map(|d| d.display())
                .unwrap_or_default();
            Row {
                file: l.file.display().to_string(),
                line: l.line,
                id: l.id.clone(),
                senders: names(&l.sent),
                addressees: names(&l.received),
                date,
                place: l
                    .sent
                    .as_ref()
                    .map(|a| {
                        a.places
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
                authority_uris: uris.join(" "),
            }
        })
        .collect()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The rows as CSV (RFC 4180, with a header line).
pub fn to_csv(rows: &[Row]) -> String {
    let mut out = String::from("file,line,id,senders,addressees,date,place,authority_uris\n");
    for r in rows {
        let fields = [
            &r.file,
            &r.line.to_string(),
            &r.id,
            &r.senders,
            &r.addressees,
            &r.date,
            &r.place,
            &r.authority_uris,
        ];
        out += &fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",");
        out.push('\n');
    }
    out
}

/// The rows as a JSON array.
pub fn to_json(rows: &[Row]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("a"), "a");
        assert_eq!(csv_field("Goethe, J. W."), "\"Goethe, J. W.\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
