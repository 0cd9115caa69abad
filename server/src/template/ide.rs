//! Editor features over logical ids: go-to-definition and references of `Ref`, `Fn::GetAtt`, `${…}` in
//! `Fn::Sub`, `DependsOn`, conditions and mappings; completion of ids (and `Fn::GetAtt` attribute names);
//! document symbols for templates and serverless.yml files.

use super::cursor::{self, Slot};
use super::refs::{DefKind, Index, RefKind, PSEUDO_PARAMETERS};
use crate::function::data;
use crate::ide::{CompletionItem, CompletionKind, Location, Symbol, SymbolKind};
use crate::syntax::{Value, ValueKind};
use crate::text::Span;
use crate::workspace::{Env, FileKind, Parsed};

fn index(file: &Parsed) -> Option<Index<'_>> {
    if file.kind != FileKind::Template {
        return None;
    }
    Some(Index::build(&file.text, file.root()?))
}

pub fn definition(file: &Parsed, offset: usize, _env: &Env) -> Vec<Location> {
    let Some(index) = index(file) else {
        return Vec::new();
    };
    let Some(r) = index.reference_at(offset) else {
        return Vec::new();
    };
    index
        .target(r)
        .map(|d| Location {
            path: file.path.clone(),
            span: d.key_span.clone(),
        })
        .into_iter()
        .collect()
}

/// Every use of the id under the cursor (on a reference or on its definition), the definition first.
pub fn references(file: &Parsed, offset: usize, _env: &Env) -> Vec<Location> {
    let Some(index) = index(file) else {
        return Vec::new();
    };
    let Some((id, _)) = index.id_at(offset) else {
        return Vec::new();
    };
    let kind_of_def = index.def(id).map(|d| d.kind);
    let mut out: Vec<Location> = index
        .def(id)
        .map(|d| Location {
            path: file.path.clone(),
            span: d.key_span.clone(),
        })
        .into_iter()
        .collect();
    for r in &index.refs {
        if r.target != id {
            continue;
        }
        // A condition and a resource may share a name: keep the references of the same kind.
        let same_kind = match (kind_of_def, r.kind) {
            (Some(DefKind::Condition), k) => k == RefKind::Condition,
            (Some(DefKind::Mapping), k) => k == RefKind::FindInMap,
            (Some(_), k) => !matches!(k, RefKind::Condition | RefKind::FindInMap),
            (None, _) => true,
        };
        if same_kind {
            out.push(Location {
                path: file.path.clone(),
                span: r.span.clone(),
            });
        }
    }
    out
}

/// Hover over a reference: what it points at (a resource's type, a parameter's type and description, a
/// pseudo parameter), and for `Fn::GetAtt` the attribute.
pub fn hover(file: &Parsed, offset: usize, _env: &Env) -> Option<crate::ide::Hover> {
    let index = index(file)?;
    let r = index.reference_at(offset)?;
    let on_attr = r
        .attr
        .as_ref()
        .filter(|(_, s)| span_contains(s, offset))
        .map(|(a, s)| (a.clone(), s.clone()));
    let span = on_attr.as_ref().map_or(r.span.clone(), |(_, s)| s.clone());
    let markdown = if let Some((_, doc)) = PSEUDO_PARAMETERS.iter().find(|(p, _)| *p == r.target) {
        format!("**{}** (pseudo parameter)\n\n{doc}", r.target)
    } else if let Some(d) = index.target(r) {
        let mut md = format!("**{}** ({}", d.id, singular(d.kind));
        if let Some(t) = d.type_name {
            md.push_str(&format!(" · `{t}`"));
        }
        md.push(')');
        if let Some(desc) = d.node.get("Description").and_then(|v| v.as_str()) {
            md.push_str(&format!("\n\n{desc}"));
        }
        if let (Some((attr, _)), Some(t)) = (&on_attr, d.type_name) {
            let known = super::check::has_attribute(t, attr);
            md.push_str(&format!(
                "\n\nAttribute `{attr}`{}",
                match known {
                    Some(true) => "",
                    Some(false) => ": not an attribute of this type",
                    None => "",
                }
            ));
        }
        md
    } else if index.sam_generated(&r.target) {
        format!("**{}**: a resource the SAM transform generates", r.target)
    } else {
        return None;
    };
    Some(crate::ide::Hover { markdown, span })
}

/// What kind of id is being typed at the cursor.
#[derive(Debug, PartialEq)]
enum Want {
    /// `Ref` and `${…}`: resources, parameters and pseudo parameters.
    RefTarget,
    /// `Fn::GetAtt` and `DependsOn`: resources.
    Resource {
        getatt: bool,
    },
    /// An attribute of a resource (`!GetAtt Res.|`, `${Res.|}`).
    Attribute(String),
    Condition,
}

/// The intrinsic context on the cursor's line: what to complete and the word to replace.
fn want_at(text: &str, offset: usize) -> Option<(Want, Span)> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let word_len = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
        .map(char::len_utf8)
        .sum::<usize>();
    let word = &before[before.len() - word_len..];
    let head = before[..before.len() - word_len].trim_end_matches([' ', '"', '\'']);
    let after_len = text[offset..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
        .map(char::len_utf8)
        .sum::<usize>();
    let word_start = offset - word_len;
    let word_end = offset + after_len;
    // `${Res.Attr` inside a Sub string.
    if let Some(open) = before.rfind("${") {
        if !before[open..].contains('}') && !before[open + 2..].starts_with('!') {
            let inner = &before[open + 2..];
            let start = line_start + open + 2;
            return Some(match inner.split_once('.') {
                Some((res, _)) => (
                    Want::Attribute(res.to_string()),
                    start + res.len() + 1..word_end,
                ),
                None => (Want::RefTarget, start..word_end),
            });
        }
    }
    let is = |tags: &[&str]| tags.iter().any(|t| head.ends_with(t));
    if is(&["!Ref", "Ref:", "\"Ref\":"]) {
        return Some((Want::RefTarget, word_start..word_end));
    }
    if is(&[
        "!GetAtt",
        "Fn::GetAtt:",
        "\"Fn::GetAtt\":",
        "!GetAtt [",
        "Fn::GetAtt: [",
    ]) {
        return Some(match word.split_once('.') {
            Some((res, _)) => (
                Want::Attribute(res.to_string()),
                word_start + res.len() + 1..word_end,
            ),
            None => (Want::Resource { getatt: true }, word_start..word_end),
        });
    }
    if is(&["!Condition", "Condition:", "!If [", "Fn::If: ["]) {
        return Some((Want::Condition, word_start..word_end));
    }
    None
}

pub fn completion(file: &Parsed, offset: usize, _env: &Env) -> Vec<CompletionItem> {
    let Some(index) = index(file) else {
        return Vec::new();
    };
    if offset > file.text.len() || !file.text.is_char_boundary(offset) {
        return Vec::new();
    }
    let want = want_at(&file.text, offset).or_else(|| {
        // `DependsOn: Fo|` or `- Fo|` under `DependsOn`.
        let c = cursor::at(&file.text, offset)?;
        match c.slot {
            Slot::Value { key, .. } if key == "DependsOn" => {
                Some((Want::Resource { getatt: false }, c.replace))
            }
            _ => None,
        }
    });
    let Some((want, replace)) = want else {
        return resource_level(file, offset);
    };
    let mut out = Vec::new();
    match want {
        Want::RefTarget | Want::Resource { .. } | Want::Condition => {
            let kinds: &[DefKind] = match want {
                Want::RefTarget => &[DefKind::Parameter, DefKind::Resource],
                Want::Condition => &[DefKind::Condition],
                _ => &[DefKind::Resource],
            };
            for d in index.defs.iter().filter(|d| kinds.contains(&d.kind)) {
                // Not the resource being edited itself.
                if d.kind == DefKind::Resource && span_contains(&d.node.span, offset) {
                    continue;
                }
                let mut item =
                    CompletionItem::new(d.id.clone(), CompletionKind::Reference, replace.clone());
                item.detail = Some(match d.type_name {
                    Some(t) => format!("{} · {t}", singular(d.kind)),
                    None => singular(d.kind).to_string(),
                });
                item.sort_text = Some(format!("{}{}", sort_rank(d.kind), d.id));
                if let Some(desc) = d.node.get("Description").and_then(|v| v.as_str()) {
                    item.documentation = Some(desc.to_string());
                }
                out.push(item);
            }
            if want == Want::RefTarget {
                for (p, doc) in PSEUDO_PARAMETERS {
                    let mut item =
                        CompletionItem::new(*p, CompletionKind::Constant, replace.clone());
                    item.detail = Some("pseudo parameter".into());
                    item.documentation = Some((*doc).to_string());
                    item.sort_text = Some(format!("9{p}"));
                    out.push(item);
                }
            }
        }
        Want::Attribute(res) => {
            let Some(ty) = index
                .def(&res)
                .filter(|d| d.kind == DefKind::Resource)
                .and_then(|d| d.type_name)
            else {
                return out;
            };
            for a in data::attributes(ty) {
                if a.contains('*') {
                    continue;
                }
                let mut item =
                    CompletionItem::new(a.clone(), CompletionKind::Property, replace.clone());
                item.detail = Some(format!("attribute of {ty}"));
                out.push(item);
            }
        }
    }
    out
}

/// Resource attributes (`Type`, `Properties`, `DependsOn`, …), resource types and deletion policies.
fn resource_level(file: &Parsed, offset: usize) -> Vec<CompletionItem> {
    if file.lang != Some(crate::syntax::Lang::Yaml) {
        return Vec::new();
    }
    let Some(c) = cursor::at(&file.text, offset) else {
        return Vec::new();
    };
    let at_resource = matches!(c.path.as_slice(), [super::cursor::Seg::Key(r), super::cursor::Seg::Key(_)] if r == "Resources");
    if !at_resource {
        return Vec::new();
    }
    let lead = if file.text[..c.replace.start].ends_with(':') {
        " "
    } else {
        ""
    };
    let item = |label: &str, kind: CompletionKind, detail: &str, insert: String| {
        let mut i = CompletionItem::new(label, kind, c.replace.clone());
        i.detail = Some(detail.to_string());
        i.insert_text = insert;
        i.filter_text = Some(label.to_string());
        i
    };
    match &c.slot {
        Slot::Key => [
            ("Type", "the resource type"),
            ("Properties", "the resource's properties"),
            ("DependsOn", "resources created first"),
            ("Condition", "create only when the condition is true"),
            ("Metadata", "data about the resource"),
            ("DeletionPolicy", "keep or snapshot on stack deletion"),
            ("UpdateReplacePolicy", "keep or snapshot on replacement"),
            ("IgnoreGlobals", "SAM: properties not taken from Globals"),
        ]
        .iter()
        .map(|(k, d)| item(k, CompletionKind::Keyword, d, format!("{k}: ")))
        .collect(),
        Slot::Value { key, .. } if key == "Type" => data::resource_types()
            .into_iter()
            .map(|t| {
                item(
                    t,
                    CompletionKind::Module,
                    "resource type",
                    format!("{lead}{t}"),
                )
            })
            .collect(),
        Slot::Value { key, .. } if key == "DeletionPolicy" || key == "UpdateReplacePolicy" => {
            ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]
                .iter()
                .map(|v| item(v, CompletionKind::EnumMember, key, format!("{lead}{v}")))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn span_contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

fn singular(kind: DefKind) -> &'static str {
    match kind {
        DefKind::Resource => "resource",
        DefKind::Parameter => "parameter",
        DefKind::Condition => "condition",
        DefKind::Mapping => "mapping",
        DefKind::Output => "output",
    }
}

fn sort_rank(kind: DefKind) -> u8 {
    match kind {
        DefKind::Parameter => 1,
        DefKind::Resource => 2,
        _ => 3,
    }
}

/// The outline of a template (sections, resources with their events and policies) or a serverless.yml
/// (functions with their events, provider, resources).
pub fn symbols(file: &Parsed, _env: &Env) -> Vec<Symbol> {
    let Some(root) = file.root() else {
        return Vec::new();
    };
    match file.kind {
        FileKind::Template => template_symbols(root),
        FileKind::Serverless => serverless_symbols(root),
        _ => Vec::new(),
    }
}

fn entry_symbol(
    key: &crate::syntax::Key,
    value: &Value,
    kind: SymbolKind,
    detail: Option<String>,
) -> Symbol {
    Symbol {
        name: key.text.clone(),
        detail,
        kind,
        span: key.span.start..value.span.end.max(key.span.end),
        selection: key.span.clone(),
        children: Vec::new(),
    }
}

fn template_symbols(root: &Value) -> Vec<Symbol> {
    let mut out = Vec::new();
    for (key, section) in root.as_map().unwrap_or_default() {
        let children: Vec<Symbol> = match key.text.as_str() {
            "Resources" => section
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| resource_symbol(k, v))
                .collect(),
            "Parameters" | "Conditions" | "Mappings" | "Outputs" => section
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| {
                    let detail = v.get("Type").and_then(|t| t.as_str()).map(str::to_string);
                    entry_symbol(k, v, SymbolKind::Key, detail)
                })
                .collect(),
            "Globals" => section
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| entry_symbol(k, v, SymbolKind::Object, None))
                .collect(),
            _ => continue,
        };
        let mut s = entry_symbol(key, section, SymbolKind::Module, None);
        s.children = children;
        out.push(s);
    }
    out
}

fn resource_symbol(key: &crate::syntax::Key, res: &Value) -> Symbol {
    let ty = res.get("Type").and_then(|t| t.as_str());
    let kind = match ty {
        Some("AWS::Lambda::Function" | "AWS::Serverless::Function") => SymbolKind::Function,
        _ => SymbolKind::Object,
    };
    let mut s = entry_symbol(key, res, kind, ty.map(str::to_string));
    let props = res.get("Properties");
    // Function events.
    for (k, ev) in props
        .and_then(|p| p.get("Events"))
        .and_then(|e| e.as_map())
        .unwrap_or_default()
    {
        let detail = ev.get("Type").and_then(|t| t.as_str()).map(str::to_string);
        s.children
            .push(entry_symbol(k, ev, SymbolKind::Event, detail));
    }
    // Inline policies of roles, SAM function policies, policy documents of policy resources.
    if let Some(policies) = props.and_then(|p| p.get("Policies")) {
        match &policies.kind {
            ValueKind::Seq(items) => {
                for (i, p) in items.iter().enumerate() {
                    let name = p
                        .get("PolicyName")
                        .and_then(|n| n.as_str())
                        .map(str::to_string)
                        .or_else(|| p.as_str().map(str::to_string))
                        .or_else(|| {
                            p.as_map()
                                .and_then(|m| m.first())
                                .map(|(k, _)| k.text.clone())
                        })
                        .unwrap_or_else(|| format!("policy {}", i + 1));
                    s.children.push(Symbol {
                        name,
                        detail: Some("policy".into()),
                        kind: SymbolKind::Property,
                        span: p.span.clone(),
                        selection: p.span.clone(),
                        children: Vec::new(),
                    });
                }
            }
            _ => {
                if let Some((k, _)) = props.and_then(|p| p.get_entry("Policies")) {
                    s.children.push(entry_symbol(
                        k,
                        policies,
                        SymbolKind::Property,
                        Some("policy".into()),
                    ));
                }
            }
        }
    }
    for name in ["PolicyDocument", "AssumeRolePolicyDocument"] {
        if let Some((k, v)) = props.and_then(|p| p.get_entry(name)) {
            s.children.push(entry_symbol(
                k,
                v,
                SymbolKind::Property,
                Some("policy document".into()),
            ));
        }
    }
    s
}

fn serverless_symbols(root: &Value) -> Vec<Symbol> {
    let mut out = Vec::new();
    for (key, section) in root.as_map().unwrap_or_default() {
        match key.text.as_str() {
            "functions" => {
                let mut s = entry_symbol(key, section, SymbolKind::Module, None);
                for (k, f) in section.as_map().unwrap_or_default() {
                    let detail = f
                        .get("handler")
                        .and_then(|h| h.as_str())
                        .map(str::to_string);
                    let mut fs = entry_symbol(k, f, SymbolKind::Function, detail);
                    for ev in f.get("events").and_then(|e| e.as_seq()).unwrap_or_default() {
                        if let Some((ek, ev_value)) = ev.as_map().and_then(|m| m.first()) {
                            fs.children
                                .push(entry_symbol(ek, ev_value, SymbolKind::Event, None));
                        }
                    }
                    s.children.push(fs);
                }
                out.push(s);
            }
            "provider" | "custom" | "plugins" | "package" | "layers" => {
                out.push(entry_symbol(key, section, SymbolKind::Module, None));
            }
            "resources" => {
                let mut s = entry_symbol(key, section, SymbolKind::Module, None);
                for (k, r) in section
                    .get("Resources")
                    .and_then(|r| r.as_map())
                    .unwrap_or_default()
                {
                    s.children.push(resource_symbol(k, r));
                }
                out.push(s);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_attributes_and_types() {
        use crate::config::Config;
        use crate::workspace::{parse, Files};
        let complete = |src: &str| {
            let offset = src.find('|').unwrap_or(0);
            let text = src.replacen('|', "", 1);
            let file = parse(
                std::path::Path::new("/p/template.yaml"),
                std::sync::Arc::from(text.as_str()),
                None,
            );
            let config = Config::default();
            let files = Files::new();
            let env = Env {
                config: &config,
                files: &files,
            };
            completion(&file, offset, &env)
                .into_iter()
                .map(|i| i.label)
                .collect::<Vec<_>>()
        };
        let got = complete("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Fun|\n");
        assert!(
            got.contains(&"AWS::Lambda::Function".to_string())
                && got.contains(&"AWS::Serverless::Function".to_string())
        );
        let got = complete("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::SQS::Queue\n    Dep|\n");
        assert!(got.contains(&"DependsOn".to_string()));
    }

    #[test]
    fn intrinsic_contexts() {
        let w = |s: &str| {
            let o = s.find('|').unwrap_or(0);
            let t = s.replacen('|', "", 1);
            want_at(&t, o).map(|(w, span)| (w, t[span].to_string()))
        };
        assert_eq!(w("  A: !Ref Que|"), Some((Want::RefTarget, "Que".into())));
        assert_eq!(
            w("  A: !GetAtt Que|"),
            Some((Want::Resource { getatt: true }, "Que".into()))
        );
        assert_eq!(
            w("  A: !GetAtt Queue.Ar|n"),
            Some((Want::Attribute("Queue".into()), "Arn".into()))
        );
        assert_eq!(
            w("  A: !Sub 'x-${Que|}'"),
            Some((Want::RefTarget, "Que".into()))
        );
        assert_eq!(
            w("  A: !Sub 'x-${Queue.|}'"),
            Some((Want::Attribute("Queue".into()), "".into()))
        );
        assert_eq!(w("  A: !Sub 'x-${!Literal|}'"), None);
        assert_eq!(w("  Condition: Is|"), Some((Want::Condition, "Is".into())));
        assert_eq!(w("  A: plain|"), None);
    }
}
