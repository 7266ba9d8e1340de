//! The report page in a real browser: headless Chromium driven over WebDriver (chromedriver,
//! plain HTTP through `minreq`). For the seed encoding, the hostile case and every shared
//! corpus: no error in the page (its own error hook and the browser log), the overview's counts
//! equal `validate --format json` and `export index`, the letters table sorts, searches and
//! pages, the timeline filters the table, a click on a person focuses the network; a screenshot
//! of each view is kept under `target/report-browser/`.
//!
//! Skipped with a message when chromium or chromedriver is missing (they are required with
//! `TEIKIT_REQUIRE_ORACLES=1`; `.ci/run` installs them); the shared corpora are skipped when
//! `TEIKIT_SHARED` is unset.

mod common;
mod report_support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process and one browser session.
struct Browser {
    driver: Child,
    base: String,
    session: String,
}

fn tool(path: &str, name: &str) -> Option<PathBuf> {
    let found = [PathBuf::from(path)]
        .into_iter()
        .chain(std::env::var_os("PATH").into_iter().flat_map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        }))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "{name} is required (TEIKIT_REQUIRE_ORACLES=1) but missing: .ci/run installs it"
        );
        println!("skipped: {name} not installed (apt-get install chromium chromium-driver)");
    }
    found
}

impl Browser {
    fn start() -> Option<Browser> {
        let chromium = tool(CHROMIUM, "chromium")?;
        let chromedriver = tool(CHROMEDRIVER, "chromedriver")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let until = Instant::now() + Duration::from_secs(20);
        while minreq::get(format!("{base}/status"))
            .with_timeout(2)
            .send()
            .is_err()
        {
            assert!(Instant::now() < until, "chromedriver did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1000",
                         "--allow-file-access-from-files"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("a session").to_string();
        Some(b)
    }

    /// One WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// One WebDriver command; its `value`, or the error the driver answered.
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let req = match method {
            "GET" => minreq::get(url),
            "DELETE" => minreq::delete(url),
            _ => minreq::post(url)
                .with_header("Content-Type", "application/json")
                .with_body(body.unwrap_or(json!({})).to_string()),
        };
        let resp = req.with_timeout(120).send().expect("chromedriver answers");
        let v: Value = serde_json::from_str(resp.as_str().unwrap_or("{}")).unwrap_or(Value::Null);
        if resp.status_code >= 400 {
            return Err(format!("{} {}", resp.status_code, v["value"]["message"]));
        }
        Ok(v["value"].clone())
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    /// Opens the first `details` matching `css` by a click on its summary, unless it is open.
    fn open_details(&self, css: &str) {
        if self.js(&format!("return document.querySelector('{css}').open")) != json!(true) {
            self.click(&format!("{css} > summary"));
        }
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/clear"), None);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Waits (up to 10 s) until `script` returns true.
    fn wait(&self, script: &str, what: &str) {
        let until = Instant::now() + Duration::from_secs(10);
        while self.js(script) != json!(true) {
            assert!(Instant::now() < until, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens view `name` of the page at `url` and waits until it is drawn.
    fn view(&self, url: &str, name: &str) {
        self.goto(&format!("{url}#{name}"));
        let view = name.split('/').next().unwrap_or(name);
        self.wait(
            &format!("return document.getElementById('main').dataset.view === '{view}'"),
            name,
        );
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().expect("base64 PNG"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// The page's own error hook, and the browser log's SEVERE entries.
    fn errors(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .js("return window.__teikitErrors || ['error hook missing']")
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.to_string())
            .collect();
        let url = format!("{}/session/{}/se/log", self.base, self.session);
        if let Ok(r) = minreq::post(url)
            .with_header("Content-Type", "application/json")
            .with_body(json!({"type": "browser"}).to_string())
            .with_timeout(30)
            .send()
        {
            if let Ok(v) = serde_json::from_str::<Value>(r.as_str().unwrap_or("")) {
                for e in v["value"].as_array().into_iter().flatten() {
                    if e["level"] == "SEVERE" {
                        out.push(e["message"].to_string());
                    }
                }
            }
        }
        out
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = minreq::delete(format!("{}/session/{}", self.base, self.session))
                .with_timeout(10)
                .send();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(val(c)) << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

fn artifacts(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/report-browser")
        .join(name)
}

/// Writes the report of `inputs`, opens it, checks every view; returns the page's data.
fn check_report(b: &Browser, name: &str, inputs: &[PathBuf], registers: &[PathBuf]) -> Value {
    let dir = artifacts(name);
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_teikit"));
    cmd.arg("report").args(inputs).arg("-o").arg(&page);
    for r in registers {
        cmd.arg("--registers").arg(r);
    }
    let out = cmd.output().expect("teikit runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", page.display());
    b.goto(&url);
    b.wait(
        "return !!document.getElementById('ov-files')",
        "the overview",
    );
    let data = b.js("return JSON.parse(document.getElementById('teikit-data').textContent)");
    let errors = b.errors();
    assert!(errors.is_empty(), "{name}: errors in the page: {errors:?}");

    // the overview shows the counts of validate and export index
    for (k, v) in report_support::expected_counts(inputs, registers) {
        let id = match k.as_str() {
            "first_date" => "first",
            "last_date" => "last",
            k => k,
        };
        let shown = b.js(&format!(
            "return document.getElementById('ov-{id}').getAttribute('data-value')"
        ));
        let want = match &v {
            Value::Null => "–".to_string(),
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        assert_eq!(shown, json!(want), "{name}: overview {k}");
    }
    b.screenshot(&dir.join("overview.png"));

    // diagnostics: grouped, the first occurrence opens the file view with its excerpt marked
    b.view(&url, "diagnostics");
    let diags = data["diagnostics"].as_array().unwrap().len();
    if diags > 0 {
        assert_eq!(
            b.js("return +document.getElementById('diag-count').dataset.value"),
            json!(diags)
        );
        b.open_details("details.code");
        b.open_details("details.pattern");
        b.wait(
            "return !!document.querySelector('ul.occ a')",
            "the occurrences",
        );
        b.screenshot(&dir.join("diagnostics.png"));
        // severity filter: errors only
        b.js("const s=document.getElementById('f-severity'); s.value='2'; s.dispatchEvent(new Event('change'))");
        let errors = data["overview"]["errors"].clone();
        assert_eq!(
            b.js("return +document.getElementById('diag-count').dataset.value"),
            errors
        );
        b.js("const s=document.getElementById('f-severity'); s.value=''; s.dispatchEvent(new Event('change'))");
        b.open_details("details.code");
        b.open_details("details.pattern");
        b.wait(
            "return !!document.querySelector('ul.occ a')",
            "the occurrences",
        );
        b.click("ul.occ a");
        b.wait(
            "return document.getElementById('main').dataset.view==='file'",
            "the file view",
        );
        let has_lines = b.js("return D.files.some(f => f.lines.length > 0)");
        if has_lines == json!(true) {
            assert!(
                b.js("return document.querySelectorAll('.excerpt mark').length") != json!(0)
                    || b.js("return document.querySelector('.excerpt')===null && document.body.textContent.includes('not kept')") == json!(true),
                "{name}: the excerpt is highlighted"
            );
        }
        b.screenshot(&dir.join("file.png"));
    }

    // letters: paged, sorted, searched
    let letters = data["letters"].as_array().unwrap().clone();
    b.goto(&format!("{url}#letters"));
    b.wait(
        "return !!document.getElementById('letters-count')",
        "the letters",
    );
    let count = || b.js("return +document.getElementById('letters-count').dataset.value");
    assert_eq!(
        count(),
        json!(letters.len()),
        "{name}: letters in the table"
    );
    let rows = b.js("return document.querySelectorAll('#letters-table tbody tr').length");
    assert_eq!(
        rows,
        json!(letters.len().min(50)),
        "{name}: one page of rows"
    );
    let starts: Vec<&str> = letters
        .iter()
        .map(|l| l[2].as_str().unwrap())
        .filter(|s| !s.is_empty())
        .collect();
    let first_start =
        || b.js("return document.querySelector('#letters-table tbody tr').dataset.start");
    if let (Some(min), Some(max)) = (starts.iter().min(), starts.iter().max()) {
        assert_eq!(first_start(), json!(min), "{name}: sorted by date");
        b.click("#sort-date");
        assert_eq!(
            first_start(),
            json!(max),
            "{name}: sorted by date, descending"
        );
        b.click("#sort-date");
    }
    b.click("#sort-sender");
    assert_eq!(
        b.js("const c=new Intl.Collator('en'); const v=[...document.querySelectorAll('#letters-table td[data-col=sender]')].map(t=>t.querySelector('a')?t.querySelector('a').textContent:null); const k=v.indexOf(null); const n=k<0?v:v.slice(0,k); return (k<0||v.slice(k).every(x=>x===null)) && n.every((x,i)=>i===0||c.compare(n[i-1],x)<=0)"),
        json!(true),
        "{name}: sorted by sender"
    );
    b.screenshot(&dir.join("letters.png"));
    // search for the most frequent person: as many letters as the index rows naming them
    let persons = data["persons"].as_array().unwrap();
    if let Some((p, person)) = persons.iter().enumerate().max_by_key(|(i, p)| {
        (
            p["sent"].as_u64().unwrap() + p["received"].as_u64().unwrap(),
            std::cmp::Reverse(*i),
        )
    }) {
        let who = person["name"].as_str().unwrap();
        b.type_into("#letters-search", who);
        let expected = letters
            .iter()
            .filter(|l| {
                let people = l[4]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(l[5].as_array().unwrap());
                let hay = std::iter::once(l[0].as_str().unwrap().to_string())
                    .chain(std::iter::once(l[1].as_str().unwrap().to_string()))
                    .chain(people.map(|q| {
                        persons[q.as_u64().unwrap() as usize]["name"]
                            .as_str()
                            .unwrap()
                            .to_string()
                    }))
                    .chain(l[6].as_array().unwrap().iter().map(|q| {
                        data["places"][q.as_u64().unwrap() as usize]["name"]
                            .as_str()
                            .unwrap()
                            .to_string()
                    }))
                    .chain(std::iter::once(
                        data["files"][l[7].as_u64().unwrap() as usize]["path"]
                            .as_str()
                            .unwrap()
                            .to_string(),
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                hay.contains(&who.to_lowercase())
            })
            .count();
        b.wait(
            &format!(
                "return +document.getElementById('letters-count').dataset.value === {expected}"
            ),
            "the search",
        );
        b.type_into("#letters-search", "");
        b.wait(
            &format!(
                "return +document.getElementById('letters-count').dataset.value === {}",
                letters.len()
            ),
            "the search cleared",
        );

        // network: a click on the person focuses them
        b.goto(&format!("{url}#network"));
        b.wait("return !!document.getElementById('net-svg')", "the network");
        // a real click on the circle; where a neighbour covers its centre, the keyboard
        let node = b.find(&format!("#net-svg .node[data-person=\"{p}\"] circle"));
        if let Err(e) = b.try_call("POST", &format!("/element/{node}/click"), None) {
            println!(
                "{name}: click intercepted ({}), pressing Enter on the node instead",
                &e[..e.len().min(80)]
            );
            let g = b.find(&format!("#net-svg .node[data-person=\"{p}\"]"));
            b.call(
                "POST",
                &format!("/element/{g}/value"),
                Some(json!({"text": "\u{E007}"})),
            );
        }
        assert_eq!(
            b.js("return document.getElementById('net-svg').dataset.focus"),
            json!(p.to_string()),
            "{name}: the network focuses the person clicked"
        );
        assert_eq!(
            b.js("return document.getElementById('net-focus-name').textContent"),
            json!(who)
        );
        b.screenshot(&dir.join("network.png"));

        // person view
        b.goto(&format!("{url}#person/{p}"));
        b.wait(
            "return document.getElementById('main').dataset.view==='person'",
            "the person",
        );
        b.screenshot(&dir.join("person.png"));
        b.click("#person-network");
        b.wait("return !!document.getElementById('net-svg')", "the network");
        assert_eq!(
            b.js("return document.getElementById('net-svg').dataset.focus"),
            json!(p.to_string())
        );
    }

    // timeline: a drag across the bars filters the letters table
    if !starts.is_empty() {
        b.goto(&format!("{url}#timeline"));
        b.wait("return !!document.getElementById('tl-svg')", "the timeline");
        let rect = b.js("const r=document.getElementById('tl-svg').getBoundingClientRect(); r.y < 0 || r.bottom > innerHeight ? scrollTo(0, scrollY + r.y - 10) : 0; const q=document.getElementById('tl-svg').getBoundingClientRect(); return [q.x, q.y, q.width, q.height]");
        let r: Vec<f64> = rect
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let (y, x0, x1) = (
            (r[1] + r[3] / 2.0) as i64,
            (r[0] + 2.0) as i64,
            (r[0] + r[2] / 2.0) as i64,
        );
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "origin": "viewport", "x": x0, "y": y},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "origin": "viewport", "x": x1, "y": y, "duration": 100},
            {"type": "pointerUp", "button": 0}]}]});
        b.call("POST", "/actions", Some(actions));
        let (from, to) = (
            b.js("return document.getElementById('tl-from').value"),
            b.js("return document.getElementById('tl-to').value"),
        );
        let (from, to) = (
            from.as_str().unwrap().to_string(),
            to.as_str().unwrap().to_string(),
        );
        assert!(
            !from.is_empty() && from.as_str() <= to.as_str(),
            "{name}: the brush set a range"
        );
        b.screenshot(&dir.join("timeline.png"));
        let expected = starts
            .iter()
            .filter(|s| {
                s.len() >= from.len()
                    && s[..from.len()] >= *from.as_str()
                    && s[..to.len().min(s.len())] <= *to.as_str()
            })
            .count();
        b.goto(&format!("{url}#letters"));
        b.wait(
            "return !!document.getElementById('letters-count')",
            "the letters",
        );
        assert_eq!(
            count(),
            json!(expected),
            "{name}: the brush {from}–{to} filters the table"
        );
    }
    b.goto(&format!("{url}#places"));
    b.wait(
        "return !!document.getElementById('places-count')",
        "the places",
    );
    b.screenshot(&dir.join("places.png"));
    let errors = b.errors();
    assert!(errors.is_empty(), "{name}: errors in the page: {errors:?}");
    data
}

#[test]
fn reports_in_headless_chromium() {
    let Some(b) = Browser::start() else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    check_report(&b, "seed", &[root.join("encoded")], &[]);

    // hostile names: shown as text, never run
    let hostile = root.join("tests/cases/report/hostile.xml");
    let data = check_report(&b, "hostile", &[hostile], &[]);
    let url = format!(
        "file://{}",
        artifacts("hostile").join("report.html").display()
    );
    for view in [
        "overview",
        "diagnostics",
        "letters",
        "network",
        "timeline",
        "persons",
        "places",
        "files",
        "person/0",
        "place/0",
        "file/0/0",
    ] {
        b.goto(&format!("{url}#{view}"));
        assert_eq!(
            b.js("return window.__pwned === undefined"),
            json!(true),
            "#{view} ran injected code"
        );
    }
    b.goto(&format!("{url}#letters"));
    let text = b.js("return document.getElementById('letters-table').textContent");
    assert!(text
        .as_str()
        .unwrap()
        .contains("</script><script>window.__pwned=1</script>"));
    assert_eq!(
        b.js("return document.querySelectorAll('main img, main script, main iframe').length"),
        json!(0)
    );
    b.goto(&format!(
        "{url}#file/0/{}",
        data["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .position(|d| data["codes"][d[1].as_u64().unwrap() as usize][0]
                == "tei::rng::unknown_element")
            .unwrap()
    ));
    let mark = b.js("return document.querySelector('.excerpt').textContent");
    assert!(
        mark.as_str()
            .unwrap()
            .contains("<![CDATA[</script><script>window.__pwned=4</script>"),
        "{mark}"
    );
    assert_eq!(b.js("return window.__pwned === undefined"), json!(true));

    let Some(shared) = common::shared() else {
        return;
    };
    let c = shared.join("corpora");
    let corpora: Vec<(&str, Vec<PathBuf>, Vec<PathBuf>)> = vec![
        (
            "schnitzler-briefe",
            vec![c.join("schnitzler-briefe/letters")],
            vec![],
        ),
        (
            "escher",
            vec![c.join("escher/letters")],
            vec![
                c.join("escher/registers/people.xml"),
                c.join("escher/registers/places.xml"),
            ],
        ),
        ("jean-paul", vec![c.join("jean-paul/letters")], vec![]),
        (
            "cody",
            vec![c.join("cody/letters")],
            vec![c.join("cody/register/wfc.person.xml")],
        ),
        (
            "edgeworth",
            vec![c.join("edgeworth/letters")],
            vec![
                c.join("edgeworth/register/Personography.xml"),
                c.join("edgeworth/register/Placeography.xml"),
            ],
        ),
        ("cmif", vec![c.join("cmif")], vec![]),
    ];
    for (name, inputs, registers) in corpora {
        let started = Instant::now();
        let data = check_report(&b, name, &inputs, &registers);
        println!(
            "{name}: {} files, {} letters, {} persons, {} diagnostics checked in {:.1} s",
            data["overview"]["files"],
            data["overview"]["letters"],
            data["overview"]["persons"],
            data["diagnostics"].as_array().unwrap().len(),
            started.elapsed().as_secs_f64()
        );
    }
}
