//! Completion speed (`teikit::ide`) on a real 228 KB letter (schnitzler-briefe `L04254.xml`)
//! against tei_all: element completion near the end of the body (every ancestor and their
//! preceding siblings replayed, the whole text before the cursor scanned), attribute and value
//! completion in the header's `correspAction`, and the required attributes of a start tag
//! near the end; and two hostile shapes (10,000 open ancestors, 20,000 preceding siblings).
//! Warm: the thread's memo kept between calls, as in an editor session; cold:
//! a fresh schema object each time (its memo built afresh), the first completion after the
//! schema is loaded. Skipped when `TEIKIT_SHARED` is unset.
//! Run: `TEIKIT_SHARED=/work/shared cargo bench --bench ide`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use teikit::ide::SchemaAssist;
use teikit::relaxng::Schema;

fn bench(c: &mut Criterion) {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) else {
        eprintln!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let letter = shared.join("corpora/schnitzler-briefe/letters/L04254.xml");
    let text = std::fs::read_to_string(&letter).expect("the letter");
    let schema = Arc::new(Schema::from_file(shared.join("schemas/tei_all.rng")).expect("tei_all"));
    let assist = SchemaAssist::new(schema);
    // the last paragraph of the body: element content, all ancestors open
    let in_body = text.rfind("</p>").expect("a paragraph");
    let in_body = text[..in_body].rfind('>').expect("a tag") + 1;
    let action = text.find("<correspAction").expect("a correspAction");
    let in_tag = action + "<correspAction".len();
    let in_value = text[action..].find("type=\"").expect("a type") + action + "type=\"".len();
    let last_tag = text.rfind("<p").expect("a p");

    let mut group = c.benchmark_group("ide");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("complete-element/end-of-body", |b| {
        b.iter(|| assist.complete(&text, in_body).items.len())
    });
    group.bench_function("complete-attribute/correspAction", |b| {
        b.iter(|| assist.complete(&text, in_tag).items.len())
    });
    group.bench_function("complete-value/correspAction-type", |b| {
        b.iter(|| assist.complete(&text, in_value).items.len())
    });
    group.bench_function("required-attributes/last-p", |b| {
        b.iter(|| assist.required_attributes(&text, last_tag).len())
    });
    // hostile shapes: 10,000 unclosed `hi` (every one an open ancestor), and a body of
    // 20,000 closed paragraphs (every one a preceding sibling)
    let head = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>";
    let deep = format!("{head}<p>{}", "<hi>x ".repeat(10_000));
    group.throughput(Throughput::Bytes(deep.len() as u64));
    group.bench_function("complete-element/10000-open-hi", |b| {
        b.iter(|| assist.complete(&deep, deep.len()).items.len())
    });
    let flat = format!("{head}{}", "<p>x</p>\n".repeat(20_000));
    group.throughput(Throughput::Bytes(flat.len() as u64));
    group.bench_function("complete-element/20000-closed-p", |b| {
        b.iter(|| assist.complete(&flat, flat.len()).items.len())
    });
    group.finish();

    // cold: a new schema object has no memo yet (compiling it is not timed); few samples,
    // as each needs tei_all compiled afresh
    let mut cold = c.benchmark_group("ide-cold");
    cold.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    cold.bench_function("complete-element/end-of-body", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let schema =
                    Schema::from_file(shared.join("schemas/tei_all.rng")).expect("tei_all");
                let fresh = SchemaAssist::new(Arc::new(schema));
                let t = Instant::now();
                std::hint::black_box(fresh.complete(&text, in_body).items.len());
                total += t.elapsed();
            }
            total
        })
    });
    cold.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
