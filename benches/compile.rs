//! Schema compilation speed, from schema text in memory to a [`Schema`] ready to validate:
//! the project's embedded customisation (`schema/tei-corresp.rng`, always run), and tei_all
//! in XML syntax (1 MB) and in compact syntax (`tei_all.rnc`, 0.5 MB, the same grammar
//! converted with trang) and the CMIF customisation from `$TEIKIT_SHARED/schemas` (skipped
//! when unset). The include-free files are read once, outside the loop.
//! Run: `TEIKIT_SHARED=/work/shared cargo bench --bench compile`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use teikit::relaxng::{FsResolver, Schema};

fn compile(c: &mut Criterion) {
    let mut files = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/tei-corresp.rng")];
    match std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) {
        Some(shared) => {
            for name in ["tei_all.rng", "tei_all.rnc", "cmi-customization.rng"] {
                files.push(shared.join("schemas").join(name));
            }
        }
        None => println!("skipped tei_all and CMIF: TEIKIT_SHARED not set"),
    }
    let mut group = c.benchmark_group("compile");
    group.sample_size(20);
    for path in files {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        group.bench_function(name, |b| {
            b.iter(|| Schema::from_str(&text, &path, &FsResolver).expect("schema compiles"));
        });
    }
    group.finish();
}

criterion_group!(benches, compile);
criterion_main!(benches);
