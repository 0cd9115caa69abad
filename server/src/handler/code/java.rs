//! Java: the package declaration, classes (with what they implement) and methods.

use super::{header, matches, node_text, one_line, query, Def, DefKind, Facts, Param, ParamKind};
use crate::syntax::Lang;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

static QUERY: OnceLock<Option<Query>> = OnceLock::new();
const SOURCE: &str = include_str!("../../../../grammars/java/handlers.scm");

pub fn extract(tree: &Tree, text: &str) -> Facts {
    let mut facts = Facts::default();
    let Some(q) = query(&QUERY, Lang::Java, SOURCE) else {
        return facts;
    };
    for m in matches(q, tree, text) {
        if let Some(p) = m.get("package") {
            facts.package = Some(node_text(p, text).split_whitespace().collect());
            continue;
        }
        let Some(name) = m.get("name") else { continue };
        if let Some(class) = m.get("class") {
            let mut def = Def::new(
                node_text(name, text).to_string(),
                DefKind::Class,
                name.byte_range(),
                class.byte_range(),
            );
            def.scope = enclosing_classes(class, text);
            if is_local(&def.scope) {
                continue;
            }
            if let Some(interfaces) = class.child_by_field_name("interfaces") {
                def.supers.extend(type_names(interfaces, text));
            }
            if let Some(superclass) = class.child_by_field_name("superclass") {
                def.extends = true;
                def.supers.extend(type_names(superclass, text));
            }
            def.signature = header(class, text);
            facts.defs.push(def);
        } else if let Some(method) = m.get("method") {
            let mut def = Def::new(
                node_text(name, text).to_string(),
                DefKind::Method,
                name.byte_range(),
                method.byte_range(),
            );
            def.scope = enclosing_classes(method, text);
            if def.scope.is_empty() || is_local(&def.scope) {
                continue;
            }
            def.singleton = modifiers(method, text).contains(&"static".to_string());
            def.params = method.child_by_field_name("parameters").map(|p| {
                let mut c = p.walk();
                let params: Vec<Param> = p
                    .named_children(&mut c)
                    .filter(|n| matches!(n.kind(), "formal_parameter" | "spread_parameter"))
                    .map(|n| Param {
                        name: n
                            .child_by_field_name("name")
                            .map(|x| node_text(x, text).to_string())
                            .unwrap_or_default(),
                        kind: if n.kind() == "spread_parameter" {
                            ParamKind::Rest
                        } else {
                            ParamKind::Positional
                        },
                        default: false,
                        ty: n.child_by_field_name("type").map(|t| one_line(t, text)),
                    })
                    .collect();
                params
            });
            def.signature = header(method, text);
            facts.defs.push(def);
        }
    }
    facts
}

/// Names of the classes around `node`, outermost first (the node's own class excluded).
fn enclosing_classes(node: Node, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "class_declaration"
                | "interface_declaration"
                | "enum_declaration"
                | "record_declaration"
        ) {
            if let Some(name) = n.child_by_field_name("name") {
                out.insert(0, node_text(name, text).to_string());
            }
        } else if matches!(
            n.kind(),
            "object_creation_expression" | "lambda_expression" | "block" | "constructor_body"
        ) {
            // Anonymous and local classes cannot be named by a handler.
            return vec!["<local>".to_string()];
        }
        cur = n.parent();
    }
    out
}

fn is_local(scope: &[String]) -> bool {
    scope.iter().any(|s| s == "<local>")
}

fn modifiers(node: Node, text: &str) -> Vec<String> {
    let mut c = node.walk();
    let found = node
        .named_children(&mut c)
        .find(|n| n.kind() == "modifiers")
        .map(|m| {
            node_text(m, text)
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    found
}

/// The simple names of the types listed under `implements` or `extends` (`RequestHandler<A, B>` gives
/// `RequestHandler`).
fn type_names(node: Node, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "type_identifier" => out.push(node_text(n, text).to_string()),
            "scoped_type_identifier" => {
                let full = node_text(n, text);
                out.push(full.rsplit('.').next().unwrap_or(full).to_string());
            }
            "generic_type" => {
                if let Some(first) = n.named_child(0) {
                    stack.push(first);
                }
            }
            _ => {
                let mut c = n.walk();
                let children: Vec<Node> = n.named_children(&mut c).collect();
                stack.extend(children.into_iter().rev());
            }
        }
    }
    out
}

/// The handler interfaces of the Lambda Java runtime library.
pub fn is_handler_interface(name: &str) -> bool {
    matches!(name, "RequestHandler" | "RequestStreamHandler")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_classes_and_methods() {
        let src = "package com.example.app;\n\
            import com.amazonaws.services.lambda.runtime.RequestHandler;\n\
            public class App implements RequestHandler<Map<String, Object>, String>, Other {\n\
              public String handleRequest(final Map<String, Object> input, final Context context) { return null; }\n\
              static class Inner extends Base { public static void run(String s) {} }\n\
              void local() { Runnable r = new Runnable() { public void run() {} }; }\n\
            }\n";
        let f = crate::handler::code::extract(Lang::Java, src);
        assert_eq!(f.package.as_deref(), Some("com.example.app"));
        let app = f.defs.iter().find(|d| d.name == "App").expect("App");
        assert_eq!(app.supers, ["RequestHandler", "Other"]);
        assert!(!app.extends);
        let inner = f.defs.iter().find(|d| d.name == "Inner").expect("Inner");
        assert_eq!(inner.scope, ["App"]);
        assert!(inner.extends);
        let hr = f
            .defs
            .iter()
            .find(|d| d.name == "handleRequest")
            .expect("handleRequest");
        assert_eq!(hr.scope, ["App"]);
        assert_eq!(
            hr.params.as_ref().map(|p| p
                .iter()
                .map(|x| x.ty.clone().unwrap_or_default())
                .collect::<Vec<_>>()),
            Some(vec![
                "Map<String, Object>".to_string(),
                "Context".to_string()
            ])
        );
        let run: Vec<&Def> = f.defs.iter().filter(|d| d.name == "run").collect();
        assert_eq!(
            run.len(),
            1,
            "the anonymous class's method is not a handler"
        );
        assert_eq!(run[0].scope, ["App", "Inner"]);
        assert!(run[0].singleton);
    }
}
