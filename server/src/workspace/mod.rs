//! The workspace service shared by the CLI and the language server: files, their kinds, their parsed
//! form, and the analysis that turns them into findings. Editor and CI call the same functions here, so
//! they can never disagree.

pub mod files;
pub mod kind;

pub use files::{FileSource, Files};
pub use kind::FileKind;

use crate::config::Config;
use crate::rules::Finding;
use crate::syntax::{self, Lang, Value, ValueDoc};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tree_sitter::Tree;

/// What analysis may consult besides the file itself.
pub struct Env<'a> {
    pub config: &'a Config,
    pub files: &'a dyn FileSource,
}

/// A file parsed and classified, ready for analysis and editor features.
pub struct Parsed {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub kind: FileKind,
    pub lang: Option<Lang>,
    pub tree: Option<Tree>,
    pub doc: ValueDoc,
    /// Comment spans when YAML was read without a syntax tree (see `syntax::read_yaml`).
    pub comments: Vec<crate::text::Span>,
}

impl Parsed {
    pub fn root(&self) -> Option<&Value> {
        self.doc.value.as_ref()
    }
}

/// Parses a file. `old`, a tree of the same file already edited to match `text` and the language it was
/// parsed as, makes the reparse incremental.
pub fn parse(path: &Path, text: Arc<str>, old: Option<(Lang, &Tree)>) -> Parsed {
    let sniffed = kind::sniff(path, &text);
    if text.len() as u64 > crate::config::DEFAULT_MAX_FILE_SIZE {
        // Too large to be a real template or policy: say so instead of spending seconds and memory on it.
        let doc = if sniffed == FileKind::Other {
            ValueDoc::default()
        } else {
            ValueDoc {
                value: None,
                findings: vec![Finding::new(
                    &syntax::rules::TOO_LARGE,
                    0..0,
                    format!(
                        "file is {:.1} MiB, over the {:.1} MiB limit; not checked",
                        text.len() as f64 / 1_048_576.0,
                        crate::config::DEFAULT_MAX_FILE_SIZE as f64 / 1_048_576.0
                    ),
                )],
            }
        };
        return Parsed {
            path: path.to_path_buf(),
            text,
            kind: sniffed,
            lang: None,
            tree: None,
            doc,
            comments: Vec::new(),
        };
    }
    let lang = match sniffed {
        FileKind::Code(l) => Some(l),
        FileKind::Template | FileKind::Serverless | FileKind::Policy => Some(
            Lang::from_path(path).unwrap_or(if text.trim_start().starts_with('{') {
                Lang::Json
            } else {
                Lang::Yaml
            }),
        ),
        FileKind::Other => None,
    };
    let mut comments = Vec::new();
    let direct = match lang {
        Some(Lang::Yaml) if sniffed.is_config() => syntax::read_yaml(&text),
        _ => None,
    };
    let (tree, doc) = match lang {
        Some(Lang::Yaml) if direct.is_some() => {
            let (doc, found) = direct.unwrap_or_default();
            comments = found;
            (None, doc)
        }
        Some(l) => match syntax::parse(l, &text, old.filter(|(ol, _)| *ol == l).map(|(_, t)| t)) {
            Some(tree) => {
                let doc = if sniffed.is_config() {
                    syntax::build_value(l, &tree, &text)
                } else {
                    ValueDoc::default()
                };
                (Some(tree), doc)
            }
            None => (None, timeout_doc()),
        },
        None => (None, ValueDoc::default()),
    };
    let broken = doc
        .findings
        .iter()
        .any(|f| f.rule == syntax::rules::PARSE_ERROR.id);
    let kind = if sniffed.is_config() && !broken {
        kind::confirm(sniffed, doc.value.as_ref())
    } else {
        sniffed
    };
    Parsed {
        path: path.to_path_buf(),
        text,
        kind,
        lang,
        tree,
        doc,
        comments,
    }
}

fn timeout_doc() -> ValueDoc {
    ValueDoc {
        value: None,
        findings: vec![Finding::new(
            &syntax::rules::PARSE_TIMEOUT,
            0..0,
            "the file took too long to parse and was not checked",
        )],
    }
}

/// Everything a checker needs to look at one file.
pub struct Ctx<'a> {
    pub file: &'a Parsed,
    pub env: &'a Env<'a>,
}

impl Ctx<'_> {
    pub fn path(&self) -> &Path {
        &self.file.path
    }
    pub fn text(&self) -> &str {
        &self.file.text
    }
    pub fn root(&self) -> Option<&Value> {
        self.file.root()
    }
}

/// All findings for one file, sorted by position, with the configuration applied.
pub fn analyze(file: &Parsed, env: &Env) -> Vec<Finding> {
    let mut out = Vec::new();
    if file.kind == FileKind::Other {
        return out;
    }
    out.extend(file.doc.findings.iter().cloned());
    let ctx = Ctx { file, env };
    match file.kind {
        FileKind::Template | FileKind::Serverless | FileKind::Policy => {
            crate::iam::check(&ctx, &mut out);
            crate::function::check(&ctx, &mut out);
            crate::template::check(&ctx, &mut out);
            crate::privilege::check_config(&ctx, &mut out);
        }
        FileKind::Code(_) => crate::privilege::check_code(&ctx, &mut out),
        FileKind::Other => {}
    }
    crate::suppress::apply(file, &mut out);
    env.config.apply(&mut out);
    // The message is part of the key so that identical findings end up adjacent and `dedup` removes them.
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.rule,
            &b.message,
        ))
    });
    out.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    out
}

/// Bytes to text, or the finding that says why they are not text.
pub fn decode(bytes: Vec<u8>) -> Result<Arc<str>, Finding> {
    if bytes.contains(&0) {
        return Err(Finding::new(
            &syntax::rules::ENCODING,
            0..0,
            "binary file (it contains NUL bytes); not checked",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            // A UTF-8 byte order mark is legal in JSON and YAML files written on Windows.
            if s.starts_with('\u{feff}') {
                s.replace_range(..3, "   ");
            }
            Ok(Arc::from(s))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(Finding::new(
                &syntax::rules::ENCODING,
                0..0,
                format!("not valid UTF-8 (first bad byte at offset {at}); not checked"),
            ))
        }
    }
}
