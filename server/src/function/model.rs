//! One normalised model of a Lambda function, whatever declared it: `AWS::Serverless::Function` (after
//! merging `Globals.Function`), `AWS::Lambda::Function`, or a serverless.yml function (after `provider`
//! defaults). Every field keeps the value node it came from, so findings point at the right text.
//!
//! Values CloudFormation or the Serverless Framework resolve at deploy time (intrinsics, parameters,
//! `${self:…}` variables) are `Unknown`: checks skip them rather than guess.

use crate::syntax::{Key, Value, ValueKind};
use crate::workspace::{FileKind, Parsed};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Sam,
    CloudFormation,
    Serverless,
}

/// A configured value: the node it came from (which may be a `Globals` or `provider` node) and, when
/// known, its plain meaning.
#[derive(Clone, Debug)]
pub struct Field<'a> {
    pub node: &'a Value,
    /// Set when the value comes from `Globals.Function` or serverless `provider` rather than the function.
    pub inherited: bool,
}

impl<'a> Field<'a> {
    /// The string value, unless it is computed at deploy time.
    pub fn str(&self) -> Option<&'a str> {
        self.node.as_str().filter(|s| !is_variable(s))
    }

    pub fn num(&self) -> Option<f64> {
        match &self.node.kind {
            ValueKind::Num(n) => Some(*n),
            ValueKind::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn span(&self) -> std::ops::Range<usize> {
        self.node.span.clone()
    }
}

/// A Serverless Framework variable or an unresolved `${…}` reference.
pub fn is_variable(s: &str) -> bool {
    s.contains("${")
}

#[derive(Clone, Debug)]
pub struct EventSource<'a> {
    /// The event's name (its key under `Events`, or its index in serverless `events`).
    pub name: String,
    /// SAM event `Type` (`Api`, `SQS`, …) or the serverless event key (`http`, `sqs`, …).
    pub kind: String,
    pub key_span: std::ops::Range<usize>,
    pub node: &'a Value,
    pub properties: Option<&'a Value>,
}

#[derive(Clone, Debug)]
pub struct FunctionConfig<'a> {
    pub source: Source,
    /// Logical id (templates) or function key (serverless.yml).
    pub name: String,
    pub name_span: std::ops::Range<usize>,
    /// The resource (or serverless function) node.
    pub node: &'a Value,
    /// The `Properties` node of a template resource; the function node itself in serverless.yml.
    pub properties: Option<&'a Value>,
    pub function_name: Option<Field<'a>>,
    pub runtime: Option<Field<'a>>,
    pub handler: Option<Field<'a>>,
    /// SAM `CodeUri`, CloudFormation `Code`, or nothing (serverless code is the service folder).
    pub code: Option<Field<'a>>,
    pub inline_code: Option<Field<'a>>,
    pub package_type: Option<Field<'a>>,
    pub memory_size: Option<Field<'a>>,
    pub timeout: Option<Field<'a>>,
    pub architectures: Option<Field<'a>>,
    pub layers: Option<Field<'a>>,
    /// Every layer the function gets: SAM appends the function's `Layers` to `Globals.Function.Layers`.
    pub all_layers: Vec<&'a Value>,
    pub role: Option<Field<'a>>,
    pub policies: Option<Field<'a>>,
    /// Environment variables, function and inherited merged (function wins).
    pub environment: Vec<(&'a Key, Field<'a>)>,
    pub events: Vec<EventSource<'a>>,
    /// `Metadata.BuildMethod` (SAM) such as `esbuild` or `makefile`.
    pub build_method: Option<&'a str>,
    /// esbuild `Metadata.BuildProperties.EntryPoints`.
    pub entry_points: Vec<&'a str>,
    /// The local folder holding the code, when it is known and local.
    pub code_dir: Option<PathBuf>,
    /// `EphemeralStorage.Size` (templates) or `ephemeralStorageSize` (serverless.yml).
    pub ephemeral_storage: Option<Field<'a>>,
    /// `ReservedConcurrentExecutions` or serverless `reservedConcurrency`.
    pub reserved_concurrency: Option<Field<'a>>,
    pub description: Option<Field<'a>>,
    /// SAM `ImageUri`, CloudFormation `Code.ImageUri`, or serverless `image`.
    pub image: Option<Field<'a>>,
    /// `CapacityProviderConfig` (Lambda Managed Instances): raises the memory and timeout limits.
    pub capacity_provider: Option<Field<'a>>,
    /// The resource's `Metadata` (SAM build settings, `DockerContext`, …).
    pub metadata: Option<&'a Value>,
    /// SAM `AutoPublishAlias`, `DeploymentPreference` and `ProvisionedConcurrencyConfig` (with Globals).
    pub auto_publish_alias: Option<Field<'a>>,
    pub deployment_preference: Option<Field<'a>>,
    pub provisioned_concurrency: Option<Field<'a>>,
}

impl FunctionConfig<'_> {
    pub fn runtime_id(&self) -> Option<&str> {
        self.runtime.as_ref().and_then(|f| f.str())
    }
    pub fn handler_str(&self) -> Option<&str> {
        self.handler.as_ref().and_then(|f| f.str())
    }
    pub fn is_image(&self) -> bool {
        self.package_type.as_ref().and_then(|f| f.str()) == Some("Image")
            || (self.source == Source::Serverless && self.image.is_some())
    }
    /// The timeout in seconds when it is known (the Lambda default of 3 s when unset).
    pub fn timeout_secs(&self) -> Option<f64> {
        match &self.timeout {
            Some(f) => f.num(),
            None => Some(
                crate::function::data::limit("timeout")
                    .default
                    .unwrap_or(3.0),
            ),
        }
    }
    /// The declared key's span: where findings about the whole function go.
    pub fn anchor(&self) -> std::ops::Range<usize> {
        self.name_span.clone()
    }
}

/// The runtime every function inherits: SAM `Globals.Function.Runtime` or serverless `provider.runtime`.
pub fn default_runtime(file: &Parsed) -> Option<&Value> {
    let root = file.root()?;
    match file.kind {
        FileKind::Template => root.get_path(&["Globals", "Function", "Runtime"]),
        FileKind::Serverless if is_aws_service(root) => root.get_path(&["provider", "runtime"]),
        _ => None,
    }
}

/// Every function a template or serverless.yml declares, in document order.
pub fn functions(file: &Parsed) -> Vec<FunctionConfig<'_>> {
    let Some(root) = file.root() else {
        return Vec::new();
    };
    let base = file.path.parent().unwrap_or(Path::new("."));
    match file.kind {
        FileKind::Template => template_functions(root, base),
        FileKind::Serverless => serverless_functions(root, base),
        _ => Vec::new(),
    }
}

fn field(node: Option<&Value>, inherited: bool) -> Option<Field<'_>> {
    node.map(|node| Field { node, inherited })
}

/// What a SAM function inherits from `Globals.Function`, minus what its `IgnoreGlobals` attribute
/// (a list of property names, or `*`) opts out of.
#[derive(Clone, Copy)]
struct Inherit<'a> {
    node: Option<&'a Value>,
    ignore: Option<&'a Value>,
}

impl<'a> Inherit<'a> {
    fn ignored(&self, key: &str) -> bool {
        self.ignore.is_some_and(|i| {
            i.one_or_many()
                .iter()
                .any(|v| v.as_str().is_some_and(|s| s == "*" || s == key))
        })
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        if self.ignored(key) {
            return None;
        }
        self.node?.get(key)
    }

    fn get_path(&self, keys: &[&str]) -> Option<&'a Value> {
        if keys.first().is_some_and(|k| self.ignored(k)) {
            return None;
        }
        self.node?.get_path(keys)
    }
}

/// Own property first, then the `Globals.Function` default.
fn prop<'a>(props: Option<&'a Value>, globals: Inherit<'a>, key: &str) -> Option<Field<'a>> {
    field(props.and_then(|p| p.get(key)), false).or_else(|| field(globals.get(key), true))
}

fn template_functions<'a>(root: &'a Value, base: &Path) -> Vec<FunctionConfig<'a>> {
    let globals = root.get_path(&["Globals", "Function"]);
    let mut out = Vec::new();
    for (key, res) in root
        .get("Resources")
        .and_then(|r| r.as_map())
        .unwrap_or_default()
    {
        let source = match res.get("Type").and_then(|t| t.as_str()) {
            Some("AWS::Serverless::Function") => Source::Sam,
            Some("AWS::Lambda::Function") => Source::CloudFormation,
            _ => continue,
        };
        let props = res.get("Properties");
        // Globals apply to SAM functions only.
        let g = Inherit {
            node: globals.filter(|_| source == Source::Sam),
            ignore: res.get("IgnoreGlobals"),
        };
        let code = match source {
            Source::Sam => prop(props, g, "CodeUri"),
            _ => field(props.and_then(|p| p.get("Code")), false),
        };
        let inline_code = match source {
            Source::Sam => prop(props, g, "InlineCode"),
            _ => field(props.and_then(|p| p.get_path(&["Code", "ZipFile"])), false),
        };
        let metadata = res.get("Metadata");
        let environment = env_vars(
            props.and_then(|p| p.get_path(&["Environment", "Variables"])),
            g.get_path(&["Environment", "Variables"]),
        );
        let events = props
            .and_then(|p| p.get("Events"))
            .and_then(|e| e.as_map())
            .unwrap_or_default()
            .iter()
            .map(|(k, ev)| EventSource {
                name: k.text.clone(),
                kind: ev
                    .get("Type")
                    .and_then(|t| t.as_str())
                    .unwrap_or("")
                    .to_string(),
                key_span: k.span.clone(),
                node: ev,
                properties: ev.get("Properties"),
            })
            .collect();
        let code_dir = match source {
            _ if inline_code.is_some() => None,
            Source::Sam => match &code {
                // SAM's default CodeUri is the template's folder.
                None if inline_code.is_none() => Some(base.to_path_buf()),
                Some(f) => f
                    .str()
                    .filter(|s| !s.starts_with("s3://"))
                    .map(|s| base.join(s)),
                None => None,
            },
            // A local path that `aws cloudformation package` uploads.
            Source::CloudFormation => code
                .as_ref()
                .and_then(|f| f.str())
                .filter(|s| !s.starts_with("s3://"))
                .map(|s| base.join(s)),
            Source::Serverless => None,
        };
        out.push(FunctionConfig {
            source,
            name: key.text.clone(),
            name_span: key.span.clone(),
            node: res,
            properties: props,
            function_name: field(props.and_then(|p| p.get("FunctionName")), false),
            runtime: prop(props, g, "Runtime"),
            handler: prop(props, g, "Handler"),
            code,
            inline_code,
            package_type: prop(props, g, "PackageType"),
            memory_size: prop(props, g, "MemorySize"),
            timeout: prop(props, g, "Timeout"),
            architectures: prop(props, g, "Architectures"),
            layers: prop(props, g, "Layers"),
            all_layers: {
                // SAM concatenates lists from Globals with the function's own.
                let global = g.get("Layers");
                let own = props.and_then(|p| p.get("Layers"));
                [global, own]
                    .into_iter()
                    .flatten()
                    .filter_map(|l| l.as_seq())
                    .flatten()
                    .collect()
            },
            role: prop(props, g, "Role"),
            policies: field(props.and_then(|p| p.get("Policies")), false),
            environment,
            events,
            build_method: metadata
                .and_then(|m| m.get("BuildMethod"))
                .and_then(|b| b.as_str()),
            entry_points: metadata
                .and_then(|m| m.get_path(&["BuildProperties", "EntryPoints"]))
                .map(|e| {
                    e.one_or_many()
                        .into_iter()
                        .filter_map(|v| v.as_str())
                        .collect()
                })
                .unwrap_or_default(),
            code_dir,
            ephemeral_storage: field(
                props.and_then(|p| p.get_path(&["EphemeralStorage", "Size"])),
                false,
            )
            .or_else(|| field(g.get_path(&["EphemeralStorage", "Size"]), true)),
            reserved_concurrency: prop(props, g, "ReservedConcurrentExecutions"),
            description: prop(props, g, "Description"),
            image: match source {
                Source::Sam => prop(props, g, "ImageUri"),
                _ => field(props.and_then(|p| p.get_path(&["Code", "ImageUri"])), false),
            },
            capacity_provider: prop(props, g, "CapacityProviderConfig"),
            metadata,
            auto_publish_alias: prop(props, g, "AutoPublishAlias"),
            deployment_preference: prop(props, g, "DeploymentPreference"),
            provisioned_concurrency: prop(props, g, "ProvisionedConcurrencyConfig"),
        });
    }
    out
}

fn env_vars<'a>(own: Option<&'a Value>, inherited: Option<&'a Value>) -> Vec<(&'a Key, Field<'a>)> {
    let mut out: Vec<(&Key, Field)> = Vec::new();
    for (k, v) in own.and_then(|o| o.as_map()).unwrap_or_default() {
        out.push((
            k,
            Field {
                node: v,
                inherited: false,
            },
        ));
    }
    for (k, v) in inherited.and_then(|o| o.as_map()).unwrap_or_default() {
        if !out.iter().any(|(o, _)| o.text == k.text) {
            out.push((
                k,
                Field {
                    node: v,
                    inherited: true,
                },
            ));
        }
    }
    out
}

/// The bundler a serverless.yml plugin list names: handlers then point at TypeScript sources.
fn serverless_bundler(root: &Value) -> Option<&'static str> {
    let plugins = root.get("plugins")?;
    // `plugins` is a list, or `{localPath, modules}`.
    let list = plugins.get("modules").unwrap_or(plugins);
    list.one_or_many().iter().find_map(|p| match p.as_str()? {
        "serverless-esbuild" => Some("esbuild"),
        "serverless-plugin-typescript" => Some("typescript"),
        "serverless-webpack" => Some("webpack"),
        "serverless-bundle" => Some("webpack"),
        _ => None,
    })
}

/// The role's policy statements a serverless.yml grants every function.
fn serverless_statements(provider: Option<&Value>) -> Option<&Value> {
    let p = provider?;
    p.get_path(&["iam", "role", "statements"])
        .or_else(|| p.get("iamRoleStatements"))
}

/// Whether a serverless.yml deploys to AWS: services for other clouds (google, azure, openwhisk, …) have
/// no Lambda functions.
pub fn is_aws_service(root: &Value) -> bool {
    let provider = root.get("provider");
    let name = provider.and_then(|p| p.get("name").or(Some(p)));
    !name
        .and_then(|n| n.as_str())
        .is_some_and(|n| n != "aws" && !is_variable(n))
}

fn serverless_functions<'a>(root: &'a Value, base: &Path) -> Vec<FunctionConfig<'a>> {
    let provider = root.get("provider");
    if !is_aws_service(root) {
        return Vec::new();
    }
    let bundler = serverless_bundler(root);
    let mut out = Vec::new();
    for (key, f) in root
        .get("functions")
        .and_then(|r| r.as_map())
        .unwrap_or_default()
    {
        let own = |k: &str| field(f.get(k), false);
        let both =
            |k: &str, pk: &str| own(k).or_else(|| field(provider.and_then(|p| p.get(pk)), true));
        let artifact = f
            .get_path(&["package", "artifact"])
            .or_else(|| provider.and(root.get_path(&["package", "artifact"])));
        let events = f
            .get("events")
            .and_then(|e| e.as_seq())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, ev)| {
                let (k, props) = ev.as_map()?.first()?;
                Some(EventSource {
                    name: format!("{}[{i}]", k.text),
                    kind: k.text.clone(),
                    key_span: k.span.clone(),
                    node: ev,
                    properties: Some(props),
                })
            })
            .collect();
        out.push(FunctionConfig {
            source: Source::Serverless,
            name: key.text.clone(),
            name_span: key.span.clone(),
            node: f,
            properties: Some(f),
            function_name: own("name"),
            runtime: both("runtime", "runtime"),
            handler: own("handler"),
            code: None,
            inline_code: None,
            package_type: None,
            memory_size: both("memorySize", "memorySize"),
            timeout: both("timeout", "timeout"),
            architectures: both("architecture", "architecture"),
            layers: both("layers", "layers"),
            // A function's `layers` replaces the provider's.
            all_layers: both("layers", "layers")
                .and_then(|l| l.node.as_seq())
                .map(|s| s.iter().collect())
                .unwrap_or_default(),
            role: own("role").or_else(|| {
                field(
                    provider.and_then(|p| {
                        p.get_path(&["iam", "role"])
                            .filter(|r| r.as_str().is_some() || r.is_intrinsic())
                            .or_else(|| p.get("role"))
                    }),
                    true,
                )
            }),
            policies: field(serverless_statements(provider), true),
            environment: env_vars(
                f.get("environment"),
                provider.and_then(|p| p.get("environment")),
            ),
            events,
            build_method: bundler,
            entry_points: Vec::new(),
            // A prebuilt artifact is not the source tree: nothing local to resolve against.
            code_dir: if artifact.is_some() || f.get("image").is_some() {
                None
            } else {
                Some(base.to_path_buf())
            },
            ephemeral_storage: both("ephemeralStorageSize", "ephemeralStorageSize"),
            reserved_concurrency: own("reservedConcurrency"),
            description: own("description"),
            image: own("image"),
            capacity_provider: None,
            metadata: None,
            auto_publish_alias: None,
            deployment_preference: None,
            provisioned_concurrency: own("provisionedConcurrency"),
        });
    }
    out
}
