//! The source edition of TEI letters when no configuration names one: what the letter file's
//! own `teiHeader/fileDesc` says of the publication it belongs to (its title, publisher and
//! `idno`), as a CMIF `bibl` that every letter of the same edition shares.

use super::config::derived_uuid;
use super::model::SourceBibl;
use super::read::{collapse, is_tei, text_of};

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|c| is_tei(c) && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| is_tei(c) && c.tag_name().name() == name)
}

/// The text of an element, whitespace collapsed, without its `email`s; `None` when empty.
fn words(node: roxmltree::Node) -> Option<String> {
    let mut text = String::new();
    for d in node.descendants().filter(|d| d.is_text()) {
        let in_email = d
            .ancestors()
            .take_while(|a| *a != node)
            .any(|a| is_tei(&a) && a.tag_name().name() == "email");
        if !in_email {
            text.push_str(d.text().unwrap_or(""));
            text.push(' ');
        }
    }
    let text = collapse(&text);
    (!text.is_empty()).then_some(text)
}

/// The title of the edition: a series or monograph title (`@level` s or m), the
/// `seriesStmt` title, else the file's main (or first) title.
fn title(file_desc: roxmltree::Node) -> Option<String> {
    let stmt = child(file_desc, "titleStmt");
    let titles: Vec<roxmltree::Node> = stmt
        .map(|s| children(s, "title").collect())
        .unwrap_or_default();
    let by_level = titles
        .iter()
        .find(|t| matches!(t.attribute("level"), Some("s" | "m")));
    let series = child(file_desc, "seriesStmt").and_then(|s| child(s, "title"));
    let main = titles.iter().find(|t| t.attribute("type") == Some("main"));
    let first = titles
        .iter()
        .find(|t| !matches!(t.attribute("type"), Some("sub" | "short" | "iso-date")));
    by_level
        .copied()
        .or(series)
        .or(main.copied())
        .or(first.copied())
        .map(|t| collapse(&text_of(t)))
        .filter(|t| !t.is_empty())
}

/// Who published the edition: `publisher`, else `authority`, `distributor`, or the
/// statement's prose.
fn publisher(stmt: roxmltree::Node) -> Option<String> {
    ["publisher", "authority", "distributor", "p"]
        .iter()
        .find_map(|name| children(stmt, name).find_map(words))
}

/// The edition's URL: an `idno` typed as a URL or URI, or one that reads as one.
fn url(stmt: roxmltree::Node) -> Option<String> {
    children(stmt, "idno").find_map(|i| {
        let text = collapse(i.text().unwrap_or(""));
        let typed = i
            .attribute("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("url") || t.eq_ignore_ascii_case("uri"));
        let web = text.starts_with("https://") || text.starts_with("http://");
        (web || (typed && text.contains("://"))).then_some(text)
    })
}

/// The edition a TEI letter file belongs to, read from its `fileDesc`; `None` when it names
/// neither a title nor a publisher.
pub fn edition_of(doc: &roxmltree::Document) -> Option<SourceBibl> {
    let file_desc = doc
        .root_element()
        .children()
        .find(|c| is_tei(c) && c.tag_name().name() == "teiHeader")
        .and_then(|h| child(h, "fileDesc"))?;
    let stmt = child(file_desc, "publicationStmt");
    let parts: Vec<String> = [title(file_desc), stmt.and_then(publisher)]
        .into_iter()
        .flatten()
        .map(|p| p.trim_end_matches('.').trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let text = parts.join(". ") + ".";
    let url = stmt.and_then(url);
    let key = match &url {
        Some(u) => format!("{text} {u}"),
        None => text.clone(),
    };
    Some(SourceBibl {
        id: derived_uuid(&key),
        // a TEI file is a digital publication
        type_: Some("online".to_string()),
        text,
        url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(header: &str) -> Option<SourceBibl> {
        let xml = format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc>{header}</fileDesc></teiHeader></TEI>"
        );
        edition_of(&roxmltree::Document::parse(&xml).unwrap())
    }

    #[test]
    fn reads_title_publisher_and_idno() {
        let e = edition(
            "<titleStmt><title level=\"s\">Briefwechsel  mit\n Autoren</title><title level=\"a\">A an B</title></titleStmt>\
             <publicationStmt><publisher><orgName>Academy</orgName><email>x@y.org</email></publisher>\
             <idno type=\"handle\">21.11115/x</idno><idno type=\"URL\">https://example.org/briefe</idno></publicationStmt>",
        )
        .unwrap();
        assert_eq!(e.text, "Briefwechsel mit Autoren. Academy.");
        assert_eq!(e.url.as_deref(), Some("https://example.org/briefe"));
        assert_eq!(e.type_.as_deref(), Some("online"));
        // the same edition, the same id, whatever the letter
        let f = edition(
            "<titleStmt><title level=\"s\">Briefwechsel mit Autoren</title><title level=\"a\">C an D</title></titleStmt>\
             <publicationStmt><publisher>Academy.</publisher><idno type=\"URL\">https://example.org/briefe</idno></publicationStmt>",
        )
        .unwrap();
        assert_eq!(e.id, f.id);
    }

    #[test]
    fn falls_back_to_the_main_title_and_the_statement_prose() {
        let e = edition(
            "<titleStmt><title type=\"sub\">sub</title><title>Anonym an Escher, 1877</title></titleStmt>\
             <publicationStmt><p>Digitale Briefedition Alfred Escher, Zürich.</p></publicationStmt>",
        )
        .unwrap();
        assert_eq!(
            e.text,
            "Anonym an Escher, 1877. Digitale Briefedition Alfred Escher, Zürich."
        );
        assert_eq!(e.url, None);
        assert_eq!(
            edition("<titleStmt><title/></titleStmt><publicationStmt><p/></publicationStmt>"),
            None
        );
    }
}
