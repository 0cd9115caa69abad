//! boto3: `boto3.client("s3")`, `boto3.resource("dynamodb").Table(name).put_item(…)`, sessions,
//! `resource.meta.client`, collections (`bucket.objects.all()`), injected helpers (`upload_file`),
//! `get_paginator("list_objects_v2")`, clients kept on `self` and clients passed to the module's functions.

use super::{
    identifiers, scope_of, string_literal, target_params, text_of, Call, FileCalls, Import, Target,
    Unknown,
};
use crate::handler::code::{matches, query};
use crate::privilege::sdk::{sdk, OpRef};
use crate::syntax::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

const SOURCE: &str = include_str!("../../../../grammars/python/sdk.scm");
const SDK: &str = "boto3";
const MODULE: usize = usize::MAX;

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Boto3,
    Boto3Session,
    SessionClass,
    Session,
    ClientFn,
    ResourceFn,
    Client(usize),
    Resource(usize, String, Option<Target>),
    Collection(usize, String, String, Option<Target>),
    Meta(usize),
    Os,
    Environ,
    Getenv,
    Str(String),
    Env(String),
    /// A client or resource whose service is computed.
    UnknownClient,
}

impl Val {
    fn is_sdk(&self) -> bool {
        matches!(
            self,
            Val::Client(_)
                | Val::Resource(..)
                | Val::Collection(..)
                | Val::Session
                | Val::UnknownClient
        )
    }
}

struct Ctx<'t> {
    text: &'t str,
    bindings: HashMap<(usize, String), Vec<Val>>,
}

/// Innermost first: enclosing functions and classes (by start byte), then the module.
fn scopes(node: Node) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let mut n = node.parent();
    while let Some(p) = n {
        match p.kind() {
            "function_definition" => out.push((p.start_byte(), false)),
            "class_definition" => out.push((p.start_byte(), true)),
            _ => {}
        }
        n = p.parent();
    }
    out.push((MODULE, false));
    out
}

impl Ctx<'_> {
    fn lookup(&self, key: &str, at: Node) -> Option<Val> {
        let on_self = key.starts_with("self.") || key.starts_with("cls.");
        for (scope, is_class) in scopes(at) {
            if on_self && !is_class && scope != MODULE {
                continue;
            }
            if let Some(vals) = self.bindings.get(&(scope, key.to_string())) {
                let first = vals.first()?;
                if vals.iter().all(|v| v == first) {
                    return Some(first.clone());
                }
                // Bound to different things in one scope: only unknown is honest.
                return vals.iter().any(Val::is_sdk).then_some(Val::UnknownClient);
            }
        }
        None
    }

    fn bind(&mut self, lhs: Node, val: Val) {
        let key = text_of(lhs, self.text).to_string();
        let on_self = key.starts_with("self.") || key.starts_with("cls.");
        let scope = scopes(lhs)
            .into_iter()
            .find(|(s, is_class)| *s == MODULE || *is_class == on_self)
            .map_or(MODULE, |(s, _)| s);
        let entry = self.bindings.entry((scope, key)).or_default();
        if !entry.contains(&val) {
            entry.push(val);
        }
    }

    fn str_arg(&self, args: Node, index: usize, keyword: &[&str]) -> Option<Val> {
        let node = arg(args, index, keyword, self.text)?;
        self.eval(node)
    }

    fn eval(&self, node: Node) -> Option<Val> {
        let text = self.text;
        match node.kind() {
            "identifier" => self.lookup(text_of(node, text), node),
            "string" => string_literal(node, text).map(Val::Str),
            "parenthesized_expression" | "await" => self.eval(node.named_child(0)?),
            "attribute" => {
                if let Some(v) = self.lookup(text_of(node, text), node) {
                    return Some(v);
                }
                let object = self.eval(node.child_by_field_name("object")?)?;
                let attr = text_of(node.child_by_field_name("attribute")?, text);
                match (object, attr) {
                    (Val::Boto3, "client") | (Val::Session, "client") => Some(Val::ClientFn),
                    (Val::Boto3, "resource") | (Val::Session, "resource") => Some(Val::ResourceFn),
                    (Val::Boto3, "Session") | (Val::Boto3Session, "Session") => {
                        Some(Val::SessionClass)
                    }
                    (Val::Boto3, "session") => Some(Val::Boto3Session),
                    (Val::Resource(s, ty, t), a) => {
                        if a == "meta" {
                            return Some(Val::Meta(s));
                        }
                        let rt = sdk().resource(s, &ty)?;
                        rt.many
                            .contains_key(a)
                            .then(|| Val::Collection(s, ty.clone(), a.to_string(), t))
                    }
                    (Val::Meta(s), "client") => Some(Val::Client(s)),
                    (Val::Os, "environ") => Some(Val::Environ),
                    (Val::Os, "getenv") => Some(Val::Getenv),
                    _ => None,
                }
            }
            "subscript" => {
                let value = self.eval(node.child_by_field_name("value")?)?;
                if value != Val::Environ {
                    return None;
                }
                match self.eval(node.child_by_field_name("subscript")?)? {
                    Val::Str(s) => Some(Val::Env(s)),
                    _ => None,
                }
            }
            "call" => {
                let function = node.child_by_field_name("function")?;
                let args = node.child_by_field_name("arguments")?;
                match self.eval(function) {
                    Some(Val::ClientFn) => Some(self.service(args, false)),
                    Some(Val::ResourceFn) => Some(self.service(args, true)),
                    Some(Val::SessionClass) => Some(Val::Session),
                    Some(Val::Getenv) => match self.str_arg(args, 0, &["key"])? {
                        Val::Str(s) => Some(Val::Env(s)),
                        _ => None,
                    },
                    _ => {
                        if function.kind() != "attribute" {
                            return None;
                        }
                        let object = self.eval(function.child_by_field_name("object")?)?;
                        let method = text_of(function.child_by_field_name("attribute")?, text);
                        match object {
                            Val::Environ if method == "get" => {
                                match self.str_arg(args, 0, &["key"])? {
                                    Val::Str(s) => Some(Val::Env(s)),
                                    _ => None,
                                }
                            }
                            Val::Resource(s, ty, _) => {
                                let rt = sdk().resource(s, &ty)?;
                                if let Some(sub) = rt.has.get(method) {
                                    let target = self
                                        .str_arg(args, 0, &["name", "bucket_name", "url"])
                                        .and_then(to_target);
                                    return Some(Val::Resource(s, sub.clone(), target));
                                }
                                let (_, returns) = rt.actions.get(method)?;
                                (!returns.is_empty())
                                    .then(|| Val::Resource(s, returns.clone(), None))
                            }
                            _ => None,
                        }
                    }
                }
            }
            _ => None,
        }
    }

    /// `boto3.client("s3")` → the client, or unknown when the name is computed.
    fn service(&self, args: Node, resource: bool) -> Val {
        match self.str_arg(args, 0, &["service_name"]) {
            Some(Val::Str(name)) => match sdk().by_boto3(&name) {
                Some(s) if resource => Val::Resource(s, String::new(), None),
                Some(s) => Val::Client(s),
                None => Val::UnknownClient,
            },
            _ => Val::UnknownClient,
        }
    }
}

fn to_target(v: Val) -> Option<Target> {
    match v {
        Val::Str(s) => Some(Target::Literal(s)),
        Val::Env(s) => Some(Target::Env(s)),
        _ => None,
    }
}

/// The argument at a position, or by keyword.
fn arg<'t>(args: Node<'t>, index: usize, keyword: &[&str], text: &str) -> Option<Node<'t>> {
    let mut c = args.walk();
    let mut pos = 0;
    for a in args.named_children(&mut c) {
        match a.kind() {
            "keyword_argument" => {
                let name = a.child_by_field_name("name").map(|n| text_of(n, text));
                if name.is_some_and(|n| keyword.iter().any(|k| k.eq_ignore_ascii_case(n))) {
                    return a.child_by_field_name("value");
                }
            }
            "comment" | "list_splat" | "dictionary_splat" => {}
            _ => {
                if pos == index {
                    return Some(a);
                }
                pos += 1;
            }
        }
    }
    None
}

pub fn extract(tree: &Tree, text: &str) -> FileCalls {
    static Q: OnceLock<Option<Query>> = OnceLock::new();
    let Some(q) = query(&Q, Lang::Python, SOURCE) else {
        return FileCalls::default();
    };
    let all = matches(q, tree, text);
    let mut ctx = Ctx {
        text,
        bindings: HashMap::new(),
    };
    let mut out = FileCalls::default();
    // Imports: boto3 and os names, and the project's modules to follow.
    for m in &all {
        if let Some(node) = m.get("import") {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                let (module, alias) = match name.kind() {
                    "aliased_import" => (
                        name.child_by_field_name("name").map(|n| text_of(n, text)),
                        name.child_by_field_name("alias").map(|n| text_of(n, text)),
                    ),
                    _ => (Some(text_of(name, text)), None),
                };
                let Some(module) = module else { continue };
                let local = alias.unwrap_or_else(|| module.split('.').next().unwrap_or(module));
                let root = module.split('.').next().unwrap_or(module);
                let val = match (root, alias.is_some(), module) {
                    (_, true, "boto3.session") => Some(Val::Boto3Session),
                    ("boto3", _, _) => Some(Val::Boto3),
                    ("os", _, "os") => Some(Val::Os),
                    _ => None,
                };
                match val {
                    Some(v) => ctx.bind_name(local, v),
                    None => out.imports.push(Import {
                        spec: module.to_string(),
                        names: Vec::new(),
                    }),
                }
            }
        }
        if let Some(node) = m.get("import_from") {
            let module = node
                .child_by_field_name("module_name")
                .map(|n| text_of(n, text))
                .unwrap_or("");
            let mut names = Vec::new();
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                let (orig, local) = match name.kind() {
                    "aliased_import" => (
                        name.child_by_field_name("name").map(|n| text_of(n, text)),
                        name.child_by_field_name("alias").map(|n| text_of(n, text)),
                    ),
                    _ => (Some(text_of(name, text)), None),
                };
                let Some(orig) = orig else { continue };
                let local = local.unwrap_or(orig);
                let val = match (module, orig) {
                    ("boto3", "client") => Some(Val::ClientFn),
                    ("boto3", "resource") => Some(Val::ResourceFn),
                    ("boto3", "Session") | ("boto3.session", "Session") => Some(Val::SessionClass),
                    ("boto3", "session") => Some(Val::Boto3Session),
                    ("os", "environ") => Some(Val::Environ),
                    ("os", "getenv") => Some(Val::Getenv),
                    _ => None,
                };
                match val {
                    Some(v) => ctx.bind_name(local, v),
                    None => names.push(orig.to_string()),
                }
            }
            let mut c = node.walk();
            if node
                .children(&mut c)
                .any(|ch| ch.kind() == "wildcard_import")
            {
                names.push("*".into());
            }
            if !module.starts_with("boto3") && module != "os" && !names.is_empty() {
                out.imports.push(Import {
                    spec: module.to_string(),
                    names,
                });
            }
        }
    }
    // Functions and their parameters (for clients passed as arguments).
    let defs: HashMap<&str, (usize, Vec<String>)> = all
        .iter()
        .filter_map(|m| {
            let d = m.get("def")?;
            let name = text_of(m.get("def_name")?, text);
            let params = m.get("params")?;
            let mut c = params.walk();
            let names = params
                .named_children(&mut c)
                .filter_map(|p| {
                    let id = match p.kind() {
                        "identifier" => Some(p),
                        "typed_parameter" => p.named_child(0),
                        "default_parameter" | "typed_default_parameter" => {
                            p.child_by_field_name("name")
                        }
                        _ => None,
                    }?;
                    Some(text_of(id, text).to_string())
                })
                .filter(|n| n != "self" && n != "cls")
                .collect();
            Some((name, (d.start_byte(), names)))
        })
        .collect();
    // Bindings to a fixed point (a few rounds: module clients used before their definition, clients
    // passed on to helpers that pass them on again).
    for _ in 0..4 {
        let before = ctx.bindings.len();
        for m in &all {
            if let (Some(_), Some(lhs), Some(rhs)) = (m.get("assign"), m.get("lhs"), m.get("rhs")) {
                if let Some(v) = ctx.eval(rhs) {
                    ctx.bind(lhs, v);
                }
            }
            if let (Some(f), Some(args)) = (m.get("function"), m.get("args")) {
                let Some((def_start, params)) = defs.get(text_of(f, text)) else {
                    continue;
                };
                let mut c = args.walk();
                let mut pos = 0;
                for a in args.named_children(&mut c) {
                    let (param, value) = if a.kind() == "keyword_argument" {
                        (
                            a.child_by_field_name("name")
                                .map(|n| text_of(n, text).to_string()),
                            a.child_by_field_name("value"),
                        )
                    } else {
                        pos += 1;
                        (params.get(pos - 1).cloned(), Some(a))
                    };
                    let (Some(param), Some(value)) = (param, value) else {
                        continue;
                    };
                    if let Some(v) = ctx.eval(value).filter(Val::is_sdk) {
                        let entry = ctx.bindings.entry((*def_start, param)).or_default();
                        if !entry.contains(&v) {
                            entry.push(v);
                        }
                    }
                }
            }
        }
        if ctx.bindings.len() == before {
            break;
        }
    }
    let top = top_level(tree, text, &mut out);
    for m in &all {
        if let (Some(call), Some(receiver), Some(method), Some(args)) = (
            m.get("call"),
            m.get("receiver"),
            m.get("method"),
            m.get("args"),
        ) {
            let scope = scope_of(&top, call.start_byte());
            let method_text = text_of(method, text);
            match ctx.eval(receiver) {
                Some(Val::Client(s)) => {
                    if let Some(op) = client_op(&ctx, s, method_text, args) {
                        let target = target_params(s)
                            .iter()
                            .find_map(|p| ctx.str_arg(args, usize::MAX, &[p]))
                            .and_then(to_target);
                        out.calls.push(Call {
                            op,
                            span: method.byte_range(),
                            target,
                            sdk: SDK,
                            scope,
                        });
                    }
                }
                Some(Val::Resource(s, ty, target)) => {
                    let op = sdk()
                        .resource(s, &ty)
                        .and_then(|rt| rt.actions.get(method_text))
                        .and_then(|(op, _)| sdk().find(s, op))
                        .or_else(|| sdk().helper("boto3", Some(s), method_text));
                    if let Some(op) = op {
                        out.calls.push(Call {
                            op,
                            span: method.byte_range(),
                            target,
                            sdk: SDK,
                            scope,
                        });
                    }
                }
                Some(Val::Collection(s, ty, coll, target)) => {
                    let Some(rt) = sdk().resource(s, &ty) else {
                        continue;
                    };
                    let Some((list, batch)) = rt.many.get(&coll) else {
                        continue;
                    };
                    let op = match method_text {
                        "all" | "filter" | "limit" | "page_size" | "pages" => Some(list.as_str()),
                        other => batch.get(other).map(String::as_str),
                    };
                    if let Some(op) = op.and_then(|op| sdk().find(s, op)) {
                        out.calls.push(Call {
                            op,
                            span: method.byte_range(),
                            target,
                            sdk: SDK,
                            scope,
                        });
                    }
                }
                Some(Val::UnknownClient) => out.unknown.push(Unknown {
                    span: method.byte_range(),
                    service: None,
                    scope,
                }),
                _ => {}
            }
        }
        if let (Some(call), Some(receiver)) = (m.get("computed"), m.get("receiver")) {
            match ctx.eval(receiver) {
                Some(Val::Client(s)) | Some(Val::Resource(s, ..)) => out.unknown.push(Unknown {
                    span: call.byte_range(),
                    service: Some(s),
                    scope: scope_of(&top, call.start_byte()),
                }),
                Some(Val::UnknownClient) => out.unknown.push(Unknown {
                    span: call.byte_range(),
                    service: None,
                    scope: scope_of(&top, call.start_byte()),
                }),
                _ => {}
            }
        }
    }
    out
}

/// The operation a client method performs: an API method, an injected helper, or an operation named by
/// `get_paginator("…")` / `generate_presigned_url("…")`.
fn client_op(ctx: &Ctx, s: usize, method: &str, args: Node) -> Option<OpRef> {
    if let Some(op) = sdk().find_py(s, method) {
        return Some(op);
    }
    if let Some(op) = sdk().helper("boto3", Some(s), method) {
        return Some(op);
    }
    let named = match method {
        "get_paginator" => ctx.str_arg(args, 0, &["operation_name"]),
        "generate_presigned_url" => ctx.str_arg(args, 0, &["ClientMethod"]),
        _ => None,
    };
    match named {
        Some(Val::Str(name)) => sdk().find_py(s, &name),
        _ => None,
    }
}

impl Ctx<'_> {
    fn bind_name(&mut self, name: &str, val: Val) {
        let entry = self.bindings.entry((MODULE, name.to_string())).or_default();
        if !entry.contains(&val) {
            entry.push(val);
        }
    }
}

/// Top-level definitions with their spans, and the identifiers each mentions.
fn top_level(tree: &Tree, text: &str, out: &mut FileCalls) -> Vec<(String, crate::text::Span)> {
    let root = tree.root_node();
    let mut defs = Vec::new();
    let mut c = root.walk();
    for child in root.named_children(&mut c) {
        let def = if child.kind() == "decorated_definition" {
            child.child_by_field_name("definition")
        } else {
            Some(child)
        };
        let Some(def) = def else { continue };
        if !matches!(def.kind(), "function_definition" | "class_definition") {
            continue;
        }
        let Some(name) = def.child_by_field_name("name") else {
            continue;
        };
        let name = text_of(name, text).to_string();
        let mut ids = std::collections::HashSet::new();
        identifiers(child, text, &mut ids);
        out.refs.insert(name.clone(), ids);
        defs.push((name, child.byte_range()));
    }
    defs
}
