//! What a code file defines, as far as a handler is concerned: functions, methods, exports and classes
//! with their parameters, plus the few module-wide facts handler checks need (module system, Go package,
//! Java package). Extraction runs tree-sitter queries from `grammars/<lang>/` and keeps only owned data,
//! cached by content so that templates re-checked on every keystroke do not re-parse unchanged code.

pub mod csharp;
pub mod go;
pub mod java;
pub mod js;
pub mod python;
pub mod ruby;

use crate::syntax::Lang;
use crate::text::Span;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// An ordinary positional parameter (Python: positional-or-keyword).
    Positional,
    /// Python parameters after `*` or `*args`: passed by keyword only.
    KeywordOnly,
    /// Ruby `name:` keyword parameters.
    Keyword,
    /// `*args`, `...rest`.
    Rest,
    /// `**kwargs`.
    KwRest,
    /// Ruby `&block`.
    Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub default: bool,
    /// The declared type, as written.
    pub ty: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DefKind {
    Function,
    Method,
    Class,
    /// A name bound to something other than a function literal (`handler = Mangum(app)`).
    #[default]
    Value,
    /// A name bound by an import.
    Import,
}

/// A definition a handler may name.
#[derive(Clone, Debug, PartialEq)]
pub struct Def {
    /// The name the handler uses (an export name for JavaScript).
    pub name: String,
    /// Enclosing modules and classes, outermost first (Ruby `M::C`, Java nesting).
    pub scope: Vec<String>,
    pub kind: DefKind,
    pub name_span: Span,
    pub def_span: Span,
    /// Parameters, when the name is bound to a function whose parameters we can see.
    pub params: Option<Vec<Param>>,
    /// Go result types.
    pub results: Vec<String>,
    pub is_async: bool,
    /// Python decorators may change the signature: arity checks skip decorated functions.
    pub decorated: bool,
    /// Wrapped by `awslambda.streamifyResponse`.
    pub streaming: bool,
    /// Ruby `def self.x`, Java `static`.
    pub singleton: bool,
    /// Java classes: implemented interfaces and the superclass, as written.
    pub supers: Vec<String>,
    pub extends: bool,
    /// One line for hovers: the definition's header as written.
    pub signature: String,
}

impl Def {
    pub fn new(name: String, kind: DefKind, name_span: Span, def_span: Span) -> Def {
        Def {
            name,
            scope: Vec::new(),
            kind,
            name_span,
            def_span,
            params: None,
            results: Vec::new(),
            is_async: false,
            decorated: false,
            streaming: false,
            singleton: false,
            supers: Vec::new(),
            extends: false,
            signature: String::new(),
        }
    }

    pub fn is_callable(&self) -> bool {
        matches!(self.kind, DefKind::Function | DefKind::Method)
    }
}

/// A JavaScript module's exports and module-system syntax.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsModule {
    /// `import`/`export` statements (their spans).
    pub esm: Vec<Span>,
    /// `require(…)` calls, `module.exports`/`exports.x` assignments, `__dirname`/`__filename`.
    pub cjs: Vec<Span>,
    /// The module binds its own `require` (`createRequire`), so `require` calls are not CommonJS syntax.
    pub binds_require: bool,
    /// Exports we cannot enumerate (`module.exports = factory()`, `export * from`, `exports[k] = …`): a
    /// name missing from `exports` may still be exported.
    pub opaque: bool,
    /// `export … from './x'`: (exported name or `None` for `*`, the name in the other module, specifier).
    pub reexports: Vec<(Option<String>, String, String)>,
}

/// A Go file's package, imports, and `lambda.Start`-style calls.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoFile {
    pub package: Option<String>,
    /// (local name, import path).
    pub imports: Vec<(String, String)>,
    pub starts: Vec<GoStart>,
    /// Types declared in the file, with whether each is a struct.
    pub types: Vec<(String, bool)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoStart {
    /// The package selector as written (`lambda`).
    pub package: String,
    pub function: String,
    pub span: Span,
    /// The handler argument.
    pub handler: GoHandlerArg,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GoHandlerArg {
    Name(String, Span),
    /// A function literal, with its parameters and results.
    Literal(Box<Def>),
    Other,
}

/// Everything extracted from one code file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub defs: Vec<Def>,
    /// Python `from x import *`: any name may exist.
    pub star_import: bool,
    pub js: JsModule,
    pub go: GoFile,
    /// Java `package` declaration.
    pub package: Option<String>,
    /// The file has syntax errors: missing names may be a parse artefact.
    pub has_errors: bool,
}

impl Facts {
    /// Module-level definitions named `name` (no scope).
    pub fn top(&self, name: &str) -> Option<&Def> {
        self.defs
            .iter()
            .find(|d| d.scope.is_empty() && d.name == name)
    }
}

/// Extracts the facts of `text` parsed as `lang`.
pub fn extract(lang: Lang, text: &str) -> Facts {
    let Some(tree) = crate::syntax::parse_shared(lang, text) else {
        return Facts {
            has_errors: true,
            ..Facts::default()
        };
    };
    let mut facts = match lang {
        Lang::Python => python::extract(&tree, text),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::extract(lang, &tree, text),
        Lang::Go => go::extract(&tree, text),
        Lang::Ruby => ruby::extract(&tree, text),
        Lang::Java => java::extract(&tree, text),
        Lang::Json | Lang::Yaml => Facts::default(),
    };
    facts.has_errors = tree.root_node().has_error();
    facts
}

type CacheMap = HashMap<PathBuf, (u64, Arc<Facts>)>;

/// Facts of a file's current text, from the cache when the text is unchanged.
pub fn facts_of(path: &Path, lang: Lang, text: &str) -> Arc<Facts> {
    cached(path, text, || extract(lang, text))
}

/// Facts of a C# file (scanned, not parsed: there is no C# grammar in the binary).
pub fn csharp_facts_of(path: &Path, text: &str) -> Arc<Facts> {
    cached(path, text, || csharp::extract(text))
}

fn cached(path: &Path, text: &str, make: impl FnOnce() -> Facts) -> Arc<Facts> {
    static CACHE: OnceLock<Mutex<CacheMap>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let hash = crate::workspace::files::hash_text(text);
    if let Ok(map) = cache.lock() {
        if let Some((h, facts)) = map.get(path) {
            if *h == hash {
                return facts.clone();
            }
        }
    }
    let facts = Arc::new(make());
    if let Ok(mut map) = cache.lock() {
        // Bounded: a workspace's handler files, not every file ever seen.
        if map.len() >= 2048 {
            map.clear();
        }
        map.insert(path.to_path_buf(), (hash, facts.clone()));
    }
    facts
}

/// A query compiled once per language.
pub(crate) fn query(
    cell: &'static OnceLock<Option<Query>>,
    lang: Lang,
    source: &str,
) -> Option<&'static Query> {
    cell.get_or_init(|| match Query::new(&lang.language(), source) {
        Ok(q) => Some(q),
        Err(e) => {
            tracing::error!("handler query for {lang:?} does not compile: {e}");
            None
        }
    })
    .as_ref()
}

/// One match of a query: its pattern's capture names and nodes.
pub(crate) struct Match<'t> {
    pub captures: Vec<(&'static str, Node<'t>)>,
}

impl<'t> Match<'t> {
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.captures
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, node)| *node)
    }
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Runs `query` over the whole tree and collects every match.
pub(crate) fn matches<'t>(query: &'static Query, tree: &'t Tree, text: &str) -> Vec<Match<'t>> {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut it = cursor.matches(query, tree.root_node(), text.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = it.next() {
        out.push(Match {
            captures: m
                .captures
                .iter()
                .filter_map(|c| names.get(c.index as usize).map(|n| (*n, c.node)))
                .collect(),
        });
    }
    out
}

pub(crate) fn node_text<'a>(node: Node, text: &'a str) -> &'a str {
    text.get(node.byte_range()).unwrap_or("")
}

/// The first line of a definition, trimmed, for hovers (bodies left out).
pub(crate) fn header(node: Node, text: &str) -> String {
    let full = node_text(node, text);
    let line = full.lines().next().unwrap_or("").trim_end();
    let line = line.strip_suffix('{').unwrap_or(line).trim_end();
    let line = line.strip_suffix(':').unwrap_or(line).trim_end();
    if line.chars().count() > 160 {
        let cut: String = line.chars().take(157).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// A one-line rendering of a whole node (parameter lists spread over lines become one line).
pub(crate) fn one_line(node: Node, text: &str) -> String {
    node_text(node, text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
