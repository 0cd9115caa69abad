//! Settings that change what analysis reports. The same struct is filled from `lambda-ls.toml` (CLI) and from
//! the editor's settings (LSP), so editor and CI never disagree.

use crate::date::Date;
use crate::rules::{Finding, Severity};
use std::collections::HashMap;

/// What to do with a rule: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    Severity(Severity),
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Per rule id or id prefix ending in `/` (`iam/`): a severity override or off.
    pub rules: HashMap<String, RuleLevel>,
    /// The date that runtime lifecycle checks judge against; today when unset (set it for reproducible CI).
    pub as_of: Option<Date>,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: Option<u64>,
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
            None => true,
        });
    }
}
