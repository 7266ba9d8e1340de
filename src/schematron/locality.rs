//! Which Schematron patterns may run on one record of a document at a time
//! ([`super::chunk`]), decided once per schema from the XPath of each rule.
//!
//! A record is an element cut out of a large file with its ancestors' start tags around it (a
//! *skeleton*: their names, attributes and namespace declarations, not their other children).
//! A rule is **local** when every expression it evaluates, relative to its context node, only
//! looks down (child, descendant, attribute, self steps, the node's own string value) or up
//! to an ancestor's name and attributes (`parent::tei:p`, `ancestor::*[@xml:lang]`, `../@to`,
//! as a node test or a boolean, never atomized nor stepped down from). Everything else is
//! **global**: a path from the root (`/`, `//x`, `root()`), the preceding, following and
//! sibling axes, `id()`, `idref()`, `key()`, `doc()`, `path()`, a step down from an ancestor
//! (`ancestor::tei:TEI//tei:bibl`), an ancestor's string value, a positional predicate or a
//! whole-document expression in the rule context, a schema or pattern variable that reads the
//! document. A pattern is local when all its rules are (a pattern's rules compete for each
//! node: it cannot be split).
//!
//! A local rule that reads below its context node (a child step, the node's string value)
//! also depends on which elements are skeleton in a given file: on a skeleton element it
//! would see the element without its records. [`PatternLocality::deep`] lists the context
//! tests of such rules; [`super::chunk`] checks them against each file's skeleton.
//!
//! The analysis works on the tokens of each expression and errs on the side of *global*: a
//! local rule gives the same findings per record as on the whole tree
//! (`tests/schematron_stream_parity.rs` compares both on the shared corpora).

// XPath's operator words (`and`, `div`, `return`, …): never a step's name after an operand
use super::context::{Axis, Context, Predicate, Test};
use super::plan::{MPart, Plan, Value};
use super::xpath::OPERATOR_WORDS as KEYWORDS;
use std::collections::HashSet;
use xot::xmlname::NameStrInfo;

/// What the streamed run needs to know of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternLocality {
    /// `None`: the pattern is local. Else the first rule (its index in the pattern) that
    /// needs the whole document, and why.
    pub global: Option<(usize, String)>,
    /// The last-step tests of the contexts of its rules that read below their context node:
    /// such a rule must not meet a skeleton element.
    pub deep: Vec<Test>,
}

/// The locality of each pattern of `plan` (same order as `plan.patterns`).
pub fn classify(plan: &Plan) -> Vec<PatternLocality> {
    // schema, phase and pattern variables that read the document
    let mut doc_globals: HashSet<String> = HashSet::new();
    for (name, v) in &plan.globals {
        if let Value::Expr(slot) = v {
            let toks = tokens(&plan.slots[*slot].source);
            let reads = toks.iter().any(|t| match t {
                Tok::Var(n) => doc_globals.contains(n),
                Tok::Str | Tok::Num => false,
                Tok::Func(f) => {
                    GLOBAL_FUNCTIONS.contains(&f.as_str()) || CONTENT.contains(&f.as_str())
                }
                Tok::Sym(s) => matches!(*s, "/" | "//" | "." | ".." | "@"),
                Tok::Name(_) | Tok::Axis(_) | Tok::Kind(_) | Tok::Wild => true,
            });
            if reads {
                doc_globals.insert(local(name.local_name()));
            }
        }
    }
    plan.patterns
        .iter()
        .map(|pp| {
            let mut out = PatternLocality {
                global: None,
                deep: Vec::new(),
            };
            for (ri, rp) in pp.rules.iter().enumerate() {
                let mut a = Analysis::new(&doc_globals);
                let mut why = context_locality(&rp.context, plan, &mut a);
                // rule variables: evaluated on the context node; a variable that may hold an
                // ancestor makes steps from it steps from an ancestor
                for (name, v) in &rp.lets {
                    if let Value::Expr(slot) = v {
                        let before = a.up_seen;
                        a.up_seen = false;
                        why = why.or_else(|| a.expr(&plan.slots[*slot].source, true));
                        if a.up_seen {
                            a.up_vars.insert(local(name.local_name()));
                        }
                        a.up_seen |= before;
                    }
                }
                for c in &rp.checks {
                    why = why.or_else(|| a.expr(&plan.slots[c.test].source, false));
                    if let Some(s) = c.subject {
                        why = why.or_else(|| a.expr(&plan.slots[s].source, true));
                    }
                    let parts = c
                        .message
                        .iter()
                        .chain(c.diagnostics.iter().flat_map(|d| &d.1));
                    for m in parts {
                        if let MPart::Value(s) | MPart::Name(Some(s)) = m {
                            why = why.or_else(|| a.expr(&plan.slots[*s].source, true));
                        }
                    }
                }
                if let Some(why) = why {
                    out.global.get_or_insert((ri, why));
                }
                if a.deep {
                    for (t, attribute, _) in rp.context.last_steps() {
                        if !attribute && !out.deep.contains(t) {
                            out.deep.push(t.clone());
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// Whether a node named (`ns`, `local`) may be matched by a last-step test (for an element;
/// `Node` and `Document` tests are taken to match: the document node is skeleton too).
pub fn may_match(t: &Test, ns: &str, local_name: &str) -> bool {
    match t {
        Test::Name(n, l) => n == ns && l == local_name,
        Test::Namespace(n) => n == ns,
        Test::Local(l) => l == local_name,
        Test::AnyName | Test::Node | Test::Document => true,
        Test::Text | Test::Comment | Test::Pi(_) => false,
    }
}

fn context_locality(c: &Context, plan: &Plan, a: &mut Analysis) -> Option<String> {
    match c {
        Context::Whole(_) => Some("its context is evaluated over the whole document".into()),
        Context::Union(v) => v.iter().find_map(|c| context_locality(c, plan, a)),
        Context::Path { steps, .. } => {
            for (i, s) in steps.iter().enumerate() {
                let last = i + 1 == steps.len();
                if s.axis == Axis::Attribute && !last {
                    return Some("its context steps from an attribute".into());
                }
                for p in &s.predicates {
                    match p {
                        Predicate::Position(_) => {
                            return Some(
                                "its context has a positional predicate (it counts siblings)"
                                    .into(),
                            )
                        }
                        Predicate::XPath(slot) => {
                            let src = &plan.slots[*slot].source;
                            // a predicate of an earlier step is evaluated on an ancestor
                            let why = if last {
                                a.expr(src, false)
                            } else {
                                a.ancestor_predicate(src)
                            };
                            if why.is_some() {
                                return why;
                            }
                        }
                        Predicate::HasAttribute(..) | Predicate::Native(_) => {}
                    }
                }
            }
            None
        }
    }
}

/// Functions that read beyond the record (or the document).
const GLOBAL_FUNCTIONS: &[&str] = &[
    "root",
    "id",
    "idref",
    "element-with-id",
    "key",
    "document",
    "doc",
    "doc-available",
    "collection",
    "uri-collection",
    "unparsed-text",
    "unparsed-text-lines",
    "unparsed-text-available",
    "path",
];

/// Functions that read the context item's content when called without an argument.
const CONTENT: &[&str] = &[
    "string",
    "normalize-space",
    "string-length",
    "data",
    "number",
    "has-children",
];

/// Functions whose node argument is only tested or named, never atomized.
const NODE_SAFE: &[&str] = &[
    "not",
    "exists",
    "empty",
    "boolean",
    "count",
    "name",
    "local-name",
    "namespace-uri",
    "node-name",
    "generate-id",
    "lang",
];

const KIND_TESTS: &[&str] = &[
    "node",
    "text",
    "comment",
    "element",
    "attribute",
    "document-node",
    "processing-instruction",
    "schema-element",
    "schema-attribute",
    "namespace-node",
];

/// The index of the `)` that closes the parentheses opening at `from` (or past the end).
fn closing_paren(toks: &[Tok], from: usize) -> usize {
    let mut depth = 0;
    let mut i = from;
    while i < toks.len() {
        match toks[i] {
            Tok::Sym("(") => depth += 1,
            Tok::Sym(")") => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// A token of an XPath expression.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str,
    Num,
    /// A name (a name test, an operator word, a type name: the position decides).
    Name(String),
    /// `$name`: the local name.
    Var(String),
    /// `axis::`.
    Axis(String),
    /// `name(`: a function call (the `(` follows as its own token).
    Func(String),
    /// `node(`, `text(`…: a kind test (the `(` follows).
    Kind(String),
    /// `*` (a wildcard or a multiplication: the position decides).
    Wild,
    Sym(&'static str),
}

fn local(name: &str) -> String {
    let n = name.rsplit('}').next().unwrap_or(name);
    n.rsplit(':').next().unwrap_or(n).to_string()
}

fn name_char(c: char, first: bool) -> bool {
    c.is_alphabetic() || c == '_' || (!first && (c.is_numeric() || c == '-' || c == '.'))
}

/// The tokens of `s` (comments dropped; string literals reduced to [`Tok::Str`]).
fn tokens(s: &str) -> Vec<Tok> {
    let b: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let peek_after_ws = |mut j: usize| {
        while j < b.len() && b[j].is_whitespace() {
            j += 1;
        }
        j
    };
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' && b.get(i + 1) == Some(&':') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '(' && b.get(i + 1) == Some(&':') {
                    depth += 1;
                    i += 2;
                } else if b[i] == ':' && b.get(i + 1) == Some(&')') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '\'' || c == '"' {
            i += 1;
            while i < b.len() {
                if b[i] == c {
                    if b.get(i + 1) == Some(&c) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            out.push(Tok::Str);
        } else if c.is_ascii_digit()
            || (c == '.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '.') {
                i += 1;
            }
            out.push(Tok::Num);
        } else if c == '$'
            || name_char(c, true)
            || (c == 'Q' && b.get(i + 1) == Some(&'{'))
            || (c == '*' && b.get(i + 1) == Some(&':'))
        {
            let var = c == '$';
            if var {
                i += 1;
                while i < b.len() && b[i].is_whitespace() {
                    i += 1;
                }
            }
            let start = i;
            if b.get(i) == Some(&'Q') && b.get(i + 1) == Some(&'{') {
                while i < b.len() && b[i] != '}' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i) == Some(&'*') {
                i += 2;
            }
            while i < b.len() {
                if name_char(b[i], false) {
                    i += 1;
                } else if b[i] == ':'
                    && b.get(i + 1)
                        .is_some_and(|d| name_char(*d, true) || *d == '*')
                    && b.get(i + 1) != Some(&':')
                {
                    i += 1;
                    if b[i] == '*' {
                        i += 1;
                    }
                } else {
                    break;
                }
            }
            let name: String = b[start..i].iter().collect();
            if var {
                out.push(Tok::Var(local(&name)));
                continue;
            }
            let j = peek_after_ws(i);
            if b.get(j) == Some(&':') && b.get(j + 1) == Some(&':') {
                out.push(Tok::Axis(name));
                i = j + 2;
            } else if b.get(j) == Some(&'(') && b.get(j + 1) != Some(&':') {
                let l = local(&name);
                if KIND_TESTS.contains(&l.as_str()) {
                    out.push(Tok::Kind(l));
                } else if matches!(l.as_str(), "if" | "function" | "map" | "array")
                    || KEYWORDS.contains(&name.as_str())
                {
                    out.push(Tok::Name(name));
                } else {
                    out.push(Tok::Func(l));
                }
            } else {
                out.push(Tok::Name(name));
            }
        } else {
            let two: String = b[i..(i + 2).min(b.len())].iter().collect();
            let sym: &'static str = match two.as_str() {
                "//" => "//",
                ".." => "..",
                "!=" => "!=",
                "<=" => "<=",
                ">=" => ">=",
                "<<" => "<<",
                ">>" => ">>",
                ":=" => ":=",
                "||" => "||",
                "=>" => "=>",
                _ => "",
            };
            if !sym.is_empty() {
                out.push(Tok::Sym(sym));
                i += 2;
                continue;
            }
            i += 1;
            out.push(match c {
                '*' => Tok::Wild,
                '/' => Tok::Sym("/"),
                '.' => Tok::Sym("."),
                '@' => Tok::Sym("@"),
                '(' => Tok::Sym("("),
                ')' => Tok::Sym(")"),
                '[' => Tok::Sym("["),
                ']' => Tok::Sym("]"),
                ',' => Tok::Sym(","),
                '|' => Tok::Sym("|"),
                '=' => Tok::Sym("="),
                '<' => Tok::Sym("<"),
                '>' => Tok::Sym(">"),
                '+' => Tok::Sym("+"),
                '-' => Tok::Sym("-"),
                '!' => Tok::Sym("!"),
                '?' => Tok::Sym("?"),
                '{' => Tok::Sym("{"),
                '}' => Tok::Sym("}"),
                _ => Tok::Sym("#"),
            });
        }
    }
    out
}

/// One nesting level: the top of an expression, a parenthesis, a predicate.
#[derive(Debug, Clone)]
struct Level {
    /// The context item here may be an ancestor of the rule's context node.
    ctx_up: bool,
    /// The function whose argument list this is (`None`: a plain parenthesis, a predicate or
    /// the top).
    func: Option<String>,
    /// A value here is atomized when nothing else says so (the top of a `value-of`).
    atomizes: bool,
    /// A predicate (`[`) rather than a parenthesis.
    predicate: bool,
    /// The path under way has stepped up to an ancestor: a step down from here is global.
    path_up: bool,
    /// The path under way is on an ancestor element (not on its attribute).
    ends_up: bool,
    /// A path is under way at this level.
    in_path: bool,
}

/// The analysis of one rule's expressions.
struct Analysis<'g> {
    doc_globals: &'g HashSet<String>,
    /// Rule variables that may hold an ancestor.
    up_vars: HashSet<String>,
    /// An expression analysed since the last reset had an up step.
    up_seen: bool,
    /// Some expression reads below the context node.
    deep: bool,
}

impl<'g> Analysis<'g> {
    fn new(doc_globals: &'g HashSet<String>) -> Self {
        Analysis {
            doc_globals,
            up_vars: HashSet::new(),
            up_seen: false,
            deep: false,
        }
    }

    /// A predicate of an earlier step of a rule context: its context item is an ancestor.
    fn ancestor_predicate(&mut self, src: &str) -> Option<String> {
        self.walk(src, true, false)
    }

    /// `atomizes`: the expression's value is used as a value (a `value-of`, a variable),
    /// not only as a boolean.
    fn expr(&mut self, src: &str, atomizes: bool) -> Option<String> {
        self.walk(src, false, atomizes)
    }

    fn walk(&mut self, src: &str, ctx_up: bool, atomizes: bool) -> Option<String> {
        let quote = || src.split_whitespace().collect::<Vec<_>>().join(" ");
        let global = |what: &str| Some(format!("`{}` {what}", quote()));
        let toks = tokens(src);
        let mut levels = vec![Level {
            ctx_up,
            func: None,
            atomizes,
            predicate: false,
            path_up: false,
            ends_up: false,
            in_path: false,
        }];
        // the previous token ends an operand (then `*` multiplies, a name is an operator)
        let mut operand_end = false;
        // the next name or kind test is a type (`cast as xs:integer`)
        let mut type_next = false;
        let mut after_attr = false;
        let mut after_axis: Option<&'static str> = None;
        let mut slash_before = false;
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            let next = toks.get(i + 1);
            let lv = levels.len() - 1;
            // a step: down, up, attribute or self
            let step: Option<&'static str> = match t {
                Tok::Name(n) if operand_end && KEYWORDS.contains(&n.as_str()) => {
                    type_next = matches!(n.as_str(), "as" | "of");
                    if let Some(w) = self.path_end_problem(&levels, Some(n.as_str())) {
                        return global(&w);
                    }
                    levels[lv].in_path = false;
                    levels[lv].path_up = false;
                    levels[lv].ends_up = false;
                    operand_end = false;
                    slash_before = false;
                    i += 1;
                    continue;
                }
                Tok::Name(n)
                    if !operand_end
                        && (n == "if"
                            || (matches!(n.as_str(), "for" | "some" | "every" | "let")
                                && matches!(next, Some(Tok::Var(_))))) =>
                {
                    operand_end = false;
                    i += 1;
                    continue;
                }
                Tok::Name(_) | Tok::Kind(_) | Tok::Wild if type_next => {
                    type_next = false;
                    operand_end = true;
                    if matches!(t, Tok::Kind(_)) {
                        // skip the kind test's parentheses
                        i = closing_paren(&toks, i + 1);
                    }
                    i += 1;
                    continue;
                }
                Tok::Wild if operand_end => {
                    if let Some(w) = self.path_end_problem(&levels, Some("*")) {
                        return global(&w);
                    }
                    levels[lv].in_path = false;
                    levels[lv].path_up = false;
                    levels[lv].ends_up = false;
                    operand_end = false;
                    i += 1;
                    continue;
                }
                Tok::Name(_) | Tok::Wild | Tok::Kind(_) => Some(if after_attr {
                    "attribute"
                } else {
                    after_axis.unwrap_or("down")
                }),
                Tok::Axis(a) => {
                    let kind = match a.as_str() {
                        "child" | "descendant" | "descendant-or-self" => "down",
                        "attribute" => "attribute",
                        "self" => "self",
                        "parent" | "ancestor" | "ancestor-or-self" => "up",
                        other => {
                            return global(&format!("uses the {other} axis"));
                        }
                    };
                    after_axis = Some(kind);
                    i += 1;
                    continue;
                }
                Tok::Sym("@") => {
                    after_attr = true;
                    if !levels[lv].in_path {
                        self.start_path(&mut levels);
                    }
                    i += 1;
                    continue;
                }
                Tok::Sym("..") => Some("up"),
                Tok::Sym("/") | Tok::Sym("//") => {
                    if !operand_end {
                        if *t == Tok::Sym("/") {
                            return global("starts at the document root (`/`)");
                        }
                        return global("searches the whole document (`//`)");
                    }
                    if *t == Tok::Sym("//") {
                        if levels[lv].path_up {
                            return global("steps down from an ancestor");
                        }
                        self.deep = true;
                    }
                    slash_before = true;
                    operand_end = false;
                    i += 1;
                    continue;
                }
                Tok::Sym(".") => {
                    // the context item: an ancestor in an ancestor's predicate
                    if !slash_before {
                        self.start_path(&mut levels);
                    }
                    if next != Some(&Tok::Sym("/")) {
                        if levels[lv].ctx_up {
                            return global("reads an ancestor's content");
                        }
                        self.deep = true;
                    }
                    operand_end = true;
                    i += 1;
                    continue;
                }
                Tok::Var(v) => {
                    if self.doc_globals.contains(v) {
                        return global(&format!(
                            "uses ${v}, a schema or pattern variable that reads the document"
                        ));
                    }
                    self.start_path(&mut levels);
                    if v == super::xpath::CURRENT {
                        if next != Some(&Tok::Sym("/")) {
                            self.deep = true;
                        }
                    } else if self.up_vars.contains(v) {
                        levels[lv].path_up = true;
                        levels[lv].ends_up = true;
                    }
                    operand_end = true;
                    i += 1;
                    continue;
                }
                Tok::Func(f) => {
                    if GLOBAL_FUNCTIONS.contains(&f.as_str()) {
                        return global(&format!("calls {f}()"));
                    }
                    if CONTENT.contains(&f.as_str())
                        && next == Some(&Tok::Sym("("))
                        && toks.get(i + 2) == Some(&Tok::Sym(")"))
                    {
                        if levels[lv].ctx_up {
                            return global("reads an ancestor's content");
                        }
                        self.deep = true;
                    }
                    if let Some(w) = self.path_end_problem(&levels, None) {
                        return global(&w);
                    }
                    levels[lv].in_path = false;
                    levels[lv].path_up = false;
                    levels[lv].ends_up = false;
                    // its `(` opens a level for this function
                    if next == Some(&Tok::Sym("(")) {
                        levels.push(Level {
                            ctx_up: levels[lv].ctx_up,
                            func: Some(f.clone()),
                            atomizes: !NODE_SAFE.contains(&f.as_str()),
                            predicate: false,
                            path_up: false,
                            ends_up: false,
                            in_path: false,
                        });
                        i += 2;
                    } else {
                        i += 1;
                    }
                    operand_end = false;
                    continue;
                }
                Tok::Sym("(") => {
                    let up = levels[lv].ctx_up;
                    let atom = levels[lv].atomizes;
                    levels.push(Level {
                        ctx_up: up,
                        func: None,
                        atomizes: atom,
                        predicate: false,
                        path_up: false,
                        ends_up: false,
                        in_path: false,
                    });
                    operand_end = false;
                    slash_before = false;
                    i += 1;
                    continue;
                }
                Tok::Sym("[") => {
                    // a predicate: its context item is what the path has reached
                    let up = levels[lv].ends_up || (!levels[lv].in_path && levels[lv].ctx_up);
                    levels.push(Level {
                        ctx_up: up,
                        func: None,
                        atomizes: false,
                        predicate: true,
                        path_up: false,
                        ends_up: false,
                        in_path: false,
                    });
                    operand_end = false;
                    slash_before = false;
                    i += 1;
                    continue;
                }
                Tok::Sym(")") | Tok::Sym("]") => {
                    if let Some(w) = self.path_end_problem(&levels, None) {
                        return global(&w);
                    }
                    if levels.len() > 1 {
                        let closed = levels.pop();
                        let lv = levels.len() - 1;
                        // after a predicate the path of this level goes on; after a
                        // parenthesis a path may start (`(ancestor::x)/y`)
                        if let Some(c) = closed.filter(|c| !c.predicate) {
                            levels[lv].in_path = true;
                            if c.func.is_none() && c.in_path && c.path_up {
                                levels[lv].path_up = true;
                                levels[lv].ends_up |= c.ends_up;
                            }
                        }
                    }
                    operand_end = true;
                    slash_before = false;
                    i += 1;
                    continue;
                }
                _ => {
                    // literals, operators, commas
                    let op = match t {
                        Tok::Sym(s) => Some(*s),
                        _ => None,
                    };
                    if let Some(w) = self.path_end_problem(&levels, op) {
                        return global(&w);
                    }
                    levels[lv].in_path = false;
                    levels[lv].path_up = false;
                    levels[lv].ends_up = false;
                    operand_end = matches!(t, Tok::Str | Tok::Num);
                    slash_before = false;
                    i += 1;
                    continue;
                }
            };
            // a step
            let kind = step.unwrap_or("down");
            if !slash_before {
                self.start_path(&mut levels);
            }
            let lv = levels.len() - 1;
            match kind {
                "down" => {
                    if levels[lv].path_up {
                        return global("steps down from an ancestor");
                    }
                    self.deep = true;
                }
                "up" => {
                    levels[lv].path_up = true;
                    levels[lv].ends_up = true;
                    self.up_seen = true;
                }
                // an attribute of wherever the path is: its value is whole
                "attribute" => levels[lv].ends_up = false,
                _ => {}
            }
            levels[lv].in_path = true;
            after_attr = false;
            after_axis = None;
            slash_before = false;
            operand_end = true;
            // a kind test's parentheses belong to the step
            if matches!(t, Tok::Kind(_)) {
                i = closing_paren(&toks, i + 1);
            }
            i += 1;
        }
        if let Some(w) = self.path_end_problem(&levels, None) {
            return global(&w);
        }
        None
    }

    fn start_path(&mut self, levels: &mut [Level]) {
        let lv = levels.len() - 1;
        if !levels[lv].in_path {
            levels[lv].in_path = true;
            // a relative path inside an ancestor's predicate starts at the ancestor
            levels[lv].path_up = levels[lv].ctx_up;
            levels[lv].ends_up = levels[lv].ctx_up;
        }
    }

    /// A path that ends on an ancestor (its last step up, or a step to its attribute is
    /// fine): whether what follows or surrounds it atomizes the ancestor.
    fn path_end_problem(&self, levels: &[Level], op: Option<&str>) -> Option<String> {
        let l = levels.last()?;
        if !(l.in_path && l.ends_up) {
            return None;
        }
        let compares = op.is_some_and(|o| {
            matches!(
                o,
                "=" | "!="
                    | "<"
                    | ">"
                    | "<="
                    | ">="
                    | "eq"
                    | "ne"
                    | "lt"
                    | "le"
                    | "gt"
                    | "ge"
                    | "+"
                    | "-"
                    | "*"
                    | "div"
                    | "idiv"
                    | "mod"
                    | "||"
                    | "to"
                    | "!"
                    | "=>"
            )
        });
        let atomized = compares
            || match &l.func {
                Some(f) => !NODE_SAFE.contains(&f.as_str()),
                None => l.atomizes,
            };
        atomized.then(|| {
            "reads an ancestor's value (the ancestor is there without its other children)"
                .to_string()
        })
    }
}

/// The tests of `locality` a skeleton element (`ns`, `local`) meets.
pub fn deep_on(l: &PatternLocality, ns: &str, local_name: &str) -> bool {
    l.deep.iter().any(|t| may_match(t, ns, local_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(src: &str) -> Option<String> {
        let g = HashSet::new();
        Analysis::new(&g).expr(src, false)
    }

    fn deep(src: &str) -> bool {
        let g = HashSet::new();
        let mut a = Analysis::new(&g);
        assert_eq!(a.expr(src, false), None, "{src}");
        a.deep
    }

    #[test]
    fn local_expressions() {
        for e in [
            "@when or @from or @to or @notBefore or @notAfter",
            "tei:correspAction[@type='sent']",
            "matches(@xml:id, '[0-9a-f]{8}')",
            "count(tei:lem) lt 2",
            "@target and count( child::* ) > 0",
            "(ancestor::tei:p or ancestor::tei:ab) and not(ancestor::tei:floatingText)",
            "../@from | ../@to",
            "ancestor::tei:msDesc or ancestor::tei:egXML",
            "child::text()[ normalize-space(.) ne '']",
            "string-length( normalize-space(.) ) gt 0",
            "@minOccurs cast as xs:integer lt 2",
            "ancestor::*[@xml:lang][1]/@xml:lang = 'de'",
            "not(parent::tei:msPart) and (child::*[1]/self::tei:idno or normalize-space(.) eq '')",
            "tei:*[local-name() eq 'div']",
            "for $x in tei:item return $x/@n",
            ". = 'x'",
        ] {
            assert_eq!(why(e), None, "{e}");
        }
    }

    #[test]
    fn global_expressions() {
        for (e, what) in [
            (
                "substring-after(., '#')=ancestor::tei:TEI//tei:bibl/@xml:id",
                "steps down from an ancestor",
            ),
            ("//tei:moduleSpec/@ident = @module", "whole document"),
            ("/tei:TEI", "document root"),
            ("id( substring( @spanTo, 2 ) ) >> .", "calls id()"),
            (
                "preceding-sibling::*[ name(.) eq 'x' ]",
                "preceding-sibling axis",
            ),
            ("following::tei:x", "following axis"),
            (
                "ancestor::tei:l[not(.//tei:note//tei:l[. = $Q{urn:teikit:schematron}current])]",
                "ancestor",
            ),
            ("../tei:head", "steps down from an ancestor"),
            ("string(..) = 'x'", "ancestor's value"),
            ("parent::tei:p = 'x'", "ancestor's value"),
            ("root(.)", "calls root()"),
            ("count(//tei:div)", "whole document"),
            ("ancestor::tei:div[tei:head]", "steps down from an ancestor"),
            ("path(.)", "calls path()"),
        ] {
            let w = why(e);
            assert!(w.as_deref().is_some_and(|w| w.contains(what)), "{e}: {w:?}");
        }
    }

    #[test]
    fn reading_below_the_context() {
        assert!(deep("tei:correspAction"));
        assert!(deep("normalize-space(.) ne ''"));
        assert!(deep("string-length(string()) gt 0"));
        assert!(!deep("@when or ancestor::tei:p"));
        assert!(!deep("../@to"));
        assert!(!deep("matches(@xml:id, 'x')"));
    }

    #[test]
    fn value_of_an_ancestor_is_global() {
        let g = HashSet::new();
        assert!(Analysis::new(&g).expr("ancestor::tei:div", true).is_some());
        assert!(Analysis::new(&g)
            .expr("name(ancestor::tei:div[1])", true)
            .is_none());
    }
}
