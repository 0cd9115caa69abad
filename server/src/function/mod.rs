//! Lambda function configuration: SAM, CloudFormation and serverless.yml models and their checks.

pub mod model;
pub mod runtimes;

use crate::rules::{Finding, Fix, Rule, Severity};
use crate::syntax::Value;
use crate::workspace::{Ctx, FileKind};

pub static UNKNOWN_RUNTIME: Rule = Rule {
    id: "function/unknown-runtime",
    severity: Severity::Error,
    summary: "`Runtime` is not a Lambda runtime identifier",
    docs: "The function's `Runtime` is not one of the identifiers Lambda knows (`python3.13`, `nodejs22.x`, \
           `provided.al2023`, …), so the deployment fails. The list comes from the Lambda API model and \
           CloudFormation's schema, embedded with their versions.",
    bad: &[("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.99\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n")],
    good: &[("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n")],
};

pub static RULES: &[&Rule] = &[&UNKNOWN_RUNTIME];

pub fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    for value in runtime_values(ctx) {
        check_runtime(value, out);
    }
}

/// Every `Runtime` value a file sets: function resources, SAM `Globals`, serverless.yml provider and
/// functions.
fn runtime_values<'a>(ctx: &'a Ctx) -> Vec<&'a Value> {
    let Some(root) = ctx.root() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match ctx.file.kind {
        FileKind::Template => {
            if let Some(v) = root.get_path(&["Globals", "Function", "Runtime"]) {
                out.push(v);
            }
            for (_, res) in root
                .get("Resources")
                .and_then(|r| r.as_map())
                .unwrap_or_default()
            {
                let ty = res.get("Type").and_then(|t| t.as_str());
                if matches!(
                    ty,
                    Some("AWS::Lambda::Function" | "AWS::Serverless::Function")
                ) {
                    if let Some(v) = res.get_path(&["Properties", "Runtime"]) {
                        out.push(v);
                    }
                }
            }
        }
        FileKind::Serverless => {
            if let Some(v) = root.get_path(&["provider", "runtime"]) {
                out.push(v);
            }
            for (_, f) in root
                .get("functions")
                .and_then(|r| r.as_map())
                .unwrap_or_default()
            {
                if let Some(v) = f.get("runtime") {
                    out.push(v);
                }
            }
        }
        _ => {}
    }
    out
}

fn check_runtime(value: &Value, out: &mut Vec<Finding>) {
    // Intrinsics, parameters and `${…}` variables are unknown, never wrong.
    let Some(id) = value.as_str() else {
        return;
    };
    if id.contains("${") || runtimes::get(id).is_some() {
        return;
    }
    let today = crate::date::Date::today();
    let mut suggestions =
        crate::suggest::closest(id, runtimes::all().iter().map(|r| r.id.as_str()), 8);
    // `nodejs22` most likely means `nodejs22.x`, and a supported runtime beats a retired one.
    suggestions.sort_by_key(|s| {
        let retired = runtimes::get(s)
            .and_then(|r| r.deprecated_on())
            .is_some_and(|d| d <= today);
        (!s.starts_with(id), retired)
    });
    suggestions.truncate(3);
    let mut message = format!("`{id}` is not a Lambda runtime");
    if let Some(best) = suggestions.first() {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    let mut finding = Finding::new(&UNKNOWN_RUNTIME, value.span.clone(), message);
    for s in suggestions {
        finding.fixes.push(Fix {
            preferred: finding.fixes.is_empty(),
            ..Fix::replace(format!("Change to `{s}`"), value.span.clone(), s)
        });
    }
    out.push(finding);
}
