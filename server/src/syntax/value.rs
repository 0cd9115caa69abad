//! The span-carrying value tree shared by JSON and YAML. Every checker reads this, never the syntax tree.

use crate::text::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The whole node in the source, quotes and tags included.
    pub span: Span,
    pub kind: ValueKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Map(Vec<(Key, Value)>),
    Seq(Vec<Value>),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    /// A CloudFormation intrinsic function, short (`!Sub`) or long (`Fn::Sub`) form alike. `name` is always
    /// the long name (`Ref`, `Condition`, `Fn::Sub`, …); `name_span` covers the tag or the key.
    Intrinsic {
        name: String,
        name_span: Span,
        arg: Box<Value>,
    },
}

/// The long names of the intrinsic functions CloudFormation understands.
pub const INTRINSICS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::And",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Contains",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::Equals",
    "Fn::FindInMap",
    "Fn::ForEach",
    "Fn::GetAZs",
    "Fn::GetAtt",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Length",
    "Fn::Not",
    "Fn::Or",
    "Fn::RefAll",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::ToJsonString",
    "Fn::Transform",
    "Fn::ValueOf",
    "Fn::ValueOfAll",
    "Fn::Implies",
];

/// Long name for a YAML short-form tag such as `!GetAtt` (without the `!`), if it is an intrinsic.
pub fn intrinsic_for_tag(tag: &str) -> Option<&'static str> {
    match tag {
        "Ref" => Some("Ref"),
        "Condition" => Some("Condition"),
        _ => INTRINSICS
            .iter()
            .find(|long| long.strip_prefix("Fn::") == Some(tag))
            .copied(),
    }
}

/// One step of a path from the root to a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
    /// Into the argument of an intrinsic function (named by its long name).
    Intrinsic(String),
}

impl Value {
    pub fn new(span: Span, kind: ValueKind) -> Self {
        Value { span, kind }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Value)]> {
        match &self.kind {
            ValueKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            ValueKind::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The intrinsic's long name and argument, if this is one.
    pub fn as_intrinsic(&self) -> Option<(&str, &Value)> {
        match &self.kind {
            ValueKind::Intrinsic { name, arg, .. } => Some((name, arg)),
            _ => None,
        }
    }

    pub fn is_intrinsic(&self) -> bool {
        matches!(self.kind, ValueKind::Intrinsic { .. })
    }

    /// A scalar as text: strings as they are, numbers and booleans as CloudFormation would stringify them.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            ValueKind::Str(s) => Some(s.clone()),
            ValueKind::Num(n) => Some(format_number(*n)),
            ValueKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Value of `key` in a map (exact, case-sensitive match as CloudFormation and IAM element names are).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_entry(key).map(|(_, v)| v)
    }

    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Value)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, v)| (k, v))
    }

    /// Follows a chain of map keys.
    pub fn get_path(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(self, |v, k| v.get(k))
    }

    /// A value that may be one item or a list of items (IAM `Action`, `Resource`, …), as a list.
    pub fn one_or_many(&self) -> Vec<&Value> {
        match &self.kind {
            ValueKind::Seq(items) => items.iter().collect(),
            _ => vec![self],
        }
    }

    /// The innermost nodes containing `offset`, outermost first, with the path to each. Keys count as part
    /// of their entry; the returned path's last segment names the key when the offset is on a key.
    pub fn nodes_at(&self, offset: usize) -> Vec<(Vec<PathSeg>, &Value)> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        let mut cur = self;
        loop {
            out.push((path.clone(), cur));
            let next = match &cur.kind {
                ValueKind::Map(entries) => entries
                    .iter()
                    .find(|(k, v)| contains(&k.span, offset) || contains(&v.span, offset))
                    .map(|(k, v)| (PathSeg::Key(k.text.clone()), v)),
                ValueKind::Seq(items) => items
                    .iter()
                    .enumerate()
                    .find(|(_, v)| contains(&v.span, offset))
                    .map(|(i, v)| (PathSeg::Index(i), v)),
                ValueKind::Intrinsic { name, arg, .. } if contains(&arg.span, offset) => {
                    Some((PathSeg::Intrinsic(name.clone()), arg.as_ref()))
                }
                _ => None,
            };
            match next {
                Some((seg, v)) if !std::ptr::eq(v, cur) => {
                    path.push(seg);
                    cur = v;
                }
                _ => break,
            }
        }
        out
    }

    /// The plain JSON this value denotes (intrinsics in their long `{"Fn::X": arg}` form).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            ValueKind::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.text.clone(), v.to_json()))
                    .collect(),
            ),
            ValueKind::Seq(items) => J::Array(items.iter().map(Value::to_json).collect()),
            ValueKind::Str(s) => J::String(s.clone()),
            ValueKind::Num(n) => serde_json::Number::from_f64(*n)
                .map(J::Number)
                .unwrap_or(J::Null),
            ValueKind::Bool(b) => J::Bool(*b),
            ValueKind::Null => J::Null,
            ValueKind::Intrinsic { name, arg, .. } => {
                let mut m = serde_json::Map::new();
                m.insert(name.clone(), arg.to_json());
                J::Object(m)
            }
        }
    }

    /// Number of nodes in this subtree (used to bound alias expansion).
    pub fn node_count(&self) -> usize {
        let mut count = 0;
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            count += 1;
            match &v.kind {
                ValueKind::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
                ValueKind::Seq(items) => stack.extend(items.iter()),
                ValueKind::Intrinsic { arg, .. } => stack.push(arg),
                _ => {}
            }
        }
        count
    }
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// Numbers as CloudFormation prints them: integers without a fractional part.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
