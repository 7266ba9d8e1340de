//! `teikit lsp` over stdio, as an editor drives it (issue 12's latency targets):
//! - `diagnostics_after_change`: a one-character change to a 200 KB letter (schnitzler-briefe
//!   L04268.xml) until its diagnostics with `tei_all.rng` are published (debounce included):
//!   criterion times the complete publication (with tei_all's embedded Schematron rules); the
//!   median of the first one (everything else) is printed too;
//! - `completion`: a completion request in a pointer of that letter (the ids of the 300
//!   letters of the workspace are candidates) until the answer;
//! - `index_workspace`: `initialize` on the 300 schnitzler-briefe letters until the answer
//!   (the workspace is indexed before it).
//!
//! Each prints its median besides criterion's estimate; the server's resident memory (VmRSS and
//! peak VmHWM, from /proc) after indexing, validating and completing is printed too. Needs
//! `TEIKIT_SHARED`; without it, prints `skipped`. `cargo bench --bench lsp`.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_client::Client;
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn shared() -> Option<PathBuf> {
    let s = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from);
    if s.is_none() {
        println!("skipped: TEIKIT_SHARED not set");
    }
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn report(name: &str, samples: Vec<Duration>) {
    let n = samples.len();
    println!(
        "{name}: median {:.1} ms over {n} runs",
        median(samples).as_secs_f64() * 1e3
    );
}

fn memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |k: &str| {
        status
            .lines()
            .find(|l| l.starts_with(k))
            .map(|l| l[k.len()..].trim().to_string())
            .unwrap_or_default()
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
}

fn bench(c: &mut Criterion) {
    let Some(shared) = shared() else { return };
    let letters = shared.join("corpora/schnitzler-briefe/letters");
    let schema = shared.join("schemas/tei_all.rng");
    let letter = letters.join("L04268.xml");
    let text = std::fs::read_to_string(&letter).expect("L04268.xml");
    let uri = format!("file://{}", letter.display());
    let options = json!({"schema": schema});

    // workspace indexing: initialize until the answer
    let mut index_samples = Vec::new();
    let mut g = c.benchmark_group("lsp");
    g.sample_size(10);
    g.bench_function("index_workspace_300_letters", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                let client = Client::start(&letters, Some(options.clone()));
                let d = t.elapsed();
                total += d;
                index_samples.push(d);
                drop(client);
            }
            total
        })
    });
    report(
        "index_workspace_300_letters (initialize answered)",
        index_samples,
    );

    let mut client = Client::start(&letters, Some(options.clone()));
    let pid = client.pid();
    println!("after indexing: {}", memory(pid));
    client.send(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "xml", "version": 1, "text": text}}}),
    );
    client.wait_for(
        &json!({"method": "textDocument/publishDiagnostics", "params": {"uri": uri, "version": 1}}),
        Duration::from_secs(120),
        "first diagnostics",
    );
    println!("after the first diagnostics: {}", memory(pid));
    let mut version = 1;
    let mut diag_samples = Vec::new();
    let mut first_samples = Vec::new();
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("diagnostics_after_change_200kb_tei_all", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                version += 1;
                // a space after the XML declaration's line, then taken away: the text stays valid
                let change = if version % 2 == 0 {
                    json!({"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": " "})
                } else {
                    json!({"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 1}}, "text": ""})
                };
                client.forget();
                let t = Instant::now();
                client.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}));
                let published = json!({"method": "textDocument/publishDiagnostics", "params": {"uri": uri, "version": version}});
                client.wait_count(&published, 1, Duration::from_secs(60), "diagnostics");
                first_samples.push(t.elapsed());
                // the second publication: with the Schematron rules' findings
                client.wait_count(&published, 2, Duration::from_secs(60), "diagnostics with Schematron");
                let d = t.elapsed();
                total += d;
                diag_samples.push(d);
            }
            total
        })
    });
    report(
        "diagnostics_after_change_200kb_tei_all, first publication (all but Schematron)",
        first_samples,
    );
    report(
        "diagnostics_after_change_200kb_tei_all, complete (with tei_all's Schematron rules)",
        diag_samples,
    );

    // completion in `ref="#pmb12740"` (line 8 of the letter), after `#p`
    let line = text
        .lines()
        .position(|l| l.contains("ref=\"#pmb"))
        .expect("a pointer");
    let character = text.lines().nth(line).unwrap().find("ref=\"#").unwrap() + 7;
    let mut id = 0;
    let mut items = 0;
    let mut completion_samples = Vec::new();
    g.bench_function("completion_pointer", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                id += 1;
                client.forget();
                let t = Instant::now();
                client.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/completion", "params": {
                    "textDocument": {"uri": uri}, "position": {"line": line, "character": character}}}));
                let m = client.wait_for(&json!({"id": id}), Duration::from_secs(60), "completion");
                let d = t.elapsed();
                items = m["result"]["items"].as_array().map_or(0, Vec::len);
                total += d;
                completion_samples.push(d);
            }
            total
        })
    });
    g.finish();
    report(
        &format!("completion_pointer ({items} items)"),
        completion_samples,
    );
    println!("at the end: {}", memory(pid));
    let _ = client.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
