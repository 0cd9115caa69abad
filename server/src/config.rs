//! Settings that change what analysis reports. The same struct is filled from `lambda-ls.toml` files (CLI and
//! LSP) and from the editor's settings (LSP), so editor and CI never disagree.
//!
//! `settings` reads one source (TOML or JSON) into [`Settings`]; `discover` finds the `lambda-ls.toml` files
//! that apply to a path and merges them, outermost first, into the [`Config`] for that file.

pub mod discover;
pub mod settings;

pub use discover::{ConfigError, Resolver};
pub use settings::{InvokeSettings, Settings};

use crate::date::Date;
use crate::rules::{Finding, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file name looked for in every folder from a checked file up to the repository root.
pub const FILE_NAME: &str = "lambda-ls.toml";

/// What to do with a rule: a severity, its own severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    /// Enabled with the severity the rule gives each finding (undoes an `off` from a wider selector).
    On,
    Severity(Severity),
}

impl RuleLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::On => "on",
            RuleLevel::Severity(s) => s.as_str(),
        }
    }
}

/// Files a configuration excludes: gitignore-style patterns, each set relative to its own folder.
#[derive(Clone, Debug)]
pub struct PathPatterns {
    pub base: PathBuf,
    pub patterns: Vec<String>,
    matcher: Arc<ignore::gitignore::Gitignore>,
}

impl PathPatterns {
    /// Compiles `patterns`; an invalid pattern is returned as the error (with its index).
    pub fn new(base: &Path, patterns: &[String]) -> Result<PathPatterns, (usize, String)> {
        let mut b = ignore::gitignore::GitignoreBuilder::new(base);
        for (i, p) in patterns.iter().enumerate() {
            b.add_line(None, p).map_err(|e| (i, e.to_string()))?;
        }
        let matcher = b.build().map_err(|e| (0, e.to_string()))?;
        Ok(PathPatterns {
            base: base.to_path_buf(),
            patterns: patterns.to_vec(),
            matcher: Arc::new(matcher),
        })
    }

    /// Whether `path` (absolute) or a folder above it matches.
    pub fn matches(&self, path: &Path) -> bool {
        // The matcher requires paths under its base.
        path.starts_with(&self.base)
            && self
                .matcher
                .matched_path_or_any_parents(path, false)
                .is_ignore()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Per rule id or id prefix ending in `/` (`iam/`): a severity override or off.
    pub rules: HashMap<String, RuleLevel>,
    /// The date that runtime lifecycle checks judge against; today when unset (set it for reproducible CI).
    pub as_of: Option<Date>,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: Option<u64>,
    /// Files not to check.
    pub ignore: Vec<PathPatterns>,
    /// Settings for local invoke.
    pub invoke: InvokeSettings,
    /// The configuration files that made this configuration, outermost first.
    pub sources: Vec<PathBuf>,
}

/// Default size limit: far above CloudFormation's 1 MB template limit, far below what would hurt.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

impl Config {
    pub fn today(&self) -> Date {
        self.as_of.unwrap_or_else(Date::today)
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }

    /// The configured level for a rule: the exact id wins over the longest matching prefix.
    pub fn level(&self, rule: &str) -> Option<RuleLevel> {
        if let Some(level) = self.rules.get(rule) {
            return Some(*level);
        }
        self.rules
            .iter()
            .filter(|(k, _)| k.ends_with('/') && rule.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, v)| *v)
    }

    /// Whether findings of `rule` are reported at all.
    pub fn enabled(&self, rule: &str) -> bool {
        self.level(rule) != Some(RuleLevel::Off)
    }

    /// Sets a selector's level so that it wins over what was set before: a prefix replaces the more specific
    /// selectors under it (a nearer `iam/ = "off"` beats a farther `iam/version = "error"`).
    pub fn set_rule(&mut self, selector: &str, level: RuleLevel) {
        if selector.ends_with('/') {
            self.rules.retain(|k, _| !k.starts_with(selector));
        }
        self.rules.insert(selector.to_string(), level);
    }

    /// Applies one layer of rule levels: prefixes first, so that an exact id in the same layer wins.
    pub fn set_rules(&mut self, rules: &[(String, RuleLevel)]) {
        let mut ordered: Vec<&(String, RuleLevel)> = rules.iter().collect();
        ordered.sort_by_key(|(k, _)| (!k.ends_with('/'), k.len()));
        for (k, level) in ordered {
            self.set_rule(k, *level);
        }
    }

    /// Whether a configuration excludes `path` (absolute) from checking.
    pub fn is_ignored(&self, path: &Path) -> bool {
        self.ignore.iter().any(|p| p.matches(path))
    }

    /// Applies severity overrides and drops disabled rules.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if self.rules.is_empty() {
            return;
        }
        findings.retain_mut(|f| match self.level(f.rule) {
            Some(RuleLevel::Off) => false,
            Some(RuleLevel::Severity(s)) => {
                f.severity = s;
                true
            }
            Some(RuleLevel::On) | None => true,
        });
    }

    /// The configuration as JSON, for `lambda-ls check --show-config` and logs.
    pub fn to_json(&self) -> serde_json::Value {
        let mut rules: Vec<(&String, &RuleLevel)> = self.rules.iter().collect();
        rules.sort_by(|a, b| a.0.cmp(b.0));
        serde_json::json!({
            "sources": self.sources.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "rules": rules.into_iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str()))).collect::<serde_json::Map<_, _>>(),
            "as_of": self.as_of.map(|d| d.to_string()),
            "max_file_size": self.max_file_size(),
            "ignore": self.ignore.iter().map(|p| serde_json::json!({"base": p.base.display().to_string(), "patterns": p.patterns})).collect::<Vec<_>>(),
            "invoke": self.invoke,
        })
    }
}
