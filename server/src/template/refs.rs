//! The logical ids a CloudFormation template defines (resources, parameters, conditions, mappings, outputs)
//! and every place that refers to one (`Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, `DependsOn`, condition
//! names, `Fn::FindInMap`), each with the span of the id itself so that navigation lands on the word.

use crate::syntax::{Value, ValueKind};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefKind {
    Resource,
    Parameter,
    Condition,
    Mapping,
    Output,
}

impl DefKind {
    pub fn section(self) -> &'static str {
        match self {
            DefKind::Resource => "Resources",
            DefKind::Parameter => "Parameters",
            DefKind::Condition => "Conditions",
            DefKind::Mapping => "Mappings",
            DefKind::Output => "Outputs",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Definition<'a> {
    pub id: String,
    pub kind: DefKind,
    pub key_span: Span,
    pub node: &'a Value,
    /// A resource's `Type`, a parameter's `Type`.
    pub type_name: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Ref,
    GetAtt,
    /// `${Name}` or `${Name.Attr}` inside `Fn::Sub`.
    Sub,
    DependsOn,
    Condition,
    FindInMap,
}

impl RefKind {
    pub fn describe(self) -> &'static str {
        match self {
            RefKind::Ref => "`Ref`",
            RefKind::GetAtt => "`Fn::GetAtt`",
            RefKind::Sub => "`Fn::Sub`",
            RefKind::DependsOn => "`DependsOn`",
            RefKind::Condition => "the condition",
            RefKind::FindInMap => "`Fn::FindInMap`",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Reference {
    pub kind: RefKind,
    pub target: String,
    /// The id's own text in the source.
    pub span: Span,
    /// `Fn::GetAtt`'s attribute (or the part after the dot in `${Name.Attr}` and SAM's `Ref Fn.Alias`).
    pub attr: Option<(String, Span)>,
}

/// The CloudFormation pseudo parameters: always defined.
pub const PSEUDO_PARAMETERS: &[(&str, &str)] = &[
    ("AWS::AccountId", "The AWS account id of the stack"),
    (
        "AWS::NotificationARNs",
        "The notification ARNs of the stack",
    ),
    ("AWS::NoValue", "Removes the property it is the value of"),
    (
        "AWS::Partition",
        "The partition: `aws`, `aws-cn`, `aws-us-gov`, …",
    ),
    ("AWS::Region", "The Region the stack is created in"),
    ("AWS::StackId", "The stack's id (an ARN)"),
    ("AWS::StackName", "The stack's name"),
    (
        "AWS::URLSuffix",
        "The domain suffix: usually `amazonaws.com`",
    ),
];

pub struct Index<'a> {
    pub defs: Vec<Definition<'a>>,
    pub refs: Vec<Reference>,
    /// The template uses the SAM transform, which defines resources of its own (`<Function>Role`, …).
    pub sam: bool,
    /// Another transform or a `Fn::ForEach` may define ids this index cannot see.
    pub open_world: bool,
}

impl<'a> Index<'a> {
    pub fn build(text: &str, root: &'a Value) -> Index<'a> {
        let transforms: Vec<&str> = root
            .get("Transform")
            .map(|t| t.one_or_many().iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        // Without the transform line SAM resources cannot deploy, but the ids SAM would generate are
        // still what the author means.
        let sam = transforms.contains(&"AWS::Serverless-2016-10-31")
            || root
                .get("Resources")
                .and_then(|r| r.as_map())
                .unwrap_or_default()
                .iter()
                .any(|(_, r)| {
                    r.get("Type")
                        .and_then(|t| t.as_str())
                        .is_some_and(|t| t.starts_with("AWS::Serverless::"))
                });
        let mut defs = Vec::new();
        let mut open_world = root
            .get("Transform")
            .is_some_and(|t| t.one_or_many().iter().any(|v| v.as_str().is_none()))
            || transforms
                .iter()
                .any(|t| !matches!(*t, "AWS::Serverless-2016-10-31" | "AWS::LanguageExtensions"));
        for kind in [
            DefKind::Parameter,
            DefKind::Mapping,
            DefKind::Condition,
            DefKind::Resource,
            DefKind::Output,
        ] {
            for (k, v) in root
                .get(kind.section())
                .and_then(|s| s.as_map())
                .unwrap_or_default()
            {
                if k.text.starts_with("Fn::ForEach") {
                    open_world = true;
                    continue;
                }
                defs.push(Definition {
                    id: k.text.clone(),
                    kind,
                    key_span: k.span.clone(),
                    node: v,
                    type_name: v.get("Type").and_then(|t| t.as_str()),
                });
            }
        }
        let mut refs = Vec::new();
        let mut walker = Walker {
            text,
            out: &mut refs,
        };
        if let Some(entries) = root.as_map() {
            for (k, v) in entries {
                match k.text.as_str() {
                    "Resources" => {
                        for (_, res) in v.as_map().unwrap_or_default() {
                            walker.resource(res);
                        }
                    }
                    // Parameter definitions hold no references.
                    "Parameters" => {}
                    _ => walker.walk(v, 0),
                }
            }
        }
        Index {
            defs,
            refs,
            sam,
            open_world,
        }
    }

    pub fn def(&self, id: &str) -> Option<&Definition<'a>> {
        self.defs.iter().find(|d| d.id == id)
    }

    /// The definition `kind` of reference may point at, if it exists.
    pub fn target(&self, r: &Reference) -> Option<&Definition<'a>> {
        let wanted: &[DefKind] = match r.kind {
            RefKind::Ref | RefKind::Sub => &[DefKind::Resource, DefKind::Parameter],
            RefKind::GetAtt | RefKind::DependsOn => &[DefKind::Resource],
            RefKind::Condition => &[DefKind::Condition],
            RefKind::FindInMap => &[DefKind::Mapping],
        };
        self.defs
            .iter()
            .find(|d| d.id == r.target && wanted.contains(&d.kind))
    }

    /// Whether SAM generates a resource with this id from one of the template's SAM resources.
    pub fn sam_generated(&self, id: &str) -> bool {
        self.sam
            && (id.starts_with("ServerlessRestApi")
                || id.starts_with("ServerlessHttpApi")
                || self.defs.iter().any(|d| {
                    // SAM resources, and any resource with embedded `Connectors`, generate resources
                    // named after themselves.
                    d.kind == DefKind::Resource
                        && (d
                            .type_name
                            .is_some_and(|t| t.starts_with("AWS::Serverless::"))
                            || d.node.get("Connectors").is_some())
                        && id.len() > d.id.len()
                        && id.starts_with(d.id.as_str())
                }))
    }

    /// The reference or definition key under `offset`, as the id it names.
    pub fn id_at(&self, offset: usize) -> Option<(&str, Span)> {
        for r in &self.refs {
            if contains(&r.span, offset) {
                return Some((r.target.as_str(), r.span.clone()));
            }
            if let Some((_, s)) = &r.attr {
                if contains(s, offset) {
                    return Some((r.target.as_str(), s.clone()));
                }
            }
        }
        self.defs
            .iter()
            .find(|d| contains(&d.key_span, offset))
            .map(|d| (d.id.as_str(), d.key_span.clone()))
    }

    pub fn reference_at(&self, offset: usize) -> Option<&Reference> {
        self.refs.iter().find(|r| {
            contains(&r.span, offset) || r.attr.as_ref().is_some_and(|(_, s)| contains(s, offset))
        })
    }
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The source text of a plain or quoted scalar without its quotes, when it is the value itself.
pub fn inner_span(text: &str, node: &Value) -> Option<Span> {
    let s = node.as_str()?;
    let span = node.span.clone();
    let raw = text.get(span.clone())?;
    if raw == s {
        return Some(span);
    }
    if raw.len() == s.len() + 2 && raw.get(1..raw.len() - 1) == Some(s) {
        return Some(span.start + 1..span.end - 1);
    }
    // A tagged scalar (`!Ref Name`) spans its tag too: find the text at the end.
    if raw.ends_with(s) {
        return Some(span.end - s.len()..span.end);
    }
    let trimmed = raw.trim_end_matches(['"', '\'']);
    if trimmed.ends_with(s) {
        let end = span.start + trimmed.len();
        return Some(end - s.len()..end);
    }
    None
}

struct Walker<'t, 'o> {
    text: &'t str,
    out: &'o mut Vec<Reference>,
}

const MAX_DEPTH: usize = 200;

impl Walker<'_, '_> {
    fn resource(&mut self, res: &Value) {
        for (k, v) in res.as_map().unwrap_or_default() {
            match k.text.as_str() {
                "DependsOn" => {
                    for item in v.one_or_many() {
                        self.plain(RefKind::DependsOn, item);
                    }
                }
                "Condition" => self.plain(RefKind::Condition, v),
                _ => self.walk(v, 0),
            }
        }
    }

    fn plain(&mut self, kind: RefKind, v: &Value) {
        let Some(s) = v.as_str() else {
            return;
        };
        if let Some(span) = inner_span(self.text, v) {
            self.out.push(Reference {
                kind,
                target: s.to_string(),
                span,
                attr: None,
            });
        }
    }

    fn walk(&mut self, v: &Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match &v.kind {
            ValueKind::Map(entries) => {
                for (k, child) in entries {
                    if k.text == "Condition" && child.as_str().is_some() {
                        self.plain(RefKind::Condition, child);
                    } else {
                        self.walk(child, depth + 1);
                    }
                }
            }
            ValueKind::Seq(items) => {
                for item in items {
                    self.walk(item, depth + 1);
                }
            }
            ValueKind::Intrinsic { name, arg, .. } => {
                self.intrinsic(name, arg, depth);
            }
            _ => {}
        }
    }

    fn intrinsic(&mut self, name: &str, arg: &Value, depth: usize) {
        match name {
            "Ref" => {
                if let (Some(s), Some(span)) = (arg.as_str(), inner_span(self.text, arg)) {
                    // SAM: `!Ref Function.Alias` and `!Ref Function.Version`.
                    let (target, attr) = split_attr(s, span.clone());
                    self.out.push(Reference {
                        kind: RefKind::Ref,
                        span: span.start..span.start + target.len(),
                        target,
                        attr,
                    });
                    return;
                }
                self.walk(arg, depth + 1);
            }
            "Condition" => {
                if arg.as_str().is_some() {
                    self.plain(RefKind::Condition, arg);
                } else {
                    self.walk(arg, depth + 1);
                }
            }
            "Fn::GetAtt" => self.get_att(arg, depth),
            "Fn::Sub" => self.sub(arg, depth),
            "Fn::If" => {
                if let Some(items) = arg.as_seq() {
                    if let Some(first) = items.first() {
                        self.plain(RefKind::Condition, first);
                    }
                    for item in items.iter().skip(1) {
                        self.walk(item, depth + 1);
                    }
                }
            }
            "Fn::FindInMap" => {
                if let Some(items) = arg.as_seq() {
                    if let Some(first) = items.first() {
                        if first.as_str().is_some() {
                            self.plain(RefKind::FindInMap, first);
                        } else {
                            self.walk(first, depth + 1);
                        }
                    }
                    for item in items.iter().skip(1) {
                        self.walk(item, depth + 1);
                    }
                }
            }
            _ => self.walk(arg, depth + 1),
        }
    }

    fn get_att(&mut self, arg: &Value, depth: usize) {
        match &arg.kind {
            ValueKind::Str(s) => {
                let Some(span) = inner_span(self.text, arg) else {
                    return;
                };
                let (target, attr) = split_attr(s, span.clone());
                self.out.push(Reference {
                    kind: RefKind::GetAtt,
                    span: span.start..span.start + target.len(),
                    target,
                    attr,
                });
            }
            ValueKind::Seq(items) => {
                let Some(first) = items.first() else {
                    return;
                };
                let (Some(id), Some(span)) = (first.as_str(), inner_span(self.text, first)) else {
                    self.walk(arg, depth + 1);
                    return;
                };
                let attr = items.get(1).and_then(|a| {
                    let s = a.as_str()?;
                    Some((s.to_string(), inner_span(self.text, a)?))
                });
                self.out.push(Reference {
                    kind: RefKind::GetAtt,
                    target: id.to_string(),
                    span,
                    attr,
                });
                for item in items.iter().skip(1) {
                    if item.as_str().is_none() {
                        self.walk(item, depth + 1);
                    }
                }
            }
            _ => self.walk(arg, depth + 1),
        }
    }

    fn sub(&mut self, arg: &Value, depth: usize) {
        let (template, vars) = match &arg.kind {
            ValueKind::Seq(items) => (items.first(), items.get(1)),
            _ => (Some(arg), None),
        };
        let locals: Vec<&str> = vars
            .and_then(|v| v.as_map())
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| k.text.as_str())
            .collect();
        if let Some(t) = template {
            if t.as_str().is_some() {
                self.sub_string(t, &locals);
            } else {
                self.walk(t, depth + 1);
            }
        }
        if let Some(v) = vars {
            self.walk(v, depth + 1);
        }
    }

    /// `${Name}` and `${Name.Attr}` in a `Fn::Sub` string, found in the source text so that block scalars
    /// and quoted strings map back to the right offsets. `${!Literal}` is not a reference.
    fn sub_string(&mut self, node: &Value, locals: &[&str]) {
        let Some(raw) = self.text.get(node.span.clone()) else {
            return;
        };
        for (start, name, attr) in sub_variables(raw) {
            if locals.contains(&name) {
                continue;
            }
            let abs = node.span.start + start;
            let attr = attr.map(|(a, off)| {
                (
                    a.to_string(),
                    node.span.start + off..node.span.start + off + a.len(),
                )
            });
            self.out.push(Reference {
                kind: RefKind::Sub,
                target: name.to_string(),
                span: abs..abs + name.len(),
                attr,
            });
        }
    }
}

/// The logical ids a value refers to (with the attribute, if any), whatever the form: `Ref`, `Fn::GetAtt`,
/// `${…}` in `Fn::Sub`, nested inside other intrinsics. Pseudo parameters are left out.
pub fn referenced_ids(value: &Value) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    collect_ids(value, &mut out, 0);
    out
}

fn collect_ids(value: &Value, out: &mut Vec<(String, Option<String>)>, depth: usize) {
    if depth > 50 {
        return;
    }
    let push = |out: &mut Vec<(String, Option<String>)>, id: &str, attr: Option<&str>| {
        if !id.starts_with("AWS::") && !id.is_empty() {
            out.push((id.to_string(), attr.map(str::to_string)));
        }
    };
    match &value.kind {
        ValueKind::Intrinsic { name, arg, .. } => match (name.as_str(), &arg.kind) {
            ("Ref", ValueKind::Str(s)) => match s.split_once('.') {
                Some((id, a)) => push(out, id, Some(a)),
                None => push(out, s, None),
            },
            ("Fn::GetAtt", ValueKind::Str(s)) => match s.split_once('.') {
                Some((id, a)) => push(out, id, Some(a)),
                None => push(out, s, None),
            },
            ("Fn::GetAtt", ValueKind::Seq(items)) => {
                if let Some(id) = items.first().and_then(|v| v.as_str()) {
                    push(out, id, items.get(1).and_then(|v| v.as_str()));
                }
            }
            ("Fn::Sub", _) => {
                let (template, vars) = match &arg.kind {
                    ValueKind::Seq(items) => (items.first(), items.get(1)),
                    _ => (Some(arg.as_ref()), None),
                };
                let locals: Vec<&str> = vars
                    .and_then(|v| v.as_map())
                    .unwrap_or_default()
                    .iter()
                    .map(|(k, _)| k.text.as_str())
                    .collect();
                if let Some(s) = template.and_then(|t| t.as_str()) {
                    for (_, name, attr) in sub_variables(s) {
                        if !locals.contains(&name) {
                            push(out, name, attr.map(|(a, _)| a));
                        }
                    }
                }
                if let Some(v) = vars {
                    collect_ids(v, out, depth + 1);
                }
            }
            _ => collect_ids(arg, out, depth + 1),
        },
        ValueKind::Seq(items) => {
            for item in items {
                collect_ids(item, out, depth + 1);
            }
        }
        ValueKind::Map(entries) => {
            for (_, v) in entries {
                collect_ids(v, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `Name.Attr` into the id and its attribute (with the attribute's span); ids never contain dots.
fn split_attr(s: &str, span: Span) -> (String, Option<(String, Span)>) {
    match s.split_once('.') {
        Some((id, attr)) => {
            let at = span.start + id.len() + 1;
            (
                id.to_string(),
                Some((attr.to_string(), at..at + attr.len())),
            )
        }
        None => (s.to_string(), None),
    }
}

/// A `${Name}` or `${Name.Attr}` of a `Fn::Sub` string: the name's offset, the name, and the attribute
/// with its offset.
pub type SubVariable<'a> = (usize, &'a str, Option<(&'a str, usize)>);

/// The variables of a `Fn::Sub` string.
pub fn sub_variables(raw: &str) -> Vec<SubVariable<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(pos) = raw[i..].find("${") {
        let start = i + pos + 2;
        let Some(len) = raw[start..].find('}') else {
            break;
        };
        let inner = &raw[start..start + len];
        i = start + len + 1;
        if inner.starts_with('!') || inner.is_empty() || inner.contains(char::is_whitespace) {
            continue;
        }
        match inner.split_once('.') {
            Some((name, attr)) => out.push((start, name, Some((attr, start + name.len() + 1)))),
            None => out.push((start, inner, None)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_value, Lang};

    const T: &str = "Transform: AWS::Serverless-2016-10-31\nParameters:\n  Stage:\n    Type: String\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    DependsOn: [Queue]\n    Condition: IsProd\n    Properties:\n      Environment:\n        Variables:\n          URL: !Ref Queue\n          ARN: !GetAtt Queue.Arn\n          BOTH: !Sub '${Queue.Arn} ${Stage} ${!Literal}'\n          LONG: {'Fn::GetAtt': [Queue, QueueName]}\n          S: !Sub\n            - '${Local}-${AWS::Region}'\n            - Local: !Ref Stage\nOutputs:\n  Role:\n    Value: !GetAtt FnRole.Arn\n";

    #[test]
    fn finds_every_reference_with_its_word() {
        let doc = parse_value(Lang::Yaml, T);
        let root = doc.value.expect("value");
        let index = Index::build(T, &root);
        assert!(index.sam && !index.open_world);
        let got: Vec<(RefKind, &str, &str, Option<&str>)> = index
            .refs
            .iter()
            .map(|r| {
                (
                    r.kind,
                    r.target.as_str(),
                    &T[r.span.clone()],
                    r.attr.as_ref().map(|(a, s)| {
                        assert_eq!(&T[s.clone()], a);
                        a.as_str()
                    }),
                )
            })
            .collect();
        assert!(
            got.contains(&(RefKind::Ref, "Stage", "Stage", None)),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::DependsOn, "Queue", "Queue", None)),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::Condition, "IsProd", "IsProd", None)),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::Ref, "Queue", "Queue", None)),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::GetAtt, "Queue", "Queue", Some("Arn"))),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::Sub, "Queue", "Queue", Some("Arn"))),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::Sub, "Stage", "Stage", None)),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::GetAtt, "Queue", "Queue", Some("QueueName"))),
            "{got:?}"
        );
        assert!(
            got.contains(&(RefKind::Sub, "AWS::Region", "AWS::Region", None)),
            "{got:?}"
        );
        assert!(
            !got.iter().any(|g| g.1 == "Local" || g.1 == "!Literal"),
            "{got:?}"
        );
        assert!(index.sam_generated("FnRole"));
        assert!(!index.sam_generated("Other"));
    }
}
