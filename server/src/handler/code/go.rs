//! Go: the package, the `lambda.Start` calls, and the signatures of the functions they start.

use super::{
    header, matches, node_text, query, Def, DefKind, Facts, GoHandlerArg, GoStart, Param, ParamKind,
};
use crate::syntax::Lang;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

static QUERY: OnceLock<Option<Query>> = OnceLock::new();
const SOURCE: &str = include_str!("../../../../grammars/go/handlers.scm");

/// The aws-lambda-go package and the entry points that take a handler.
pub const LAMBDA_IMPORT: &str = "github.com/aws/aws-lambda-go/lambda";
const START_FUNCTIONS: &[&str] = &["Start", "StartWithOptions", "StartWithContext"];

pub fn extract(tree: &Tree, text: &str) -> Facts {
    let mut facts = Facts::default();
    let Some(q) = query(&QUERY, Lang::Go, SOURCE) else {
        return facts;
    };
    let mut starts = Vec::new();
    for m in matches(q, tree, text) {
        if let Some(p) = m.get("package") {
            facts.go.package = Some(node_text(p, text).to_string());
        } else if m.has("import") {
            let Some(path) = m.get("import.path") else {
                continue;
            };
            let path = node_text(path, text).trim_matches('"').to_string();
            let local = match m.get("import.alias") {
                Some(a) => node_text(a, text).to_string(),
                None => path.rsplit('/').next().unwrap_or(&path).to_string(),
            };
            facts.go.imports.push((local, path));
        } else if let Some(func) = m.get("function") {
            let Some(name) = m.get("name") else { continue };
            facts.defs.push(function_def(
                node_text(name, text).to_string(),
                name.byte_range(),
                func,
                text,
            ));
        } else if m.has("type_decl") {
            let (Some(name), Some(ty)) = (m.get("name"), m.get("type")) else {
                continue;
            };
            facts.go.types.push((
                node_text(name, text).to_string(),
                ty.kind() == "struct_type",
            ));
        } else if let Some(call) = m.get("start") {
            let (Some(pkg), Some(func), Some(args)) = (
                m.get("start.package"),
                m.get("start.function"),
                m.get("start.arguments"),
            ) else {
                continue;
            };
            let function = node_text(func, text).to_string();
            if !START_FUNCTIONS.contains(&function.as_str()) {
                continue;
            }
            let index = u32::from(function == "StartWithContext");
            let handler = args
                .named_child(index)
                .map(|a| handler_arg(a, text))
                .unwrap_or(GoHandlerArg::Other);
            starts.push(GoStart {
                package: node_text(pkg, text).to_string(),
                function,
                span: call.byte_range(),
                handler,
            });
        }
    }
    facts.go.starts = starts;
    facts
}

fn handler_arg(arg: Node, text: &str) -> GoHandlerArg {
    match arg.kind() {
        "identifier" => GoHandlerArg::Name(node_text(arg, text).to_string(), arg.byte_range()),
        "func_literal" => GoHandlerArg::Literal(Box::new(function_def(
            "func".into(),
            arg.byte_range(),
            arg,
            text,
        ))),
        _ => GoHandlerArg::Other,
    }
}

fn function_def(name: String, name_span: crate::text::Span, func: Node, text: &str) -> Def {
    let mut def = Def::new(name, DefKind::Function, name_span, func.byte_range());
    def.params = func
        .child_by_field_name("parameters")
        .map(|p| param_types(p, text));
    def.results = match func.child_by_field_name("result") {
        Some(r) if r.kind() == "parameter_list" => param_types(r, text)
            .into_iter()
            .filter_map(|p| p.ty)
            .collect(),
        Some(r) => vec![node_text(r, text).to_string()],
        None => Vec::new(),
    };
    def.signature = header(func, text);
    def
}

/// Parameters with their types; `a, b int` gives two.
fn param_types(list: Node, text: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let mut c = list.walk();
    for decl in list.named_children(&mut c) {
        let variadic = decl.kind() == "variadic_parameter_declaration";
        if decl.kind() != "parameter_declaration" && !variadic {
            continue;
        }
        let ty = decl
            .child_by_field_name("type")
            .map(|t| node_text(t, text).to_string());
        let mut names = Vec::new();
        let mut c2 = decl.walk();
        for n in decl.children_by_field_name("name", &mut c2) {
            names.push(node_text(n, text).to_string());
        }
        if names.is_empty() {
            names.push(String::new());
        }
        for name in names {
            out.push(Param {
                name,
                kind: if variadic {
                    ParamKind::Rest
                } else {
                    ParamKind::Positional
                },
                default: false,
                ty: ty.clone(),
            });
        }
    }
    out
}

/// What the Go package knows about its types: used to tell a struct (never an `error` or a
/// `context.Context`) from a type we cannot judge.
pub struct Package<'a> {
    pub files: &'a [std::sync::Arc<Facts>],
}

impl Package<'_> {
    fn is_struct(&self, ty: &str) -> bool {
        let bare = ty.trim_start_matches('*');
        self.files
            .iter()
            .flat_map(|f| &f.go.types)
            .any(|(name, is_struct)| name == bare && *is_struct)
    }

    /// Certainly not an `error`: predeclared non-error types, composites, structs of this package, and
    /// `events.*` payload types.
    fn surely_not_error(&self, ty: &str) -> bool {
        let t = ty.trim();
        PREDECLARED.contains(&t)
            || t.starts_with('[')
            || t.starts_with("map[")
            || t.starts_with("chan ")
            || t.starts_with("func(")
            || t.starts_with("struct")
            || t.trim_start_matches('*').starts_with("events.")
            || self.is_struct(t)
    }

    fn surely_not_context(&self, ty: &str) -> bool {
        !ty.ends_with("Context") && self.surely_not_error(ty) && ty != "error"
            || ty.trim_start_matches('*').starts_with("events.")
    }

    /// The message aws-lambda-go gives at start-up for a handler of this shape, if it rejects it.
    pub fn signature_problem(&self, def: &Def) -> Option<String> {
        let params = def.params.as_deref().unwrap_or(&[]);
        if params.len() > 2 {
            return Some(format!(
                "it takes {} arguments; aws-lambda-go allows at most two (`context.Context` and the event)",
                params.len()
            ));
        }
        if params.len() == 2 {
            let first = params[0].ty.as_deref().unwrap_or("");
            if self.surely_not_context(first) {
                return Some(format!(
                    "it takes two arguments but the first is `{first}`, not `context.Context`"
                ));
            }
        }
        match def.results.as_slice() {
            [] => None,
            [only] if only != "error" && self.surely_not_error(only) => Some(format!(
                "it returns a single value of type `{only}`, which does not implement `error`; return \
                 `({only}, error)`"
            )),
            [_, second] if second != "error" && self.surely_not_error(second) => Some(format!(
                "it returns two values but the second is `{second}`, not `error`"
            )),
            results if results.len() > 2 => Some(format!(
                "it returns {} values; aws-lambda-go allows at most two (a result and an `error`)",
                results.len()
            )),
            _ => None,
        }
    }
}

const PREDECLARED: &[&str] = &[
    "bool",
    "byte",
    "complex64",
    "complex128",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
    "any",
    "interface{}",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const MAIN: &str = "package main\n\nimport (\n\t\"context\"\n\tlam \"github.com/aws/aws-lambda-go/lambda\"\n\t\"github.com/aws/aws-lambda-go/events\"\n)\n\n\
        type Response struct{ Body string }\n\
        func handler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) { return events.APIGatewayProxyResponse{}, nil }\n\
        func bad(a, b string) Response { return Response{} }\n\
        func main() {\n\tlam.Start(handler)\n}\n";

    #[test]
    fn package_imports_and_start() {
        let f = crate::handler::code::extract(Lang::Go, MAIN);
        assert_eq!(f.go.package.as_deref(), Some("main"));
        assert!(f
            .go
            .imports
            .iter()
            .any(|(l, p)| l == "lam" && p == LAMBDA_IMPORT));
        assert!(f.go.imports.iter().any(|(l, _)| l == "events"));
        assert_eq!(f.go.starts.len(), 1);
        assert!(
            matches!(&f.go.starts[0].handler, GoHandlerArg::Name(n, _) if n == "handler"),
            "{:?}",
            f.go.starts
        );
        let h = f.top("handler").expect("handler");
        assert_eq!(h.params.as_ref().map(|p| p.len()), Some(2));
        assert_eq!(h.results, ["events.APIGatewayProxyResponse", "error"]);
    }

    #[test]
    fn signatures() {
        let f = Arc::new(crate::handler::code::extract(Lang::Go, MAIN));
        let files = [f.clone()];
        let pkg = Package { files: &files };
        assert_eq!(pkg.signature_problem(f.top("handler").expect("h")), None);
        let bad = pkg
            .signature_problem(f.top("bad").expect("bad"))
            .unwrap_or_default();
        assert!(bad.contains("first is `string`"), "{bad}");
        for (src, ok) in [
            ("func h() {}", true),
            ("func h(e MyEvent) error { return nil }", true),
            (
                "func h(ctx context.Context) (string, error) { return \"\", nil }",
                true,
            ),
            (
                "func h(e MyEvent) (*MyOut, MyErr) { return nil, nil }",
                true,
            ),
            ("func h(e MyEvent) string { return \"\" }", false),
            ("func h(e MyEvent) (string, int) { return \"\", 0 }", false),
            ("func h(a, b, c int) {}", false),
            ("func h() (a, b, c int) { return }", false),
        ] {
            let f = crate::handler::code::extract(Lang::Go, &format!("package main\n{src}\n"));
            let files = [Arc::new(f.clone())];
            let pkg = Package { files: &files };
            let p = pkg.signature_problem(f.top("h").expect("h"));
            assert_eq!(p.is_none(), ok, "{src}: {p:?}");
        }
    }
}
