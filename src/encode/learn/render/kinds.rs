//! What TEI elements and standard `@type` values mean for the reading: which divisions are
//! letters, envelopes, editorial matter or letter parts, which notes are marks on the document,
//! and which empty `c` elements stand for which character.

use super::super::LineRole;

/// The namespace-free local name of a TEI (or un-namespaced) element, `None` for anything
/// else (elements of other vocabularies are skipped with their content).
pub(super) fn tei_name<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    if !node.is_element() {
        return None;
    }
    match node.tag_name().namespace() {
        None | Some(crate::export::read::TEI_NS) => Some(node.tag_name().name()),
        Some(_) => None,
    }
}

/// The lower-cased `@type` of an element (empty when it has none).
pub(super) fn type_of(node: roxmltree::Node) -> String {
    node.attribute("type").unwrap_or("").trim().to_lowercase()
}

/// True for the elements that divide a text (`div`, `div1`…`div7`).
pub(super) fn is_div(name: &str) -> bool {
    name == "div"
        || (name.len() == 4 && name.starts_with("div") && name.as_bytes()[3].is_ascii_digit())
}

/// What a division is, by its `@type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DivKind {
    /// A letter, telegram or card: one letter of the file.
    Letter,
    /// An envelope, cover or address side: the address panel.
    Address,
    /// Editorial matter: a regest, summary, commentary, apparatus.
    Editorial,
    /// The picture side of a postcard, a photograph: not text of the letter.
    Picture,
    /// A letter part typed on a division (`div[@type='dateline']`, `'closer'`, `'signature'`…).
    Part(PartKind),
    /// Anything else (a writing session, a section, an enclosure): read through.
    Plain,
}

/// A letter part named by a division's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartKind {
    Opener,
    Closer,
    Role(LineRole),
}

/// Classifies a division by its `@type` (and `@subtype` when the type says nothing).
pub(super) fn div_kind(node: roxmltree::Node) -> DivKind {
    let kind = kind_of_type(&type_of(node));
    if kind == DivKind::Plain {
        if let Some(sub) = node.attribute("subtype") {
            let sub = kind_of_type(&sub.trim().to_lowercase());
            if sub != DivKind::Letter {
                return sub;
            }
        }
    }
    kind
}

fn kind_of_type(t: &str) -> DivKind {
    match t {
        "letter" | "telegram" | "postcard" | "card" | "lettercard" | "brief" | "karte"
        | "postkarte" | "kartenbrief" | "telegramm" | "lettre" => DivKind::Letter,
        "address" | "envelope" | "cover" | "addresspanel" | "address-panel" | "adresse"
        | "umschlag" => DivKind::Address,
        "regest" | "regeste" | "summary" | "abstract" | "comment" | "commentary"
        | "commentaries" | "notes" | "apparatus" | "editorial" | "annotation" | "annotations"
        | "introduction" | "bibliography" | "textcrit" | "critical" | "kommentar"
        | "erläuterungen" => DivKind::Editorial,
        "image" | "picture" | "photo" | "photograph" | "illustration" | "figure" | "facsimile" => {
            DivKind::Picture
        }
        "opener" => DivKind::Part(PartKind::Opener),
        "closer" => DivKind::Part(PartKind::Closer),
        "dateline" => DivKind::Part(PartKind::Role(LineRole::Dateline)),
        "salute" | "salutation" => DivKind::Part(PartKind::Role(LineRole::Salutation)),
        "signature" | "signed" => DivKind::Part(PartKind::Role(LineRole::Signature)),
        "postscript" => DivKind::Part(PartKind::Role(LineRole::Postscript)),
        "docket" | "endorsement" | "stamp" | "postmark" => {
            DivKind::Part(PartKind::Role(LineRole::Docket))
        }
        _ => DivKind::Plain,
    }
}

/// Whether a note is kept as a line of the letter or dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NoteKind {
    /// A mark on the document (authorial note, stamp, docket, endorsement): kept as a line.
    Mark,
    /// Editorial matter (commentary, footnote, apparatus, printed letterhead): dropped.
    Editorial,
    /// Untyped or of a type that says neither: as [`super::RenderOptions::untyped_notes`] says.
    Unknown,
}

/// Classifies a `note` by its `@type`.
pub(super) fn note_kind(node: roxmltree::Node) -> NoteKind {
    let t = type_of(node);
    match t.as_str() {
        "" => NoteKind::Unknown,
        "authorial" | "author" | "stamp" | "stamped" | "docket" | "endorsement" | "postmark"
        | "archival" | "marginal" | "marginalia" | "hand" => NoteKind::Mark,
        "editorial" | "editor" | "editors" | "curatorial" | "commentary" | "comment"
        | "textconst" | "textcrit" | "footnote" | "endnote" | "references" | "letterhead"
        | "translation" | "image" | "transcript" | "gloss" | "explanation" | "certainty"
        | "bibl" | "summary" | "regest" => NoteKind::Editorial,
        _ => NoteKind::Unknown,
    }
}

/// The character an empty `c` or `g` stands for, named by its `@rendition`, `@type` or `@ref`
/// (`#dots` with `@n` dots, `#ampersand`/`#kaufmannsund`, `#percent`/`#prozent`).
pub(super) fn named_character(node: roxmltree::Node) -> Option<String> {
    let name = ["rendition", "type", "ref", "rend"]
        .iter()
        .filter_map(|a| node.attribute(*a))
        .map(|v| v.trim().trim_start_matches('#').to_lowercase())
        .find(|v| !v.is_empty())?;
    let count = node
        .attribute("n")
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(3)
        .clamp(1, 40);
    let s = match name.as_str() {
        n if n.contains("dot") || n.contains("ellipsis") || n.contains("punkt") => {
            ".".repeat(count)
        }
        "ampersand" | "kaufmannsund" | "et" | "and" => "&".into(),
        "percent" | "prozent" => "%".into(),
        "dash" | "gedankenstrich" => "—".into(),
        "hyphen" => "-".into(),
        _ => return None,
    };
    Some(s)
}

/// True for a footnote call: a `ref` to a local target (or to none) whose text is a number
/// or a mark.
pub(super) fn is_note_call(node: roxmltree::Node) -> bool {
    let target = node.attribute("target").unwrap_or("");
    let local = !target.contains("://") && !target.contains(' ');
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let t = text.trim();
    local
        && !t.is_empty()
        && t.chars().count() <= 4
        && t.chars()
            .all(|c| c.is_ascii_digit() || "*†‡§[]()".contains(c))
}

/// Elements dropped with their content wherever they stand.
pub(super) fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "del"
            | "pb"
            | "gap"
            | "figure"
            | "figDesc"
            | "graphic"
            | "metamark"
            | "anchor"
            | "handShift"
            | "fw"
            | "milestone"
            | "index"
            | "interp"
            | "interpGrp"
            | "span"
            | "spanGrp"
            | "certainty"
            | "precision"
            | "respons"
            | "link"
            | "linkGrp"
            | "join"
            | "alt"
            | "altGrp"
            | "listPerson"
            | "listPlace"
            | "listOrg"
            | "listBibl"
            | "listEvent"
            | "listRelation"
            | "teiHeader"
            | "facsimile"
            | "sourceDoc"
            | "standOff"
            | "damageSpan"
            | "delSpan"
            | "addSpan"
            | "substJoin"
            | "redo"
            | "undo"
            | "ptr"
    )
}

/// `supplied` with an editor's description of a drawing or picture.
pub(super) fn is_description(node: roxmltree::Node) -> bool {
    let t = format!(
        "{} {}",
        node.attribute("type").unwrap_or(""),
        node.attribute("reason").unwrap_or("")
    )
    .to_lowercase();
    t.contains("description")
}
