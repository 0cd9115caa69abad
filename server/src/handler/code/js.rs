//! JavaScript and TypeScript: CommonJS and ES module exports, and which module system the syntax uses.

use super::{header, matches, node_text, query, Def, DefKind, Facts, Param, ParamKind};
use crate::syntax::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

static QUERY_JS: OnceLock<Option<Query>> = OnceLock::new();
static QUERY_TS: OnceLock<Option<Query>> = OnceLock::new();
static QUERY_TSX: OnceLock<Option<Query>> = OnceLock::new();
const SOURCE: &str = include_str!("../../../../grammars/javascript/handlers.scm");

/// An export before its value is understood: the exported name, where the name is written, the node the
/// name is bound to, and the statement.
struct Export<'t> {
    name: String,
    name_node: Node<'t>,
    value: Option<Node<'t>>,
    statement: Node<'t>,
    /// Found under `export default { … }`: the runtime looks there only when the module lacks the name.
    under_default: bool,
}

pub fn extract(lang: Lang, tree: &Tree, text: &str) -> Facts {
    let mut facts = Facts::default();
    let cell = match lang {
        Lang::TypeScript => &QUERY_TS,
        Lang::Tsx => &QUERY_TSX,
        _ => &QUERY_JS,
    };
    let Some(q) = query(cell, lang, SOURCE) else {
        return facts;
    };
    let mut locals: HashMap<String, Node> = HashMap::new();
    let mut exports: Vec<Export> = Vec::new();
    let mut requires = Vec::new();
    let mut free = Vec::new();
    let all = matches(q, tree, text);
    for m in &all {
        if let (Some(name), Some(local)) = (m.get("name"), m.get("local")) {
            locals
                .entry(node_text(name, text).to_string())
                .or_insert(local);
        }
    }
    facts.js.binds_require = locals.contains_key("require");
    for m in &all {
        if let Some(stmt) = m.get("esm.export") {
            facts.js.esm.push(stmt.byte_range());
            esm_export(stmt, text, &mut exports, &mut facts);
        } else if let Some(stmt) = m.get("esm.import") {
            facts.js.esm.push(stmt.byte_range());
        } else if let Some(assign) = m.get("cjs.assign") {
            let (Some(lhs), Some(rhs)) = (m.get("lhs"), m.get("rhs")) else {
                continue;
            };
            cjs_assign(assign, lhs, rhs, text, &mut exports, &mut facts);
        } else if let Some(call) = m.get("cjs.require") {
            requires.push(call.byte_range());
        } else if let Some(call) = m.get("cjs.object") {
            let target = m.get("target").map(|t| node_text(t, text)).unwrap_or("");
            if target == "exports" || target == "module.exports" {
                let marks_es_module = node_text(call, text).contains("__esModule");
                if !marks_es_module {
                    facts.js.opaque = true;
                }
                facts.js.cjs.push(call.byte_range());
            }
        } else if let Some(id) = m.get("cjs.free") {
            free.push((node_text(id, text).to_string(), id.byte_range()));
        }
    }
    if !facts.js.binds_require {
        facts.js.cjs.extend(requires);
    }
    facts.js.cjs.extend(
        free.into_iter()
            .filter(|(name, _)| !locals.contains_key(name))
            .map(|(_, span)| span),
    );
    facts.js.cjs.sort_by_key(|s| s.start);
    for e in exports {
        let mut def = describe(e.value, &locals, text, 0).unwrap_or_else(|| Described {
            kind: DefKind::Value,
            ..Described::default()
        });
        // Resolved through a module-scope binding: navigation goes to the binding itself.
        let (name_span, def_span) = match def.local.take() {
            Some((n, d)) => (n, d),
            None => (e.name_node.byte_range(), e.statement.byte_range()),
        };
        let mut out = Def::new(e.name.clone(), def.kind, name_span, def_span);
        out.params = def.params;
        out.is_async = def.is_async;
        out.streaming = def.streaming;
        out.signature = def.signature.unwrap_or_else(|| header(e.statement, text));
        if e.under_default {
            out.scope = vec!["default".to_string()];
        }
        // The last assignment wins at run time (`exports.x = a; exports.x = b`).
        facts
            .defs
            .retain(|d| !(d.name == out.name && d.scope == out.scope));
        facts.defs.push(out);
    }
    facts
}

fn esm_export<'t>(stmt: Node<'t>, text: &str, exports: &mut Vec<Export<'t>>, facts: &mut Facts) {
    let source = stmt
        .child_by_field_name("source")
        .map(|s| unquote(node_text(s, text)));
    let is_default = {
        let mut c = stmt.walk();
        let found = stmt.children(&mut c).any(|ch| ch.kind() == "default");
        found
    };
    if let Some(decl) = stmt.child_by_field_name("declaration") {
        match decl.kind() {
            "lexical_declaration" | "variable_declaration" => {
                let mut c = decl.walk();
                for d in decl.named_children(&mut c) {
                    if d.kind() != "variable_declarator" {
                        continue;
                    }
                    let Some(name) = d.child_by_field_name("name") else {
                        continue;
                    };
                    if name.kind() != "identifier" {
                        // Destructuring exports: names we cannot pair with values.
                        facts.js.opaque = true;
                        continue;
                    }
                    exports.push(Export {
                        name: node_text(name, text).to_string(),
                        name_node: name,
                        value: Some(d),
                        statement: stmt,
                        under_default: false,
                    });
                }
            }
            _ => {
                let name = decl.child_by_field_name("name");
                let exported = if is_default {
                    "default".to_string()
                } else {
                    name.map(|n| node_text(n, text).to_string())
                        .unwrap_or_default()
                };
                if !exported.is_empty() {
                    exports.push(Export {
                        name: exported,
                        name_node: name.unwrap_or(decl),
                        value: Some(decl),
                        statement: stmt,
                        under_default: false,
                    });
                }
            }
        }
        return;
    }
    if is_default {
        if let Some(value) = stmt.child_by_field_name("value") {
            exports.push(Export {
                name: "default".into(),
                name_node: value,
                value: Some(value),
                statement: stmt,
                under_default: false,
            });
            if value.kind() == "object" {
                object_exports(value, stmt, text, exports, true);
            }
        }
        return;
    }
    let mut c = stmt.walk();
    let clause = stmt
        .named_children(&mut c)
        .find(|n| n.kind() == "export_clause");
    match (clause, source) {
        (Some(clause), source) => {
            let mut c = clause.walk();
            for spec in clause.named_children(&mut c) {
                if spec.kind() != "export_specifier" {
                    continue;
                }
                let Some(local) = spec.child_by_field_name("name") else {
                    continue;
                };
                let alias = spec.child_by_field_name("alias").unwrap_or(local);
                let exported = unquote(node_text(alias, text));
                match &source {
                    Some(from) => {
                        facts.js.reexports.push((
                            Some(exported.clone()),
                            unquote(node_text(local, text)),
                            from.clone(),
                        ));
                        exports.push(Export {
                            name: exported,
                            name_node: alias,
                            value: None,
                            statement: stmt,
                            under_default: false,
                        });
                    }
                    None => exports.push(Export {
                        name: exported,
                        name_node: alias,
                        value: Some(local),
                        statement: stmt,
                        under_default: false,
                    }),
                }
            }
        }
        (None, Some(from)) => {
            // `export * from './x'` or `export * as ns from './x'`.
            let mut c = stmt.walk();
            let ns = stmt
                .named_children(&mut c)
                .find(|n| n.kind() == "namespace_export");
            match ns.and_then(|n| n.named_child(0)) {
                Some(name) => exports.push(Export {
                    name: unquote(node_text(name, text)),
                    name_node: name,
                    value: None,
                    statement: stmt,
                    under_default: false,
                }),
                None => {
                    facts.js.reexports.push((None, "*".into(), from));
                    facts.js.opaque = true;
                }
            }
        }
        (None, None) => {}
    }
}

fn cjs_assign<'t>(
    assign: Node<'t>,
    lhs: Node<'t>,
    rhs: Node<'t>,
    text: &str,
    exports: &mut Vec<Export<'t>>,
    facts: &mut Facts,
) {
    let target = node_text(lhs, text);
    let object = lhs.child_by_field_name("object");
    let object_text = object.map(|o| node_text(o, text)).unwrap_or("");
    if lhs.kind() == "subscript_expression" {
        if object_text == "exports" || object_text == "module.exports" {
            facts.js.cjs.push(assign.byte_range());
            // `exports["handler"] = …` names it; a computed key could be anything.
            let index = lhs.child_by_field_name("index");
            match index.filter(|i| i.kind() == "string") {
                Some(key) => exports.push(Export {
                    name: unquote(node_text(key, text)),
                    name_node: key,
                    value: Some(rhs),
                    statement: assign_statement(assign),
                    under_default: false,
                }),
                None => facts.js.opaque = true,
            }
        }
        return;
    }
    if target == "module.exports" {
        facts.js.cjs.push(assign.byte_range());
        if rhs.kind() == "object" {
            object_exports(rhs, assign_statement(assign), text, exports, false);
        } else {
            facts.js.opaque = true;
        }
        return;
    }
    if object_text == "exports" || object_text == "module.exports" {
        facts.js.cjs.push(assign.byte_range());
        if let Some(prop) = lhs.child_by_field_name("property") {
            exports.push(Export {
                name: node_text(prop, text).to_string(),
                name_node: prop,
                value: Some(rhs),
                statement: assign_statement(assign),
                under_default: false,
            });
        }
    }
}

fn assign_statement(assign: Node) -> Node {
    match assign.parent() {
        Some(p) if p.kind() == "expression_statement" => p,
        _ => assign,
    }
}

/// The properties of `{ handler, other: fn, method() {} }` as exports.
fn object_exports<'t>(
    object: Node<'t>,
    statement: Node<'t>,
    text: &str,
    exports: &mut Vec<Export<'t>>,
    under_default: bool,
) {
    let mut c = object.walk();
    for prop in object.named_children(&mut c) {
        let (key, value) = match prop.kind() {
            "shorthand_property_identifier" => (prop, Some(prop)),
            "pair" => match prop.child_by_field_name("key") {
                Some(k) => (k, prop.child_by_field_name("value")),
                None => continue,
            },
            "method_definition" => match prop.child_by_field_name("name") {
                Some(k) => (k, Some(prop)),
                None => continue,
            },
            _ => continue,
        };
        exports.push(Export {
            name: unquote(node_text(key, text)),
            name_node: key,
            value,
            statement,
            under_default,
        });
    }
}

#[derive(Default)]
struct Described {
    kind: DefKind,
    params: Option<Vec<Param>>,
    is_async: bool,
    streaming: bool,
    signature: Option<String>,
    /// The module-scope binding the value came from: (name span, definition span).
    local: Option<(crate::text::Span, crate::text::Span)>,
}

/// What an exported value is: a function with visible parameters, a wrapped function, a class, or
/// something else. Identifiers are followed through module-scope bindings.
fn describe(
    node: Option<Node>,
    locals: &HashMap<String, Node>,
    text: &str,
    depth: usize,
) -> Option<Described> {
    let node = node?;
    if depth > 8 {
        return None;
    }
    match node.kind() {
        "variable_declarator" => {
            let mut d = describe(node.child_by_field_name("value"), locals, text, depth + 1)
                .unwrap_or_default();
            if d.signature.is_none() {
                d.signature = Some(super::header(node, text));
            }
            Some(d)
        }
        "function_declaration"
        | "generator_function_declaration"
        | "function_expression"
        | "function"
        | "generator_function"
        | "arrow_function"
        | "method_definition" => Some(Described {
            kind: DefKind::Function,
            params: Some(function_params(node, text)),
            is_async: is_async(node),
            streaming: false,
            signature: Some(super::header(node, text)),
            local: None,
        }),
        "class_declaration" | "class" => Some(Described {
            kind: DefKind::Class,
            signature: Some(super::header(node, text)),
            ..Described::default()
        }),
        "identifier" | "shorthand_property_identifier" => {
            let name = node_text(node, text);
            let local = *locals.get(name)?;
            let mut d = describe(Some(local), locals, text, depth + 1)?;
            let name_node = local.child_by_field_name("name").unwrap_or(local);
            let def_node = match local.parent() {
                Some(p) if matches!(p.kind(), "lexical_declaration" | "variable_declaration") => p,
                _ => local,
            };
            d.local = Some((name_node.byte_range(), def_node.byte_range()));
            Some(d)
        }
        "call_expression" => {
            let callee = node
                .child_by_field_name("function")
                .map(|f| node_text(f, text))
                .unwrap_or("");
            let streaming = callee.ends_with("streamifyResponse");
            Some(Described {
                kind: DefKind::Value,
                params: None,
                is_async: false,
                streaming,
                signature: None,
                local: None,
            })
        }
        "parenthesized_expression" | "as_expression" | "satisfies_expression" => {
            describe(node.named_child(0), locals, text, depth + 1)
        }
        _ => None,
    }
}

fn is_async(node: Node) -> bool {
    let mut c = node.walk();
    let found = node.children(&mut c).any(|ch| ch.kind() == "async");
    found
}

fn function_params(func: Node, text: &str) -> Vec<Param> {
    if let Some(single) = func.child_by_field_name("parameter") {
        return vec![Param {
            name: node_text(single, text).to_string(),
            kind: ParamKind::Positional,
            default: false,
            ty: None,
        }];
    }
    let Some(list) = func.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut c = list.walk();
    for p in list.named_children(&mut c) {
        let (pattern, default, ty) = match p.kind() {
            "required_parameter" | "optional_parameter" => (
                p.child_by_field_name("pattern"),
                p.child_by_field_name("value").is_some(),
                p.child_by_field_name("type").map(|t| {
                    node_text(t, text)
                        .trim_start_matches(':')
                        .trim()
                        .to_string()
                }),
            ),
            "assignment_pattern" => (p.child_by_field_name("left"), true, None),
            "comment" => continue,
            _ => (Some(p), false, None),
        };
        let Some(pattern) = pattern else { continue };
        // TypeScript's `this` parameter is erased by the compiler.
        if pattern.kind() == "this" {
            continue;
        }
        let rest = pattern.kind() == "rest_pattern";
        out.push(Param {
            name: node_text(pattern, text)
                .trim_start_matches("...")
                .to_string(),
            kind: if rest {
                ParamKind::Rest
            } else {
                ParamKind::Positional
            },
            default,
            ty,
        });
    }
    out
}

/// JavaScript's `Function.length`: parameters before the first default or rest parameter.
pub fn length(params: &[Param]) -> usize {
    params
        .iter()
        .take_while(|p| p.kind == ParamKind::Positional && !p.default)
        .count()
}

fn unquote(s: &str) -> String {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(lang: Lang, src: &str) -> Facts {
        crate::handler::code::extract(lang, src)
    }

    fn export<'a>(f: &'a Facts, name: &str) -> &'a Def {
        f.defs
            .iter()
            .find(|d| d.name == name && d.scope.is_empty())
            .unwrap_or_else(|| panic!("no export {name}: {:#?}", f.defs))
    }

    #[test]
    fn commonjs_exports() {
        let src = "'use strict';\nconst aws = require('aws-sdk');\n\
                   async function real(event, context) {}\n\
                   exports.a = async (event, context) => {};\n\
                   module.exports.b = function (e, c, cb) {};\n\
                   exports.c = real;\n\
                   exports['d'] = x => x;\n";
        let f = facts(Lang::JavaScript, src);
        let a = export(&f, "a");
        assert!(a.is_async);
        assert_eq!(a.params.as_ref().map(|p| length(p)), Some(2));
        assert_eq!(length(export(&f, "b").params.as_deref().unwrap_or(&[])), 3);
        let c = export(&f, "c");
        assert_eq!(
            &src[c.name_span.clone()],
            "real",
            "navigates to the function"
        );
        assert!(c.is_async);
        assert_eq!(length(export(&f, "d").params.as_deref().unwrap_or(&[])), 1);
        assert!(f.js.esm.is_empty());
        assert_eq!(f.js.cjs.len(), 5, "{:?}", f.js.cjs);
        assert!(!f.js.opaque);
    }

    #[test]
    fn module_exports_object_and_opaque_forms() {
        let f = facts(
            Lang::JavaScript,
            "const h = async (e, c) => {};\nmodule.exports = { h, other: (a) => a, m(e, c, cb) {}, 'q': 1 };\n",
        );
        for name in ["h", "other", "m", "q"] {
            export(&f, name);
        }
        assert_eq!(length(export(&f, "m").params.as_deref().unwrap_or(&[])), 3);
        assert!(!f.js.opaque);
        let f = facts(Lang::JavaScript, "module.exports = createHandlers();\n");
        assert!(f.js.opaque);
        let f = facts(
            Lang::JavaScript,
            "Object.defineProperty(exports, \"__esModule\", { value: true });\nexports.handler = void 0;\n",
        );
        assert!(!f.js.opaque, "compiled TypeScript marker is not opaque");
    }

    #[test]
    fn esm_exports() {
        let src = "import { x } from 'y';\n\
                   export const h = async (event) => {};\n\
                   export async function i(e, c = 1, ...r) {}\n\
                   function j(e, c) {}\nconst k = 1;\n\
                   export { j, k as l };\n\
                   export { m as n } from './other.mjs';\n\
                   export * from './all.mjs';\n\
                   export const s = awslambda.streamifyResponse(async (event, responseStream, context) => {});\n\
                   export default { j };\n";
        let f = facts(Lang::JavaScript, src);
        assert_eq!(f.js.esm.len(), 8);
        assert!(f.js.cjs.is_empty());
        assert!(export(&f, "h").is_async);
        assert_eq!(length(export(&f, "i").params.as_deref().unwrap_or(&[])), 1);
        assert_eq!(export(&f, "j").kind, DefKind::Function);
        assert_eq!(export(&f, "l").kind, DefKind::Value);
        assert!(export(&f, "s").streaming);
        export(&f, "n");
        export(&f, "default");
        assert!(f
            .defs
            .iter()
            .any(|d| d.name == "j" && d.scope == ["default"]));
        assert!(f.js.opaque, "export * may export anything");
        assert_eq!(f.js.reexports.len(), 2);
    }

    #[test]
    fn createrequire_and_local_dirname_are_not_commonjs() {
        let f = facts(
            Lang::JavaScript,
            "import { createRequire } from 'module';\nconst require = createRequire(import.meta.url);\n\
             const __dirname = path.dirname(fileURLToPath(import.meta.url));\nconst x = require('x');\n\
             export const handler = async () => __dirname;\n",
        );
        assert!(f.js.cjs.is_empty(), "{:?}", f.js.cjs);
        let f = facts(
            Lang::JavaScript,
            "export const handler = async () => require('fs').readFileSync(__dirname);\n",
        );
        assert_eq!(f.js.cjs.len(), 2);
    }

    #[test]
    fn typescript_parameters() {
        let src = "export const handler: Handler = async (event: APIGatewayProxyEvent, context?: Context): Promise<R> => {};\n\
                   export const cb = function (this: X, e: E, c: C, callback: Callback) {};\n\
                   export function d(e: E, c = 1, ...r: any[]) {}\n";
        let f = facts(Lang::TypeScript, src);
        let h = export(&f, "handler");
        assert!(h.is_async);
        let params = h.params.as_deref().unwrap_or(&[]);
        assert_eq!(length(params), 2);
        assert_eq!(params[0].ty.as_deref(), Some("APIGatewayProxyEvent"));
        assert_eq!(length(export(&f, "cb").params.as_deref().unwrap_or(&[])), 3);
        assert_eq!(length(export(&f, "d").params.as_deref().unwrap_or(&[])), 1);
    }
}
