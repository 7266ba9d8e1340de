//! The roles a line of a letter (or of the text around it) can play.

/// What one line of a transcription is, as the tagger labels it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineRole {
    /// Place and/or date of writing (`dateline`), also a date line in the closer.
    Dateline,
    /// The addressee's name and address above the salutation (`opener/address`, "To …").
    InsideAddress,
    /// The salutation (`opener/salute`): "Dear Sir,", "Lieber Freund!".
    Salutation,
    /// Running text of the letter (`p`).
    Body,
    /// The closing formula (`closer/salute`, closer text before `signed`): "Yours truly,".
    Valediction,
    /// The signature with titles, offices and post-nominals (`signed`).
    Signature,
    /// A postscript (`postscript`).
    Postscript,
    /// An address panel or envelope (`address` after the letter or on its own `div`).
    AddressPanel,
    /// A docket, endorsement, stamp or archival mark written on the document by another hand.
    Docket,
    /// Editorial or narrative text around the letters (heads, summaries, an article quoting them).
    Narrative,
}

impl LineRole {
    /// Every role, in a fixed order (the order of the model's labels).
    pub const ALL: [LineRole; 10] = [
        LineRole::Dateline,
        LineRole::InsideAddress,
        LineRole::Salutation,
        LineRole::Body,
        LineRole::Valediction,
        LineRole::Signature,
        LineRole::Postscript,
        LineRole::AddressPanel,
        LineRole::Docket,
        LineRole::Narrative,
    ];

    /// A short stable name (used as the label in models and in reports).
    pub fn name(self) -> &'static str {
        match self {
            LineRole::Dateline => "dateline",
            LineRole::InsideAddress => "inside-address",
            LineRole::Salutation => "salutation",
            LineRole::Body => "body",
            LineRole::Valediction => "valediction",
            LineRole::Signature => "signature",
            LineRole::Postscript => "postscript",
            LineRole::AddressPanel => "address-panel",
            LineRole::Docket => "docket",
            LineRole::Narrative => "narrative",
        }
    }

    /// The role named `name` (the inverse of [`LineRole::name`]).
    pub fn from_name(name: &str) -> Option<LineRole> {
        LineRole::ALL.into_iter().find(|r| r.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in LineRole::ALL {
            assert_eq!(LineRole::from_name(r.name()), Some(r));
        }
        assert_eq!(LineRole::from_name("nonsense"), None);
    }
}
