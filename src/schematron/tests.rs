//! Engine tests on small schemas and documents.

use super::*;

fn sch(body: &str) -> Arc<Schematron> {
    sch_phase(body, None)
}

fn sch_phase(body: &str, phase: Option<&str>) -> Arc<Schematron> {
    let text = format!(
        "<schema xmlns='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt2'>\n<ns prefix='t' uri='urn:t'/>\n{body}</schema>"
    );
    Arc::new(
        Schematron::from_str(&text, Path::new("test.sch"), phase).unwrap_or_else(|e| panic!("{e}")),
    )
}

fn run(s: &Arc<Schematron>, doc: &str) -> Vec<(String, String)> {
    s.run(doc, &limits::Limits::default())
        .into_iter()
        .map(|d| (d.code.id.to_string(), d.message))
        .collect()
}

#[test]
fn asserts_and_reports_fire_with_value_of_and_name() {
    let s = sch("<pattern id='p'><rule context='t:a'><assert test='@n' id='need-n'>the <name/> needs @n</assert><report test='@x'>x is <value-of select='@x'/></report></rule></pattern>");
    let r = run(&s, "<r xmlns='urn:t'><a/><a n='1' x='7'/></r>");
    assert_eq!(
        r,
        vec![
            ("tei::sch::need_n".into(), "the a needs @n".into()),
            ("tei::sch::p".into(), "x is 7".into())
        ]
    );
}

#[test]
fn the_first_matching_rule_of_a_pattern_wins() {
    let s = sch("<pattern id='p'><rule context='t:a[@k]'><report test='true()'>first</report></rule><rule context='t:a'><report test='true()'>second</report></rule></pattern><pattern id='q'><rule context='t:*'><report test='self::t:a'>other pattern</report></rule></pattern>");
    let r: Vec<String> = run(&s, "<r xmlns='urn:t'><a k='1'/><a/></r>")
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(r, ["first", "other pattern", "second", "other pattern"]);
}

#[test]
fn lets_at_every_level_current_and_positions() {
    let s = sch("<let name='g' value='count(//t:a)'/><pattern id='p'><let name='pv' value=\"'P'\"/><rule context='t:a[2]'><let name='me' value='@n'/><report test='true()'><value-of select='$g'/> <value-of select='$pv'/> <value-of select='$me'/> <value-of select='count(../t:a[@n = current()/@n])'/></report></rule></pattern>");
    let r: Vec<String> = run(&s, "<r xmlns='urn:t'><a n='1'/><a n='1'/><a n='2'/></r>")
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(r, ["3 P 1 2"]);
}

#[test]
fn abstract_patterns_and_rules_and_phases() {
    let body = "<phase id='only-q'><active pattern='q'/></phase>\
<pattern abstract='true' id='has'><rule context='$el'><assert test='$attr'><name/> lacks $attr</assert></rule></pattern>\
<pattern is-a='has' id='p'><param name='el' value='t:a'/><param name='attr' value='@n'/></pattern>\
<pattern id='q'><rule abstract='true' id='base'><report test='@x'>x here</report></rule><rule context='t:b'><extends rule='base'/></rule></pattern>";
    let s = sch(body);
    let doc = "<r xmlns='urn:t'><a/><b x='1'/></r>";
    let r: Vec<String> = run(&s, doc).into_iter().map(|x| x.1).collect();
    // parameters replace `$name` in expressions, not in the text (as SchXslt's expand.xsl)
    assert_eq!(r, ["a lacks $attr", "x here"]);
    let s = sch_phase(body, Some("only-q"));
    let r: Vec<String> = run(&s, doc).into_iter().map(|x| x.1).collect();
    assert_eq!(r, ["x here"]);
    let e = Schematron::from_str(
        &format!("<schema xmlns='http://purl.oclc.org/dsdl/schematron'>{body}</schema>"),
        Path::new("x.sch"),
        Some("nope"),
    )
    .unwrap_err();
    assert!(e.message.contains("no phase `nope`"), "{e}");
}

#[test]
fn severity_from_role_and_attribute_contexts_and_spans() {
    let s = sch("<pattern><rule context='t:a/@n'><report test=\". = 'w'\" role='warning'>warn</report><report test=\". = 'i'\" role='info'>info</report><report test=\". = 'e'\">err</report></rule></pattern>");
    let doc = "<r xmlns='urn:t'><a n='w'/><a n='i'/><a n='e'/></r>";
    let d = s.run(doc, &limits::Limits::default());
    let sev: Vec<Severity> = d.iter().map(|d| d.severity).collect();
    assert_eq!(sev, [Severity::Warning, Severity::Advice, Severity::Error]);
    assert_eq!(&doc[d[0].span.clone()], "n='w'");
    assert_eq!(
        d[0].path.as_deref(),
        Some("/Q{urn:t}r[1]/Q{urn:t}a[1]/@Q{}n")
    );
    assert!(
        d[0].code.id.starts_with("tei::sch::test_p1_r1"),
        "{}",
        d[0].code.id
    );
}

#[test]
fn a_rule_that_does_not_compile_names_its_place() {
    let text = "<schema xmlns='http://purl.oclc.org/dsdl/schematron'>\n<pattern>\n  <rule context='a'>\n    <assert test='count(('>x</assert></rule></pattern></schema>";
    let e = Schematron::from_str(text, Path::new("bad.sch"), None).unwrap_err();
    assert_eq!((e.at.line, e.at.column), (4, 5), "{e}");
    assert!(e.message.contains("does not compile"), "{e}");
    let text = "<schema xmlns='http://purl.oclc.org/dsdl/schematron'><pattern><rule context='a'><assert test=\"document('http://example.org/x')\">x</assert></rule></pattern></schema>";
    let e = Schematron::from_str(text, Path::new("bad.sch"), None).unwrap_err();
    assert!(e.message.contains("never fetches"), "{e}");
}

#[test]
fn div_and_other_operator_names_work_as_tei_names() {
    let s = sch("<pattern><rule context='t:l//t:div'><report test='ancestor::t:l'>div in l</report></rule></pattern>");
    let r = run(&s, "<r xmlns='urn:t'><l><x><div/></x></l><div/></r>");
    assert_eq!(r.len(), 1);
}

#[test]
fn a_rule_past_the_time_limit_is_stopped_and_its_worker_does_not_run_on() {
    // each evaluation is short, the rule is long: 20,000 elements, each compared with all
    // (4e8 comparisons, far more than the seconds this test waits)
    let s = sch("<pattern id='slow'><rule context='t:a'><report test='count(//t:a[@n = current()/@n]) gt 1'>duplicate</report></rule></pattern>");
    let mut doc = String::from("<r xmlns='urn:t'>");
    for i in 0..20_000 {
        doc.push_str(&format!("<a n='{i}'/>"));
    }
    doc.push_str("</r>");
    let limits = limits::Limits {
        time_per_rule: std::time::Duration::from_millis(200),
        ..Default::default()
    };
    let d = s.run(&doc, &limits);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code.id, "tei::sch::time_limit");
    assert!(d[0].message.contains("pattern slow"), "{}", d[0].message);
    // the cancelled run stops before its next evaluation (milliseconds), not after the rule
    let start = std::time::Instant::now();
    while limits::stuck() > 0 && start.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(limits::stuck(), 0, "the stopped run is still evaluating");
}
