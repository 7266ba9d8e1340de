//! The diplomatic reading of a TEI document's `<text>`: every text node except those inside
//! `corr`, `reg` and `expan` (the editor's readings) and notes the encoder adds
//! (`note[@resp='#teikit']`). Used to check that encoding loses no word of the source.

/// The diplomatic reading of `<text>` in `xml`.
pub fn diplomatic(xml: &str) -> Result<String, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let text = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("text") && n.parent_element().is_some_and(|p| p.has_tag_name("TEI"))
        })
        .ok_or("no <text> element")?;
    let mut out = String::new();
    collect(text, &mut out);
    Ok(out)
}

fn collect(node: roxmltree::Node, out: &mut String) {
    for c in node.children() {
        if c.is_text() {
            out.push_str(c.text().unwrap_or(""));
        } else if c.is_element() {
            let name = c.tag_name().name();
            let added = name == "note" && c.attribute("resp") == Some("#teikit");
            if matches!(name, "corr" | "reg" | "expan") || added {
                continue;
            }
            collect(c, out);
        }
    }
}

/// Whitespace-separated words of `s`.
pub fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// How many words of `source` appear, in order, in `reading` (greedy alignment), and the
/// index of the first source word that is missing, if any.
pub fn words_kept(source: &str, reading: &str) -> (usize, usize, Option<usize>) {
    let a = words(source);
    let b = words(reading);
    let mut j = 0;
    let mut kept = 0;
    let mut first_missing = None;
    for (i, w) in a.iter().enumerate() {
        match b[j..].iter().take(50).position(|x| x == w) {
            Some(p) => {
                kept += 1;
                j += p + 1;
            }
            None => {
                if first_missing.is_none() {
                    first_missing = Some(i);
                }
            }
        }
    }
    (kept, a.len(), first_missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_editorial_readings() {
        let x = r##"<TEI><teiHeader><p>head</p></teiHeader><text><p>a <choice><sic>Adda</sic><corr>Ada</corr></choice> b<note resp="#teikit">added</note></p></text></TEI>"##;
        let r = diplomatic(x).unwrap();
        assert_eq!(words(&r), vec!["a", "Adda", "b"]);
        assert_eq!(words_kept("a Adda b", &r), (3, 3, None));
        assert_eq!(words_kept("a Adda c b", &r), (3, 4, Some(2)));
    }
}
