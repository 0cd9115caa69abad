//! What a policy string means once CloudFormation or the Serverless Framework has filled it in. Pseudo
//! parameters, `!Ref`, `!GetAtt`, `!Sub` variables and `${self:…}` variables the tool cannot know become
//! [`PLACEHOLDER`]s, which every check treats as "could be anything": unknown, never wrong.

use super::glob::PLACEHOLDER;
use crate::syntax::{Value, ValueKind};

/// How strings in a document are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// A plain JSON policy: strings are literal.
    Plain,
    /// Inside a CloudFormation/SAM template: intrinsics are resolved, plain strings are literal.
    CloudFormation,
    /// Inside serverless.yml: `${self:…}`-style variables are unknown; intrinsics too.
    Serverless,
    /// A JSON document written inside a `!Sub` string: `${Name}` are CloudFormation variables, `${!x}`
    /// is a literal `${x}`.
    SubText,
}

/// A resolved string: `text` with unknown parts replaced by [`PLACEHOLDER`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub text: String,
}

impl Resolved {
    /// True when nothing in it is unknown.
    pub fn exact(&self) -> bool {
        !self.text.contains(PLACEHOLDER)
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// Fully unknown (for example a whole `!GetAtt`).
    pub fn unknown(&self) -> bool {
        self.text.chars().all(|c| c == PLACEHOLDER)
    }
}

/// The string a value stands for, or `None` for non-strings (maps, lists, `AWS::NoValue`).
pub fn string(v: &Value, dialect: Dialect) -> Option<Resolved> {
    let text = match &v.kind {
        ValueKind::Str(s) => match dialect {
            Dialect::Plain => s.clone(),
            Dialect::CloudFormation => {
                // Templates produced by other tools carry their variables (`${self:…}`): unknown here.
                let s = if s.contains("${") {
                    replace_spans(s, "${", |inner| {
                        is_serverless_var(inner) && !inner.contains("::")
                    })
                } else {
                    s.clone()
                };
                if s.contains("{{resolve:") {
                    replace_dynamic_refs(&s)
                } else {
                    s
                }
            }
            Dialect::Serverless => serverless_vars(s),
            Dialect::SubText => sub(s, None, 0),
        },
        ValueKind::Num(_) | ValueKind::Bool(_) => v.scalar_text()?,
        // A plain JSON policy has no CloudFormation functions: such a map is just a wrong value.
        ValueKind::Intrinsic { .. } if dialect == Dialect::Plain => return None,
        ValueKind::Intrinsic { name, arg, .. } => intrinsic(name, arg, 0)?,
        _ => return None,
    };
    Some(Resolved { text })
}

/// Placeholder text for a whole unknown value.
fn unknown() -> String {
    PLACEHOLDER.to_string()
}

fn intrinsic(name: &str, arg: &Value, depth: usize) -> Option<String> {
    if depth > 8 {
        return Some(unknown());
    }
    match name {
        "Ref" => match arg.as_str() {
            Some("AWS::NoValue") => None,
            Some(p) => Some(pseudo(p).unwrap_or_else(unknown)),
            None => Some(unknown()),
        },
        "Fn::Sub" => match &arg.kind {
            ValueKind::Str(s) => Some(sub(s, None, depth)),
            ValueKind::Seq(items) => {
                let template = items.first().and_then(|t| t.as_str())?;
                Some(sub(template, items.get(1), depth))
            }
            _ => Some(unknown()),
        },
        "Fn::Join" => {
            let items = arg.as_seq()?;
            let delim = items.first().and_then(|d| d.as_str()).unwrap_or("");
            let Some(list) = items.get(1).and_then(|l| l.as_seq()) else {
                return Some(unknown());
            };
            let mut parts = Vec::new();
            for item in list {
                match &item.kind {
                    ValueKind::Intrinsic { name, arg, .. } => {
                        if let Some(s) = intrinsic(name, arg, depth + 1) {
                            parts.push(s);
                        }
                    }
                    _ => parts.push(item.scalar_text().unwrap_or_else(unknown)),
                }
            }
            Some(parts.join(delim))
        }
        "Fn::If" => {
            // Either branch may apply: equal branches are known, different ones are not.
            let items = arg.as_seq()?;
            let a = items.get(1).and_then(|b| branch(b, depth));
            let b = items.get(2).and_then(|b| branch(b, depth));
            match (a, b) {
                (Some(a), Some(b)) if a == b => Some(a),
                (None, None) => None,
                _ => Some(unknown()),
            }
        }
        _ => Some(unknown()),
    }
}

fn branch(v: &Value, depth: usize) -> Option<String> {
    match &v.kind {
        ValueKind::Intrinsic { name, arg, .. } => intrinsic(name, arg, depth + 1),
        _ => v.scalar_text(),
    }
}

/// Pseudo parameters whose value does not depend on where the stack is deployed.
fn pseudo(name: &str) -> Option<String> {
    match name {
        "AWS::URLSuffix" => Some("amazonaws.com".into()),
        _ => None,
    }
}

/// `!Sub` text: `${!x}` is the literal `${x}`; `${Name}` comes from the variable map or is unknown.
fn sub(template: &str, vars: Option<&Value>, depth: usize) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = &after[..end];
        if let Some(lit) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(lit);
            out.push('}');
        } else if let Some(v) = vars.and_then(|m| m.get(name)) {
            match &v.kind {
                ValueKind::Intrinsic { name, arg, .. } => {
                    out.push_str(&intrinsic(name, arg, depth + 1).unwrap_or_default())
                }
                _ => out.push_str(&v.scalar_text().unwrap_or_else(unknown)),
            }
        } else {
            out.push_str(&pseudo(name).unwrap_or_else(unknown));
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Variable sources the Serverless Framework resolves; anything else in `${…}` is left as written (an
/// IAM policy variable such as `${aws:username}`).
const SERVERLESS_SOURCES: &[&str] = &[
    "self:",
    "opt:",
    "env:",
    "sls:",
    "file(",
    "ssm:",
    "cf:",
    "cf(",
    "s3:",
    "param:",
    "aws:accountid",
    "aws:region",
    "strtobool(",
    "git:",
    "terraform:",
    "vault:",
];

fn is_serverless_var(inner: &str) -> bool {
    let l = inner.trim_start().to_ascii_lowercase();
    // `${s3:prefix}` is an IAM policy variable; `${s3:bucket/key}` a Serverless one.
    if l == "s3:prefix" || l == "s3:max-keys" || l == "s3:delimiter" {
        return false;
    }
    SERVERLESS_SOURCES.iter().any(|s| l.starts_with(s)) || l.starts_with("self") || !l.contains(':')
}

fn serverless_vars(s: &str) -> String {
    let s = if s.contains("#{") {
        // serverless-pseudo-parameters: `#{AWS::AccountId}`.
        replace_spans(s, "#{", |_| true)
    } else {
        s.to_string()
    };
    replace_spans(&s, "${", is_serverless_var)
}

fn replace_dynamic_refs(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("{{resolve:") {
        out.push_str(&rest[..i]);
        match rest[i..].find("}}") {
            Some(end) => {
                out.push(PLACEHOLDER);
                rest = &rest[i + end + 2..];
            }
            None => {
                out.push(PLACEHOLDER);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces `open…}` spans (with nested braces) whose inner text satisfies `pred` by a placeholder.
fn replace_spans(s: &str, open: &str, pred: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let body = &rest[i + open.len()..];
        let mut depth = 1;
        let mut end = None;
        for (j, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        match end {
            Some(j) if pred(&body[..j]) => {
                out.push(PLACEHOLDER);
                rest = &body[j + 1..];
            }
            Some(j) => {
                out.push_str(&rest[i..i + open.len() + j + 1]);
                rest = &body[j + 1..];
            }
            None => {
                out.push(PLACEHOLDER);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_value, Lang};

    fn yaml(text: &str) -> Value {
        parse_value(Lang::Yaml, text).value.expect("value")
    }

    fn res(text: &str, d: Dialect) -> String {
        let v = yaml(text);
        string(v.get("v").expect("v"), d)
            .expect("string")
            .text
            .replace(PLACEHOLDER, "?")
    }

    #[test]
    fn intrinsics_become_placeholders() {
        let cfn = Dialect::CloudFormation;
        assert_eq!(
            res("v: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'", cfn),
            "arn:?:s3:::?/*"
        );
        assert_eq!(res("v: !GetAtt T.Arn", cfn), "?");
        assert_eq!(
            res("v: !Join ['', ['arn:aws:s3:::', !Ref B, '/*']]", cfn),
            "arn:aws:s3:::?/*"
        );
        assert_eq!(
            res("v: !Sub ['arn:aws:s3:::${b}', {b: my-bucket}]", cfn),
            "arn:aws:s3:::my-bucket"
        );
        assert_eq!(
            res("v: !Sub 'arn:aws:s3:::b/${!aws:username}'", cfn),
            "arn:aws:s3:::b/${aws:username}"
        );
        // Another tool's variable in a template is unknown; an IAM policy variable stays.
        assert_eq!(res("v: plain${self:custom.x}", cfn), "plain?");
        assert_eq!(res("v: home/${aws:username}", cfn), "home/${aws:username}");
    }

    #[test]
    fn serverless_variables_are_unknown_but_policy_variables_stay() {
        let sls = Dialect::Serverless;
        assert_eq!(
            res("v: 'arn:aws:s3:::${self:custom.bucket}/*'", sls),
            "arn:aws:s3:::?/*"
        );
        assert_eq!(
            res("v: 'arn:aws:s3:::b/${aws:username}/*'", sls),
            "arn:aws:s3:::b/${aws:username}/*"
        );
        assert_eq!(
            res("v: 'arn:aws:dynamodb:${opt:region, self:provider.region}:*:table/${self:service}-${sls:stage}'", sls),
            "arn:aws:dynamodb:?:*:table/?-?"
        );
        assert_eq!(
            res("v: 'arn:aws:sqs:#{AWS::Region}:x'", sls),
            "arn:aws:sqs:?:x"
        );
    }
}
