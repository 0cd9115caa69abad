//! JavaScript and TypeScript: SDK v3 commands (`new PutObjectCommand(…)`, wherever it is sent or
//! presigned), aggregated v3 clients (`new S3().putObject(…)`), lib-dynamodb (`PutCommand`,
//! `DynamoDBDocument`), and SDK v2 (`new AWS.S3().putObject(…)`, `new AWS.DynamoDB.DocumentClient().put(…)`,
//! `s3.upload`, `getSignedUrl("getObject", …)`).

use super::{
    identifiers, scope_of, string_literal, target_params, text_of, Call, FileCalls, Import, Target,
    Unknown,
};
use crate::handler::code::{matches, query};
use crate::privilege::sdk::sdk;
use crate::syntax::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

const SOURCE: &str = include_str!("../../../../grammars/javascript/sdk.scm");
const V3: &str = "AWS SDK for JavaScript v3";
const V2: &str = "AWS SDK for JavaScript v2";

#[derive(Clone, Debug, PartialEq)]
enum Val {
    /// `import * as s3 from "@aws-sdk/client-s3"`.
    V3Package(usize),
    /// A name imported from a v3 client package.
    V3Name(usize, String),
    /// `@aws-sdk/lib-dynamodb` as a namespace, or one of its names.
    DocPackage,
    DocName(String),
    /// `@aws-sdk/lib-storage` as a namespace, or one of its names (`Upload`).
    StoragePackage,
    StorageName(String),
    /// The `aws-sdk` module (v2).
    V2Root,
    /// A v2 client class (`AWS.S3`); `DocClass` is `AWS.DynamoDB.DocumentClient`.
    V2Class(usize),
    DocClass,
    /// Clients whose methods are operations: v3 aggregated, v2, and the document clients.
    Client(usize, &'static str),
    DocClient(&'static str),
    /// A v3 bare client (`new S3Client()`): operations go through commands.
    BareClient,
    Process,
    ProcessEnv,
    Str(String),
    Env(String),
    Object(usize),
    UnknownClient,
}

impl Val {
    fn is_sdk(&self) -> bool {
        matches!(
            self,
            Val::Client(..) | Val::DocClient(_) | Val::BareClient | Val::UnknownClient
        )
    }
}

struct Ctx<'t> {
    text: &'t str,
    bindings: HashMap<String, Vec<Val>>,
    /// Object literals by start byte (for `new XCommand(params)` with `const params = {…}`).
    objects: HashMap<usize, Node<'t>>,
}

fn strip_quotes(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`')
}

/// What a module specifier brings: a v3 client package, lib-dynamodb, or SDK v2 (whole or one client).
fn package(spec: &str) -> Option<Val> {
    if let Some(rest) = spec.strip_prefix("@aws-sdk/client-") {
        return sdk().by_key(rest).map(Val::V3Package);
    }
    if spec == "@aws-sdk/lib-dynamodb" {
        return Some(Val::DocPackage);
    }
    if spec == "@aws-sdk/lib-storage" {
        return Some(Val::StoragePackage);
    }
    if spec == "aws-sdk" || spec == "aws-sdk/global" {
        return Some(Val::V2Root);
    }
    if let Some(rest) = spec.strip_prefix("aws-sdk/clients/") {
        if rest == "dynamodb" {
            return sdk().by_boto3("dynamodb").map(Val::V2Class);
        }
        return sdk()
            .services
            .iter()
            .position(|s| s.js2.eq_ignore_ascii_case(rest))
            .map(Val::V2Class);
    }
    None
}

/// A name taken from a package.
fn member(pkg: &Val, name: &str) -> Option<Val> {
    match pkg {
        Val::V3Package(s) => Some(Val::V3Name(*s, name.to_string())),
        Val::DocPackage => Some(Val::DocName(name.to_string())),
        Val::StoragePackage => Some(Val::StorageName(name.to_string())),
        Val::V2Root => {
            if name == "default" {
                return Some(Val::V2Root);
            }
            sdk().by_js2(name).map(Val::V2Class)
        }
        Val::V2Class(s) if name == "DocumentClient" && Some(*s) == sdk().by_boto3("dynamodb") => {
            Some(Val::DocClass)
        }
        _ => None,
    }
}

impl<'t> Ctx<'t> {
    fn bind(&mut self, key: &str, val: Val) {
        let entry = self.bindings.entry(key.to_string()).or_default();
        if !entry.contains(&val) {
            entry.push(val);
        }
    }

    fn lookup(&self, key: &str) -> Option<Val> {
        let vals = self.bindings.get(key)?;
        let first = vals.first()?;
        if vals.iter().all(|v| v == first) {
            Some(first.clone())
        } else {
            vals.iter().any(Val::is_sdk).then_some(Val::UnknownClient)
        }
    }

    fn eval(&self, node: Node<'t>) -> Option<Val> {
        let text = self.text;
        match node.kind() {
            "identifier" => {
                let name = text_of(node, text);
                self.lookup(name)
                    .or_else(|| (name == "process").then_some(Val::Process))
            }
            "string" | "template_string" => string_literal(node, text).map(Val::Str),
            "object" => Some(Val::Object(node.start_byte())),
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => self.eval(node.named_child(0)?),
            "member_expression" => {
                if let Some(v) = self.lookup(text_of(node, text)) {
                    return Some(v);
                }
                let object = self.eval(node.child_by_field_name("object")?)?;
                let prop = text_of(node.child_by_field_name("property")?, text);
                match object {
                    Val::Process if prop == "env" => Some(Val::ProcessEnv),
                    Val::ProcessEnv => Some(Val::Env(prop.to_string())),
                    other => member(&other, prop),
                }
            }
            "subscript_expression" => {
                let object = self.eval(node.child_by_field_name("object")?)?;
                let index = self.eval(node.child_by_field_name("index")?);
                match (object, index) {
                    (Val::ProcessEnv, Some(Val::Str(s))) => Some(Val::Env(s)),
                    (Val::V2Root, _) => Some(Val::UnknownClient),
                    _ => None,
                }
            }
            "new_expression" => {
                let ctor = self.eval(node.child_by_field_name("constructor")?);
                match ctor? {
                    Val::V2Class(s) => Some(Val::Client(s, V2)),
                    Val::DocClass => Some(Val::DocClient(V2)),
                    Val::V3Name(s, name) => {
                        let class = sdk().service(s).js3_class();
                        if name == class {
                            Some(Val::Client(s, V3))
                        } else if name == format!("{class}Client") {
                            Some(Val::BareClient)
                        } else {
                            None
                        }
                    }
                    Val::DocName(name) if name == "DynamoDBDocument" => Some(Val::DocClient(V3)),
                    Val::DocName(name) if name == "DynamoDBDocumentClient" => Some(Val::BareClient),
                    Val::UnknownClient => Some(Val::UnknownClient),
                    _ => None,
                }
            }
            "call_expression" => {
                let function = node.child_by_field_name("function")?;
                if function.kind() != "member_expression" {
                    return None;
                }
                let object = self.eval(function.child_by_field_name("object")?)?;
                let method = text_of(function.child_by_field_name("property")?, text);
                match (object, method) {
                    (Val::DocName(n), "from") if n == "DynamoDBDocument" => {
                        Some(Val::DocClient(V3))
                    }
                    (Val::DocName(n), "from") if n == "DynamoDBDocumentClient" => {
                        Some(Val::BareClient)
                    }
                    // `s3.putObject(p).promise()` is the call itself; the value is not a client.
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The resource-naming property of a request object (an object literal, or a name bound to one).
    fn target(&self, args: Option<Node<'t>>, index: usize, service: usize) -> Option<Target> {
        let args = args?;
        let mut c = args.walk();
        let arg = args
            .named_children(&mut c)
            .filter(|n| n.kind() != "comment")
            .nth(index)?;
        let object = match self.eval(arg)? {
            Val::Object(start) => self.objects.get(&start).copied()?,
            _ => return None,
        };
        let mut c = object.walk();
        for pair in object.named_children(&mut c) {
            let (key, value) = match pair.kind() {
                "pair" => (
                    pair.child_by_field_name("key")
                        .map(|k| strip_quotes(text_of(k, self.text)).to_string()),
                    pair.child_by_field_name("value"),
                ),
                "shorthand_property_identifier" => {
                    (Some(text_of(pair, self.text).to_string()), Some(pair))
                }
                _ => continue,
            };
            let (Some(key), Some(value)) = (key, value) else {
                continue;
            };
            if !target_params(service)
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&key))
            {
                continue;
            }
            let value = if value.kind() == "shorthand_property_identifier" {
                self.lookup(&key)
            } else {
                self.eval(value)
            };
            return match value? {
                Val::Str(s) => Some(Target::Literal(s)),
                Val::Env(s) => Some(Target::Env(s)),
                _ => None,
            };
        }
        None
    }
}

fn collect_objects<'t>(node: Node<'t>, out: &mut HashMap<usize, Node<'t>>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "object" {
            out.insert(n.start_byte(), n);
        }
        let mut c = n.walk();
        for ch in n.children(&mut c) {
            stack.push(ch);
        }
    }
}

/// Binds the names of an import clause or a destructuring `require`.
fn bind_import(ctx: &mut Ctx, node: Node, pkg: &Val, text: &str, names: &mut Vec<String>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "import_specifier" => {
                let name = n.child_by_field_name("name").map(|x| text_of(x, text));
                let alias = n.child_by_field_name("alias").map(|x| text_of(x, text));
                if let Some(name) = name {
                    names.push(name.to_string());
                    if let Some(v) = member(pkg, name) {
                        ctx.bind(alias.unwrap_or(name), v);
                    }
                }
            }
            "namespace_import" => {
                if let Some(id) = n.named_child(0) {
                    names.push("*".into());
                    ctx.bind(text_of(id, text), pkg.clone());
                }
            }
            "shorthand_property_identifier_pattern" => {
                let name = text_of(n, text);
                names.push(name.to_string());
                if let Some(v) = member(pkg, name) {
                    ctx.bind(name, v);
                }
            }
            "pair_pattern" => {
                let key = n.child_by_field_name("key").map(|x| text_of(x, text));
                let value = n.child_by_field_name("value").map(|x| text_of(x, text));
                if let (Some(key), Some(value)) = (key, value) {
                    names.push(key.to_string());
                    if let Some(v) = member(pkg, key) {
                        ctx.bind(value, v);
                    }
                }
            }
            "identifier" => {
                // A default import or `const AWS = require("aws-sdk")`.
                names.push("default".into());
                let v = match pkg {
                    Val::V2Root | Val::V2Class(_) | Val::V3Package(_) | Val::DocPackage => {
                        pkg.clone()
                    }
                    _ => continue,
                };
                ctx.bind(text_of(n, text), v);
            }
            _ => {
                let mut c = n.walk();
                for ch in n.named_children(&mut c) {
                    if ch.kind() != "string" {
                        stack.push(ch);
                    }
                }
            }
        }
    }
}

fn params_of(def: Node, text: &str) -> Vec<String> {
    let params = def
        .child_by_field_name("parameters")
        .or_else(|| def.child_by_field_name("parameter"));
    let Some(params) = params else {
        return Vec::new();
    };
    if params.kind() == "identifier" {
        return vec![text_of(params, text).to_string()];
    }
    let mut c = params.walk();
    params
        .named_children(&mut c)
        .filter_map(|p| {
            let id = match p.kind() {
                "identifier" => Some(p),
                "assignment_pattern" => p.child_by_field_name("left"),
                "required_parameter" | "optional_parameter" => p.child_by_field_name("pattern"),
                _ => None,
            }?;
            (id.kind() == "identifier").then(|| text_of(id, text).to_string())
        })
        .collect()
}

pub fn extract(lang: Lang, tree: &Tree, text: &str) -> FileCalls {
    static JS: OnceLock<Option<Query>> = OnceLock::new();
    static TS: OnceLock<Option<Query>> = OnceLock::new();
    static TSX: OnceLock<Option<Query>> = OnceLock::new();
    let cell = match lang {
        Lang::TypeScript => &TS,
        Lang::Tsx => &TSX,
        _ => &JS,
    };
    let Some(q) = query(cell, lang, SOURCE) else {
        return FileCalls::default();
    };
    let all = matches(q, tree, text);
    let mut ctx = Ctx {
        text,
        bindings: HashMap::new(),
        objects: HashMap::new(),
    };
    collect_objects(tree.root_node(), &mut ctx.objects);
    let mut out = FileCalls::default();
    for m in &all {
        let Some(source) = m.get("source") else {
            continue;
        };
        let spec = strip_quotes(text_of(source, text));
        let mut names = Vec::new();
        match package(spec) {
            Some(pkg) => {
                if let Some(node) = m.get("import") {
                    let mut c = node.walk();
                    for ch in node.named_children(&mut c) {
                        if ch.kind() == "import_clause" {
                            bind_import(&mut ctx, ch, &pkg, text, &mut names);
                        }
                    }
                } else if let Some(pattern) = m.get("pattern") {
                    bind_import(&mut ctx, pattern, &pkg, text, &mut names);
                }
            }
            None if spec.starts_with('.') => {
                if let Some(node) = m.get("import").or_else(|| m.get("pattern")) {
                    let mut scratch = Ctx {
                        text,
                        bindings: HashMap::new(),
                        objects: HashMap::new(),
                    };
                    bind_import(
                        &mut scratch,
                        node,
                        &Val::Str(String::new()),
                        text,
                        &mut names,
                    );
                }
                out.imports.push(Import {
                    spec: spec.to_string(),
                    names,
                });
            }
            None => {}
        }
    }
    let defs: HashMap<&str, Vec<String>> = all
        .iter()
        .filter_map(|m| {
            let d = m.get("def")?;
            Some((text_of(m.get("def_name")?, text), params_of(d, text)))
        })
        .collect();
    for _ in 0..4 {
        let before: usize = ctx.bindings.values().map(Vec::len).sum();
        for m in &all {
            if let (Some(_), Some(lhs), Some(rhs)) = (m.get("assign"), m.get("lhs"), m.get("rhs")) {
                if let Some(v) = ctx.eval(rhs) {
                    let key = text_of(lhs, text).to_string();
                    ctx.bind(&key, v);
                }
            }
            if let (Some(f), Some(args)) = (m.get("function"), m.get("args")) {
                let Some(params) = defs.get(text_of(f, text)) else {
                    continue;
                };
                let mut c = args.walk();
                for (i, a) in args
                    .named_children(&mut c)
                    .filter(|n| n.kind() != "comment")
                    .enumerate()
                {
                    if let (Some(p), Some(v)) = (params.get(i), ctx.eval(a).filter(Val::is_sdk)) {
                        let p = p.clone();
                        ctx.bind(&p, v);
                    }
                }
            }
        }
        if ctx.bindings.values().map(Vec::len).sum::<usize>() == before {
            break;
        }
    }
    let top = top_level(tree, text, &mut out);
    for m in &all {
        if let Some(new) = m.get("new") {
            let Some(ctor) = m.get("ctor") else { continue };
            let scope = scope_of(&top, new.start_byte());
            let args = new.child_by_field_name("arguments");
            let found = match ctx.eval(ctor) {
                Some(Val::V3Name(s, name)) => name
                    .strip_suffix("Command")
                    .and_then(|op| sdk().find(s, op))
                    .map(|op| (op, V3)),
                Some(Val::DocName(name)) => name
                    .strip_suffix("Command")
                    .and_then(|op| sdk().document(op))
                    .map(|op| (op, V3)),
                // `new Upload({ client, params })` uploads with PutObject (multipart parts included).
                Some(Val::StorageName(name)) if name == "Upload" => sdk()
                    .by_boto3("s3")
                    .and_then(|s3| sdk().find(s3, "PutObject"))
                    .map(|op| (op, V3)),
                _ => None,
            };
            if let Some((op, lib)) = found {
                let target = ctx.target(args, 0, op.service);
                out.calls.push(Call {
                    op,
                    span: ctor.byte_range(),
                    target,
                    sdk: lib,
                    scope,
                });
            }
        }
        if let (Some(call), Some(receiver), Some(method), Some(args)) = (
            m.get("call"),
            m.get("receiver"),
            m.get("method"),
            m.get("args"),
        ) {
            let scope = scope_of(&top, call.start_byte());
            let name = text_of(method, text);
            let found = match ctx.eval(receiver) {
                Some(Val::Client(s, lib)) => {
                    let op = sdk()
                        .find(s, name)
                        .filter(|op| lower_first(&sdk().operation(*op).name) == name)
                        .or_else(|| {
                            (lib == V2)
                                .then(|| sdk().helper("js2", Some(s), name))
                                .flatten()
                        })
                        .or_else(|| match name {
                            "getSignedUrl" | "getSignedUrlPromise" => {
                                match ctx.eval(args.named_child(0)?)? {
                                    Val::Str(op) => sdk().find(s, &op),
                                    _ => None,
                                }
                            }
                            _ => None,
                        });
                    op.map(|op| (op, lib))
                }
                Some(Val::DocClient(lib)) => sdk().document(name).map(|op| (op, lib)),
                Some(Val::UnknownClient) => {
                    out.unknown.push(Unknown {
                        span: method.byte_range(),
                        service: None,
                        scope: scope.clone(),
                    });
                    None
                }
                _ => None,
            };
            if let Some((op, lib)) = found {
                let target = ctx.target(Some(args), 0, op.service);
                out.calls.push(Call {
                    op,
                    span: method.byte_range(),
                    target,
                    sdk: lib,
                    scope,
                });
            }
        }
        if let (Some(call), Some(receiver)) = (m.get("computed"), m.get("receiver")) {
            match ctx.eval(receiver) {
                Some(Val::Client(s, _)) => out.unknown.push(Unknown {
                    span: call.byte_range(),
                    service: Some(s),
                    scope: scope_of(&top, call.start_byte()),
                }),
                Some(Val::DocClient(_) | Val::UnknownClient) => out.unknown.push(Unknown {
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

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Top-level declarations (functions, classes, `const`s, exported ones too) with their spans.
fn top_level(tree: &Tree, text: &str, out: &mut FileCalls) -> Vec<(String, crate::text::Span)> {
    let root = tree.root_node();
    let mut defs = Vec::new();
    let mut c = root.walk();
    for child in root.named_children(&mut c) {
        let decl = if child.kind() == "export_statement" {
            child.child_by_field_name("declaration").unwrap_or(child)
        } else {
            child
        };
        let mut names = Vec::new();
        match decl.kind() {
            "function_declaration" | "class_declaration" | "generator_function_declaration" => {
                if let Some(n) = decl.child_by_field_name("name") {
                    names.push(text_of(n, text).to_string());
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c2 = decl.walk();
                for d in decl.named_children(&mut c2) {
                    if let Some(n) = d.child_by_field_name("name") {
                        if n.kind() == "identifier" {
                            names.push(text_of(n, text).to_string());
                        }
                    }
                }
            }
            "expression_statement" => {
                // `exports.handler = …`, `module.exports.handler = …`.
                if let Some(a) = decl
                    .named_child(0)
                    .filter(|a| a.kind() == "assignment_expression")
                {
                    if let Some(left) = a.child_by_field_name("left") {
                        let l = text_of(left, text);
                        if let Some(name) = l
                            .strip_prefix("exports.")
                            .or_else(|| l.strip_prefix("module.exports."))
                        {
                            names.push(name.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
        for name in names {
            let mut ids = std::collections::HashSet::new();
            identifiers(child, text, &mut ids);
            out.refs.insert(name.clone(), ids);
            defs.push((name, child.byte_range()));
        }
    }
    defs
}
