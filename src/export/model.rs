//! The letter metadata the exporters work on, read from TEI by [`super::read`].

use std::path::PathBuf;

/// A person or organisation taking part in a correspondence action.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Party {
    /// The name as written (whitespace collapsed).
    pub name: String,
    /// True for an organisation (`orgName`).
    pub org: bool,
    /// The authority URI (GND, VIAF, Wikidata, LoC, BnF), when the edition gives one.
    pub uri: Option<String>,
}

/// A place of a correspondence action.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Place {
    /// The name as written.
    pub name: String,
    /// The GeoNames URI, when the edition gives one.
    pub uri: Option<String>,
}

/// The machine-readable date of an action, each part `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DateSpec {
    /// The exact date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The earliest possible date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// The latest possible date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// The start of a period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The end of a period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl DateSpec {
    /// True when no attribute is set.
    pub fn is_empty(&self) -> bool {
        self.when.is_none()
            && self.not_before.is_none()
            && self.not_after.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }

    /// The attributes as (name, value) pairs in TEI order.
    pub fn attributes(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        for (name, value) in [
            ("when", &self.when),
            ("notBefore", &self.not_before),
            ("notAfter", &self.not_after),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(v) = value {
                out.push((name, v.as_str()));
            }
        }
        out
    }

    /// A short human form: `1862-03-03`, `1862-03/1862-04` (range), `1862-03..1862-04` (period).
    pub fn display(&self) -> String {
        if let Some(w) = &self.when {
            return w.clone();
        }
        let pair = |a: &Option<String>, b: &Option<String>, sep: &str| match (a, b) {
            (None, None) => None,
            (a, b) => Some(format!(
                "{}{sep}{}",
                a.as_deref().unwrap_or(""),
                b.as_deref().unwrap_or("")
            )),
        };
        pair(&self.not_before, &self.not_after, "/")
            .or_else(|| pair(&self.from, &self.to, ".."))
            .unwrap_or_default()
    }
}

/// A sent or received action.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Action {
    /// Senders or addressees.
    pub parties: Vec<Party>,
    /// Places.
    pub places: Vec<Place>,
    /// The date, when a usable date attribute exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateSpec>,
    /// A `date` element was present but had no usable date attribute.
    #[serde(skip)]
    pub unusable_date: bool,
}

impl Action {
    /// True when the action holds nothing CMIF can carry.
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty() && self.places.is_empty() && self.date.is_none()
    }
}

/// One letter: the metadata of one `correspDesc`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Letter {
    /// The file it was read from.
    pub file: PathBuf,
    /// 1-based line of its `correspDesc`.
    pub line: u32,
    /// An identifier: the correspDesc's `xml:id`, else the document's, else the file stem
    /// (with `-N` when a file holds several letters).
    pub id: String,
    /// The letter's URL (`correspDesc/@ref`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `correspDesc/@key` (letter numbers of printed editions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The sent action (merged when the file has several).
    pub sent: Option<Action>,
    /// The received action (merged when the file has several).
    pub received: Option<Action>,
    /// The source edition: of a CMIF input, `correspDesc/@source` resolved to its `bibl`; of a
    /// TEI letter, the edition its own `fileDesc` names ([`super::edition`]).
    #[serde(skip)]
    pub source_bibl: Option<SourceBibl>,
    /// The names were typed sender/addressee inside the actions, the document title says the
    /// opposite ("A an B" with A typed addressee), and the parties were swapped to follow it.
    pub roles_swapped: bool,
}

/// A `bibl` a CMIF input points to with `correspDesc/@source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceBibl {
    /// Its `xml:id`.
    pub id: String,
    /// Its `@type` (print, online, hybrid).
    pub type_: Option<String>,
    /// Its text, whitespace collapsed.
    pub text: String,
    /// The first `ref/@target` inside it.
    pub url: Option<String>,
}

/// Why a correspDesc was not exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// No `correspAction type="sent"` (or it holds nothing usable).
    NoSentAction,
    /// No `correspAction type="received"` (or it holds nothing usable).
    NoReceivedAction,
    /// No date, and `require_date` is on.
    NoDate,
    /// No source edition: neither a configured bibl nor a `@source` in the input.
    NoSourceEdition,
}

impl SkipReason {
    /// A short explanation.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::NoSentAction => "no sent action with a sender, place or date",
            SkipReason::NoReceivedAction => "no received action with an addressee, place or date",
            SkipReason::NoDate => "no machine-readable date (require_date is on)",
            SkipReason::NoSourceEdition => "no source edition: configure a [[cmif.bibl]] for it",
        }
    }
}
