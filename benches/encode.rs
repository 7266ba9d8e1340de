//! Encoding speed: 1,000 letters (the letters-en-dev texts cycled, or synthetic letters when
//! `TEIKIT_SHARED` is unset), each encoded as its own document, and the seed.
//! Run: `TEIKIT_SHARED=/path/to/shared cargo bench --bench encode`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use teikit::encode::{encode, EncodeOptions};

fn corpus() -> Vec<String> {
    if let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) {
        let mut texts = Vec::new();
        for sub in ["single", "multi"] {
            let dir = shared.join("corpora/letters-en-dev").join(sub);
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.sort();
            texts.extend(files.iter().filter_map(|f| std::fs::read_to_string(f).ok()));
        }
        if !texts.is_empty() {
            return texts;
        }
    }
    println!("TEIKIT_SHARED not set: using synthetic letters");
    (0..100)
        .map(|i| {
            let day = i % 28 + 1;
            let body = "We arrived safely and the weather has been kind to us all week; the children send their love. ".repeat(i % 12 + 3);
            format!(
                "London, {day} March 18{:02}\n\nMy dear Madam,\n\n{body}\n\nI send the books by the next coach.\n\nYours faithfully,\nJohn Smith\n\nP.S. My regards to your sister.\n",
                i % 90 + 10
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let opts = EncodeOptions::default();
    let mut g = c.benchmark_group("encode");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("1000_letters", |b| {
        b.iter(|| {
            let mut n = 0;
            for t in texts.iter().cycle().take(1000) {
                if let Ok(e) = encode(t, None, &opts) {
                    n += e.letters.len();
                }
            }
            n
        })
    });
    g.finish();
    if let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) {
        if let Ok(seed) = std::fs::read_to_string(shared.join("seed/with-lenin-against-stalin.txt"))
        {
            c.bench_function("encode/seed", |b| {
                b.iter(|| encode(&seed, None, &opts).map(|e| e.xml.len()))
            });
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
