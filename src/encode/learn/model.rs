//! A trained line-role model: a linear-chain CRF (CRFsuite format, through the `crfs` crate)
//! inside a small container that says what it is, which feature set it expects and what it was
//! trained on, and carries a checksum, so a corrupt file or one of another version is refused
//! with a clear message before any of it is used.
//!
//! Container layout (integers little-endian):
//! `MAGIC` (8 bytes) · format version (u32) · feature set (u32) · metadata length (u32) ·
//! metadata (JSON) · CRF length (u32) · CRF bytes · CRC-32 of everything before it (u32).

use super::features::{self, DocLine, FEATURE_SET};
use super::roles::LineRole;
use crate::encode::cues::Cues;
use serde::{Deserialize, Serialize};

/// Lines tagged at once (a chunk of a long document).
const CHUNK_LINES: usize = 2000;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"TEIKITLR";
/// The container's format version.
pub const FORMAT_VERSION: u32 = 1;

/// What a model was trained on (stored in the model, shown by `teikit train`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Names of the editions (folders) or files it was trained on.
    pub trained_on: Vec<String>,
    /// Letters seen in training.
    pub letters: usize,
    /// Training sequences (letters alone, and documents composed of several).
    pub sequences: usize,
    /// Labelled lines seen in training.
    pub lines: usize,
    /// Languages of the training letters (`en`, `de`, ...).
    pub languages: Vec<String>,
    /// The training parameters, as `name=value`.
    pub parameters: Vec<String>,
}

/// Why a model file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// Not a teikit model at all.
    #[error(
        "not a teikit line-role model (the file does not start with {:?})",
        String::from_utf8_lossy(MAGIC)
    )]
    NotAModel,
    /// Written by another version of the container format.
    #[error("model format version {found} is not supported (this teikit reads version {expected}); train the model again with this teikit")]
    Version {
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// Trained on another feature set.
    #[error("model was trained on feature set {found}, this teikit computes feature set {expected}; train the model again with this teikit")]
    FeatureSet {
        /// The feature set in the file.
        found: u32,
        /// The feature set this build computes.
        expected: u32,
    },
    /// Cut short or damaged.
    #[error("model file is corrupt: {0}")]
    Corrupt(String),
}

/// A line-role model ready to tag.
#[derive(Debug, Clone)]
pub struct Model {
    info: ModelInfo,
    crf: Vec<u8>,
    labels: Vec<Option<LineRole>>,
}

fn read_u32(bytes: &[u8], at: &mut usize) -> Result<u32, ModelError> {
    let b = bytes
        .get(*at..*at + 4)
        .ok_or_else(|| ModelError::Corrupt(format!("the file ends at byte {}", bytes.len())))?;
    *at += 4;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl Model {
    /// Wraps CRF bytes (CRFsuite format) and what they were trained on; checks that the CRF
    /// can be read and that its labels are line roles.
    pub fn new(info: ModelInfo, crf: Vec<u8>) -> Result<Model, ModelError> {
        let labels = {
            let m = crfs::Model::new(&crf)
                .map_err(|e| ModelError::Corrupt(format!("the CRF cannot be read: {e}")))?;
            // the tagger reads every transition weight: a damaged table fails here
            m.tagger()
                .map_err(|e| ModelError::Corrupt(format!("the CRF cannot be read: {e}")))?;
            (0..m.num_labels())
                .map(|i| m.to_label(i).and_then(LineRole::from_name))
                .collect::<Vec<_>>()
        };
        if labels.is_empty() || labels.iter().any(|l| l.is_none()) {
            return Err(ModelError::Corrupt(
                "the CRF's labels are not line roles".into(),
            ));
        }
        Ok(Model { info, crf, labels })
    }

    /// Reads a model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let mut at = MAGIC.len();
        let version = read_u32(bytes, &mut at)?;
        if version != FORMAT_VERSION {
            return Err(ModelError::Version {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        if bytes.len() < at + 4 {
            return Err(ModelError::Corrupt("the file is cut short".into()));
        }
        let body_end = bytes.len() - 4;
        let stored = u32::from_le_bytes([
            bytes[body_end],
            bytes[body_end + 1],
            bytes[body_end + 2],
            bytes[body_end + 3],
        ]);
        if crc32fast::hash(&bytes[..body_end]) != stored {
            return Err(ModelError::Corrupt(
                "checksum mismatch (the file was changed or cut short)".into(),
            ));
        }
        let body = &bytes[..body_end];
        let feature_set = read_u32(body, &mut at)?;
        if feature_set != FEATURE_SET {
            return Err(ModelError::FeatureSet {
                found: feature_set,
                expected: FEATURE_SET,
            });
        }
        let meta_len = read_u32(body, &mut at)? as usize;
        let meta = body
            .get(at..at.saturating_add(meta_len))
            .ok_or_else(|| ModelError::Corrupt("metadata runs past the end".into()))?;
        at += meta_len;
        let info: ModelInfo = serde_json::from_slice(meta)
            .map_err(|e| ModelError::Corrupt(format!("metadata: {e}")))?;
        let crf_len = read_u32(body, &mut at)? as usize;
        let crf = body
            .get(at..at.saturating_add(crf_len))
            .ok_or_else(|| ModelError::Corrupt("the CRF runs past the end".into()))?;
        if at + crf_len != body.len() {
            return Err(ModelError::Corrupt("trailing bytes after the CRF".into()));
        }
        Model::new(info, crf.to_vec())
    }

    /// The bytes of a model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let meta = serde_json::to_vec(&self.info).unwrap_or_default();
        let mut out = Vec::with_capacity(self.crf.len() + meta.len() + 32);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&FEATURE_SET.to_le_bytes());
        out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
        out.extend_from_slice(&meta);
        out.extend_from_slice(&(self.crf.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.crf);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// What the model was trained on.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The role of every line of `lines` (lines of `text`), in order. Long documents are
    /// tagged a chunk of blocks at a time (each chunk ends at a block boundary), so memory stays
    /// bounded however long the text is.
    pub fn tag(&self, text: &str, lines: &[DocLine], cues: &Cues) -> Vec<LineRole> {
        let mut out = Vec::with_capacity(lines.len());
        let mut start = 0;
        while start < lines.len() {
            let mut end = (start + CHUNK_LINES).min(lines.len());
            // end the chunk where a block starts, if one starts in its last quarter
            if end < lines.len() {
                if let Some(k) = (end - CHUNK_LINES / 4..end)
                    .rev()
                    .find(|&k| lines[k].in_block == 0)
                {
                    end = k;
                }
            }
            let feats = features::features_in(text, lines, start..end, cues);
            out.extend(self.tag_features(&feats));
            start = end;
        }
        out
    }

    /// The roles for precomputed feature strings.
    pub fn tag_features(&self, feats: &[Vec<String>]) -> Vec<LineRole> {
        let xseq = attributes(feats);
        // `new` checked that the CRF reads and that every label is a role
        let tagged = crfs::Model::new(&self.crf).and_then(|m| {
            let t = m.tagger()?;
            let ids: Vec<Option<LineRole>> =
                t.tag(&xseq)?.into_iter().map(LineRole::from_name).collect();
            Ok(ids)
        });
        match tagged {
            Ok(ids) => ids
                .into_iter()
                .map(|r| r.unwrap_or(LineRole::Body))
                .collect(),
            Err(_) => vec![LineRole::Body; feats.len()],
        }
    }

    /// The labels of the CRF, in its order.
    pub fn roles(&self) -> Vec<LineRole> {
        self.labels.iter().flatten().copied().collect()
    }
}

/// The model trained on the shared TEI editions, embedded in the binary.
pub fn embedded() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        Model::from_bytes(EMBEDDED).expect("the embedded model is checked by a test")
    })
}

/// The bytes of the embedded model (`models/line-roles.tkm`).
pub static EMBEDDED: &[u8] = include_bytes!("../../../models/line-roles.tkm");

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        self.info == other.info && self.crf == other.crf
    }
}

/// Feature strings as the CRF's attributes (each with weight 1), for tagging and training alike.
pub(crate) fn attributes(feats: &[Vec<String>]) -> Vec<Vec<crfs::Attribute>> {
    feats
        .iter()
        .map(|f| {
            f.iter()
                .map(|a| crfs::Attribute::new(a.as_str(), 1.0))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_reads() {
        let m = Model::from_bytes(EMBEDDED).unwrap();
        assert!(!m.roles().is_empty());
        // and writes back to the same bytes
        assert_eq!(m.to_bytes(), EMBEDDED);
    }

    #[test]
    fn refuses_damage_and_other_versions() {
        assert_eq!(Model::from_bytes(b"hello"), Err(ModelError::NotAModel));
        let mut b = EMBEDDED.to_vec();
        let k = b.len() / 2;
        b[k] ^= 0x40;
        assert!(matches!(Model::from_bytes(&b), Err(ModelError::Corrupt(_))));
        let cut = &EMBEDDED[..EMBEDDED.len() - 10];
        assert!(matches!(
            Model::from_bytes(cut),
            Err(ModelError::Corrupt(_))
        ));
        let mut v = EMBEDDED.to_vec();
        v[8] = 99;
        assert!(matches!(
            Model::from_bytes(&v),
            Err(ModelError::Version { found: 99, .. })
        ));
    }
}
