//! The embedded IAM catalog: every service prefix, action, resource type (with compiled ARN templates),
//! condition key and the global `aws:` keys, plus the partitions. Built by `server/data/iam/update.py`
//! (sources, version and counts in `server/data/iam/manifest.json`), decoded once on first use.

pub mod arn;
mod decode;

pub use arn::{Arn, ArnTemplate};

use super::glob::{self, Class, Tok};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../../../data/iam/catalog.bin.z");
/// Descriptions, kept apart: checks never read them, so `check` does not pay for inflating them.
static DOCS: &[u8] = include_bytes!("../../../data/iam/catalog-docs.bin.z");

/// Description number `i` (actions and service condition keys), decoded on first use.
fn doc(i: u32) -> &'static str {
    static ALL: OnceLock<Vec<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| decode::docs(DOCS).unwrap_or_default())
        .get(i as usize)
        .copied()
        .unwrap_or("")
}

/// No description.
pub const NO_DOC: u32 = u32::MAX;

/// The catalog, decoded on first use. A damaged embedded file (which a test rules out) gives an empty
/// catalog, so checks that need it stay silent rather than wrong.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match decode::decode(DATA) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("embedded IAM catalog is unreadable: {}", e.0);
            Catalog::assemble("", "", "", Vec::new(), Vec::new(), Vec::new())
        }
    })
}

/// Decodes a catalog file (for tests and benchmarks that measure loading).
pub fn load_embedded() -> Result<Catalog, String> {
    decode::decode(DATA).map_err(|e| e.0.to_string())
}

/// The access level annotations of an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access(pub u8);

impl Access {
    pub const READ: u8 = 1;
    pub const LIST: u8 = 2;
    pub const WRITE: u8 = 4;
    pub const PERMISSIONS: u8 = 8;
    pub const TAGGING: u8 = 16;

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// The level IAM shows, by precedence: Permissions management > Tagging > Write > List > Read.
    pub fn label(self) -> &'static str {
        if self.has(Self::PERMISSIONS) {
            "Permissions management"
        } else if self.has(Self::TAGGING) {
            "Tagging"
        } else if self.has(Self::WRITE) {
            "Write"
        } else if self.has(Self::LIST) {
            "List"
        } else {
            "Read"
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseType {
    Unknown,
    String,
    Arn,
    Bool,
    Date,
    Ip,
    Numeric,
    Binary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyType {
    pub base: BaseType,
    /// `ArrayOf…`: the key is multivalued (use `ForAllValues:`/`ForAnyValue:`).
    pub array: bool,
}

impl KeyType {
    fn from_code(code: usize) -> KeyType {
        let base = match code & 0x0F {
            1 => BaseType::String,
            2 => BaseType::Arn,
            3 => BaseType::Bool,
            4 => BaseType::Date,
            5 => BaseType::Ip,
            6 => BaseType::Numeric,
            7 => BaseType::Binary,
            _ => BaseType::Unknown,
        };
        KeyType {
            base,
            array: code & 0x10 != 0,
        }
    }

    pub fn label(self) -> String {
        let b = match self.base {
            BaseType::Unknown => "Unknown",
            BaseType::String => "String",
            BaseType::Arn => "ARN",
            BaseType::Bool => "Bool",
            BaseType::Date => "Date",
            BaseType::Ip => "IPAddress",
            BaseType::Numeric => "Numeric",
            BaseType::Binary => "Binary",
        };
        if self.array {
            format!("ArrayOf{b}")
        } else {
            b.to_string()
        }
    }
}

#[derive(Debug)]
pub struct ConditionKey {
    /// As documented, variables included (`aws:ResourceTag/${TagKey}`).
    pub name: &'static str,
    pub ty: KeyType,
    doc: u32,
    /// For global keys: principal, session, network, resource or request.
    pub category: &'static str,
    pattern: Option<Box<[Tok]>>,
}

impl ConditionKey {
    fn new(name: &'static str, ty: KeyType, doc: u32, category: &'static str) -> ConditionKey {
        let pattern = (name.contains("${") || name.contains('<')).then(|| key_pattern(name));
        ConditionKey {
            name,
            ty,
            doc,
            category,
            pattern,
        }
    }

    pub fn description(&self) -> &'static str {
        doc(self.doc)
    }

    /// Whether a key written in a policy is this key (names are case-insensitive; a `${TagKey}` part
    /// stands for any text).
    pub fn matches(&self, written: &str) -> bool {
        match &self.pattern {
            None => self.name.eq_ignore_ascii_case(written),
            Some(p) => glob::intersects(p, &glob::literal(written), true),
        }
    }

    /// The part before any variable (`aws:ResourceTag/`), for completion.
    pub fn stem(&self) -> &'static str {
        let end = self.name.find(['$', '<']).unwrap_or(self.name.len());
        &self.name[..end]
    }
}

fn key_pattern(name: &str) -> Box<[Tok]> {
    let mut out = Vec::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match (c, chars.peek()) {
            ('$', Some('{')) => Some('}'),
            ('<', _) => Some('>'),
            _ => None,
        };
        match close {
            Some(close) => {
                for d in chars.by_ref() {
                    if d == close {
                        break;
                    }
                }
                out.push(Tok::One(Class::Any));
                out.push(Tok::Many(Class::Any));
            }
            None => out.push(Tok::One(Class::Char(c))),
        }
    }
    out.into_boxed_slice()
}

#[derive(Debug)]
pub struct ResourceType {
    pub name: &'static str,
    pub arns: Vec<ArnTemplate>,
    pub keys: Box<[&'static str]>,
}

#[derive(Debug)]
pub struct ActionResource {
    /// Index into the service's `resources`.
    pub resource: u16,
    pub required: bool,
    pub keys: Box<[&'static str]>,
    pub dependent: Box<[&'static str]>,
}

#[derive(Debug)]
pub struct Action {
    pub name: &'static str,
    pub(crate) doc: u32,
    pub access: Access,
    pub resources: Box<[ActionResource]>,
    pub keys: Box<[&'static str]>,
    pub dependent: Box<[&'static str]>,
}

#[derive(Debug)]
pub struct Service {
    pub prefix: &'static str,
    pub name: &'static str,
    pub keys: Vec<ConditionKey>,
    pub resources: Vec<ResourceType>,
    /// Sorted by lower-cased name.
    pub actions: Vec<Action>,
}

fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

impl Service {
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions
            .binary_search_by(|a| cmp_ci(a.name, name))
            .ok()
            .map(|i| &self.actions[i])
    }

    /// Actions whose name starts with `prefix` (case-insensitive), in order.
    pub fn actions_with_prefix(&self, prefix: &str) -> &[Action] {
        let start = self
            .actions
            .partition_point(|a| cmp_ci(a.name, prefix) == Ordering::Less);
        let len = self.actions[start..].partition_point(|a| {
            a.name.len() >= prefix.len() && a.name[..prefix.len()].eq_ignore_ascii_case(prefix)
        });
        &self.actions[start..start + len]
    }

    pub fn key(&self, written: &str) -> Option<&ConditionKey> {
        self.keys.iter().find(|k| k.matches(written))
    }

    pub fn resource(&self, action_resource: &ActionResource) -> Option<&ResourceType> {
        self.resources.get(action_resource.resource as usize)
    }
}

impl Action {
    pub fn description(&self) -> &'static str {
        doc(self.doc)
    }

    /// Whether the action takes no resource type, i.e. only `Resource: "*"` works for it.
    pub fn wildcard_only(&self) -> bool {
        self.resources.is_empty()
    }

    /// Every condition key the action supports: its own, its resources' and the action-resource pairs'.
    pub fn key_names<'s>(&'s self, svc: &'s Service) -> impl Iterator<Item = &'static str> + 's {
        self.keys
            .iter()
            .copied()
            .chain(self.resources.iter().flat_map(move |r| {
                r.keys.iter().copied().chain(
                    svc.resource(r)
                        .map(|rt| rt.keys.iter().copied())
                        .into_iter()
                        .flatten(),
                )
            }))
    }

    /// Whether a key written in a policy is one this action documents.
    pub fn supports_key(&self, svc: &Service, written: &str) -> bool {
        self.key_names(svc).any(|k| {
            if k.eq_ignore_ascii_case(written) {
                return true;
            }
            (k.contains("${") || k.contains('<'))
                && glob::intersects(&key_pattern(k), &glob::literal(written), true)
        })
    }
}

#[derive(Debug)]
pub struct Partition {
    pub id: &'static str,
    pub region_pattern: &'static str,
    /// Compiled on first use: most runs never meet a region they do not already know.
    region_regex: OnceLock<Option<regex::Regex>>,
    pub regions: Box<[&'static str]>,
}

impl Partition {
    fn new(
        id: &'static str,
        region_pattern: &'static str,
        regions: Box<[&'static str]>,
    ) -> Partition {
        Partition {
            id,
            region_pattern,
            region_regex: OnceLock::new(),
            regions,
        }
    }

    pub fn has_region(&self, region: &str) -> bool {
        self.regions.contains(&region)
            || self
                .region_regex
                .get_or_init(|| regex::Regex::new(self.region_pattern).ok())
                .as_ref()
                .is_some_and(|r| r.is_match(region))
    }
}

#[derive(Debug)]
pub struct Catalog {
    pub source: &'static str,
    pub version: &'static str,
    pub date: &'static str,
    pub partitions: Vec<Partition>,
    pub globals: Vec<ConditionKey>,
    /// Sorted by prefix.
    pub services: Vec<Service>,
    /// ARN namespace → (service index, resource index, format index).
    arn_index: HashMap<&'static str, Vec<(u16, u16, u8)>>,
    action_count: usize,
    /// Services, actions and keys an older snapshot had and the current one has not.
    pub retired: Vec<Retired>,
}

#[derive(Debug)]
pub struct Retired {
    pub prefix: &'static str,
    /// The whole service is gone.
    pub whole: bool,
    pub actions: Box<[&'static str]>,
    pub keys: Box<[&'static str]>,
}

impl Catalog {
    fn assemble(
        source: &'static str,
        version: &'static str,
        date: &'static str,
        partitions: Vec<Partition>,
        globals: Vec<ConditionKey>,
        mut services: Vec<Service>,
    ) -> Catalog {
        services.sort_by(|a, b| a.prefix.cmp(b.prefix));
        let mut arn_index: HashMap<&'static str, Vec<(u16, u16, u8)>> = HashMap::new();
        for (si, s) in services.iter().enumerate() {
            for (ri, r) in s.resources.iter().enumerate() {
                for (fi, t) in r.arns.iter().enumerate() {
                    arn_index
                        .entry(t.namespace)
                        .or_default()
                        .push((si as u16, ri as u16, fi as u8));
                }
            }
        }
        let action_count = services.iter().map(|s| s.actions.len()).sum();
        Catalog {
            source,
            version,
            date,
            partitions,
            globals,
            services,
            arn_index,
            action_count,
            retired: Vec::new(),
        }
    }

    /// Whether a service prefix was in an older snapshot of the data and is gone now.
    pub fn retired_service(&self, prefix: &str) -> bool {
        self.retired
            .iter()
            .any(|r| r.whole && r.prefix.eq_ignore_ascii_case(prefix))
    }

    pub fn retired_action(&self, prefix: &str, name: &str) -> bool {
        self.retired.iter().any(|r| {
            r.prefix.eq_ignore_ascii_case(prefix)
                && (r.whole || r.actions.iter().any(|a| a.eq_ignore_ascii_case(name)))
        })
    }

    pub fn retired_key(&self, key: &str) -> bool {
        let prefix = key.split(':').next().unwrap_or("");
        self.retired.iter().any(|r| {
            r.prefix.eq_ignore_ascii_case(prefix)
                && (r.whole
                    || r.keys.iter().any(|k| {
                        ConditionKey::new(
                            k,
                            KeyType {
                                base: BaseType::Unknown,
                                array: false,
                            },
                            NO_DOC,
                            "",
                        )
                        .matches(key)
                    }))
        })
    }

    pub fn action_count(&self) -> usize {
        self.action_count
    }

    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services
            .binary_search_by(|s| cmp_ci(s.prefix, prefix))
            .ok()
            .map(|i| &self.services[i])
    }

    /// `s3:GetObject` → the service and action, case-insensitively.
    pub fn action(&self, full: &str) -> Option<(&Service, &Action)> {
        let (p, n) = full.split_once(':')?;
        let s = self.service(p)?;
        Some((s, s.action(n)?))
    }

    /// Every action a pattern such as `s3:Get*`, `*:List*` or `*` grants.
    pub fn expand(&self, pattern: &str) -> Vec<(&Service, &Action)> {
        let mut out = Vec::new();
        if pattern == "*" {
            for s in &self.services {
                out.extend(s.actions.iter().map(|a| (s, a)));
            }
            return out;
        }
        let Some((p, n)) = pattern.split_once(':') else {
            return out;
        };
        let services: Vec<&Service> = if glob::has_wildcard(p) {
            self.services
                .iter()
                .filter(|s| glob::matches(p, s.prefix, true))
                .collect()
        } else {
            self.service(p).into_iter().collect()
        };
        for s in services {
            if n == "*" {
                out.extend(s.actions.iter().map(|a| (s, a)));
                continue;
            }
            // Narrow to the literal head of the name before matching the rest.
            let head = &n[..n.find(['*', '?', glob::PLACEHOLDER]).unwrap_or(n.len())];
            for a in s.actions_with_prefix(head) {
                if glob::matches(n, a.name, true) {
                    out.push((s, a));
                }
            }
        }
        out
    }

    pub fn global_key(&self, written: &str) -> Option<&ConditionKey> {
        self.globals.iter().find(|k| k.matches(written))
    }

    /// A condition key by the name written in a policy: a global key, or a key of the service its prefix
    /// names.
    pub fn condition_key(&self, written: &str) -> Option<&ConditionKey> {
        if let Some(k) = self.global_key(written) {
            return Some(k);
        }
        let (p, _) = written.split_once(':')?;
        self.service(p)?.key(written)
    }

    /// Whether any service's ARN templates use this namespace.
    pub fn knows_namespace(&self, ns: &str) -> bool {
        self.arn_index.contains_key(ns)
    }

    /// Every ARN template of a namespace, with its service and resource type.
    pub fn templates(
        &self,
        ns: &str,
    ) -> impl Iterator<Item = (&Service, &ResourceType, &ArnTemplate)> + '_ {
        self.arn_index
            .get(ns)
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(move |&(si, ri, fi)| {
                let s = self.services.get(si as usize)?;
                let r = s.resources.get(ri as usize)?;
                Some((s, r, r.arns.get(fi as usize)?))
            })
    }

    /// The resource types an ARN (or ARN pattern) can denote.
    pub fn resource_types_of(&self, arn: &Arn) -> Vec<(&Service, &ResourceType)> {
        let mut out: Vec<(&Service, &ResourceType)> = Vec::new();
        let tokens = glob::pattern(arn.resource);
        for (s, r, t) in self.templates(&arn.service.to_ascii_lowercase()) {
            if t.matches_with(arn, &tokens) && !out.iter().any(|(_, o)| std::ptr::eq(*o, r)) {
                out.push((s, r));
            }
        }
        out
    }

    pub fn partition(&self, id: &str) -> Option<&Partition> {
        self.partitions.iter().find(|p| p.id == id)
    }

    pub fn namespaces(&self) -> impl Iterator<Item = &&'static str> {
        self.arn_index.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads_and_answers() {
        let c = load_embedded().expect("catalog decodes");
        assert!(c.services.len() > 400, "{}", c.services.len());
        assert!(c.action_count() > 20_000);
        let (s, a) = c.action("S3:getobject").expect("s3:GetObject");
        assert_eq!(s.prefix, "s3");
        assert_eq!(a.name, "GetObject");
        assert_eq!(a.access.label(), "Read");
        assert!(!a.resources.is_empty());
        let (_, pr) = c.action("iam:PassRole").expect("PassRole");
        assert!(pr.resources.iter().any(|r| r.required));
        assert!(c.expand("s3:Get*").len() > 30);
        assert_eq!(c.expand("s3:GetObject").len(), 1);
        assert!(c.expand("s3:Nope*").is_empty());
        assert!(c.expand("*").len() == c.action_count());
        let k = c.condition_key("aws:SourceArn").expect("global");
        assert_eq!(k.ty.base, BaseType::Arn);
        assert!(c.condition_key("aws:ResourceTag/Team").is_some());
        assert!(c.condition_key("s3:prefix").is_some());
        assert!(c.condition_key("s3:nonsense").is_none());
        assert!(c.partition("aws-us-gov").is_some());
        assert!(c.partition("aws-iso-b").is_some());
        assert!(c
            .partition("aws")
            .is_some_and(|p| p.has_region("eu-west-1")));
        assert!(c.retired_service("deepracer"), "retired services are kept");
        assert!(
            a.description().contains("retrieve objects"),
            "{}",
            a.description()
        );
    }

    #[test]
    fn arns_map_to_resource_types_by_namespace() {
        let c = catalog();
        let a = arn::parse("arn:aws:s3:::my-bucket/key.txt").expect("arn");
        let types: Vec<&str> = c
            .resource_types_of(&a)
            .iter()
            .map(|(_, r)| r.name)
            .collect();
        assert!(types.contains(&"object"), "{types:?}");
        assert!(!types.contains(&"bucket"), "{types:?}");
        let a = arn::parse("arn:aws-cn:lambda:cn-north-1:123456789012:function:f").expect("arn");
        let types: Vec<&str> = c
            .resource_types_of(&a)
            .iter()
            .map(|(_, r)| r.name)
            .collect();
        assert!(types.contains(&"function"), "{types:?}");
        // A namespace that is not the IAM prefix: Service Catalog portfolios live under `catalog`.
        assert!(c.knows_namespace("catalog"));
        assert!(c.service("catalog").is_none());
    }
}
