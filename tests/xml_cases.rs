//! The XML reader against data: `tests/cases/xml/NAME.xml` (or `NAME.bin.hex`, bytes written as
//! hex for encodings) beside `NAME.expected` (one `code line:col` per diagnostic) and, for
//! documents that parse, `NAME.events` (the event trace). xmllint is the oracle for the
//! well-formedness verdict of every case, and every corpus file must parse without errors.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

use teikit::diagnostic::Severity;
use teikit::source::LineIndex;
use teikit::xml::{decode, parse, EndTag, Handler, ParseOptions, StartTag, Tee};

/// Records events as text lines.
#[derive(Default)]
struct Trace {
    out: String,
    text: String,
    spans: bool,
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
        .replace('\r', "\\r")
}

impl Handler for Trace {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        let _ = write!(self.out, "start {{{}}}{}", tag.ns, tag.local);
        if tag.qname != tag.local {
            let _ = write!(self.out, " qname={}", tag.qname);
        }
        for a in tag.attributes {
            let _ = write!(self.out, " {{{}}}{}=\"{}\"", a.ns, a.local, esc(a.value));
            let raw = &self.text[a.span.clone()];
            // inside an entity's replacement text, spans are the reference's
            if !raw.starts_with('&') {
                assert!(
                    raw.starts_with(a.qname),
                    "attribute span {raw:?} for {}",
                    a.qname
                );
            }
        }
        if tag.empty {
            self.out.push_str(" empty");
        }
        if self.spans {
            let _ = write!(self.out, " @{}", esc(&self.text[tag.span.clone()]));
        }
        self.out.push('\n');
    }
    fn end_element(&mut self, tag: &EndTag<'_>) {
        let _ = writeln!(self.out, "end {{{}}}{}", tag.ns, tag.local);
    }
    fn text(&mut self, text: &str, span: Range<usize>) {
        let _ = write!(self.out, "text \"{}\"", esc(text));
        if self.spans {
            let _ = write!(self.out, " @{}", esc(&self.text[span]));
        }
        self.out.push('\n');
    }
    fn processing_instruction(&mut self, target: &str, data: &str, _span: Range<usize>) {
        let _ = writeln!(self.out, "pi {target} \"{}\"", esc(data));
    }
}

fn hex_to_bytes(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| l.bytes())
        .filter(|b| b.is_ascii_hexdigit())
        .collect();
    digits
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect()
}

/// The options of case `name`: the defaults, with the limits its `NAME.limits` sets (one
/// `name = value` per line, as in the `[limits]` table of teikit.toml).
fn case_options(name: &str) -> ParseOptions {
    let mut limits = teikit::limit::Limits::default();
    if let Ok(text) = std::fs::read_to_string(cases_dir().join(format!("{name}.limits"))) {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (k, v) = line.split_once('=').expect("name = value");
            limits.set(k.trim(), v.trim()).expect("a known limit");
        }
    }
    ParseOptions::from(&limits)
}

/// Parses bytes; returns (`code line:col` lines, event trace, decoded text).
fn run(bytes: &[u8], opts: &ParseOptions) -> (String, String) {
    let mut diags_out = String::new();
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(d) => {
            // spans of encoding errors are byte offsets into the raw file
            let _ = writeln!(diags_out, "{} byte:{}", d.code.id, d.span.start);
            return (diags_out, String::new());
        }
    };
    let text = decoded.text.as_ref();
    let mut trace = Trace {
        text: text.to_string(),
        spans: true,
        ..Default::default()
    };
    let diags = parse(text, &mut trace, opts);
    let ix = LineIndex::new(text);
    for d in &diags {
        let (l, c) = ix.line_col(text, d.span.start);
        // the severity is written only where it differs from the code's default
        let sev = if d.severity != d.code.severity {
            format!(" ({})", d.severity.as_str())
        } else {
            String::new()
        };
        let _ = writeln!(diags_out, "{} {l}:{c}{sev}", d.code.id);
    }
    (diags_out, trace.out)
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/xml")
}

fn case_inputs() -> Vec<(String, Vec<u8>, PathBuf)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(cases_dir()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".bin.hex") {
            let bytes = hex_to_bytes(&std::fs::read_to_string(&p).unwrap());
            v.push((stem.to_string(), bytes, p));
        } else if let Some(stem) = name.strip_suffix(".xml") {
            v.push((stem.to_string(), std::fs::read(&p).unwrap(), p));
        }
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn cases_match_expected_diagnostics_and_events() {
    let bless = std::env::var_os("TEIKIT_BLESS").is_some();
    let readme = std::fs::read_to_string(cases_dir().join("README.md")).unwrap();
    let mut failures = Vec::new();
    let cases = case_inputs();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    for (name, bytes, _) in &cases {
        assert!(
            readme.contains(&format!("`{name}`")),
            "case {name} has no README.md line"
        );
        let (diags, events) = run(bytes, &case_options(name));
        let exp_path = cases_dir().join(format!("{name}.expected"));
        let ev_path = cases_dir().join(format!("{name}.events"));
        if bless {
            std::fs::write(&exp_path, &diags).unwrap();
            if !events.is_empty() && !diags.lines().any(|l| l.contains("::encoding")) {
                std::fs::write(&ev_path, &events).unwrap();
            }
        }
        let expected = std::fs::read_to_string(&exp_path)
            .unwrap_or_else(|_| panic!("{name}.expected missing"));
        if expected != diags {
            failures.push(format!(
                "{name}: expected diagnostics\n{expected}got\n{diags}"
            ));
        }
        if let Ok(exp_ev) = std::fs::read_to_string(&ev_path) {
            if exp_ev != events {
                failures.push(format!("{name}: expected events\n{exp_ev}got\n{events}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn oracle(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "{tool} is required but missing"
        );
        println!("skipped: {tool} not installed");
    }
    ok
}

/// Does xmllint accept the bytes? A nonzero exit is a well-formedness error; xmllint reports
/// namespace errors (`namespace error : …`) on stderr but still exits 0: those count as
/// rejections too, since the Namespaces in XML constraints are errors for teikit.
fn xmllint_accepts(bytes: &[u8]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("case.xml");
    std::fs::write(&p, bytes).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg(&p)
        .output()
        .unwrap();
    out.status.success() && !String::from_utf8_lossy(&out.stderr).contains(" error : ")
}

#[test]
fn cases_agree_with_xmllint() {
    if !oracle("xmllint") {
        return;
    }
    // Cases where teikit deliberately differs from xmllint, each with its reason.
    let known_differences: &[(&str, &str)] = &[
        (
            "wf_undeclared_entity_external_dtd",
            "xmllint prints `Entity 'eacute' not defined` but exits 0: with an unread external DTD \
             the entity may be declared there (XML 1.0 WFC Entity Declared does not apply); teikit warns",
        ),
        (
            "wf_deep_nesting",
            "libxml2 refuses nesting deeper than 256 without XML_PARSE_HUGE (a resource limit, not \
             a well-formedness rule); teikit keeps no recursion per element, so depth costs nothing",
        ),
    ];
    let mut disagreements = Vec::new();
    for (name, bytes, _) in case_inputs() {
        if cases_dir().join(format!("{name}.limits")).exists() {
            continue; // a resource limit lowered for the case: xmllint has its own
        }
        let (diags, _) = run(&bytes, &ParseOptions::default());
        let ours = !diags.lines().any(|l| {
            let code = l.split(' ').next().unwrap_or("");
            let default_error =
                teikit::diagnostic::find_code(code).is_some_and(|c| c.severity == Severity::Error);
            (default_error && !l.ends_with(')')) || l.ends_with("(error)")
        });
        let theirs = xmllint_accepts(&bytes);
        if ours != theirs && !known_differences.iter().any(|(n, _)| *n == name) {
            disagreements.push(format!(
                "{name}: teikit {} / xmllint {}",
                verdict(ours),
                verdict(theirs)
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "verdicts differ from xmllint:\n{}",
        disagreements.join("\n")
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "accepts"
    } else {
        "rejects"
    }
}

fn collect_xml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_xml(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_file_parses() {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED") else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let corpora = Path::new(&shared).join("corpora");
    assert!(corpora.is_dir(), "{} is missing", corpora.display());
    let mut files = Vec::new();
    collect_xml(&corpora, &mut files);
    files.sort();
    assert!(files.len() >= 900, "only {} corpus files", files.len());
    let mut bad = Vec::new();
    let (mut elements, mut bytes_total) = (0usize, 0usize);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        bytes_total += bytes.len();
        let d = match decode(&bytes) {
            Ok(d) => d,
            Err(e) => {
                bad.push(format!("{}: {}", f.display(), e.message));
                continue;
            }
        };
        let mut count = Count::default();
        let mut trace = Trace {
            text: d.text.to_string(),
            ..Default::default()
        };
        let mut tee = Tee::new(vec![&mut count, &mut trace]);
        let diags = parse(&d.text, &mut tee, &ParseOptions::default());
        drop(tee);
        elements += count.starts;
        assert_eq!(count.starts, count.ends, "{}", f.display());
        for e in diags.iter().filter(|d| d.severity == Severity::Error) {
            let (l, c) = LineIndex::new(&d.text).line_col(&d.text, e.span.start);
            bad.push(format!(
                "{}:{l}:{c}: {} {}",
                f.display(),
                e.code.id,
                e.message
            ));
        }
    }
    println!(
        "{} files, {bytes_total} bytes, {elements} elements",
        files.len()
    );
    assert!(
        bad.is_empty(),
        "{} corpus files fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[derive(Default)]
struct Count {
    starts: usize,
    ends: usize,
}

impl Handler for Count {
    fn start_element(&mut self, _: &StartTag<'_>) {
        self.starts += 1;
    }
    fn end_element(&mut self, _: &EndTag<'_>) {
        self.ends += 1;
    }
    fn text(&mut self, _: &str, _: Range<usize>) {}
}

/// Small edits of well-formed documents (deterministic): teikit's verdict must equal
/// xmllint's on each. Finds the corners a hand-written list of broken inputs misses.
#[test]
fn mutations_agree_with_xmllint() {
    if !oracle("xmllint") {
        return;
    }
    let seeds: Vec<String> = [
        "wf_namespaces",
        "wf_internal_entities",
        "wf_text_merge",
        "wf_pi_prolog",
        "wf_attr_normalise",
    ]
    .iter()
    .map(|n| std::fs::read_to_string(cases_dir().join(format!("{n}.xml"))).unwrap())
    .collect();
    let inserts = [
        "<",
        ">",
        "&",
        "\"",
        "'",
        "/",
        "]]>",
        "--",
        "=",
        "\u{1}",
        ":",
        "<!--",
        "<?",
        "&#",
        ";",
        "x:",
        " ",
        "<a>",
        "</a>",
        "<![CDATA[",
    ];
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let n: usize = std::env::var("TEIKIT_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut disagreements = Vec::new();
    for _ in 0..n {
        let seed = &seeds[next(seeds.len())];
        let mut doc = seed.clone();
        let mut at = next(doc.len() + 1);
        while !doc.is_char_boundary(at) {
            at -= 1;
        }
        if next(3) == 0 {
            let mut end = at + 1;
            while end < doc.len() && !doc.is_char_boundary(end) {
                end += 1;
            }
            doc.replace_range(at..end.min(doc.len()), "");
        } else {
            doc.insert_str(at, inserts[next(inserts.len())]);
        }
        let (diags, _) = run(doc.as_bytes(), &ParseOptions::default());
        let ours = !diags.lines().any(|l| {
            let code = l.split(' ').next().unwrap_or("");
            let default_error =
                teikit::diagnostic::find_code(code).is_some_and(|c| c.severity == Severity::Error);
            (default_error && !l.ends_with(')')) || l.ends_with("(error)")
        });
        let theirs = xmllint_accepts(doc.as_bytes());
        // Deliberate differences, each with its reason:
        let xml_id_not_ncname = doc
            .split("xml:id=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .is_some_and(|v| {
                !v.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    || !v
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            });
        let known = [
            // libxml2 checks that xml:id values are NCNames (the xml:id recommendation); in
            // teikit that is the schema's job (xml:id is typed ID) and the id checks'.
            xml_id_not_ncname,
            // XML 1.0 requires whitespace after `<!DOCTYPE` (production doctypedecl); libxml2
            // does not insist.
            !doc.contains("<!DOCTYPE ") && doc.contains("<!DOCTYPE"),
            // libxml2 accepts some unregistered spellings of encoding names (`UTF-8--`);
            // teikit knows the WHATWG labels only.
            !seed.contains(doc.split("?>").next().unwrap_or(""))
                && doc
                    .split("?>")
                    .next()
                    .is_some_and(|d| d.contains("encoding=")),
        ];
        if ours != theirs && !known.contains(&true) {
            disagreements.push(format!(
                "teikit {} / xmllint {}: {doc:?}\n  {}",
                verdict(ours),
                verdict(theirs),
                diags.trim()
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {n} mutations differ:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

fn trace_of(text: &str, opts: &ParseOptions) -> (String, Vec<String>) {
    let mut t = Trace {
        text: text.to_string(),
        ..Default::default()
    };
    let diags = parse(text, &mut t, opts);
    (
        t.out,
        diags
            .iter()
            .map(|d| format!("{} {:?}", d.code.id, d.span))
            .collect(),
    )
}

#[test]
fn entity_limits_are_configurable() {
    let doc = "<!DOCTYPE a [<!ENTITY x \"0123456789\"><!ENTITY y \"&x;&x;&x;\"><!ENTITY z \"&y;\">]><a>&z;</a>";
    let (_, d) = trace_of(doc, &ParseOptions::default());
    assert!(d.is_empty(), "{d:?}");
    // 29 bytes allowed: refused before anything is expanded
    let opts = ParseOptions {
        max_entity_expansion: 29,
        ..ParseOptions::default()
    };
    let (events, d) = trace_of(doc, &opts);
    assert_eq!(d, ["tei::xml::entity_expansion_limit 82..85"]);
    assert!(!events.contains("text"), "nothing expanded: {events}");
    let opts = ParseOptions {
        // every level's replacement text counts: z (3) + y (9) + 3 × x (30)
        max_entity_expansion: 42,
        ..ParseOptions::default()
    };
    assert!(trace_of(doc, &opts).1.is_empty());
    // three levels of nesting: z -> y -> x
    let opts = ParseOptions {
        max_entity_depth: 2,
        ..ParseOptions::default()
    };
    let (_, d) = trace_of(doc, &opts);
    assert_eq!(d.len(), 1);
    assert!(
        d[0].starts_with("tei::xml::entity_expansion_limit"),
        "{d:?}"
    );
    let opts = ParseOptions {
        max_entity_depth: 3,
        ..ParseOptions::default()
    };
    assert!(trace_of(doc, &opts).1.is_empty());
}

#[test]
fn repeated_references_count_towards_the_total() {
    // each reference is small, together they pass the limit
    let mut doc = String::from("<!DOCTYPE a [<!ENTITY x \"0123456789\">]><a>");
    for _ in 0..20 {
        doc.push_str("&x;");
    }
    doc.push_str("</a>");
    let opts = ParseOptions {
        max_entity_expansion: 150,
        ..ParseOptions::default()
    };
    let (_, d) = trace_of(&doc, &opts);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].starts_with("tei::xml::entity_expansion_limit"));
}

#[test]
fn namespaces_in_scope_are_available_at_each_start_tag() {
    struct Qn(Vec<String>);
    impl Handler for Qn {
        fn start_element(&mut self, tag: &StartTag<'_>) {
            for a in tag.attributes {
                if let Some((p, l)) = a.value.split_once(':') {
                    self.0.push(format!(
                        "{}|{l}",
                        tag.namespaces.resolve(p).unwrap_or("UNBOUND")
                    ));
                }
            }
            self.0.push(format!(
                "default={}",
                tag.namespaces.resolve("").unwrap_or("none")
            ));
        }
        fn end_element(&mut self, _: &EndTag<'_>) {}
        fn text(&mut self, _: &str, _: Range<usize>) {}
    }
    let doc = r#"<a xmlns="urn:d" xmlns:p="urn:p"><b t="p:x"><c xmlns:p="urn:q" t="p:y" u="xml:z" v="q:w"/></b><d t="p:v"/></a>"#;
    let mut h = Qn(Vec::new());
    assert!(parse(doc, &mut h, &ParseOptions::default()).is_empty());
    assert_eq!(
        h.0,
        [
            "default=urn:d",
            "urn:p|x",
            "default=urn:d",
            "urn:q|y",
            "http://www.w3.org/XML/1998/namespace|z",
            "UNBOUND|w",
            "default=urn:d",
            "urn:p|v",
            "default=urn:d",
        ]
    );
}

#[test]
fn tee_sends_every_event_to_every_handler() {
    let doc = "<?pi x?><a b='1'>t<![CDATA[u]]><c/>&amp;</a>";
    let mut one = Trace {
        text: doc.to_string(),
        spans: true,
        ..Default::default()
    };
    let mut two = Trace {
        text: doc.to_string(),
        spans: true,
        ..Default::default()
    };
    let mut alone = Trace {
        text: doc.to_string(),
        spans: true,
        ..Default::default()
    };
    let mut tee = Tee::new(vec![&mut one, &mut two]);
    assert!(parse(doc, &mut tee, &ParseOptions::default()).is_empty());
    drop(tee);
    parse(doc, &mut alone, &ParseOptions::default());
    assert_eq!(one.out, alone.out);
    assert_eq!(two.out, alone.out);
    assert!(alone.out.contains("pi pi \"x\""), "{}", alone.out);
}

#[test]
fn spans_point_into_the_text() {
    struct Spans(Vec<(String, Range<usize>)>);
    impl Handler for Spans {
        fn start_element(&mut self, tag: &StartTag<'_>) {
            self.0.push((format!("<{}", tag.qname), tag.span.clone()));
            for a in tag.attributes {
                self.0.push((format!("@{}", a.qname), a.span.clone()));
                self.0.push((format!("={}", a.value), a.value_span.clone()));
            }
        }
        fn end_element(&mut self, tag: &EndTag<'_>) {
            self.0.push((format!("</{}", tag.qname), tag.span.clone()));
        }
        fn text(&mut self, t: &str, span: Range<usize>) {
            self.0.push((format!("#{t}"), span));
        }
    }
    let doc = "<a>\n  <b n = 'v'>x&lt;</b><c/></a>";
    let mut h = Spans(Vec::new());
    assert!(parse(doc, &mut h, &ParseOptions::default()).is_empty());
    let got: Vec<String> =
        h.0.iter()
            .map(|(w, r)| format!("{w} {}", &doc[r.clone()]))
            .collect();
    assert_eq!(
        got,
        [
            "<a <a>",
            "#\n   \n  ",
            "<b <b n = 'v'>",
            "@n n = 'v'",
            "=v v",
            "#x< x&lt;",
            "</b </b>",
            "<c <c/>",
            "</c <c/>",
            "</a </a>",
        ]
    );
}

/// Every short sequence of XML-ish tokens parses without a panic (all errors are diagnostics),
/// and an accepted document has balanced events.
#[test]
fn short_token_sequences_never_panic() {
    let tokens = [
        "<",
        ">",
        "/",
        "?",
        "!",
        "-",
        "[",
        "]",
        "&",
        ";",
        "a",
        "'",
        "=",
        " ",
        "#",
        "x",
        "<?",
        "?>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE a [",
        "<!ENTITY e '<a>'>",
        "&e;",
        "xmlns:p='u'",
        "p:",
        "é",
        "\r",
    ];
    let n = tokens.len();
    let mut count = 0;
    for len in 1..=4u32 {
        for mut k in 0..n.pow(len) {
            let mut doc = String::new();
            for _ in 0..len {
                doc.push_str(tokens[k % n]);
                k /= n;
            }
            let mut c = Count::default();
            let diags = parse(&doc, &mut c, &ParseOptions::default());
            if !diags.iter().any(|d| d.severity == Severity::Error) {
                assert_eq!(c.starts, c.ends, "{doc:?}");
                assert!(c.starts > 0, "accepted without a root: {doc:?}");
            }
            for d in &diags {
                assert!(
                    d.span.start <= doc.len() && d.span.end <= doc.len().max(d.span.start),
                    "{doc:?} {d:?}"
                );
            }
            count += 1;
        }
    }
    assert!(count > 700_000);
}

/// Diagnostics as comparable lines: code, span, message.
fn diag_lines(diags: &[teikit::diagnostic::Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{} {:?} {}", d.code.id, d.span, d.message))
        .collect()
}

/// What the streaming reader gives for `bytes` read in windows of `window` bytes: diagnostics
/// and events (traced against `text`, the whole decoded text).
fn run_streamed(
    bytes: &[u8],
    text: &str,
    window: usize,
    base: &ParseOptions,
) -> (Vec<String>, String) {
    let mut trace = Trace {
        text: text.to_string(),
        spans: true,
        ..Default::default()
    };
    let opts = ParseOptions {
        window,
        ..base.clone()
    };
    let diags = teikit::xml::parse_read(&mut &bytes[..], &mut trace, &opts).unwrap();
    (diag_lines(&diags), trace.out)
}

#[test]
fn streaming_in_small_windows_gives_the_same_events_and_diagnostics() {
    let mut failures = Vec::new();
    for (name, bytes, _) in case_inputs() {
        let base = case_options(&name);
        let Ok(decoded) = decode(&bytes) else {
            // an encoding error: the stream stops at the bad bytes with the same code
            let first = decode(&bytes).unwrap_err().code.id;
            for window in [1, 7, 4096] {
                let opts = ParseOptions {
                    window,
                    ..base.clone()
                };
                let diags =
                    teikit::xml::parse_read(&mut &bytes[..], &mut Trace::default(), &opts).unwrap();
                let codes: Vec<&str> = diags.iter().map(|d| d.code.id).collect();
                if codes.last() != Some(&first) {
                    failures.push(format!(
                        "{name} (window {window}): {codes:?}, expected {first} last"
                    ));
                }
            }
            continue;
        };
        let text = decoded.text.as_ref();
        let mut trace = Trace {
            text: text.to_string(),
            spans: true,
            ..Default::default()
        };
        let whole = diag_lines(&parse(text, &mut trace, &base));
        for window in [1, 7, 64, 4096] {
            let (diags, events) = run_streamed(&bytes, text, window, &base);
            if diags != whole {
                failures.push(format!(
                    "{name} (window {window}): diagnostics\n{}\nexpected\n{}",
                    diags.join("\n"),
                    whole.join("\n")
                ));
            }
            if events != trace.out {
                failures.push(format!(
                    "{name} (window {window}): events\n{events}\nexpected\n{}",
                    trace.out
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn streaming_corpus_files_gives_the_same_events() {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED") else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let mut files = Vec::new();
    collect_xml(&Path::new(&shared).join("corpora"), &mut files);
    files.sort();
    assert!(files.len() >= 900, "only {} corpus files", files.len());
    // every seventh file, in windows small enough to cut tags, text and comments
    for (i, f) in files.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
        let bytes = std::fs::read(f).unwrap();
        let text = decode(&bytes).unwrap().text.to_string();
        let mut trace = Trace {
            text: text.clone(),
            spans: true,
            ..Default::default()
        };
        let whole = diag_lines(&parse(&text, &mut trace, &ParseOptions::default()));
        let window = [512, 4096, 65536][i % 3];
        let (diags, events) = run_streamed(&bytes, &text, window, &ParseOptions::default());
        assert_eq!(diags, whole, "{} (window {window})", f.display());
        assert!(
            events == trace.out,
            "{}: events differ (window {window})",
            f.display()
        );
    }
}

/// Every short sequence of prolog fragments (byte order marks, declarations, encodings, bytes
/// invalid in them) decodes, whole and streamed, without a panic; where the whole file
/// decodes, the streamed reader reports the same first diagnostic (where it does not, the
/// stream may stop at a well-formedness error before it reaches the bad bytes).
#[test]
fn prolog_fragments_never_panic_the_decoder() {
    let tokens: [&[u8]; 16] = [
        b"<?xml",
        b" ",
        b"encoding",
        b"=",
        b"\"",
        b"'",
        b"?>",
        b"\xFF\xFE",
        b"\xEF\xBB\xBF",
        b"\0",
        b"<\0?\0",
        b"utf-16",
        b"latin1",
        b"\xE9",
        b"<a/>",
        b"x",
    ];
    let n = tokens.len();
    for len in 1..=4u32 {
        for mut k in 0..n.pow(len) {
            let mut doc = Vec::new();
            for _ in 0..len {
                doc.extend_from_slice(tokens[k % n]);
                k /= n;
            }
            let whole = decode(&doc).ok().map(|d| {
                parse(&d.text, &mut Trace::default(), &ParseOptions::default())
                    .first()
                    .map(|d| d.code.id)
            });
            let opts = ParseOptions {
                window: 3,
                ..ParseOptions::default()
            };
            let streamed = teikit::xml::parse_read(&mut &doc[..], &mut Trace::default(), &opts)
                .unwrap()
                .first()
                .map(|d| d.code.id);
            if let Some(whole) = whole {
                assert_eq!(streamed, whole, "{doc:?}");
            }
        }
    }
}
