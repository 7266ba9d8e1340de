//! Validation speed against tei_all: escher and schnitzler-briefe letters (the whole
//! 300-file corpus per iteration, one thread, warm memo as in a long run), and the cost of a
//! cold memo on one letter. Skipped when `TEIKIT_SHARED` is unset.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use teikit::relaxng::validate::{validate_str, validate_str_with, Cache};
use teikit::relaxng::Schema;

fn corpus(shared: &Path, name: &str) -> Vec<String> {
    let dir = shared.join("corpora").join(name);
    let tsv = std::fs::read_to_string(dir.join("jing-tei_all.tsv")).expect("corpus TSV");
    tsv.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(|f| std::fs::read_to_string(dir.join(f)).expect("corpus file"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) else {
        eprintln!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let schema = Schema::from_file(shared.join("schemas/tei_all.rng")).expect("tei_all compiles");
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    for name in ["escher", "schnitzler-briefe"] {
        let files = corpus(&shared, name);
        let bytes: usize = files.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}/{}-files", files.len()), |b| {
            b.iter(|| {
                let mut errors = 0;
                for f in &files {
                    errors += validate_str(&schema, f).len();
                }
                errors
            })
        });
        let first = files[0].clone();
        group.throughput(Throughput::Bytes(first.len() as u64));
        group.bench_function(format!("{name}/one-letter-cold-memo"), |b| {
            b.iter_batched(
                || Cache::new(&schema),
                |mut cache| validate_str_with(&schema, &first, &mut cache).len(),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
