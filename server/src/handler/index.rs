//! The project index: which configs (templates, serverless.yml) run which code files, for the features
//! that start from code (references, "▶ Invoke" lenses). Configs are found by scanning the workspace
//! roots; each config's resolution is cached until its content changes (disk stamp or open buffer) or a
//! file changes on disk (`invalidate`, called on `didChangeWatchedFiles`), so a request from a code file
//! re-resolves only the functions that actually point at it.

use super::paths::normalize;
use crate::function::model;
use crate::text::Span;
use crate::workspace::{self, Env, FileKind, FileSource, Parsed};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A configured function that runs a code file.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeUse {
    /// The template or serverless.yml (absolute).
    pub config: PathBuf,
    /// Logical id (templates) or function key (serverless.yml).
    pub function: String,
    /// The function's runtime, when known (an invoke may support only some).
    pub runtime: Option<String>,
    /// The function's key in the config.
    pub function_span: Span,
    /// The `Handler` value in the config; the function's key when the value is inherited from `Globals`.
    pub handler_span: Span,
    /// The handler's name and whole definition in the code file.
    pub name_span: Span,
    pub def_span: Span,
}

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Files changed on disk: listings and resolutions are recomputed on next use.
pub fn invalidate() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

struct ConfigEntry {
    stamp: u64,
    generation: u64,
    parsed: Option<Arc<Parsed>>,
    /// (function name, resolved code file).
    uses: Vec<(String, PathBuf)>,
}

#[derive(Default)]
struct Index {
    listings: HashMap<Vec<PathBuf>, (u64, Arc<Vec<PathBuf>>)>,
    configs: HashMap<PathBuf, Arc<ConfigEntry>>,
}

fn index() -> &'static Mutex<Index> {
    static INDEX: OnceLock<Mutex<Index>> = OnceLock::new();
    INDEX.get_or_init(Default::default)
}

/// Every configured function whose handler is in `path`, with where it is defined there.
pub fn functions_for_code(path: &Path, env: &Env) -> Vec<CodeUse> {
    let path = normalize(path);
    let files = env.files;
    let mut out = Vec::new();
    for config in configs(&path, files) {
        let Some(entry) = entry(&config, files) else {
            continue;
        };
        if !entry.uses.iter().any(|(_, p)| *p == path) {
            continue;
        }
        let Some(parsed) = &entry.parsed else {
            continue;
        };
        for f in model::functions(parsed) {
            if !entry.uses.iter().any(|(n, p)| *n == f.name && *p == path) {
                continue;
            }
            // Resolved again against the code's current text, so spans follow unsaved edits.
            let Some(resolved) = super::resolve_function(&f, files) else {
                continue;
            };
            if normalize(&resolved.path) != path {
                continue;
            }
            let handler_span = match &f.handler {
                Some(h) if !h.inherited => h.span(),
                _ => f.name_span.clone(),
            };
            out.push(CodeUse {
                config: config.clone(),
                function: f.name.clone(),
                runtime: f.runtime_id().map(str::to_string),
                function_span: f.name_span.clone(),
                handler_span,
                name_span: resolved.name_span,
                def_span: resolved.def_span,
            });
        }
    }
    out
}

/// The parsed configs of the project holding `code` (cached like the index's own entries), for analyses
/// that start from code.
pub fn project_configs(code: &Path, files: &dyn FileSource) -> Vec<Arc<Parsed>> {
    let code = normalize(code);
    configs(&code, files)
        .iter()
        .filter_map(|c| entry(c, files)?.parsed.clone())
        .collect()
}

/// The configs of the project holding `code`: those under the workspace roots plus open ones.
fn configs(code: &Path, files: &dyn FileSource) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = files
        .roots()
        .into_iter()
        .map(|r| normalize(&r))
        .filter(|r| code.starts_with(r))
        .collect();
    if roots.is_empty() {
        roots.push(fallback_root(code, files));
    }
    roots.sort();
    roots.dedup();
    let mut out: Vec<PathBuf> = listing(&roots).iter().cloned().collect();
    for open in files.open_paths() {
        if is_config_name(&open) && !out.contains(&open) {
            out.push(open);
        }
    }
    out
}

/// Without workspace roots: the git repository holding the file, else two folders up (a template next
/// to the function's folder).
fn fallback_root(code: &Path, files: &dyn FileSource) -> PathBuf {
    for dir in code.ancestors().skip(1) {
        let git = dir.join(".git");
        if files.is_dir(&git) || files.is_file(&git) {
            return dir.to_path_buf();
        }
    }
    code.ancestors()
        .nth(3)
        .or_else(|| code.parent())
        .unwrap_or(Path::new("/"))
        .to_path_buf()
}

fn is_config_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if !matches!(ext, "yaml" | "yml" | "json" | "template") {
        return false;
    }
    !(name == "package.json"
        || name == "package-lock.json"
        || name.starts_with("tsconfig")
        || name.ends_with(".schema.json")
        || name == "composer.json"
        || name == ".eslintrc.json")
}

/// Folders never searched for configs: dependencies, build outputs and tool state.
fn skip_dir(name: &str) -> bool {
    matches!(
        name,
        "node_modules"
            | ".aws-sam"
            | "cdk.out"
            | ".serverless"
            | "target"
            | ".git"
            | "venv"
            | ".venv"
            | "__pycache__"
            | ".terraform"
            | "vendor"
    )
}

/// Files larger than this are not configs worth indexing.
const MAX_CONFIG: u64 = 2 * 1024 * 1024;
/// Walking stops after this many entries (a home folder opened as a workspace).
const MAX_ENTRIES: usize = 100_000;

/// Config files under `roots`, cached until the next `invalidate`.
fn listing(roots: &[PathBuf]) -> Arc<Vec<PathBuf>> {
    let generation = GENERATION.load(Ordering::SeqCst);
    if let Ok(ix) = index().lock() {
        if let Some((g, list)) = ix.listings.get(roots) {
            if *g == generation {
                return list.clone();
            }
        }
    }
    let mut found = Vec::new();
    let mut seen = 0usize;
    for root in roots {
        let walker = ignore::WalkBuilder::new(root)
            .standard_filters(true)
            .hidden(true)
            .follow_links(false)
            .filter_entry(|e| {
                !e.file_type().is_some_and(|t| t.is_dir())
                    || !e.file_name().to_str().is_some_and(skip_dir)
            })
            .build();
        for entry in walker.flatten() {
            seen += 1;
            if seen > MAX_ENTRIES {
                break;
            }
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let p = entry.path();
            if !is_config_name(p) {
                continue;
            }
            if entry.metadata().map_or(true, |m| m.len() > MAX_CONFIG) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            if matches!(
                workspace::kind::sniff(p, &text),
                FileKind::Template | FileKind::Serverless
            ) {
                found.push(normalize(p));
            }
        }
    }
    let list = Arc::new(found);
    if let Ok(mut ix) = index().lock() {
        ix.listings
            .insert(roots.to_vec(), (generation, list.clone()));
    }
    list
}

/// A config's parse and resolved code files, from the cache while its content and the disk are unchanged.
fn entry(config: &Path, files: &dyn FileSource) -> Option<Arc<ConfigEntry>> {
    let stamp = files.stamp(config)?;
    let generation = GENERATION.load(Ordering::SeqCst);
    if let Ok(ix) = index().lock() {
        if let Some(e) = ix.configs.get(config) {
            if e.stamp == stamp && e.generation == generation {
                return Some(e.clone());
            }
        }
    }
    let text = files.read(config)?;
    let mut entry = ConfigEntry {
        stamp,
        generation,
        parsed: None,
        uses: Vec::new(),
    };
    if matches!(
        workspace::kind::sniff(config, &text),
        FileKind::Template | FileKind::Serverless
    ) {
        let parsed = Arc::new(workspace::parse(config, text, None));
        if matches!(parsed.kind, FileKind::Template | FileKind::Serverless) {
            for f in model::functions(&parsed) {
                if let Some(r) = super::resolve_function(&f, files) {
                    entry.uses.push((f.name.clone(), normalize(&r.path)));
                }
            }
            entry.parsed = Some(parsed);
        }
    }
    let entry = Arc::new(entry);
    if let Ok(mut ix) = index().lock() {
        if ix.configs.len() > 4096 {
            ix.configs.clear();
        }
        ix.configs.insert(config.to_path_buf(), entry.clone());
    }
    Some(entry)
}
