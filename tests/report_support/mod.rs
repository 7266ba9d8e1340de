//! Shared by the report tests: the page's data, and the counts its overview must show, computed
//! from `teikit validate --format json` and `teikit export index --format json`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

fn teikit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_teikit"))
}

/// The JSON embedded in a page, parsed.
pub fn data_of(page: &str) -> serde_json::Value {
    let open = "<script id=\"teikit-data\" type=\"application/json\">";
    let start = page.find(open).expect("data element") + open.len();
    let end = start + page[start..].find("</script>").expect("end of data");
    serde_json::from_str(&page[start..end]).expect("the data is JSON")
}

/// The counts in the page equal `validate --format json` and `export index` on the same input.
pub fn assert_counts_match(inputs: &[PathBuf], registers: &[PathBuf], data: &serde_json::Value) {
    let expected = expected_counts(inputs, registers);
    let o = &data["overview"];
    for (k, v) in &expected {
        assert_eq!(&o[k.as_str()], v, "overview {k} of {inputs:?}");
    }
}

/// What the overview must say, from the other commands' outputs.
pub fn expected_counts(
    inputs: &[PathBuf],
    registers: &[PathBuf],
) -> Vec<(String, serde_json::Value)> {
    let mut v = teikit();
    v.args(["validate", "--format", "json"]).args(inputs);
    for r in registers {
        v.arg("--registers").arg(r);
    }
    let out = v.output().unwrap();
    let validated: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut x = teikit();
    x.args(["export", "index", "--format", "json"]).args(inputs);
    for r in registers {
        x.arg("--register").arg(r);
    }
    let index: serde_json::Value = serde_json::from_slice(&x.output().unwrap().stdout).unwrap();
    let rows = index.as_array().unwrap();
    let split = |s: &str| -> Vec<String> {
        s.split("; ")
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut persons = std::collections::HashSet::new();
    let mut places = std::collections::HashSet::new();
    let (mut first, mut last): (Option<String>, Option<String>) = (None, None);
    for r in rows {
        persons.extend(split(r["senders"].as_str().unwrap()));
        persons.extend(split(r["addressees"].as_str().unwrap()));
        places.extend(split(r["place"].as_str().unwrap()));
        let date = r["date"].as_str().unwrap();
        let (a, b) = date
            .split_once('/')
            .or_else(|| date.split_once(".."))
            .unwrap_or((date, date));
        let start = if a.is_empty() { b } else { a };
        let end = if b.is_empty() { a } else { b };
        if !start.is_empty() {
            if first.as_deref().is_none_or(|f| start < f) {
                first = Some(start.to_string());
            }
            if last.as_deref().is_none_or(|l| end > l) {
                last = Some(end.to_string());
            }
        }
    }
    let s = &validated["summary"];
    let mut out: Vec<(String, serde_json::Value)> =
        ["files", "valid", "invalid", "errors", "warnings"]
            .iter()
            .map(|k| (k.to_string(), s[*k].clone()))
            .collect();
    out.push(("letters".into(), rows.len().into()));
    out.push(("persons".into(), persons.len().into()));
    out.push(("places".into(), places.len().into()));
    out.push(("first_date".into(), first.into()));
    out.push(("last_date".into(), last.into()));
    out
}
