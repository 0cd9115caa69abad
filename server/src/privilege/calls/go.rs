//! AWS SDK for Go v2: clients from `s3.NewFromConfig(cfg)` or `s3.New(…)`, names declared as `*s3.Client`
//! (parameters, struct fields, `var`s), operations `client.PutObject(ctx, &s3.PutObjectInput{…})`,
//! paginators `s3.NewListObjectsV2Paginator(client, …)`, presigning and the S3 transfer manager.
//! And v1 (`github.com/aws/aws-sdk-go`), still common in Lambda code: `dynamodb.New(sess)`, clients
//! declared as `*dynamodb.DynamoDB`, and the `…WithContext`, `…Request` and `…Pages` method forms.

use super::{
    identifiers, scope_of, string_literal, target_params, text_of, Call, FileCalls, Import, Target,
};
use crate::handler::code::{matches, query};
use crate::privilege::sdk::sdk;
use crate::syntax::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

const SOURCE: &str = include_str!("../../../../grammars/go/sdk.scm");
const SDK: &str = "AWS SDK for Go v2";
const SDK_V1: &str = "AWS SDK for Go v1";
const SERVICE_PATH: &str = "github.com/aws/aws-sdk-go-v2/service/";
const SERVICE_PATH_V1: &str = "github.com/aws/aws-sdk-go/service/";

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Package(usize),
    PackageV1(usize),
    Manager,
    Aws,
    Os,
    Client(usize),
    ClientV1(usize),
    Presign(usize),
    Uploader,
    Downloader,
    Str(String),
    Env(String),
    Unknown,
}

struct Ctx<'t> {
    text: &'t str,
    bindings: HashMap<String, Vec<Val>>,
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
            Some(Val::Unknown)
        }
    }

    /// A declared type: `*s3.Client`, `s3.Client`, `*manager.Uploader`.
    fn of_type(&self, node: Node) -> Option<Val> {
        let node = if node.kind() == "pointer_type" {
            node.named_child(0)?
        } else {
            node
        };
        if node.kind() != "qualified_type" {
            return None;
        }
        let pkg = self.lookup(text_of(node.child_by_field_name("package")?, self.text))?;
        let name = text_of(node.child_by_field_name("name")?, self.text);
        match (pkg, name) {
            (Val::Package(s), "Client") => Some(Val::Client(s)),
            (Val::Package(s), "PresignClient") => Some(Val::Presign(s)),
            // v1 names the client after the service: `*dynamodb.DynamoDB`, `*s3.S3`, `*sfn.SFN`.
            (Val::PackageV1(s), n) if v1_client_type(s, n) => Some(Val::ClientV1(s)),
            (Val::Manager, "Uploader") => Some(Val::Uploader),
            (Val::Manager, "Downloader") => Some(Val::Downloader),
            _ => None,
        }
    }

    fn eval(&self, node: Node<'t>) -> Option<Val> {
        let text = self.text;
        match node.kind() {
            "identifier" => self.lookup(text_of(node, text)),
            "interpreted_string_literal" | "raw_string_literal" => {
                string_literal(node, text).map(Val::Str)
            }
            "parenthesized_expression" => self.eval(node.named_child(0)?),
            "unary_expression" => self.eval(node.child_by_field_name("operand")?),
            "selector_expression" => self.lookup(text_of(node, text)).or_else(|| {
                let field = text_of(node.child_by_field_name("field")?, text);
                self.lookup(field)
            }),
            "call_expression" => {
                let function = node.child_by_field_name("function")?;
                let args = node.child_by_field_name("arguments")?;
                if function.kind() != "selector_expression" {
                    return None;
                }
                let operand = function.child_by_field_name("operand")?;
                let field = text_of(function.child_by_field_name("field")?, text);
                let first = || {
                    let mut c = args.walk();
                    let a = args.named_children(&mut c).next();
                    a.and_then(|a| self.eval(a))
                };
                match (self.lookup(text_of(operand, text))?, field) {
                    (Val::Package(s), "NewFromConfig" | "New") => Some(Val::Client(s)),
                    (Val::Package(s), "NewPresignClient") => Some(Val::Presign(s)),
                    (Val::PackageV1(s), "New") => Some(Val::ClientV1(s)),
                    (Val::Manager, "NewUploaderWithClient" | "NewUploaderWithContext") => {
                        Some(Val::Uploader)
                    }
                    (Val::Manager, "NewDownloaderWithClient" | "NewDownloaderWithContext") => {
                        Some(Val::Downloader)
                    }
                    (Val::Manager, "NewUploader") => Some(Val::Uploader),
                    (Val::Manager, "NewDownloader") => Some(Val::Downloader),
                    (Val::Aws, "String") => first(),
                    (Val::Os, "Getenv" | "LookupEnv") => match first()? {
                        Val::Str(s) => Some(Val::Env(s)),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The resource named in an input struct literal (`&s3.PutObjectInput{Bucket: aws.String(b)}`).
    fn target(&self, args: Node<'t>, service: usize) -> Option<Target> {
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            let lit = if a.kind() == "unary_expression" {
                a.child_by_field_name("operand")
            } else {
                Some(a)
            };
            let Some(lit) = lit.filter(|l| l.kind() == "composite_literal") else {
                continue;
            };
            let Some(body) = lit.child_by_field_name("body") else {
                continue;
            };
            let mut c2 = body.walk();
            for el in body.named_children(&mut c2) {
                if el.kind() != "keyed_element" {
                    continue;
                }
                let key = el.child_by_field_name("key").map(|k| text_of(k, self.text));
                let value = el
                    .child_by_field_name("value")
                    .and_then(|v| v.named_child(0));
                let (Some(key), Some(value)) = (key, value) else {
                    continue;
                };
                if !target_params(service)
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(key.trim()))
                {
                    continue;
                }
                return match self.eval(value)? {
                    Val::Str(s) => Some(Target::Literal(s)),
                    Val::Env(s) => Some(Target::Env(s)),
                    _ => None,
                };
            }
        }
        None
    }
}

fn bind_lists<'t>(ctx: &mut Ctx<'t>, lhs: Node<'t>, rhs: Node<'t>) {
    let text = ctx.text;
    let left: Vec<Node> = if lhs.kind() == "expression_list" {
        let mut c = lhs.walk();
        lhs.named_children(&mut c).collect()
    } else {
        vec![lhs]
    };
    let right: Vec<Node> = if rhs.kind() == "expression_list" {
        let mut c = rhs.walk();
        rhs.named_children(&mut c).collect()
    } else {
        vec![rhs]
    };
    for (i, l) in left.iter().enumerate() {
        // `client, err := f()` binds the first name to the call's value.
        let r = if right.len() == 1 {
            (i == 0).then(|| right[0])
        } else {
            right.get(i).copied()
        };
        let Some(v) = r.and_then(|r| ctx.eval(r)) else {
            continue;
        };
        let key = text_of(*l, text).to_string();
        if let Some(field) = l
            .child_by_field_name("field")
            .filter(|_| l.kind() == "selector_expression")
        {
            let f = text_of(field, text).to_string();
            ctx.bind(&f, v.clone());
        }
        ctx.bind(&key, v);
    }
}

pub fn extract(tree: &Tree, text: &str) -> FileCalls {
    static Q: OnceLock<Option<Query>> = OnceLock::new();
    let Some(q) = query(&Q, Lang::Go, SOURCE) else {
        return FileCalls::default();
    };
    let all = matches(q, tree, text);
    let mut ctx = Ctx {
        text,
        bindings: HashMap::new(),
    };
    let mut out = FileCalls::default();
    for m in &all {
        let (Some(spec), Some(path)) = (m.get("import"), m.get("path")) else {
            continue;
        };
        let Some(p) = string_literal(path, text) else {
            continue;
        };
        let alias = spec
            .child_by_field_name("name")
            .map(|n| text_of(n, text).to_string());
        let last = p.rsplit('/').next().unwrap_or(&p).to_string();
        let val = if let Some(rest) = p.strip_prefix(SERVICE_PATH) {
            sdk().by_key(rest).map(Val::Package)
        } else if p == "github.com/aws/aws-sdk-go-v2/feature/s3/manager"
            || p == "github.com/aws/aws-sdk-go/service/s3/s3manager"
        {
            Some(Val::Manager)
        } else if let Some(rest) = p.strip_prefix(SERVICE_PATH_V1) {
            sdk().by_key(rest).map(Val::PackageV1)
        } else if p == "github.com/aws/aws-sdk-go-v2/aws" || p == "github.com/aws/aws-sdk-go/aws" {
            Some(Val::Aws)
        } else if p == "os" {
            Some(Val::Os)
        } else {
            None
        };
        match val {
            Some(v) => ctx.bind(alias.as_deref().unwrap_or(&last), v),
            None if p.contains('.') && !p.starts_with("github.com/aws/") => {
                out.imports.push(Import {
                    spec: p,
                    names: Vec::new(),
                })
            }
            None => {}
        }
    }
    for _ in 0..4 {
        let before: usize = ctx.bindings.values().map(Vec::len).sum();
        for m in &all {
            if let (Some(name), Some(ty)) = (m.get("typed"), m.get("type")) {
                if let Some(v) = ctx.of_type(ty) {
                    let key = text_of(name, text).to_string();
                    ctx.bind(&key, v);
                }
            }
            if let (Some(lhs), Some(rhs)) = (m.get("lhs"), m.get("rhs")) {
                bind_lists(&mut ctx, lhs, rhs);
            }
        }
        if ctx.bindings.values().map(Vec::len).sum::<usize>() == before {
            break;
        }
    }
    let top = top_level(tree, text, &mut out);
    for m in &all {
        let (Some(call), Some(receiver), Some(method), Some(args)) = (
            m.get("call"),
            m.get("receiver"),
            m.get("method"),
            m.get("args"),
        ) else {
            continue;
        };
        let name = text_of(method, text);
        let receiver = ctx.eval(receiver);
        let op = match receiver {
            Some(Val::Client(s)) => sdk()
                .find(s, name)
                .filter(|op| sdk().operation(*op).name == name),
            Some(Val::ClientV1(s)) => v1_operation(s, name),
            Some(Val::Presign(s)) => name
                .strip_prefix("Presign")
                .and_then(|op| sdk().find(s, op)),
            Some(Val::Uploader) => matches!(name, "Upload" | "UploadWithContext")
                .then(|| sdk().helper("go", None, "s3/manager.Upload"))
                .flatten()
                .or_else(|| {
                    let s3 = sdk().by_boto3("s3")?;
                    matches!(name, "Upload" | "UploadWithContext")
                        .then(|| sdk().find(s3, "PutObject"))
                        .flatten()
                }),
            Some(Val::Downloader) => {
                let s3 = sdk().by_boto3("s3");
                s3.and_then(|s3| {
                    (name.starts_with("Download")).then(|| sdk().find(s3, "GetObject"))
                })
                .flatten()
            }
            Some(Val::Package(s)) => name
                .strip_prefix("New")
                .and_then(|n| n.strip_suffix("Paginator"))
                .and_then(|op| sdk().find(s, op)),
            _ => None,
        };
        if let Some(op) = op {
            out.calls.push(Call {
                op,
                span: method.byte_range(),
                target: ctx.target(args, op.service),
                sdk: if matches!(receiver, Some(Val::ClientV1(_))) {
                    SDK_V1
                } else {
                    SDK
                },
                scope: scope_of(&top, call.start_byte()),
            });
        }
    }
    out
}

/// Whether `name` is the v1 client type of service `s` (`DynamoDB`, `S3`, `SFN`, `CloudWatchLogs`).
fn v1_client_type(s: usize, name: &str) -> bool {
    let service = sdk().service(s);
    let sid: String = service
        .sid
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    sid.eq_ignore_ascii_case(name) || service.id.eq_ignore_ascii_case(name)
}

/// A v1 client method: the operation itself, or its `…WithContext`, `…Request`, `…Pages` and
/// `…PagesWithContext` forms, which make the same request.
fn v1_operation(s: usize, name: &str) -> Option<crate::privilege::sdk::OpRef> {
    let exact = |n: &str| sdk().find(s, n).filter(|op| sdk().operation(*op).name == n);
    exact(name).or_else(|| {
        ["PagesWithContext", "WithContext", "Pages", "Request"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix).and_then(exact))
    })
}

/// Top-level functions and methods with their spans.
fn top_level(tree: &Tree, text: &str, out: &mut FileCalls) -> Vec<(String, crate::text::Span)> {
    let root = tree.root_node();
    let mut defs = Vec::new();
    let mut c = root.walk();
    for child in root.named_children(&mut c) {
        if !matches!(child.kind(), "function_declaration" | "method_declaration") {
            continue;
        }
        let Some(n) = child.child_by_field_name("name") else {
            continue;
        };
        let name = text_of(n, text).to_string();
        let mut ids = std::collections::HashSet::new();
        identifiers(child, text, &mut ids);
        out.refs.insert(name.clone(), ids);
        defs.push((name, child.byte_range()));
    }
    defs
}
