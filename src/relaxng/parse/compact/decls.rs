//! The declarations that open a file (spec section 4 and the constraints of A.1):
//! `namespace p = "…"`, `default namespace [p] = "…"` (either may be `inherit`) and
//! `datatypes p = "…"`.

use std::collections::HashSet;

use super::lexer::{Tok, P};
use super::{Compact, NsUri, XSD};
use crate::relaxng::parse::lexical::is_valid_library_uri;
use crate::relaxng::parse::XML_NS;

impl Compact<'_, '_, '_> {
    /// Reads the declarations, binding their prefixes in the environment.
    pub(super) fn preamble(&mut self) -> Option<()> {
        let mut default_seen = false;
        let mut declared_ns: HashSet<String> = HashSet::new();
        let mut declared_dt: HashSet<String> = HashSet::new();
        loop {
            let tok = &self.tok.tok;
            if tok.is_kw("namespace") {
                let start = self.tok.span.start;
                self.bump()?;
                let (prefix, pspan) = self.name_or_keyword("a prefix after `namespace`")?;
                self.expect(P::Eq)?;
                let (uri, uspan) = self.namespace_uri()?;
                self.namespace_decl(&prefix, pspan, &uri, start..uspan.end, &mut declared_ns);
            } else if tok.is_kw("default") {
                let start = self.tok.span.start;
                self.bump()?;
                if !self.tok.tok.is_kw("namespace") {
                    return self.expected("`namespace` after `default`");
                }
                self.bump()?;
                let prefix = if self.at(P::Eq) {
                    None
                } else {
                    Some(self.name_or_keyword("a prefix or `=` after `default namespace`")?)
                };
                self.expect(P::Eq)?;
                let (uri, uspan) = self.namespace_uri()?;
                let span = start..uspan.end;
                if default_seen {
                    self.error(
                        &super::COMPACT_SYNTAX,
                        span.clone(),
                        "the default namespace is declared twice",
                    );
                }
                default_seen = true;
                if let NsUri::Uri(u) = &uri {
                    if &**u == XML_NS {
                        self.error(
                            &super::COMPACT_SYNTAX,
                            span.clone(),
                            "the XML namespace cannot be the default namespace",
                        );
                    }
                }
                if let Some((prefix, pspan)) = prefix {
                    self.namespace_decl(&prefix, pspan, &uri, span, &mut declared_ns);
                }
                self.env.default_ns = uri;
            } else if tok.is_kw("datatypes") {
                let start = self.tok.span.start;
                self.bump()?;
                let (prefix, _) = self.name_or_keyword("a prefix after `datatypes`")?;
                self.expect(P::Eq)?;
                let (uri, uspan) = self.literal()?;
                let span = start..uspan.end;
                if !declared_dt.insert(prefix.clone()) {
                    self.error(
                        &super::COMPACT_SYNTAX,
                        span.clone(),
                        format!("the datatypes prefix `{prefix}` is declared twice"),
                    );
                }
                if prefix == "xsd" && uri != XSD {
                    self.error(
                        &super::COMPACT_SYNTAX,
                        span.clone(),
                        format!("the prefix `xsd` can only stand for {XSD}"),
                    );
                }
                if !is_valid_library_uri(&uri) {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        uspan,
                        format!("datatypes \"{uri}\" is not empty or an absolute URI without a fragment"),
                    );
                }
                let uri = self.p.shared(&uri);
                self.env.datatypes.insert(prefix, uri);
            } else {
                return Some(());
            }
        }
    }

    /// A namespace URI literal or `inherit`.
    fn namespace_uri(&mut self) -> Option<(NsUri, std::ops::Range<usize>)> {
        if self.tok.tok.is_kw("inherit") {
            let span = self.tok.span.clone();
            self.bump()?;
            return Some((NsUri::Inherit, span));
        }
        if !matches!(self.tok.tok, Tok::Literal(_)) {
            return self.expected("a namespace URI literal or `inherit`");
        }
        let (uri, span) = self.literal()?;
        Some((NsUri::Uri(self.p.shared(&uri)), span))
    }

    /// Binds `prefix` to `uri`, checking the constraints of the spec (no `xmlns`; `xml` only
    /// for the XML namespace and the XML namespace only for `xml`; no prefix twice).
    fn namespace_decl(
        &mut self,
        prefix: &str,
        pspan: std::ops::Range<usize>,
        uri: &NsUri,
        span: std::ops::Range<usize>,
        declared: &mut HashSet<String>,
    ) {
        let is_xml_ns = matches!(uri, NsUri::Uri(u) if &**u == XML_NS);
        if prefix == "xmlns" {
            self.error(
                &super::COMPACT_SYNTAX,
                pspan,
                "the prefix `xmlns` cannot be declared",
            );
        } else if prefix == "xml" && !is_xml_ns {
            self.error(
                &super::COMPACT_SYNTAX,
                span.clone(),
                format!("the prefix `xml` can only stand for {XML_NS}"),
            );
        } else if prefix != "xml" && is_xml_ns {
            self.error(
                &super::COMPACT_SYNTAX,
                span.clone(),
                format!("only the prefix `xml` can stand for {XML_NS}"),
            );
        }
        if !declared.insert(prefix.to_string()) {
            self.error(
                &super::COMPACT_SYNTAX,
                span,
                format!("the namespace prefix `{prefix}` is declared twice"),
            );
        }
        self.env.namespaces.insert(prefix.to_string(), uri.clone());
    }
}
