//! Training a line-role model from labelled documents (L-BFGS, through the `crfs` crate).
//!
//! Training is deterministic: the same documents in the same order give the same model bytes.

use super::features::{self, doc_lines};
use super::model::{Model, ModelError, ModelInfo};
use super::roles::LineRole;
use crate::encode::cues;
use std::ops::Range;

/// A document with the role of each of its lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingDoc {
    /// The text.
    pub text: String,
    /// Byte spans of lines and their roles; every non-blank line of `text` should have one
    /// (a line without one is labelled from the nearest labelled line before it).
    pub roles: Vec<(Range<usize>, LineRole)>,
    /// Language (`en`, `de`), detected from the text when `None`.
    pub lang: Option<String>,
    /// Letters in the document (for the statistics).
    pub letters: usize,
}

/// Parameters of training.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// L1 regularisation (makes the model sparse, hence small).
    pub c1: f64,
    /// L2 regularisation.
    pub c2: f64,
    /// Most L-BFGS iterations.
    pub max_iterations: usize,
    /// Names of what the documents came from (stored in the model).
    pub trained_on: Vec<String>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            c1: 0.1,
            c2: 0.01,
            max_iterations: 100,
            trained_on: Vec::new(),
        }
    }
}

/// Why training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// Nothing to learn from.
    #[error(
        "no labelled lines to train on (the inputs hold no letters with opener/closer markup)"
    )]
    NoData,
    /// The trainer failed.
    #[error("training failed: {0}")]
    Trainer(String),
    /// The trained model does not read back.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// The roles of every line of `doc.text`, from the labelled spans (a line takes the role of the
/// span that contains its start; a line no span covers takes the role before it, or Body).
pub fn line_roles(doc: &TrainingDoc, lines: &[features::DocLine]) -> Vec<LineRole> {
    let mut spans: Vec<&(Range<usize>, LineRole)> = doc.roles.iter().collect();
    spans.sort_by_key(|(r, _)| r.start);
    let mut out = Vec::with_capacity(lines.len());
    let mut k = 0;
    let mut last = LineRole::Body;
    for l in lines {
        while k < spans.len() && spans[k].0.end <= l.span.start {
            k += 1;
        }
        let role = match spans.get(k) {
            Some((r, role)) if r.start <= l.span.start && l.span.start < r.end.max(r.start + 1) => {
                *role
            }
            _ => last,
        };
        last = role;
        out.push(role);
    }
    out
}

/// Trains a model on `docs`.
pub fn train(docs: &[TrainingDoc], opts: &TrainOptions) -> Result<Model, TrainError> {
    let mut trainer = crfs::train::Trainer::lbfgs();
    {
        let p = trainer.params_mut();
        p.set_c1(opts.c1)
            .map_err(|e| TrainError::Trainer(e.to_string()))?;
        p.set_c2(opts.c2)
            .map_err(|e| TrainError::Trainer(e.to_string()))?;
        p.set_max_iterations(opts.max_iterations)
            .map_err(|e| TrainError::Trainer(e.to_string()))?;
    }
    let mut info = ModelInfo {
        trained_on: opts.trained_on.clone(),
        parameters: vec![
            format!("c1={}", opts.c1),
            format!("c2={}", opts.c2),
            format!("max_iterations={}", opts.max_iterations),
        ],
        ..Default::default()
    };
    for doc in docs {
        let c = match doc.lang.as_deref() {
            Some("de") => &cues::GERMAN,
            Some("en") => &cues::ENGLISH,
            _ => cues::detect(&doc.text),
        };
        let dl = doc_lines(&doc.text, c);
        if dl.is_empty() {
            continue;
        }
        let roles = line_roles(doc, &dl);
        let feats = features::features(&doc.text, &dl, c);
        let xseq = super::model::attributes(&feats);
        let yseq: Vec<&str> = roles.iter().map(|r| r.name()).collect();
        trainer
            .append(&xseq, &yseq)
            .map_err(|e| TrainError::Trainer(e.to_string()))?;
        info.sequences += 1;
        info.lines += dl.len();
        info.letters += doc.letters;
        if !info.languages.iter().any(|l| l == c.lang) {
            info.languages.push(c.lang.to_string());
        }
    }
    if info.lines == 0 {
        return Err(TrainError::NoData);
    }
    info.languages.sort();
    let dir = tempfile::tempdir().map_err(|e| TrainError::Trainer(e.to_string()))?;
    let path = dir.path().join("model.crfsuite");
    trainer
        .train(&path)
        .map_err(|e| TrainError::Trainer(e.to_string()))?;
    let crf = std::fs::read(&path).map_err(|e| TrainError::Trainer(e.to_string()))?;
    Ok(Model::new(info, crf)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, roles: &[LineRole]) -> TrainingDoc {
        let dl = doc_lines(text, &cues::ENGLISH);
        TrainingDoc {
            text: text.into(),
            roles: dl
                .iter()
                .zip(roles)
                .map(|(l, r)| (l.span.clone(), *r))
                .collect(),
            lang: Some("en".into()),
            letters: 1,
        }
    }

    #[test]
    fn learns_and_is_deterministic() {
        use LineRole::*;
        let mut docs = Vec::new();
        for (k, (place, name)) in [
            ("London", "John Smith"),
            ("Paris", "Ann Brown"),
            ("Dublin", "Mary Black"),
            ("Boston", "Tom White"),
        ]
        .iter()
        .enumerate()
        {
            let t = format!(
                "{place}, {} May 18{}0\nDear Sir,\n\nI write to you about the matter we spoke of.\n\nMore news of the garden and the house.\n\nYours truly,\n{name}\n",
                k + 3,
                k + 4
            );
            docs.push(doc(
                &t,
                &[Dateline, Salutation, Body, Body, Valediction, Signature],
            ));
        }
        let opts = TrainOptions {
            max_iterations: 50,
            ..Default::default()
        };
        let m = train(&docs, &opts).unwrap();
        let m2 = train(&docs, &opts).unwrap();
        assert_eq!(m.to_bytes(), m2.to_bytes());
        let t = "Leeds, 9 June 1871\nDear Madam,\n\nThe weather is fine and we are all well.\n\nYours truly,\nJane Green\n";
        let dl = doc_lines(t, &cues::ENGLISH);
        let roles = m.tag(t, &dl, &cues::ENGLISH);
        assert_eq!(
            roles,
            vec![Dateline, Salutation, Body, Valediction, Signature]
        );
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.tag(t, &dl, &cues::ENGLISH), roles);
    }

    #[test]
    fn nothing_to_learn() {
        assert!(matches!(
            train(&[], &TrainOptions::default()),
            Err(TrainError::NoData)
        ));
    }
}
