//! Finding the configuration of a file: every `lambda-ls.toml` from the file's folder up to the repository
//! root (a folder with `.git`) or to a file that says `root = true`, merged outermost first over a base (the
//! defaults, or the editor's settings). Lookups are cached per folder and each file is read once, so
//! checking thousands of files costs one `stat` per folder.

use super::settings::{self, Settings, SettingsError};
use super::{Config, PathPatterns, RuleLevel, FILE_NAME};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// An invalid setting, with the file and position it is at (line and column are 1-based; 0 when the source
/// has no positions, as editor settings do not).
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub span: Option<Range<usize>>,
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )
        } else if self.key.is_empty() {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}: `{}`: {}",
                self.path.display(),
                self.key,
                self.message
            )
        }
    }
}

impl ConfigError {
    pub fn new(path: &Path, text: Option<&str>, e: SettingsError) -> ConfigError {
        let (line, column) = match (&e.span, text) {
            (Some(span), Some(text)) => line_col(text, span.start),
            _ => (0, 0),
        };
        ConfigError {
            path: path.to_path_buf(),
            span: e.span,
            line,
            column,
            key: e.key,
            message: e.message,
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

/// Reads a configuration file's text; `None` when it does not exist.
pub type ReadFn = dyn Fn(&Path) -> std::io::Result<Option<String>> + Send + Sync;

fn read_disk(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // A folder named `lambda-ls.toml` is not a configuration.
        Err(_) if path.is_dir() => Ok(None),
        Err(e) => Err(e),
    }
}

/// One configuration file, read and compiled.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub settings: Settings,
    ignore: Option<PathPatterns>,
    overrides: Vec<(PathPatterns, Vec<(String, RuleLevel)>)>,
    pub errors: Vec<ConfigError>,
}

impl Loaded {
    /// Parses and validates a configuration text. Relative paths are taken from `base`.
    pub fn from_toml(path: &Path, base: &Path, text: &str) -> Loaded {
        let mut errors = Vec::new();
        let settings = match settings::from_toml(text) {
            Ok(node) => {
                let mut errs = Vec::new();
                let s = Settings::read(&node, base, &mut errs);
                errors.extend(
                    errs.into_iter()
                        .map(|e| ConfigError::new(path, Some(text), e)),
                );
                s
            }
            Err(e) => {
                errors.push(ConfigError::new(path, Some(text), e));
                Settings {
                    base: base.to_path_buf(),
                    ..Settings::default()
                }
            }
        };
        Self::compile(path, settings, errors)
    }

    /// Editor settings (JSON), named `source` in messages.
    pub fn from_json(source: &str, base: &Path, value: &serde_json::Value) -> Loaded {
        let path = PathBuf::from(source);
        let mut errs = Vec::new();
        let settings = Settings::read(&settings::from_json(value), base, &mut errs);
        let errors = errs
            .into_iter()
            .map(|e| ConfigError::new(&path, None, e))
            .collect();
        Self::compile(&path, settings, errors)
    }

    fn compile(path: &Path, settings: Settings, errors: Vec<ConfigError>) -> Loaded {
        // Patterns were validated one by one while reading; compiling them together cannot fail then.
        let ignore = if settings.ignore.is_empty() {
            None
        } else {
            PathPatterns::new(&settings.base, &settings.ignore).ok()
        };
        let overrides = settings
            .overrides
            .iter()
            .filter_map(|o| {
                PathPatterns::new(&settings.base, &o.paths)
                    .ok()
                    .map(|p| (p, o.rules.clone()))
            })
            .collect();
        Loaded {
            path: path.to_path_buf(),
            settings,
            ignore,
            overrides,
            errors,
        }
    }

    /// This layer over `config`.
    fn apply_to(&self, config: &mut Config) {
        let s = &self.settings;
        config.set_rules(&s.rules);
        if s.as_of.is_some() {
            config.as_of = s.as_of;
        }
        if s.max_file_size.is_some() {
            config.max_file_size = s.max_file_size;
        }
        if let Some(ignore) = &self.ignore {
            config.ignore.push(ignore.clone());
        }
        config.invoke.merge(&s.invoke);
        config.sources.push(self.path.clone());
    }
}

/// The configuration of every file in one folder, before per-path overrides.
#[derive(Debug)]
pub struct DirConfig {
    pub config: Arc<Config>,
    /// Per-path rule levels from every layer, outermost first.
    overrides: Vec<(PathPatterns, Vec<(String, RuleLevel)>)>,
    /// Problems in any of the files that made this configuration.
    pub errors: Vec<ConfigError>,
}

impl DirConfig {
    /// The configuration of `path` (absolute), a file in this folder.
    pub fn for_file(&self, path: &Path) -> Arc<Config> {
        let mut matching = self
            .overrides
            .iter()
            .filter(|(p, _)| p.matches(path))
            .peekable();
        if matching.peek().is_none() {
            return self.config.clone();
        }
        let mut config = (*self.config).clone();
        for (_, rules) in matching {
            config.set_rules(rules);
        }
        Arc::new(config)
    }
}

/// Resolves and caches configurations. Shared by the parallel checker threads and the language server.
pub struct Resolver {
    base: Arc<Config>,
    base_overrides: Vec<(PathPatterns, Vec<(String, RuleLevel)>)>,
    base_errors: Vec<ConfigError>,
    /// `--config FILE`: this file for every path, no discovery.
    explicit: Option<Arc<Loaded>>,
    read: Box<ReadFn>,
    files: Mutex<HashMap<PathBuf, Arc<Loaded>>>,
    dirs: Mutex<HashMap<PathBuf, Arc<DirConfig>>>,
    shared: Mutex<Option<Arc<DirConfig>>>,
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver::new()
    }
}

impl Resolver {
    /// Discovery from disk over the defaults.
    pub fn new() -> Resolver {
        Resolver {
            base: Arc::new(Config::default()),
            base_overrides: Vec::new(),
            base_errors: Vec::new(),
            explicit: None,
            read: Box::new(read_disk),
            files: Mutex::new(HashMap::new()),
            dirs: Mutex::new(HashMap::new()),
            shared: Mutex::new(None),
        }
    }

    /// Reads configuration files through `read` (the editor's open buffers first).
    pub fn with_reader(mut self, read: Box<ReadFn>) -> Resolver {
        self.read = read;
        self
    }

    /// A base layer under every discovered file (the editor's settings).
    pub fn with_base(mut self, base: &Loaded) -> Resolver {
        let mut config = Config::default();
        base.apply_to(&mut config);
        config.sources.clear();
        self.base = Arc::new(config);
        self.base_overrides = base.overrides.clone();
        self.base_errors = base.errors.clone();
        self.clear();
        self
    }

    /// Uses one configuration file for every path instead of discovering them. A file that cannot be read
    /// is an error.
    pub fn with_explicit_file(mut self, path: &Path) -> Result<Resolver, ConfigError> {
        let text = (self.read)(path)
            .map_err(|e| e.to_string())
            .and_then(|t| t.ok_or_else(|| "no such file".to_string()))
            .map_err(|message| ConfigError {
                path: path.to_path_buf(),
                span: None,
                line: 0,
                column: 0,
                key: String::new(),
                message,
            })?;
        let base = path.parent().unwrap_or(Path::new("/"));
        self.explicit = Some(Arc::new(Loaded::from_toml(path, base, &text)));
        Ok(self)
    }

    /// The configuration before any file: the defaults or the editor's settings.
    pub fn base(&self) -> Arc<Config> {
        self.base.clone()
    }

    /// Forgets every cached lookup (a configuration file changed).
    pub fn clear(&self) {
        lock(&self.files).clear();
        lock(&self.dirs).clear();
        *lock(&self.shared) = None;
    }

    /// The configuration of the file at `path` (absolute).
    pub fn config_for(&self, path: &Path) -> Arc<Config> {
        match path.parent() {
            Some(dir) => self.dir(dir).for_file(path),
            None => self.base.clone(),
        }
    }

    /// The configuration of every file in folder `dir` (absolute), cached. Folders without a configuration
    /// file share their parent's, so memory grows with the number of configuration files, not of folders.
    pub fn dir(&self, dir: &Path) -> Arc<DirConfig> {
        if let Some(hit) = lock(&self.dirs).get(dir) {
            return hit.clone();
        }
        let resolved = match &self.explicit {
            Some(file) => self.shared(|| self.layer(None, file)),
            None => {
                let own = self.load(&dir.join(FILE_NAME), dir);
                let stop =
                    own.as_ref().is_some_and(|l| l.settings.root) || dir.join(".git").exists();
                let parent = match dir.parent() {
                    Some(p) if !stop => Some(self.dir(p)),
                    _ => None,
                };
                match (own, parent) {
                    (None, Some(parent)) => parent,
                    (None, None) => self.shared(|| {
                        Arc::new(DirConfig {
                            config: self.base.clone(),
                            overrides: self.base_overrides.clone(),
                            errors: self.base_errors.clone(),
                        })
                    }),
                    (Some(own), parent) => self.layer(parent.as_deref(), &own),
                }
            }
        };
        lock(&self.dirs).insert(dir.to_path_buf(), resolved.clone());
        resolved
    }

    /// The one configuration of every folder without a file of its own above it (or of every folder with
    /// `--config`), made once.
    fn shared(&self, make: impl FnOnce() -> Arc<DirConfig>) -> Arc<DirConfig> {
        let mut shared = lock(&self.shared);
        shared.get_or_insert_with(make).clone()
    }

    /// `layer` over `under` (or over the base).
    fn layer(&self, under: Option<&DirConfig>, layer: &Loaded) -> Arc<DirConfig> {
        let (mut config, mut overrides, mut errors) = match under {
            Some(u) => ((*u.config).clone(), u.overrides.clone(), u.errors.clone()),
            None => (
                (*self.base).clone(),
                self.base_overrides.clone(),
                self.base_errors.clone(),
            ),
        };
        layer.apply_to(&mut config);
        overrides.extend(layer.overrides.iter().cloned());
        errors.extend(layer.errors.iter().cloned());
        Arc::new(DirConfig {
            config: Arc::new(config),
            overrides,
            errors,
        })
    }

    fn load(&self, path: &Path, base: &Path) -> Option<Arc<Loaded>> {
        if let Some(hit) = lock(&self.files).get(path) {
            return Some(hit.clone());
        }
        let loaded = match (self.read)(path) {
            Ok(None) => return None,
            Ok(Some(text)) => Loaded::from_toml(path, base, &text),
            Err(e) => {
                let mut l = Loaded::compile(
                    path,
                    Settings {
                        base: base.to_path_buf(),
                        ..Settings::default()
                    },
                    Vec::new(),
                );
                l.errors.push(ConfigError {
                    path: path.to_path_buf(),
                    span: None,
                    line: 0,
                    column: 0,
                    key: String::new(),
                    message: format!("cannot read: {e}"),
                });
                l
            }
        };
        let loaded = Arc::new(loaded);
        lock(&self.files).insert(path.to_path_buf(), loaded.clone());
        Some(loaded)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn loaded(text: &str) -> Loaded {
        Loaded::from_toml(Path::new("/p/lambda-ls.toml"), Path::new("/p"), text)
    }

    #[test]
    fn reads_every_section() {
        let l = loaded(
            "root = true\nas-of = 2026-01-15\nignore = [\"build/\"]\n[rules]\n\"iam/\" = \"off\"\n\"iam/version\" = \"warning\"\n[[overrides]]\npaths = [\"legacy/*.json\"]\nrules = { \"function/unknown-runtime\" = \"off\" }\n[invoke]\npython = \"python3.12\"\nnode = \"./bin/node\"\nenv-file = \".env\"\npass-aws-credentials = true\nevents = \"ev\"\nenv = { STAGE = \"dev\", N = 3 }\n",
        );
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        let s = &l.settings;
        assert!(s.root);
        assert_eq!(
            s.as_of.map(|d| d.to_string()).as_deref(),
            Some("2026-01-15")
        );
        assert_eq!(s.invoke.python.as_deref(), Some(Path::new("python3.12")));
        assert_eq!(s.invoke.node.as_deref(), Some(Path::new("/p/./bin/node")));
        assert_eq!(s.invoke.env_file.as_deref(), Some(Path::new("/p/.env")));
        assert_eq!(s.invoke.events.as_deref(), Some(Path::new("/p/ev")));
        assert_eq!(s.invoke.pass_aws_credentials, Some(true));
        assert_eq!(s.invoke.env.get("N").map(String::as_str), Some("3"));
        let mut c = Config::default();
        l.apply_to(&mut c);
        assert_eq!(
            c.level("iam/version"),
            Some(RuleLevel::Severity(Severity::Warning))
        );
        assert!(c.is_ignored(Path::new("/p/build/x/template.yaml")));
        assert!(!c.is_ignored(Path::new("/q/build/template.yaml")));
    }

    #[test]
    fn errors_have_positions() {
        let l = loaded("[rules]\n\"iam/versoin\" = \"off\"\n");
        assert_eq!(l.errors.len(), 1);
        let e = &l.errors[0];
        assert_eq!((e.line, e.column), (2, 1));
        assert!(
            e.message.contains("did you mean `iam/version`"),
            "{}",
            e.message
        );
        let l = loaded("as-of = \"tomorrow\"\nfoo = 1\n[rules\n");
        assert_eq!(l.errors.len(), 1, "a syntax error is reported alone");
        assert_eq!(l.errors[0].line, 3);
        let l = loaded("as-of = \"tomorrow\"\nrulez = {}\n");
        let lines: Vec<usize> = l.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2]);
        assert!(l.errors[1].message.contains("did you mean `rules`"));
    }

    #[test]
    fn nearer_prefix_beats_farther_id() {
        let mut c = Config::default();
        c.set_rules(&[("iam/version".into(), RuleLevel::Severity(Severity::Error))]);
        c.set_rules(&[("iam/".into(), RuleLevel::Off)]);
        assert_eq!(c.level("iam/version"), Some(RuleLevel::Off));
        c.set_rules(&[
            ("iam/version".into(), RuleLevel::On),
            ("iam/".into(), RuleLevel::Off),
        ]);
        assert_eq!(c.level("iam/version"), Some(RuleLevel::On));
    }

    #[test]
    fn editor_keys_are_camel_case() {
        let l = Loaded::from_json(
            "settings",
            Path::new("/w"),
            &serde_json::json!({"asOf": "2025-05-05", "invoke": {"passAwsCredentials": false, "envFile": null}}),
        );
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        assert_eq!(l.settings.invoke.pass_aws_credentials, Some(false));
        assert!(l.settings.as_of.is_some());
    }
}
