//! Writes the report page: one HTML file with inline CSS and JS and the data as JSON inside a
//! `<script type="application/json">`, which the script reads with `JSON.parse` and shows with
//! `textContent` only (never as markup). A Content-Security-Policy forbids every network
//! request, so the page works offline and can send nothing anywhere.

use super::model::Data;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// `value` as JSON that can sit inside a `<script>` element: `<`, `>` and `&` written as
/// `\u003c`, `\u003e`, `\u0026` (so no `</script>` or `<!--` can end or change the element), and
/// U+2028, U+2029 as `\u2028`, `\u2029`. The result parses as the same JSON.
pub fn embed_json<T: serde::Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped for HTML text and attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page.
pub fn render(data: &Data) -> String {
    let json = embed_json(data);
    let title = escape_html(&data.title);
    let mut page = String::with_capacity(json.len() + STYLE.len() + SCRIPT.len() + 2048);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str(&format!(
        "<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n"
    ));
    page.push_str("<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
    page.push_str(&format!(
        "<header><h1>{title}</h1><nav id=\"tabs\" role=\"tablist\" aria-label=\"Views\"></nav></header>\n"
    ));
    page.push_str(
        "<main id=\"main\" tabindex=\"-1\"><noscript>This report needs JavaScript to show its \
         views; its data is in the script element <code>#teikit-data</code>.</noscript></main>\n",
    );
    page.push_str("<script id=\"teikit-data\" type=\"application/json\">");
    page.push_str(&json);
    page.push_str("</script>\n<script>\n");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_element() {
        let nasty = vec![
            "</script><script>alert(1)</script>",
            "<!-- <script>",
            "\"quoted\" & 'single'",
            "line\u{2028}sep\u{2029}",
        ];
        let out = embed_json(&nasty);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!out.contains(bad), "{bad:?} left in {out}");
        }
        let back: Vec<String> = serde_json::from_str(&out).unwrap();
        assert_eq!(back, nasty);
        assert_eq!(
            escape_html("<a href=\"x\">&"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }
}
