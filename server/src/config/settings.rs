//! The settings schema, read from a neutral tree so that `lambda-ls.toml` and the editor's JSON settings
//! are validated by the same code and produce the same errors.

use super::RuleLevel;
use crate::date::Date;
use crate::rules::Severity;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A settings value from either source. `span` is a byte range in the TOML text (absent for JSON).
#[derive(Debug)]
pub struct Node {
    pub span: Option<Range<usize>>,
    pub kind: NodeKind,
}

#[derive(Debug)]
pub enum NodeKind {
    Str(String),
    Int(i64),
    Bool(bool),
    /// A TOML date (or date-time) literal, as written.
    Date(String),
    Array(Vec<Node>),
    /// Entries in source order: key, the key's span, value.
    Table(Vec<(String, Option<Range<usize>>, Node)>),
    /// Anything else (a float, a JSON null): named for the error message.
    Other(&'static str),
}

impl NodeKind {
    fn type_name(&self) -> &'static str {
        match self {
            NodeKind::Str(_) => "a string",
            NodeKind::Int(_) => "an integer",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Date(_) => "a date",
            NodeKind::Array(_) => "an array",
            NodeKind::Table(_) => "a table",
            NodeKind::Other(t) => t,
        }
    }
}

/// A problem in a settings source: where (a span in the file, and the key path) and what.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsError {
    pub span: Option<Range<usize>>,
    /// Dotted key path, e.g. `rules."iam/versoin"`.
    pub key: String,
    pub message: String,
}

/// Settings for the local invoke of functions. Paths are absolute once read (relative ones are taken
/// from the folder of the file that set them); `python`/`node` without a `/` are command names.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct InvokeSettings {
    /// The Python interpreter to run Python handlers with (default `python3` on PATH).
    pub python: Option<PathBuf>,
    /// The Node.js binary to run Node handlers with (default `node` on PATH).
    pub node: Option<PathBuf>,
    /// A dotenv file whose variables are added to every invoked function's environment.
    pub env_file: Option<PathBuf>,
    /// Variables that override the function's own environment.
    pub env: BTreeMap<String, String>,
    /// Pass the host's AWS credentials (`AWS_ACCESS_KEY_ID`, …, `AWS_PROFILE`) to invoked code. Off unless set.
    pub pass_aws_credentials: Option<bool>,
    /// The folder that holds sample events (default: `events/` next to the template).
    pub events: Option<PathBuf>,
    /// `AWS_REGION` for invoked code.
    pub region: Option<String>,
}

impl InvokeSettings {
    /// `other` over `self`: every field `other` sets wins.
    pub fn merge(&mut self, other: &InvokeSettings) {
        macro_rules! take {
            ($($f:ident),*) => {$( if other.$f.is_some() { self.$f = other.$f.clone(); } )*};
        }
        take!(python, node, env_file, pass_aws_credentials, events, region);
        for (k, v) in &other.env {
            self.env.insert(k.clone(), v.clone());
        }
    }
}

/// Rule levels for the files that match `paths` (gitignore-style patterns relative to `base`).
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub paths: Vec<String>,
    pub rules: Vec<(String, RuleLevel)>,
}

/// One settings source, validated but not yet merged with others.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// The folder relative paths and patterns are taken from.
    pub base: PathBuf,
    /// Stop looking for `lambda-ls.toml` files in parent folders.
    pub root: bool,
    pub rules: Vec<(String, RuleLevel)>,
    pub as_of: Option<Date>,
    pub max_file_size: Option<u64>,
    /// Gitignore-style patterns of files not to check.
    pub ignore: Vec<String>,
    pub overrides: Vec<Override>,
    pub invoke: InvokeSettings,
}

/// `asOf`, `as_of` and `as-of` are one key: TOML files use kebab-case, editors camelCase.
fn canonical_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

struct Reader<'e> {
    base: PathBuf,
    errors: &'e mut Vec<SettingsError>,
}

impl Reader<'_> {
    fn error(&mut self, span: &Option<Range<usize>>, key: &str, message: impl Into<String>) {
        self.errors.push(SettingsError {
            span: span.clone(),
            key: key.to_string(),
            message: message.into(),
        });
    }

    fn expect_type(&mut self, node: &Node, key: &str, wanted: &str) {
        let message = format!("`{key}` must be {wanted}, not {}", node.kind.type_name());
        self.error(&node.span, key, message);
    }

    fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Str(s) => Some(s.clone()),
            _ => {
                self.expect_type(node, key, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, key: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Bool(b) => Some(*b),
            _ => {
                self.expect_type(node, key, "true or false");
                None
            }
        }
    }

    fn strings(&mut self, node: &Node, key: &str) -> Vec<String> {
        match &node.kind {
            NodeKind::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.string(item, &format!("{key}[{i}]")))
                .collect(),
            // A single pattern where a list is expected is what the user meant.
            NodeKind::Str(s) => vec![s.clone()],
            _ => {
                self.expect_type(node, key, "an array of strings");
                Vec::new()
            }
        }
    }

    /// Gitignore-style patterns, each checked so that a bad one is reported where it is written.
    fn patterns(&mut self, node: &Node, key: &str) -> Vec<String> {
        let list = self.strings(node, key);
        let items: Vec<&Node> = match &node.kind {
            NodeKind::Array(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut out = Vec::new();
        for (i, p) in list.into_iter().enumerate() {
            let mut b = ignore::gitignore::GitignoreBuilder::new(&self.base);
            let span = items.get(i).and_then(|n| n.span.clone());
            match b.add_line(None, &p) {
                Ok(_) if !p.trim().is_empty() => out.push(p),
                Ok(_) => self.error(&span, key, format!("`{key}` has an empty pattern")),
                Err(e) => self.error(&span, key, format!("invalid pattern `{p}`: {e}")),
            }
        }
        out
    }

    fn path(&mut self, node: &Node, key: &str) -> Option<PathBuf> {
        let s = self.string(node, key)?;
        if s.is_empty() {
            self.error(&node.span, key, format!("`{key}` must not be empty"));
            return None;
        }
        Some(self.base.join(s))
    }

    /// A command name stays a name (found on PATH when run); anything with a separator is a path.
    fn command(&mut self, node: &Node, key: &str) -> Option<PathBuf> {
        let s = self.string(node, key)?;
        if s.is_empty() {
            self.error(&node.span, key, format!("`{key}` must not be empty"));
            return None;
        }
        if s.contains('/') || s.contains(std::path::MAIN_SEPARATOR) {
            Some(self.base.join(s))
        } else {
            Some(PathBuf::from(s))
        }
    }

    fn date(&mut self, node: &Node, key: &str) -> Option<Date> {
        let text = match &node.kind {
            NodeKind::Str(s) | NodeKind::Date(s) => s.as_str(),
            _ => {
                self.expect_type(node, key, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        let valid = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
        match Date::parse(text).filter(|_| valid) {
            Some(d) => Some(d),
            None => {
                self.error(
                    &node.span,
                    key,
                    format!("`{key}` must be a date written YYYY-MM-DD, not `{text}`"),
                );
                None
            }
        }
    }

    fn table<'n>(
        &mut self,
        node: &'n Node,
        key: &str,
    ) -> &'n [(String, Option<Range<usize>>, Node)] {
        match &node.kind {
            NodeKind::Table(entries) => entries,
            _ => {
                self.expect_type(node, key, "a table");
                &[]
            }
        }
    }

    fn unknown(&mut self, span: &Option<Range<usize>>, key: &str, known: &[&str]) {
        let shown = key.rsplit('.').next().unwrap_or(key);
        let mut message = format!("unknown setting `{key}`");
        if let Some(best) = crate::suggest::closest(shown, known.iter().copied(), 1).first() {
            message.push_str(&format!("; did you mean `{best}`?"));
        } else {
            message.push_str(&format!("; expected one of {}", known.join(", ")));
        }
        self.error(span, key, message);
    }

    fn rules(&mut self, node: &Node, key: &str) -> Vec<(String, RuleLevel)> {
        let mut out = Vec::new();
        for (id, id_span, value) in self.table(node, key) {
            let entry_key = format!("{key}.\"{id}\"");
            let Some(id) = rule_selector(id) else {
                let mut message = format!("unknown rule `{id}`");
                let all = crate::rules::all();
                if let Some(best) = crate::suggest::closest(id, all.iter().map(|r| r.id), 1).first()
                {
                    message.push_str(&format!("; did you mean `{best}`?"));
                }
                message.push_str(" (`lambda-ls rules` lists them)");
                self.error(id_span, &entry_key, message);
                continue;
            };
            let level = match &value.kind {
                NodeKind::Str(s) => parse_level(s),
                NodeKind::Bool(true) => Some(RuleLevel::On),
                NodeKind::Bool(false) => Some(RuleLevel::Off),
                _ => None,
            };
            match level {
                Some(level) => out.push((id, level)),
                None => self.error(
                    &value.span,
                    &entry_key,
                    "a rule's level must be \"error\", \"warning\", \"info\", \"hint\", \"on\" (its default) or \"off\"",
                ),
            }
        }
        out
    }
}

/// A rule level as written: a severity, `on` (the rule's own severity) or `off`.
pub fn parse_level(s: &str) -> Option<RuleLevel> {
    match s.to_ascii_lowercase().as_str() {
        "off" | "none" | "disable" | "disabled" => Some(RuleLevel::Off),
        "on" | "default" | "enable" | "enabled" => Some(RuleLevel::On),
        other => Severity::parse(other).map(RuleLevel::Severity),
    }
}

/// The canonical form of a rule selector, if it names a rule or a family: `iam/version`, `iam/`, and `iam`
/// (a family name alone means the family).
pub fn rule_selector(s: &str) -> Option<String> {
    let s = s.trim();
    let rules = crate::rules::all();
    if rules.iter().any(|r| r.id == s) {
        return Some(s.to_string());
    }
    let prefix = if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    };
    if prefix.len() > 1 && rules.iter().any(|r| r.id.starts_with(&prefix)) {
        return Some(prefix);
    }
    None
}

const TOP_KEYS: &[&str] = &[
    "root",
    "rules",
    "as-of",
    "max-file-size",
    "ignore",
    "overrides",
    "invoke",
];
const OVERRIDE_KEYS: &[&str] = &["paths", "rules"];
const INVOKE_KEYS: &[&str] = &[
    "python",
    "node",
    "env-file",
    "env",
    "pass-aws-credentials",
    "events",
    "region",
];

impl Settings {
    /// Reads settings from `root` (a table). Relative paths are taken from `base`. Problems are pushed to
    /// `errors`; what is valid is still returned, so one typo does not hide every other setting.
    pub fn read(root: &Node, base: &Path, errors: &mut Vec<SettingsError>) -> Settings {
        let mut r = Reader {
            base: base.to_path_buf(),
            errors,
        };
        let mut s = Settings {
            base: base.to_path_buf(),
            ..Settings::default()
        };
        for (raw_key, key_span, value) in r.table(root, "settings") {
            let key = canonical_key(raw_key);
            match key.as_str() {
                "root" => s.root = r.boolean(value, &key).unwrap_or(false),
                "rules" => s.rules = r.rules(value, &key),
                "as-of" => s.as_of = r.date(value, &key),
                "max-file-size" => match &value.kind {
                    NodeKind::Int(n) if *n > 0 => s.max_file_size = Some(*n as u64),
                    _ => r.expect_type(value, &key, "a positive number of bytes"),
                },
                "ignore" => s.ignore = r.patterns(value, &key),
                "overrides" => {
                    let items: Vec<&Node> = match &value.kind {
                        NodeKind::Array(items) => items.iter().collect(),
                        NodeKind::Table(_) => vec![value],
                        _ => {
                            r.expect_type(value, &key, "an array of tables ([[overrides]])");
                            Vec::new()
                        }
                    };
                    for (i, item) in items.into_iter().enumerate() {
                        let item_key = format!("overrides[{i}]");
                        let mut o = Override {
                            paths: Vec::new(),
                            rules: Vec::new(),
                        };
                        for (k, k_span, v) in r.table(item, &item_key) {
                            let k = canonical_key(k);
                            let full = format!("{item_key}.{k}");
                            match k.as_str() {
                                "paths" => o.paths = r.patterns(v, &full),
                                "rules" => o.rules = r.rules(v, &full),
                                _ => r.unknown(k_span, &full, OVERRIDE_KEYS),
                            }
                        }
                        if o.paths.is_empty() {
                            r.error(&item.span, &item_key, "an override needs `paths`");
                        }
                        s.overrides.push(o);
                    }
                }
                "invoke" => {
                    for (k, k_span, v) in r.table(value, "invoke") {
                        let k = canonical_key(k);
                        let full = format!("invoke.{k}");
                        let inv = &mut s.invoke;
                        match k.as_str() {
                            "python" => inv.python = r.command(v, &full),
                            "node" => inv.node = r.command(v, &full),
                            "env-file" => inv.env_file = r.path(v, &full),
                            "events" => inv.events = r.path(v, &full),
                            "pass-aws-credentials" => {
                                inv.pass_aws_credentials = r.boolean(v, &full)
                            }
                            "region" => inv.region = r.string(v, &full),
                            "env" => {
                                for (name, _, val) in r.table(v, &full) {
                                    let entry = format!("{full}.{name}");
                                    let text = match &val.kind {
                                        NodeKind::Str(s) => Some(s.clone()),
                                        NodeKind::Int(n) => Some(n.to_string()),
                                        NodeKind::Bool(b) => Some(b.to_string()),
                                        _ => {
                                            r.expect_type(val, &entry, "a string");
                                            None
                                        }
                                    };
                                    if let Some(text) = text {
                                        inv.env.insert(name.clone(), text);
                                    }
                                }
                            }
                            _ => r.unknown(k_span, &full, INVOKE_KEYS),
                        }
                    }
                }
                _ => r.unknown(key_span, &key, TOP_KEYS),
            }
        }
        s
    }
}

/// The neutral tree of a JSON value (editor settings).
pub fn from_json(v: &serde_json::Value) -> Node {
    use serde_json::Value as J;
    let kind = match v {
        J::String(s) => NodeKind::Str(s.clone()),
        J::Bool(b) => NodeKind::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => NodeKind::Int(i),
            None => NodeKind::Other("a fractional number"),
        },
        J::Array(items) => NodeKind::Array(items.iter().map(from_json).collect()),
        J::Object(map) => NodeKind::Table(
            map.iter()
                // Editors send `null` for settings the user did not set.
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), None, from_json(v)))
                .collect(),
        ),
        J::Null => NodeKind::Other("null"),
    };
    Node { span: None, kind }
}

/// The neutral tree of a TOML document, or the parse error with its span.
pub fn from_toml(text: &str) -> Result<Node, SettingsError> {
    use toml::de::{DeTable, DeValue};
    use toml::Spanned;
    fn value(v: &Spanned<DeValue>) -> Node {
        let kind = match v.get_ref() {
            DeValue::String(s) => NodeKind::Str(s.to_string()),
            DeValue::Integer(i) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => NodeKind::Int(n),
                    Err(_) => NodeKind::Other("an integer out of range"),
                }
            }
            DeValue::Float(_) => NodeKind::Other("a float"),
            DeValue::Boolean(b) => NodeKind::Bool(*b),
            DeValue::Datetime(d) => NodeKind::Date(d.to_string()),
            DeValue::Array(items) => NodeKind::Array(items.iter().map(value).collect()),
            DeValue::Table(t) => table(t),
        };
        Node {
            span: Some(v.span()),
            kind,
        }
    }
    fn table(t: &DeTable) -> NodeKind {
        NodeKind::Table(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), Some(k.span()), value(v)))
                .collect(),
        )
    }
    match DeTable::parse(text) {
        Ok(doc) => Ok(Node {
            span: Some(doc.span()),
            kind: table(doc.get_ref()),
        }),
        Err(e) => Err(SettingsError {
            span: e.span(),
            key: String::new(),
            message: e.message().trim().to_string(),
        }),
    }
}
