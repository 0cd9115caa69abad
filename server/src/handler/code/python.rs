//! Python: module-level functions, assignments and imported names.

use super::{header, matches, node_text, query, Def, DefKind, Facts, Param, ParamKind};
use crate::syntax::Lang;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

static QUERY: OnceLock<Option<Query>> = OnceLock::new();
const SOURCE: &str = include_str!("../../../../grammars/python/handlers.scm");

pub fn extract(tree: &Tree, text: &str) -> Facts {
    let mut facts = Facts::default();
    let Some(q) = query(&QUERY, Lang::Python, SOURCE) else {
        return facts;
    };
    for m in matches(q, tree, text) {
        if let Some(node) = m.get("star") {
            if at_module_level(node) {
                facts.star_import = true;
            }
            continue;
        }
        let Some(name) = m.get("name") else { continue };
        let name_text = node_text(name, text).to_string();
        if let Some(func) = m.get("function") {
            let outer = match func.parent() {
                Some(p) if p.kind() == "decorated_definition" => p,
                _ => func,
            };
            if !at_module_level(outer) {
                continue;
            }
            let mut def = Def::new(
                name_text,
                DefKind::Function,
                name.byte_range(),
                outer.byte_range(),
            );
            def.decorated = outer.kind() == "decorated_definition";
            def.is_async = func.child(0).is_some_and(|c| c.kind() == "async");
            def.params = func
                .child_by_field_name("parameters")
                .map(|p| params(p, text));
            def.signature = header(func, text);
            push(&mut facts, def);
        } else if let Some(stmt) = m.get("assignment") {
            if !at_module_level(stmt) {
                continue;
            }
            let value = stmt
                .named_child(0)
                .and_then(|a| a.child_by_field_name("right"));
            let mut def = Def::new(
                name_text,
                DefKind::Value,
                name.byte_range(),
                stmt.byte_range(),
            );
            if let Some(lambda) = value.filter(|v| v.kind() == "lambda") {
                def.kind = DefKind::Function;
                def.params = Some(
                    lambda
                        .child_by_field_name("parameters")
                        .map(|p| params(p, text))
                        .unwrap_or_default(),
                );
            }
            def.signature = header(stmt, text);
            push(&mut facts, def);
        } else if let Some(stmt) = m.get("import") {
            if !at_module_level(stmt) {
                continue;
            }
            let mut def = Def::new(
                name_text,
                DefKind::Import,
                name.byte_range(),
                stmt.byte_range(),
            );
            def.signature = header(stmt, text);
            push(&mut facts, def);
        }
    }
    facts
}

/// Later bindings win, as they do when Python runs the module.
fn push(facts: &mut Facts, def: Def) {
    facts.defs.retain(|d| d.name != def.name);
    facts.defs.push(def);
}

/// Module level, including module-level `if`/`try`/`with`/`for` blocks, but not functions or classes.
fn at_module_level(node: Node) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        match n.kind() {
            "module" => return true,
            "function_definition" | "class_definition" | "lambda" => return false,
            _ => cur = n.parent(),
        }
    }
    false
}

pub fn params(list: Node, text: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let mut keyword_only = false;
    let mut cursor = list.walk();
    for p in list.named_children(&mut cursor) {
        let kind = if keyword_only {
            ParamKind::KeywordOnly
        } else {
            ParamKind::Positional
        };
        let ty = p
            .child_by_field_name("type")
            .map(|t| node_text(t, text).to_string());
        let param = match p.kind() {
            "identifier" => Param {
                name: node_text(p, text).to_string(),
                kind,
                default: false,
                ty: None,
            },
            "default_parameter" | "typed_default_parameter" => Param {
                name: p
                    .child_by_field_name("name")
                    .map(|n| node_text(n, text).to_string())
                    .unwrap_or_default(),
                kind,
                default: true,
                ty,
            },
            "typed_parameter" => {
                // `*args: T` and `**kw: T` are typed parameters around a splat.
                let inner = p.named_child(0);
                match inner.map(|i| i.kind()) {
                    Some("list_splat_pattern") => {
                        keyword_only = true;
                        Param {
                            name: splat_name(inner, text),
                            kind: ParamKind::Rest,
                            default: false,
                            ty,
                        }
                    }
                    Some("dictionary_splat_pattern") => Param {
                        name: splat_name(inner, text),
                        kind: ParamKind::KwRest,
                        default: false,
                        ty,
                    },
                    _ => Param {
                        name: inner
                            .map(|i| node_text(i, text).to_string())
                            .unwrap_or_default(),
                        kind,
                        default: false,
                        ty,
                    },
                }
            }
            "list_splat_pattern" => {
                keyword_only = true;
                Param {
                    name: splat_name(Some(p), text),
                    kind: ParamKind::Rest,
                    default: false,
                    ty: None,
                }
            }
            "dictionary_splat_pattern" => Param {
                name: splat_name(Some(p), text),
                kind: ParamKind::KwRest,
                default: false,
                ty: None,
            },
            "keyword_separator" => {
                keyword_only = true;
                continue;
            }
            _ => continue,
        };
        out.push(param);
    }
    out
}

fn splat_name(node: Option<Node>, text: &str) -> String {
    node.and_then(|n| n.named_child(0))
        .map(|n| node_text(n, text).to_string())
        .unwrap_or_default()
}

/// Why calling `def` as `handler(event, context)` fails, if it does.
pub fn arity_problem(params: &[Param]) -> Option<String> {
    let positional: Vec<&Param> = params
        .iter()
        .filter(|p| p.kind == ParamKind::Positional)
        .collect();
    let has_rest = params.iter().any(|p| p.kind == ParamKind::Rest);
    let required = positional.iter().filter(|p| !p.default).count();
    if required > 2 {
        let extra: Vec<&str> = positional
            .iter()
            .filter(|p| !p.default)
            .skip(2)
            .map(|p| p.name.as_str())
            .collect();
        return Some(format!(
            "it requires {required} positional arguments but Lambda passes 2 (`event`, `context`): \
             `TypeError` missing {}",
            extra
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if positional.len() < 2 && !has_rest {
        return Some(format!(
            "it takes {} positional argument{} but Lambda passes 2 (`event`, `context`): `TypeError` at \
             every invocation",
            positional.len(),
            if positional.len() == 1 { "" } else { "s" }
        ));
    }
    if let Some(k) = params
        .iter()
        .find(|p| p.kind == ParamKind::KeywordOnly && !p.default)
    {
        return Some(format!(
            "its keyword-only argument `{}` has no default and Lambda never passes it: `TypeError` at every \
             invocation",
            k.name
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> Facts {
        crate::handler::code::extract(Lang::Python, src)
    }

    #[test]
    fn module_level_definitions_only() {
        let f = facts(
            "import os\nfrom impl import real as handler2, other\nfrom x import *\n\
             def lambda_handler(event, context):\n    def inner(a, b): pass\n\
             class C:\n    def method(self, e, c): pass\n\
             if True:\n    def conditional(e, c): pass\n\
             app = Mangum(api)\nlam = lambda event, context: 1\n",
        );
        let names: Vec<&str> = f.defs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "handler2",
                "other",
                "lambda_handler",
                "conditional",
                "app",
                "lam"
            ]
        );
        assert!(f.star_import);
        assert_eq!(f.top("app").map(|d| d.kind), Some(DefKind::Value));
        assert_eq!(f.top("lam").map(|d| d.kind), Some(DefKind::Function));
        assert_eq!(f.top("handler2").map(|d| d.kind), Some(DefKind::Import));
    }

    #[test]
    fn async_decorated_and_signature() {
        let src = "@logger.inject_lambda_context\ndef a(event, context):\n    pass\n\
                   async def b(event, context):\n    pass\n";
        let f = facts(src);
        let a = f.top("a").expect("a");
        assert!(a.decorated && !a.is_async);
        assert_eq!(&src[a.def_span.clone()][..1], "@");
        assert_eq!(&src[a.name_span.clone()], "a");
        let b = f.top("b").expect("b");
        assert!(b.is_async && !b.decorated);
        assert_eq!(b.signature, "async def b(event, context)");
    }

    fn problem(sig: &str) -> Option<String> {
        let f = facts(&format!("def h{sig}:\n    pass\n"));
        arity_problem(
            f.top("h")
                .and_then(|d| d.params.as_deref())
                .expect("params"),
        )
    }

    #[test]
    fn arity() {
        for ok in [
            "(event, context)",
            "(event: dict, context: LambdaContext)",
            "(event, context=None)",
            "(*args)",
            "(event, *args, **kwargs)",
            "(event, context, extra=1)",
            "(event, context, *, flag=False)",
            "(event, /, context)",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in [
            "(event)",
            "()",
            "(event, context, extra)",
            "(event, context, *, flag)",
            "(event, **kwargs)",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
