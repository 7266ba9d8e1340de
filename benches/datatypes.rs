//! Cost of the datatype checks the validator makes on every attribute and text value, for the
//! types and facets TEI uses (pointers are `anyURI` with pattern `\S+`, dates are the XSD date
//! types, `xml:id` is `ID`, words are `token` with a pattern), plus compiling a `pattern`.
//! Run: `cargo bench --bench datatypes`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use teikit::relaxng::datatypes::{Datatype, XSD_NS};
use teikit::xml::NsContext;

struct NoNs;

impl NsContext for NoNs {
    fn resolve(&self, _prefix: &str) -> Option<&str> {
        None
    }
}

fn dt(name: &str, params: &[(&str, &str)]) -> Datatype {
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    Datatype::new(XSD_NS, name, &params).expect("bench datatype compiles")
}

fn allows(c: &mut Criterion) {
    let cases: Vec<(&str, Datatype, &[&str])> = vec![
        (
            "anyURI pattern \\S+",
            dt("anyURI", &[("pattern", r"\S+")]),
            &[
                "#pmb2173",
                "https://d-nb.info/gnd/118609807",
                "letters/L00001.xml#p3",
            ],
        ),
        ("ID", dt("ID", &[]), &["L00001", "d1e2345", "pmb11740"]),
        (
            "date",
            dt("date", &[]),
            &["1922-03-14", "1851-07-02", "-0044-03-15"],
        ),
        ("gYear", dt("gYear", &[]), &["1922", "1851"]),
        (
            "dateTime",
            dt("dateTime", &[]),
            &["1922-03-14T12:30:00", "2001-12-01T19:45:00+01:00"],
        ),
        (
            "token pattern [^\\p{C}\\p{Z}]+",
            dt("token", &[("pattern", r"[^\p{C}\p{Z}]+")]),
            &["letter", "Brief", "sent"],
        ),
        (
            "nonNegativeInteger",
            dt("nonNegativeInteger", &[]),
            &["12", "0", "345"],
        ),
        ("decimal", dt("decimal", &[]), &["1.5", "0.25", "12"]),
        (
            "language (TEI data.language)",
            dt("language", &[]),
            &["de", "en-GB", "de-AT"],
        ),
        ("NMTOKENS", dt("NMTOKENS", &[]), &["a b c", "sent received"]),
    ];
    let mut group = c.benchmark_group("allows");
    for (name, datatype, values) in &cases {
        for v in values.iter() {
            assert!(datatype.allows(v, &NoNs), "{name} {v}");
        }
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut n = 0;
                for v in values.iter() {
                    n += usize::from(datatype.allows(black_box(v), &NoNs));
                }
                n
            })
        });
    }
    group.finish();
}

fn values(c: &mut Criterion) {
    let token = Datatype::new("", "token", &[]).expect("built-in token");
    let want = token.value("sent", &NoNs).expect("token value");
    c.bench_function("matches_value token", |b| {
        b.iter(|| token.matches_value(black_box(" sent "), &NoNs, &want))
    });
    let date = dt("date", &[]);
    let when = date.value("1922-03-14", &NoNs).expect("date value");
    c.bench_function("matches_value date", |b| {
        b.iter(|| date.matches_value(black_box("1922-03-14Z"), &NoNs, &when))
    });
}

fn compile(c: &mut Criterion) {
    c.bench_function("new token pattern (TEI data.word)", |b| {
        b.iter(|| dt("token", &[("pattern", black_box(r"[^\p{C}\p{Z}]+"))]))
    });
    c.bench_function("new NCName pattern with \\i\\c*", |b| {
        b.iter(|| dt("string", &[("pattern", black_box(r"\i\c*"))]))
    });
}

criterion_group!(benches, allows, values, compile);
criterion_main!(benches);
