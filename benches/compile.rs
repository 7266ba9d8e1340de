//! Schema compilation speed: tei_all (1 MB) and the CMIF customisation, parsed, simplified and
//! checked from text already in memory (the include-free files are read once, outside the loop).
//! Skipped when `TEIKIT_SHARED` is unset.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use teikit::relaxng::{FsResolver, Schema};

fn compile(c: &mut Criterion) {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let mut group = c.benchmark_group("compile");
    group.sample_size(20);
    for name in ["tei_all.rng", "cmi-customization.rng"] {
        let path = shared.join("schemas").join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        group.bench_function(name, |b| {
            b.iter(|| Schema::from_str(&text, &path, &FsResolver).expect("schema compiles"));
        });
    }
    group.finish();
}

criterion_group!(benches, compile);
criterion_main!(benches);
