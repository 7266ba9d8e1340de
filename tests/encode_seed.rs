//! The seed: `$TEIKIT_SHARED/seed/with-lenin-against-stalin.txt` with the committed sidecar
//! encodes to exactly the committed `encoded/with-lenin-against-stalin.xml`, which is valid
//! TEI, keeps every word, and states the facts in `tests/cases/encode/seed.facts.toml`.

mod common;

use serde::Deserialize;
use std::path::Path;
use std::process::Command;
use teikit::encode::{encode, reading, EncodeOptions, Personography};

const NAME: &str = "with-lenin-against-stalin";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> String {
    std::fs::read_to_string(root().join(format!("encoded/{NAME}.xml")))
        .expect("encoded/ holds the seed's TEI")
}

#[test]
fn committed_tei_is_what_the_encoder_writes() {
    let Some(shared) = common::shared() else {
        return;
    };
    let src_path = shared.join(format!("seed/{NAME}.txt"));
    let src = std::fs::read_to_string(&src_path).expect("the seed text");
    let persons = Personography::load(&root().join(format!("encoded/{NAME}.persons.toml")))
        .expect("the seed's sidecar");
    let opts = EncodeOptions {
        source_name: Some(format!("{NAME}.txt")),
        ..Default::default()
    };
    let xml = encode(&src, Some(&persons), &opts)
        .expect("the seed encodes")
        .xml;
    let out = root().join(format!("encoded/{NAME}.xml"));
    if std::env::var("TEIKIT_BLESS").is_ok_and(|v| v == "1") {
        teikit::fsutil::write_atomic(&out, xml.as_bytes()).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&out).unwrap_or_default();
    if want != xml {
        let line = want
            .lines()
            .zip(xml.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or(want.lines().count().min(xml.lines().count()) + 1);
        panic!(
            "encoded/{NAME}.xml differs from what the encoder writes (first difference at line {line}).\n\
             Regenerate: TEIKIT_SHARED=/path/to/shared TEIKIT_BLESS=1 cargo test --test encode_seed\n\
             or: cargo run -- encode $TEIKIT_SHARED/seed/{NAME}.txt --persons encoded/{NAME}.persons.toml -o encoded/{NAME}.xml"
        );
    }
}

#[test]
fn committed_tei_keeps_every_word() {
    let Some(shared) = common::shared() else {
        return;
    };
    let src = std::fs::read_to_string(shared.join(format!("seed/{NAME}.txt"))).unwrap();
    let r = reading::diplomatic(&committed()).unwrap();
    let (kept, total, miss) = reading::words_kept(&src, &r);
    assert_eq!(kept, total, "first missing word: {miss:?}");
}

#[test]
fn committed_tei_is_valid_against_tei_all() {
    let Some(shared) = common::shared() else {
        return;
    };
    let out = match Command::new("jing")
        .arg(shared.join("schemas/tei_all.rng"))
        .arg(root().join(format!("encoded/{NAME}.xml")))
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            assert!(
                std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
                "jing is required but cannot run: {e}"
            );
            println!("skipped: jing not available ({e})");
            return;
        }
    };
    assert!(
        out.status.success(),
        "jing: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[derive(Deserialize)]
struct Facts {
    letters: Vec<LetterFacts>,
}

#[derive(Deserialize)]
struct LetterFacts {
    senders: Vec<String>,
    addressees: Vec<String>,
    cc: Vec<String>,
    date: String,
    reply_to: Option<usize>,
}

fn refs<'a>(action: Option<roxmltree::Node<'a, 'a>>) -> Vec<String> {
    action
        .into_iter()
        .flat_map(|a| {
            a.children()
                .filter(|c| c.has_tag_name("persName") || c.has_tag_name("orgName"))
        })
        .filter_map(|c| {
            c.attribute("ref")
                .map(|r| r.trim_start_matches('#').to_string())
        })
        .collect()
}

#[test]
fn committed_tei_states_the_letters_facts() {
    let facts: Facts = toml::from_str(
        &std::fs::read_to_string(root().join("tests/cases/encode/seed.facts.toml")).unwrap(),
    )
    .unwrap();
    let xml = committed();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let descs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("correspDesc"))
        .collect();
    assert_eq!(
        descs.len(),
        facts.letters.len(),
        "one correspDesc per letter and note"
    );
    let mut problems = Vec::new();
    for (i, (d, f)) in descs.iter().zip(&facts.letters).enumerate() {
        let n = i + 1;
        let actions: Vec<_> = d
            .children()
            .filter(|c| c.has_tag_name("correspAction"))
            .collect();
        let sent = actions
            .iter()
            .find(|a| a.attribute("type") == Some("sent"))
            .copied();
        let received: Vec<_> = actions
            .iter()
            .filter(|a| a.attribute("type") == Some("received") && a.attribute("subtype").is_none())
            .flat_map(|a| refs(Some(*a)))
            .collect();
        let cc: Vec<_> = actions
            .iter()
            .filter(|a| {
                a.attribute("type") == Some("received") && a.attribute("subtype") == Some("cc")
            })
            .flat_map(|a| refs(Some(*a)))
            .collect();
        let when = sent
            .and_then(|s| s.children().find(|c| c.has_tag_name("date")))
            .and_then(|d| d.attribute("when"))
            .unwrap_or("");
        if refs(sent) != f.senders {
            problems.push(format!(
                "letter {n}: senders {:?}, expected {:?}",
                refs(sent),
                f.senders
            ));
        }
        if received != f.addressees {
            problems.push(format!(
                "letter {n}: addressees {received:?}, expected {:?}",
                f.addressees
            ));
        }
        if cc != f.cc {
            problems.push(format!("letter {n}: copies {cc:?}, expected {:?}", f.cc));
        }
        if when != f.date {
            problems.push(format!("letter {n}: date {when:?}, expected {:?}", f.date));
        }
        let reply = d
            .descendants()
            .find(|c| c.has_tag_name("ref") && c.attribute("type") == Some("replyTo"))
            .and_then(|r| r.attribute("target"));
        let want_reply = f.reply_to.map(|k| {
            format!(
                "#{}",
                descs[k - 1]
                    .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
                    .unwrap_or("")
            )
        });
        if reply.map(str::to_string) != want_reply {
            problems.push(format!(
                "letter {n}: replyTo {reply:?}, expected {want_reply:?}"
            ));
        }
        // the correspDesc points at the letter's text, which points back
        let target = d.attribute("ref").unwrap_or("").trim_start_matches('#');
        let el = doc
            .descendants()
            .find(|e| e.attribute(("http://www.w3.org/XML/1998/namespace", "id")) == Some(target));
        if el.is_none() {
            problems.push(format!(
                "letter {n}: correspDesc/@ref #{target} points nowhere"
            ));
        }
    }
    // every ref resolves
    let ids: std::collections::HashSet<&str> = doc
        .descendants()
        .filter_map(|e| e.attribute(("http://www.w3.org/XML/1998/namespace", "id")))
        .collect();
    for e in doc.descendants().filter(|e| e.is_element()) {
        for a in ["ref", "decls", "target", "next", "prev"] {
            if let Some(v) = e.attribute(a) {
                if let Some(id) = v.strip_prefix('#') {
                    if !ids.contains(id) {
                        problems.push(format!(
                            "{}/@{a}=\"{v}\" points nowhere",
                            e.tag_name().name()
                        ));
                    }
                }
            }
        }
    }
    // the narrator is the author, resolved through the sidecar
    let author = doc
        .descendants()
        .find(|e| e.has_tag_name("author"))
        .and_then(|a| a.attribute("ref"));
    if author != Some("#trotsky") {
        problems.push(format!(
            "titleStmt/author/@ref is {author:?}, expected #trotsky"
        ));
    }
    // misspellings kept as written with their reading
    for (sic, corr) in [
        ("Polittburo", "Politburo"),
        ("M. Volodichiva", "M. Volodicheva"),
        ("Vladimir Illych", "Vladimir Ilyich"),
    ] {
        if !xml.contains(&format!("<sic>{sic}</sic><corr>{corr}</corr>")) {
            problems.push(format!("no choice/sic/corr for {sic}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
