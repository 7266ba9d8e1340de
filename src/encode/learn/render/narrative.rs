//! Prose the editors wrote about a letter: commentary and footnotes (`note`), regests,
//! summaries and commentaries (`div[@type='regest']` …), the header's `abstract` and
//! `msContents/summary`. Material for training documents that quote letters inside narrative.

use std::collections::HashSet;

use roxmltree::Node;

use super::kinds::{div_kind, is_div, note_kind, tei_name, DivKind, NoteKind};
use super::walk::Walker;
use super::{LineBreaks, NotePolicy, RenderOptions};

/// Words a passage needs to count as prose.
const MIN_WORDS: usize = 6;

/// The editors' prose about the letters of `xml`, one passage per paragraph or note, in
/// document order, whitespace collapsed, without repeats; empty when the XML is malformed or
/// nested too deep (see [`super::render`]'s errors).
pub fn narrative_passages(xml: &str) -> Vec<String> {
    let Ok(doc) = super::parse(xml) else {
        return Vec::new();
    };
    let opts = RenderOptions {
        line_breaks: LineBreaks::Joined,
        untyped_notes: NotePolicy::Drop,
        keep_editorial: true,
        rejoin_split_paragraphs: true,
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |blocks: Vec<String>| {
        for b in blocks {
            let prose =
                b.split_whitespace().count() >= MIN_WORDS && b.chars().any(char::is_lowercase);
            if prose && seen.insert(b.clone()) {
                out.push(b);
            }
        }
    };
    // Passages do not nest: the nodes inside one taken are skipped by their byte range.
    let mut taken_until = 0;
    for node in doc.descendants() {
        if node.range().start < taken_until || !is_passage_root(node) {
            continue;
        }
        taken_until = node.range().end;
        let mut w = Walker::new(&opts, &doc);
        w.narrative(node);
        push(w.block_texts());
    }
    out
}

/// A node whose text is one or more editorial passages.
fn is_passage_root(node: Node) -> bool {
    let Some(name) = tei_name(node) else {
        return false;
    };
    let in_header = node.ancestors().any(|a| tei_name(a) == Some("teiHeader"));
    match name {
        "abstract" => in_header,
        "summary" => in_header && node.parent_element().and_then(tei_name) == Some("msContents"),
        "note" if !in_header => {
            let registers = node.descendants().any(|d| {
                matches!(
                    tei_name(d),
                    Some("listPerson" | "listPlace" | "listBibl" | "listOrg" | "listEvent")
                )
            });
            let in_text = node.ancestors().any(|a| tei_name(a) == Some("text"));
            !registers && note_kind(node) != NoteKind::Mark && in_text
        }
        n if is_div(n) => !in_header && div_kind(node) == DivKind::Editorial,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_editorial_prose() {
        let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc>
            <abstract><p>The author thanks the critic for the review and asks about the play.</p></abstract>
            </profileDesc></teiHeader><text><body>
            <div type="regest"><p>An den Verleger in Gera, mit der Bitte um einen Vorschuss für das Werk.</p></div>
            <div type="letter"><p>Dear Sir,<note type="commentary">The review appeared in the
            <hi>Zeit</hi> of 3 May, as the diary records.</note> thank you.</p>
            <note type="authorial">Answered the same day by return of post.</note>
            <note>short note</note></div></body></text></TEI>"#;
        assert_eq!(
            narrative_passages(xml),
            vec![
                "The author thanks the critic for the review and asks about the play.",
                "An den Verleger in Gera, mit der Bitte um einen Vorschuss für das Werk.",
                "The review appeared in the Zeit of 3 May, as the diary records.",
            ]
        );
        assert!(narrative_passages("<TEI><unclosed>").is_empty());
    }
}
