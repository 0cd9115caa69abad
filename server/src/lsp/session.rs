//! The server's state: open documents, the negotiated encoding, configuration. Held behind a mutex that is
//! never kept across an `.await`.

use crate::config::{Config, Resolver};
use crate::rules::Finding;
use crate::syntax::Lang;
use crate::text::{Encoding, TextChange, TextDocument};
use crate::workspace::{self, Files, Parsed};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::ls_types as lsp;
use tree_sitter::Tree;

pub struct Doc {
    pub path: PathBuf,
    pub version: i32,
    pub text: TextDocument,
    /// The last parsed tree, edited along with every later change, for incremental reparsing.
    pub tree: Option<(Lang, Tree)>,
    /// The latest parse and the version it is of.
    pub parsed: Option<(i32, Arc<Parsed>)>,
    /// Findings last published and the version they are of (quick fixes come from here).
    pub findings: Option<(i32, Arc<Vec<Finding>>)>,
    /// Bumped by every scheduled analysis, so a burst of schedules runs once.
    pub generation: u64,
}

pub struct Session {
    pub docs: HashMap<lsp::Uri, Doc>,
    pub encoding: Encoding,
    /// The editor's settings alone; documents use `config_for`, which adds their `lambda-ls.toml` files.
    pub config: Arc<Config>,
    /// Configuration lookups (editor settings under the `lambda-ls.toml` files found above each document).
    pub resolver: Arc<Resolver>,
    /// Settings from `initializationOptions` and from the last `workspace/configuration` pull or push.
    pub init_settings: Option<serde_json::Value>,
    pub pulled_settings: Option<serde_json::Value>,
    /// The client answers `workspace/configuration`.
    pub config_pull: bool,
    /// The client lets us register for `workspace/didChangeConfiguration`.
    pub config_change_dynamic: bool,
    /// False until the first settings pull has been answered; analyses wait for it (briefly).
    pub settings_ready: tokio::sync::watch::Sender<bool>,
    /// Problems in the editor's settings, as last read.
    pub settings_errors: Vec<crate::config::ConfigError>,
    /// Configuration files whose problems were published.
    pub reported_config_errors: HashSet<PathBuf>,
    pub files: Arc<Files>,
    pub roots: Vec<PathBuf>,
    pub debounce: Duration,
    /// The client can register file watchers dynamically.
    pub watch_dynamic: bool,
}

/// Inputs for one parse, taken under the lock and used without it.
pub struct ParseJob {
    pub path: PathBuf,
    pub version: i32,
    pub text: Arc<str>,
    pub old: Option<(Lang, Tree)>,
}

impl ParseJob {
    pub fn run(self) -> Parsed {
        workspace::parse(
            &self.path,
            self.text,
            self.old.as_ref().map(|(l, t)| (*l, t)),
        )
    }
}

impl Session {
    pub fn new() -> Self {
        let files = Arc::new(Files::new());
        Session {
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            config: Arc::new(Config::default()),
            resolver: Arc::new(super::settings::resolver(files.clone(), None)),
            init_settings: None,
            pulled_settings: None,
            config_pull: false,
            config_change_dynamic: false,
            settings_ready: tokio::sync::watch::Sender::new(true),
            reported_config_errors: HashSet::new(),
            settings_errors: Vec::new(),
            files,
            roots: Vec::new(),
            debounce: Duration::from_millis(200),
            watch_dynamic: false,
        }
    }

    /// The configuration of the document or file at `path`.
    pub fn config_for(&self, path: &Path) -> Arc<Config> {
        self.resolver.config_for(path)
    }

    pub fn open(&mut self, uri: lsp::Uri, path: PathBuf, version: i32, text: &str) {
        self.files.set_overlay(path.clone(), Arc::from(text));
        self.docs.insert(
            uri,
            Doc {
                path,
                version,
                text: TextDocument::new(text),
                tree: None,
                parsed: None,
                findings: None,
                generation: 0,
            },
        );
    }

    /// Applies edits in order and keeps the old tree in step. Returns false for an unknown document.
    pub fn change(&mut self, uri: &lsp::Uri, version: i32, changes: Vec<TextChange>) -> bool {
        let enc = self.encoding;
        let Some(doc) = self.docs.get_mut(uri) else {
            return false;
        };
        for change in &changes {
            let full = change.range.is_none();
            let outcome = doc.text.apply(change, enc);
            if full {
                doc.tree = None;
            } else if let Some((_, tree)) = doc.tree.as_mut() {
                tree.edit(&outcome.input_edit());
            }
        }
        doc.version = version;
        self.files
            .set_overlay(doc.path.clone(), Arc::from(doc.text.text()));
        true
    }

    pub fn close(&mut self, uri: &lsp::Uri) -> Option<Doc> {
        let doc = self.docs.remove(uri)?;
        self.files.remove_overlay(&doc.path);
        Some(doc)
    }

    /// The latest parse if it is of the current version, or the job that makes it.
    pub fn parsed_or_job(&self, uri: &lsp::Uri) -> Option<Result<Arc<Parsed>, ParseJob>> {
        let doc = self.docs.get(uri)?;
        if let Some((v, parsed)) = &doc.parsed {
            if *v == doc.version {
                return Some(Ok(parsed.clone()));
            }
        }
        Some(Err(ParseJob {
            path: doc.path.clone(),
            version: doc.version,
            text: Arc::from(doc.text.text()),
            old: doc.tree.clone(),
        }))
    }

    /// Stores a parse if the document has not changed since its job was taken.
    pub fn store_parse(&mut self, uri: &lsp::Uri, version: i32, parsed: Arc<Parsed>) {
        if let Some(doc) = self.docs.get_mut(uri) {
            if doc.version == version {
                // Read without a syntax tree (well-formed YAML): the older tree, edited in step with
                // the text ever since, still serves an incremental parse once one is needed again.
                if parsed.tree.is_some() || parsed.lang != doc.tree.as_ref().map(|(l, _)| *l) {
                    doc.tree = parsed.lang.zip(parsed.tree.clone());
                }
                doc.parsed = Some((version, parsed));
            }
        }
    }
}
