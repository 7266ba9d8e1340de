//! Throughput of the XML reader with a no-op handler (and quick-xml alone for reference):
//! each corpus under `$TEIKIT_SHARED/corpora` (skipped when unset) and a synthetic 50 MB TEI
//! document. Run: `TEIKIT_SHARED=/work/shared cargo bench --bench xml`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, Criterion, Throughput};
use teikit::xml::{decode, parse, EndTag, Handler, ParseOptions, StartTag};

/// Touches every event so that nothing is optimised away.
#[derive(Default)]
struct Noop {
    n: usize,
}

impl Handler for Noop {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        self.n += tag.attributes.len() + 1;
    }
    fn end_element(&mut self, _: &EndTag<'_>) {
        self.n += 1;
    }
    fn text(&mut self, text: &str, _: Range<usize>) {
        self.n += text.len();
    }
}

/// A TEI-like document of about `size` bytes: letters with dates, names, attributes,
/// entities and character references.
fn synthetic(size: usize) -> String {
    let mut s = String::with_capacity(size + 4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader><fileDesc><titleStmt><title>Synthetic</title></titleStmt></fileDesc></teiHeader>\n<text><body>\n");
    let mut i = 0usize;
    while s.len() < size {
        s.push_str(&format!(
            "<div type=\"letter\" xml:id=\"L{i}\" n=\"{i}\">\n  <opener><dateline><placeName ref=\"#pl{p}\">Ort {p}</placeName>, \
             <date when=\"19{y:02}-0{m}-1{d}\">1{d}. {m}. 19{y:02}</date></dateline>\n  <salute>Lieber Freund,</salute></opener>\n  \
             <p>Ihr Brief vom <date when=\"19{y:02}-0{m}-0{d}\">{d}. d. M.</date> kam &amp; mit ihm die Nachricht &#x2013; \
             dass <persName ref=\"#p{p}\" type=\"person\">Person {p}</persName> in <placeName ref=\"#pl{p}\">Ort</placeName> \
             angekommen ist. Über die Sache mit dem <title level=\"m\">Buch</title> schreibe ich ein anderes Mal \
             ausführlicher; heute nur so viel: <hi rend=\"italic\">es geht</hi>.<lb/>Mit herzlichem Gruß</p>\n  \
             <closer><signed><persName ref=\"#p0\">A.</persName></signed></closer>\n</div>\n",
            p = i % 997,
            y = i % 100,
            m = 1 + i % 9,
            d = i % 10,
        ));
        i += 1;
    }
    s.push_str("</body></text>\n</TEI>\n");
    s
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn quick_xml_only(text: &str) -> usize {
    let mut r = quick_xml::Reader::from_str(text);
    let mut n = 0;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}

fn bench(c: &mut Criterion) {
    let opts = ParseOptions::default();
    let mut g = c.benchmark_group("xml");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(5));

    let big = synthetic(50 * 1024 * 1024);
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("synthetic_50mb/teikit", |b| {
        b.iter(|| {
            let mut h = Noop::default();
            let d = parse(&big, &mut h, &opts);
            assert!(d.is_empty());
            h.n
        })
    });
    g.bench_function("synthetic_50mb/quick_xml_events", |b| {
        b.iter(|| quick_xml_only(&big))
    });
    drop(big);

    match std::env::var_os("TEIKIT_SHARED") {
        None => println!("skipped corpora: TEIKIT_SHARED not set"),
        Some(shared) => {
            let root = Path::new(&shared).join("corpora");
            let mut names: Vec<PathBuf> = std::fs::read_dir(&root)
                .expect("corpora folder")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            names.sort();
            for dir in names {
                let files: Vec<Vec<u8>> = corpus_files(&dir)
                    .iter()
                    .filter_map(|p| std::fs::read(p).ok())
                    .collect();
                let total: usize = files.iter().map(Vec::len).sum();
                if files.is_empty() {
                    continue;
                }
                let name = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                g.throughput(Throughput::Bytes(total as u64));
                g.bench_function(format!("corpus/{name}/decode+parse"), |b| {
                    b.iter(|| {
                        let mut h = Noop::default();
                        for f in &files {
                            if let Ok(d) = decode(f) {
                                parse(&d.text, &mut h, &opts);
                            }
                        }
                        h.n
                    })
                });
            }
        }
    }
    g.finish();
}

/// `TEIKIT_XML_ONCE=teikit|quick_xml|generate` runs the synthetic workload three times and exits,
/// without criterion: for `perf stat`/`perf record` on a busy machine (instruction counts do
/// not depend on the load).
fn once() -> bool {
    let Ok(which) = std::env::var("TEIKIT_XML_ONCE") else {
        return false;
    };
    let big = synthetic(50 * 1024 * 1024);
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..3 {
        n += match which.as_str() {
            "quick_xml" => quick_xml_only(&big),
            "generate" => big.len(),
            _ => {
                let mut h = Noop::default();
                parse(&big, &mut h, &ParseOptions::default());
                h.n
            }
        };
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{which}: {n} units, {:.0} MB/s (wall, load-dependent)",
        3.0 * big.len() as f64 / 1e6 / secs
    );
    true
}

criterion_group!(benches, bench);

fn main() {
    if once() {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
