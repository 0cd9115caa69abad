//! Suppressions written in the checked file itself:
//! * a YAML comment `# lambda-ls: ignore[rule-id, …]` at the end of a line covers findings that start on that
//!   line; on a line of its own it covers the next line that is not blank or a comment;
//! * a template's `Metadata: {lambda-ls: {ignore: [rule-id]}}` on a resource covers findings inside that
//!   resource, and at the top level covers the whole template.
//!
//! JSON has no comments, so policies use `[[overrides]]` in `lambda-ls.toml`. Selectors are rule ids or
//! family prefixes (`iam/`). A selector that suppresses nothing is reported (`suppression/unused`), so stale
//! suppressions do not pile up; one that names no rule is reported too (`suppression/invalid`).
//!
//! Runs inside `workspace::analyze`, before the configuration's levels are applied, so editor and CI agree,
//! and a suppression of a rule that the configuration turns off still counts as used.

use crate::rules::{Edit, Finding, Fix, Rule, Severity};
use crate::text::Span;
use crate::workspace::{FileKind, Parsed};
use std::ops::Range;

pub static UNUSED: Rule = Rule {
    id: "suppression/unused",
    severity: Severity::Hint,
    summary: "a suppression that suppresses nothing",
    docs: "A `# lambda-ls: ignore[…]` comment or a `Metadata: {lambda-ls: {ignore: […]}}` entry names a rule that \
           reports nothing where the suppression applies. The problem was fixed or the rule moved on, and a \
           stale suppression would silently hide the next real finding there. Remove it (the quick fix does). \
           Raise this rule to `warning` in `lambda-ls.toml` to keep suppressions tidy in CI.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      # lambda-ls: ignore[function/unknown-runtime]\n      Runtime: python3.13\n      Handler: app.handler\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      # lambda-ls: ignore[function/unknown-runtime]\n      Runtime: python3.99\n      Handler: app.handler\n")],
};

pub static INVALID: Rule = Rule {
    id: "suppression/invalid",
    severity: Severity::Warning,
    summary: "a suppression that names no rule or cannot be read",
    docs: "A suppression must read `# lambda-ls: ignore[rule-id, …]` (or list rule ids under a resource's \
           `Metadata` → `lambda-ls` → `ignore`), and every id must be a rule (`iam/version`) or a family \
           prefix (`iam/`). A misspelt id suppresses nothing, so the finding it was meant for still shows up \
           and the typo would otherwise go unnoticed.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.99 # lambda-ls: ignore[function/unknown-runtim]\n      Handler: app.handler\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.99 # lambda-ls: ignore[function/unknown-runtime]\n      Handler: app.handler\n")],
};

pub static RULES: &[&Rule] = &[&INVALID, &UNUSED];

/// One selector of a suppression.
struct Selector {
    /// Canonical: a rule id or a prefix ending in `/`.
    selector: String,
    span: Span,
    used: bool,
}

enum Origin {
    /// A comment; `removal` deletes the whole comment (with its line when it stands alone), `list` is the
    /// text between the brackets.
    Comment {
        removal: Span,
        list: Span,
    },
    Metadata,
}

struct Suppression {
    /// Findings starting in this byte range are covered.
    covers: Range<usize>,
    selectors: Vec<Selector>,
    origin: Origin,
}

fn matches(rule: &str, selector: &str) -> bool {
    rule == selector || (selector.ends_with('/') && rule.starts_with(selector))
}

/// Removes suppressed findings from `out` and adds findings about the suppressions themselves.
pub fn apply(file: &Parsed, out: &mut Vec<Finding>) {
    let mut problems = Vec::new();
    let mut sups = Vec::new();
    if file.text.contains("lambda-ls") {
        if file.lang == Some(crate::syntax::Lang::Yaml) {
            comment_suppressions(file, &mut sups, &mut problems);
        }
        if file.kind == FileKind::Template {
            metadata_suppressions(file, &mut sups, &mut problems);
        }
    }
    if sups.is_empty() {
        out.extend(problems);
        return;
    }
    out.retain(|f| {
        if f.rule.starts_with("suppression/") {
            return true;
        }
        let mut suppressed = false;
        for s in sups.iter_mut() {
            if !(s.covers.start <= f.span.start && f.span.start <= s.covers.end) {
                continue;
            }
            for sel in s.selectors.iter_mut() {
                if matches(f.rule, &sel.selector) {
                    sel.used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    for s in &sups {
        let unused: Vec<&Selector> = s.selectors.iter().filter(|sel| !sel.used).collect();
        if unused.is_empty() {
            continue;
        }
        let fix = match &s.origin {
            Origin::Comment { removal, .. } if unused.len() == s.selectors.len() => Some(Fix {
                title: "Remove the unused suppression".into(),
                edits: vec![Edit {
                    path: None,
                    span: removal.clone(),
                    new_text: String::new(),
                }],
                preferred: true,
            }),
            Origin::Comment { list, .. } => {
                let kept: Vec<&str> = s
                    .selectors
                    .iter()
                    .filter(|sel| sel.used)
                    .map(|sel| &file.text[sel.span.clone()])
                    .collect();
                Some(Fix::replace(
                    "Remove the unused rule ids",
                    list.clone(),
                    kept.join(", "),
                ))
            }
            Origin::Metadata => None,
        };
        for sel in unused {
            let mut f = Finding::new(
                &UNUSED,
                sel.span.clone(),
                format!("unused suppression: no `{}` finding here", sel.selector),
            );
            f.unnecessary = true;
            if let Some(fix) = &fix {
                f.fixes.push(fix.clone());
            }
            out.push(f);
        }
    }
    out.extend(problems);
}

/// Reads a selector list (`a, b`) starting at byte `at` of the text.
fn selectors_in(list: &str, at: usize, problems: &mut Vec<Finding>) -> Vec<Selector> {
    let mut out = Vec::new();
    let mut offset = at;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let raw = part.trim();
        let span = offset + lead..offset + lead + raw.len();
        offset += part.len() + 1;
        if raw.is_empty() {
            continue;
        }
        match crate::config::settings::rule_selector(raw) {
            Some(selector) => out.push(Selector {
                selector,
                span,
                used: false,
            }),
            None => problems.push(unknown_rule(raw, span)),
        }
    }
    out
}

fn unknown_rule(raw: &str, span: Span) -> Finding {
    let all = crate::rules::all();
    let mut message = format!("`{raw}` is not a rule id or family");
    let best = crate::suggest::closest(raw, all.iter().map(|r| r.id), 1);
    if let Some(best) = best.first() {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    let mut f = Finding::new(&INVALID, span.clone(), message);
    if let Some(best) = best.first() {
        f = f.with_fix(Fix::replace(format!("Change to `{best}`"), span, *best));
    }
    f
}

/// Byte range of the line holding `offset`, without its line break.
fn line_at(text: &str, offset: usize) -> Range<usize> {
    let start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let end = if text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// Whether `offset` starts a comment in the syntax tree (not a `#` inside a string).
fn is_comment(file: &Parsed, offset: usize) -> bool {
    let Some(tree) = &file.tree else {
        return file.comments.iter().any(|c| c.start == offset);
    };
    tree.root_node()
        .descendant_for_byte_range(offset, offset + 1)
        .is_some_and(|n| n.kind() == "comment")
}

fn comment_suppressions(file: &Parsed, sups: &mut Vec<Suppression>, problems: &mut Vec<Finding>) {
    let text: &str = &file.text;
    let mut search = 0;
    while let Some(found) = text[search..].find("lambda-ls") {
        let at = search + found;
        search = at + "lambda-ls".len();
        let line = line_at(text, at);
        let Some(hash) = text[line.start..at].rfind('#').map(|i| line.start + i) else {
            continue;
        };
        let body = &text[hash + 1..line.end];
        let body_trimmed = body.trim_start();
        let Some(rest) = body_trimmed.strip_prefix("lambda-ls:") else {
            continue;
        };
        if !is_comment(file, hash) {
            continue;
        }
        let comment = hash..line.end;
        let after = rest.trim_start();
        let invalid = |msg: &str| Finding::new(&INVALID, comment.clone(), msg.to_string());
        let Some(list) = after.strip_prefix("ignore") else {
            problems.push(invalid(
                "suppressions read `# lambda-ls: ignore[rule-id, …]`",
            ));
            continue;
        };
        let list = list.trim_start();
        let list_at = line.end - list.len();
        let Some(inner) = list.strip_prefix('[') else {
            problems.push(invalid(
                "name the rules to ignore in brackets: `# lambda-ls: ignore[rule-id, …]`",
            ));
            continue;
        };
        let Some(close) = inner.find(']') else {
            problems.push(invalid("`]` missing at the end of the rule list"));
            continue;
        };
        let inner_at = list_at + 1;
        let selectors = selectors_in(&inner[..close], inner_at, problems);
        if selectors.is_empty() {
            if inner[..close].trim().is_empty() {
                problems.push(invalid("the rule list is empty"));
            }
            continue;
        }
        let before = &text[line.start..hash];
        let own_line = before.trim().is_empty();
        let (covers, removal) = if own_line {
            // Covers the next line with content; removing it removes its whole line.
            let mut next = line.end + 1;
            let covers = loop {
                if next >= text.len() {
                    break text.len()..text.len();
                }
                let l = line_at(text, next);
                let content = text[l.clone()].trim();
                if content.is_empty() || content.starts_with('#') {
                    next = l.end + 1;
                    continue;
                }
                break l;
            };
            (covers, line.start..(line.end + 1).min(text.len()))
        } else {
            let trimmed = before.trim_end();
            (line.clone(), line.start + trimmed.len()..line.end)
        };
        sups.push(Suppression {
            covers,
            selectors,
            origin: Origin::Comment {
                removal,
                list: inner_at..inner_at + close,
            },
        });
    }
}

fn metadata_suppressions(file: &Parsed, sups: &mut Vec<Suppression>, problems: &mut Vec<Finding>) {
    let Some(root) = file.root() else {
        return;
    };
    let mut scopes: Vec<(Range<usize>, &crate::syntax::Value)> = Vec::new();
    if let Some(meta) = root.get("Metadata") {
        scopes.push((0..file.text.len() + 1, meta));
    }
    for (key, res) in root
        .get("Resources")
        .and_then(|r| r.as_map())
        .unwrap_or_default()
    {
        if let Some(meta) = res.get("Metadata") {
            scopes.push((key.span.start..res.span.end, meta));
        }
    }
    for (covers, meta) in scopes {
        let Some((key, ours)) = meta.get_entry("lambda-ls") else {
            continue;
        };
        let Some(entries) = ours.as_map() else {
            if !ours.is_intrinsic() {
                problems.push(Finding::new(
                    &INVALID,
                    key.span.clone(),
                    "`lambda-ls` metadata must be a mapping such as `{ignore: [rule-id]}`",
                ));
            }
            continue;
        };
        let mut selectors = Vec::new();
        for (k, v) in entries {
            if k.text != "ignore" {
                problems.push(Finding::new(
                    &INVALID,
                    k.span.clone(),
                    format!(
                        "unknown `lambda-ls` metadata key `{}`; expected `ignore`",
                        k.text
                    ),
                ));
                continue;
            }
            for item in v.one_or_many() {
                match item.as_str() {
                    Some(id) => match crate::config::settings::rule_selector(id) {
                        Some(selector) => selectors.push(Selector {
                            selector,
                            span: item.span.clone(),
                            used: false,
                        }),
                        None => problems.push(unknown_rule(id, item.span.clone())),
                    },
                    None => problems.push(Finding::new(
                        &INVALID,
                        item.span.clone(),
                        "`ignore` lists rule ids as strings",
                    )),
                }
            }
        }
        if !selectors.is_empty() {
            sups.push(Suppression {
                covers,
                selectors,
                origin: Origin::Metadata,
            });
        }
    }
}
