//! References to nothing: a `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn`, condition or mapping
//! name that the template does not define, and `Fn::GetAtt` attributes the resource type does not have.

use super::refs::{DefKind, Index, RefKind, Reference, PSEUDO_PARAMETERS};
use crate::function::data;
use crate::rules::{Finding, Fix, Rule, Severity};
use crate::workspace::{Ctx, FileKind};

pub static UNKNOWN_REFERENCE: Rule = Rule {
    id: "template/unknown-reference",
    severity: Severity::Error,
    summary: "a reference to a logical id the template does not define",
    docs: "A `Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, `DependsOn`, condition or `Fn::FindInMap` names \
           something the template does not define (or something of the wrong kind: `Fn::GetAtt` and \
           `DependsOn` need a resource), so CloudFormation rejects the template. Resources that the SAM \
           transform generates (`<Function>Role`, `ServerlessRestApi`, …) count as defined; templates with \
           other transforms or `Fn::ForEach` are not judged. The quick fix offers the closest id.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Queu.QueueName\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Queue.QueueName\n")],
};

pub static UNKNOWN_ATTRIBUTE: Rule = Rule {
    id: "template/unknown-attribute",
    severity: Severity::Error,
    summary: "`Fn::GetAtt` asks for an attribute the resource type does not have",
    docs: "The resource type has no such attribute, so CloudFormation rejects the template. Attribute names \
           come from the resource schemas embedded from cfn-lint (read-only properties plus cfn-lint's own \
           additions); custom resources and nested stack outputs accept any name.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Queue.Url\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Queue.QueueUrl\n")],
};

pub static INVALID_LOGICAL_ID: Rule = Rule {
    id: "template/invalid-logical-id",
    severity: Severity::Error,
    summary: "a logical id that is not alphanumeric",
    docs: "CloudFormation logical ids (resources, parameters, conditions, mappings, outputs) take ASCII \
           letters and digits only, at most 255 characters; `-`, `_` and dots are rejected.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  my-queue:\n    Type: AWS::SQS::Queue\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  MyQueue:\n    Type: AWS::SQS::Queue\n")],
};

pub static RULES: &[&Rule] = &[&UNKNOWN_REFERENCE, &UNKNOWN_ATTRIBUTE, &INVALID_LOGICAL_ID];

pub fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    if ctx.file.kind != FileKind::Template {
        return;
    }
    let Some(root) = ctx.root() else {
        return;
    };
    let index = Index::build(ctx.text(), root);
    for d in &index.defs {
        let ok = !d.id.is_empty()
            && d.id.len() <= 255
            && d.id.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok {
            let fixed: String = d.id.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            let mut f = Finding::new(
                &INVALID_LOGICAL_ID,
                d.key_span.clone(),
                format!(
                    "`{}` is not a valid logical id: use letters and digits only",
                    d.id
                ),
            );
            if !fixed.is_empty() && index.def(&fixed).is_none() {
                f = f.with_fix(Fix::replace(
                    format!("Rename to `{fixed}`"),
                    d.key_span.clone(),
                    fixed,
                ));
            }
            out.push(f);
        }
    }
    if index.open_world {
        return;
    }
    for r in &index.refs {
        check_reference(&index, r, out);
    }
}

fn is_pseudo(id: &str) -> bool {
    PSEUDO_PARAMETERS.iter().any(|(p, _)| *p == id)
}

fn check_reference(index: &Index, r: &Reference, out: &mut Vec<Finding>) {
    if r.target.contains("${") || r.target.is_empty() {
        return;
    }
    if matches!(r.kind, RefKind::Ref | RefKind::Sub) && is_pseudo(&r.target) {
        return;
    }
    if let Some(def) = index.target(r) {
        if r.kind == RefKind::Ref && r.attr.is_some() && !index.sam {
            out.push(Finding::new(
                &UNKNOWN_REFERENCE,
                r.span.start..r.attr.as_ref().map_or(r.span.end, |(_, s)| s.end),
                format!(
                    "`Ref` takes a logical id, not `{}.{}`: use `Fn::GetAtt` for an attribute",
                    r.target,
                    r.attr.as_ref().map_or("", |(a, _)| a.as_str())
                ),
            ));
            return;
        }
        if matches!(r.kind, RefKind::GetAtt | RefKind::Sub) {
            if let (Some((attr, span)), Some(ty)) = (&r.attr, def.type_name) {
                check_attribute(&r.target, ty, attr, span, out);
            }
        }
        return;
    }
    if index.sam_generated(&r.target) {
        return;
    }
    let wanted: &[DefKind] = match r.kind {
        RefKind::Ref | RefKind::Sub => &[DefKind::Resource, DefKind::Parameter],
        RefKind::GetAtt | RefKind::DependsOn => &[DefKind::Resource],
        RefKind::Condition => &[DefKind::Condition],
        RefKind::FindInMap => &[DefKind::Mapping],
    };
    let what = match r.kind {
        RefKind::Ref | RefKind::Sub => "resource or parameter",
        RefKind::GetAtt | RefKind::DependsOn => "resource",
        RefKind::Condition => "condition",
        RefKind::FindInMap => "mapping",
    };
    // Defined, but as the wrong kind (`Fn::GetAtt` of a parameter, `DependsOn` an output, …).
    if let Some(other) = index.def(&r.target) {
        out.push(Finding::new(
            &UNKNOWN_REFERENCE,
            r.span.clone(),
            format!(
                "{} needs a {what}, but `{}` is defined in `{}`",
                r.kind.describe(),
                r.target,
                other.kind.section()
            ),
        ));
        return;
    }
    let mut candidates: Vec<&str> = index
        .defs
        .iter()
        .filter(|d| wanted.contains(&d.kind))
        .map(|d| d.id.as_str())
        .collect();
    if matches!(r.kind, RefKind::Ref | RefKind::Sub) {
        candidates.extend(PSEUDO_PARAMETERS.iter().map(|(p, _)| *p));
    }
    let suggestions = crate::suggest::closest(&r.target, candidates.iter().copied(), 3);
    let mut message = format!(
        "{} refers to `{}`, which is not a {what} of this template",
        r.kind.describe(),
        r.target
    );
    if let Some(s) = suggestions.first() {
        message.push_str(&format!("; did you mean `{s}`?"));
    }
    let mut f = Finding::new(&UNKNOWN_REFERENCE, r.span.clone(), message);
    for (i, s) in suggestions.iter().enumerate() {
        f.fixes.push(Fix {
            preferred: i == 0,
            ..Fix::replace(format!("Change to `{s}`"), r.span.clone(), s.to_string())
        });
    }
    out.push(f);
}

/// Whether `attr` is one of the type's attributes; `*` in a table entry matches any text.
pub fn has_attribute(resource_type: &str, attr: &str) -> Option<bool> {
    if resource_type.starts_with("Custom::")
        || resource_type == "AWS::CloudFormation::CustomResource"
        || !data::is_known_type(resource_type)
    {
        return None;
    }
    let names = data::attributes(resource_type);
    if names.is_empty() {
        return None;
    }
    Some(names.iter().any(|n| glob(n, attr)))
}

/// `*` matches one or more characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (1..=rest.len()).any(|i| rest.is_char_boundary(i) && glob(tail, &rest[i..]))
        }
    }
}

fn check_attribute(
    id: &str,
    ty: &str,
    attr: &str,
    span: &crate::text::Span,
    out: &mut Vec<Finding>,
) {
    if attr.contains("${") || has_attribute(ty, attr) != Some(false) {
        return;
    }
    // SAM resource references: `Function.Version.FunctionArn`, `Api.Stage`, … reach generated resources.
    if ty.starts_with("AWS::Serverless::") && attr.contains('.') {
        return;
    }
    let names: Vec<&str> = data::attributes(ty)
        .iter()
        .map(String::as_str)
        .filter(|n| !n.contains('*'))
        .collect();
    let suggestions = crate::suggest::closest(attr, names.iter().copied(), 3);
    let mut message = format!("`{id}` ({ty}) has no attribute `{attr}`");
    if let Some(s) = suggestions.first() {
        message.push_str(&format!("; did you mean `{s}`?"));
    } else if names.len() <= 8 {
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        message.push_str(&format!(" (it has {})", list.join(", ")));
    }
    let mut f = Finding::new(&UNKNOWN_ATTRIBUTE, span.clone(), message);
    for (i, s) in suggestions.iter().enumerate() {
        f.fixes.push(Fix {
            preferred: i == 0,
            ..Fix::replace(format!("Change to `{s}`"), span.clone(), s.to_string())
        });
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_patterns() {
        assert!(glob("Outputs.*", "Outputs.Url"));
        assert!(!glob("Outputs.*", "Outputs."));
        assert!(!glob("Outputs.*", "Output"));
        assert!(glob("A.*.B", "A.0.B"));
        assert!(glob("Arn", "Arn"));
        assert_eq!(has_attribute("AWS::SQS::Queue", "Arn"), Some(true));
        assert_eq!(has_attribute("AWS::SQS::Queue", "Url"), Some(false));
        assert_eq!(
            has_attribute("AWS::CloudFormation::Stack", "Outputs.X"),
            Some(true)
        );
        assert_eq!(has_attribute("Custom::Thing", "Anything"), None);
        assert_eq!(has_attribute("AWS::Nope::Nope", "Arn"), None);
    }
}
