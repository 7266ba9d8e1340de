use super::*;

fn tei(body: &str) -> String {
    format!(
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader><text><body>{body}</body></text></TEI>"#
    )
}

fn roles(r: &Rendered) -> Vec<(String, &'static str)> {
    r.lines
        .iter()
        .map(|l| (r.line_text(l).to_string(), l.role.name()))
        .collect()
}

#[test]
fn a_letter_reads_in_blocks_with_roles() {
    let xml = tei(
        r#"<div type="letter"><opener><dateline>London, <date when="1800-01-02">2 Jan. 1800</date></dateline>
        <salute>Dear Sir,</salute></opener><p>I write<lb/>to say <choice><sic>thankx</sic><corr>thanks</corr></choice>.</p>
        <closer><salute>Yours truly,</salute><signed>J. Smith</signed></closer></div>"#,
    );
    let r = &render(&xml, &RenderOptions::default()).unwrap()[0];
    assert_eq!(
        r.text,
        "London, 2 Jan. 1800\nDear Sir,\n\nI write to say thanks.\n\nYours truly,\nJ. Smith\n"
    );
    assert_eq!(
        roles(r),
        vec![
            ("London, 2 Jan. 1800".into(), "dateline"),
            ("Dear Sir,".into(), "salutation"),
            ("I write to say thanks.".into(), "body"),
            ("Yours truly,".into(), "valediction"),
            ("J. Smith".into(), "signature"),
        ]
    );
    let kept = RenderOptions {
        line_breaks: LineBreaks::Kept,
        ..RenderOptions::default()
    };
    let r = &render(&xml, &kept).unwrap()[0];
    assert!(r.text.contains("I write\nto say thanks."), "{}", r.text);
}

#[test]
fn errors_say_why() {
    let e = render("<TEI><text>", &RenderOptions::default()).unwrap_err();
    assert!(matches!(e, RenderError::Xml { line: 1, .. }), "{e}");
    let e = render("<root/>", &RenderOptions::default()).unwrap_err();
    assert_eq!(e.to_string(), "the root element is <root>, not <TEI>");
    let e = render(
        &tei(r#"<div type="regest"><p>Summary.</p></div>"#),
        &RenderOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e, RenderError::NoLetterText);
}

#[test]
fn deep_nesting_is_refused_and_shallow_nesting_renders() {
    let nested = |n: usize| {
        tei(&format!(
            "<p>{}x{}</p>",
            "<hi>".repeat(n),
            "</hi>".repeat(n)
        ))
    };
    let r = render(&nested(MAX_DEPTH - 10), &RenderOptions::default()).unwrap();
    assert_eq!(r[0].text, "x\n");
    let e = render(&nested(100_000), &RenderOptions::default()).unwrap_err();
    assert!(matches!(e, RenderError::TooDeep { .. }), "{e}");
    assert!(!e.is_skip());
    assert!(narrative_passages(&nested(100_000)).is_empty());
}

#[test]
fn empty_and_binary_input_are_errors() {
    assert!(matches!(
        render("", &RenderOptions::default()),
        Err(RenderError::Xml { .. })
    ));
    assert!(matches!(
        render("\u{0}\u{1}\u{2}binary", &RenderOptions::default()),
        Err(RenderError::Xml { .. })
    ));
}
