//! Completion at a cursor: element names from the RELAX NG state there, the closing tag of
//! the open element, the attributes an open start tag still allows, an attribute's values.

use std::collections::BTreeMap;
use std::ops::Range;

use super::replay::{name_at, Replay};
use super::scan::{self, Outline, Spot};
use super::{Completion, CompletionContext, CompletionKind, Completions, SchemaAssist};
use crate::relaxng::pattern::{NameClass, Pattern, PatternId, PatternStore as _, NOT_ALLOWED};
use crate::relaxng::validate::Cache;

impl SchemaAssist {
    pub(super) fn complete_with(
        &self,
        cache: &mut Cache,
        text: &str,
        offset: usize,
    ) -> Completions {
        let cursor = scan::floor_boundary(text, offset);
        let outline = scan::outline(text, cursor);
        let parent = outline
            .open
            .last()
            .map(|f| text[f.name.clone()].to_string());
        let mut replay = Replay::new(&self.schema, cache, text);
        match outline.spot.clone() {
            Spot::Content => {
                let state = replay.state_at(&outline);
                let mut items = Vec::new();
                if let Some(p) = &parent {
                    items.push(end_tag_item(p, format!("</{p}>")));
                }
                self.element_items(&mut replay, state, "<", &mut items);
                Completions {
                    context: CompletionContext::Content { parent },
                    replace: cursor..cursor,
                    items,
                }
            }
            Spot::StartName { name, .. } => {
                let state = replay.state_at(&outline);
                let mut items = Vec::new();
                self.element_items(&mut replay, state, "", &mut items);
                if let Some(p) = &parent {
                    if name.is_empty() {
                        items.insert(0, end_tag_item(p, format!("/{p}>")));
                    }
                }
                Completions {
                    context: CompletionContext::ElementName { parent },
                    replace: name,
                    items,
                }
            }
            Spot::EndName { name, .. } => {
                let items = parent
                    .as_ref()
                    .map(|p| vec![end_tag_item(p, format!("{p}>"))])
                    .unwrap_or_default();
                Completions {
                    context: CompletionContext::EndTag { parent },
                    replace: name,
                    items,
                }
            }
            Spot::AttributeName { name, partial, .. } => {
                let element = text[name.clone()].to_string();
                let items = self.attribute_items(&mut replay, &outline, name, partial.clone());
                Completions {
                    context: CompletionContext::AttributeName { element },
                    replace: partial,
                    items,
                }
            }
            Spot::AttributeValue {
                name,
                attr,
                value,
                quote,
                ..
            } => {
                let element = text[name.clone()].to_string();
                let attribute = text[attr.clone()].to_string();
                let (items, replace) =
                    self.value_items(&mut replay, &outline, name, attr, value, quote);
                Completions {
                    context: CompletionContext::AttributeValue { element, attribute },
                    replace,
                    items,
                }
            }
            Spot::Elsewhere => Completions {
                context: CompletionContext::None,
                replace: cursor..cursor,
                items: Vec::new(),
            },
        }
    }

    /// The elements `state` allows next, sorted by name, each inserted after `lead`.
    fn element_items(
        &self,
        replay: &mut Replay<'_>,
        state: PatternId,
        lead: &str,
        items: &mut Vec<Completion>,
    ) {
        if state == NOT_ALLOWED {
            return;
        }
        let next = replay.cache.next_elements(replay.schema, state);
        let g = self.schema.grammar();
        let mut by_label: BTreeMap<String, Completion> = BTreeMap::new();
        for e in next {
            let Some(decl) = g.elements.get(e as usize) else {
                continue;
            };
            let mut names = Vec::new();
            plain_names(&decl.name, &mut names);
            for (ns, local) in names {
                let (label, declare) = replay.scope.element_qname(ns, local);
                let insert = match declare {
                    Some(ns) => format!("{lead}{label} xmlns=\"{ns}\""),
                    None => format!("{lead}{label}"),
                };
                let item = by_label.entry(label.clone()).or_insert_with(|| Completion {
                    label,
                    insert,
                    kind: CompletionKind::Element,
                    gloss: None,
                    required: false,
                });
                if item.gloss.is_none() {
                    item.gloss = decl.documentation.clone();
                }
            }
        }
        items.extend(by_label.into_values());
    }

    /// The attributes allowed on the start tag being typed and not yet on it.
    fn attribute_items(
        &self,
        replay: &mut Replay<'_>,
        outline: &Outline,
        name: Range<usize>,
        partial: Range<usize>,
    ) -> Vec<Completion> {
        let parent = replay.state_at(outline);
        if parent == NOT_ALLOWED {
            return Vec::new();
        }
        let except = (!partial.is_empty()).then_some(partial);
        let opened = replay.open(parent, name.clone(), except.clone());
        if opened.state == NOT_ALLOWED {
            return Vec::new();
        }
        let text = replay.text;
        let present: Vec<(String, String)> = scan::attributes(text, name)
            .iter()
            .filter(|a| Some(&a.name) != except.as_ref())
            .filter_map(|a| {
                let (ns, local) = replay.scope.attribute_name(&text[a.name.clone()])?;
                Some((ns, local.to_string()))
            })
            .collect();
        let s = replay.schema;
        let allowed = replay.cache.attribute_patterns(s, opened.state);
        let required = replay.cache.required_attribute_patterns(s, opened.state);
        let g = self.schema.grammar();
        let mut by_label: BTreeMap<String, Completion> = BTreeMap::new();
        for p in allowed {
            let Pattern::Attribute(nc, _) = g.patterns.get(p) else {
                continue;
            };
            let mut names = Vec::new();
            plain_names(nc, &mut names);
            for (ns, local) in names {
                if present.iter().any(|(n, l)| n == ns && l == local) {
                    continue;
                }
                let label = replay.scope.attribute_qname(ns, local);
                let is_required = required.contains(&p);
                let gloss = self.attribute_doc(p).map(str::to_string);
                let item = by_label.entry(label.clone()).or_insert_with(|| Completion {
                    insert: format!("{label}=\"\""),
                    label,
                    kind: CompletionKind::Attribute,
                    gloss: None,
                    required: false,
                });
                item.required |= is_required;
                if item.gloss.is_none() {
                    item.gloss = gloss;
                }
            }
        }
        by_label.into_values().collect()
    }

    /// The values of the attribute being typed, and the range they replace.
    fn value_items(
        &self,
        replay: &mut Replay<'_>,
        outline: &Outline,
        name: Range<usize>,
        attr: Range<usize>,
        value: Range<usize>,
        quote: Option<u8>,
    ) -> (Vec<Completion>, Range<usize>) {
        let text = replay.text;
        let cursor = value.end;
        let parent = replay.state_at(outline);
        if parent == NOT_ALLOWED {
            return (Vec::new(), value);
        }
        let opened = replay.open(parent, name, Some(attr.clone()));
        if opened.state == NOT_ALLOWED {
            return (Vec::new(), value);
        }
        let Some((ns, local)) = replay.scope.attribute_name(&text[attr]) else {
            return (Vec::new(), value);
        };
        let s = replay.schema;
        let g = self.schema.grammar();
        let mut items: Vec<Completion> = Vec::new();
        let mut list = false;
        for p in replay.cache.attribute_patterns(s, opened.state) {
            let Pattern::Attribute(nc, content) = g.patterns.get(p) else {
                continue;
            };
            if !nc.contains(&ns, local) {
                continue;
            }
            let values = replay.cache.allowed_values(s, *content);
            list |= values.list;
            for (_, v) in values.values {
                let label = g.value_texts.get(v as usize).cloned().unwrap_or_default();
                if items.iter().any(|i| i.label == label) {
                    continue;
                }
                let gloss = self.value_doc(p, v).map(str::to_string);
                let insert = match quote {
                    Some(_) => label.clone(),
                    None => format!("\"{label}\""),
                };
                items.push(Completion {
                    label,
                    insert,
                    kind: CompletionKind::Value,
                    gloss,
                    required: false,
                });
            }
        }
        // in a list, only the token being typed is replaced
        let replace = if list {
            let typed = &text[value.clone()];
            let last = typed
                .rfind([' ', '\t', '\n', '\r'])
                .map_or(value.start, |k| value.start + k + 1);
            last..cursor
        } else {
            value
        };
        (items, replace)
    }

    /// The attributes the RELAX NG state requires on the start tag at `offset` and that it
    /// lacks.
    pub(super) fn required_with(
        &self,
        cache: &mut Cache,
        text: &str,
        offset: usize,
    ) -> Vec<String> {
        let at = scan::floor_boundary(text, offset);
        if text.as_bytes().get(at) != Some(&b'<') {
            return Vec::new();
        }
        let name = name_at(text, at + 1);
        if name.is_empty() {
            return Vec::new();
        }
        let outline = scan::outline(text, at);
        let mut replay = Replay::new(&self.schema, cache, text);
        let parent = replay.state_at(&outline);
        if parent == NOT_ALLOWED {
            return Vec::new();
        }
        let opened = replay.open(parent, name, None);
        if opened.state == NOT_ALLOWED {
            return Vec::new();
        }
        let s = replay.schema;
        let g = self.schema.grammar();
        let mut out: Vec<String> = Vec::new();
        for p in replay.cache.required_attribute_patterns(s, opened.state) {
            let Pattern::Attribute(nc, _) = g.patterns.get(p) else {
                continue;
            };
            let mut names = Vec::new();
            plain_names(nc, &mut names);
            for (ns, local) in names {
                let q = replay.scope.attribute_qname(ns, local);
                if !out.contains(&q) {
                    out.push(q);
                }
            }
        }
        out.sort();
        out
    }
}

fn end_tag_item(parent: &str, insert: String) -> Completion {
    Completion {
        label: format!("</{parent}>"),
        insert,
        kind: CompletionKind::EndTag,
        gloss: Some(format!("closes `{parent}`")),
        required: false,
    }
}

/// The single names of a name class (`(ns, local)`); wildcards give none.
pub(super) fn plain_names<'n>(nc: &'n NameClass, out: &mut Vec<(&'n str, &'n str)>) {
    match nc {
        NameClass::Name { ns, local } => out.push((ns, local)),
        NameClass::Choice(a, b) => {
            plain_names(a, out);
            plain_names(b, out);
        }
        NameClass::AnyName(_) | NameClass::NsName(..) => {}
    }
}
