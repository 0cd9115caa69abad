//! What it takes to run one function, read from its config: runtime, handler, code folder, timeout,
//! memory, environment. Built from `function::model`, so invoke and the checks read configs the same way.

use super::InvokeError;
use crate::function::model::{self, FunctionConfig, Source};
use crate::syntax::{Value, ValueKind};
use crate::workspace::{self, FileKind, FileSource};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionSpec {
    /// The template or serverless.yml the function comes from.
    pub config_path: PathBuf,
    /// Logical id (templates) or function key (serverless.yml).
    pub id: String,
    /// `AWS_LAMBDA_FUNCTION_NAME`: `FunctionName` when it is a plain string, else the id.
    pub function_name: String,
    pub runtime: String,
    pub handler: String,
    pub code_dir: PathBuf,
    pub timeout_ms: u64,
    pub memory_mb: u32,
    /// The function's variables (config, then env file, then overrides).
    pub env: Vec<(String, String)>,
    /// The function's event sources in order: SAM `Type` or serverless key, and a detail that picks
    /// the sample (a Cognito trigger, an MQ broker kind, a stream ARN).
    pub events: Vec<(String, Option<String>)>,
}

/// How a runtime id is launched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Python,
    Node,
    Provided,
}

pub fn family(runtime: &str) -> Option<Family> {
    if runtime.starts_with("python3") {
        Some(Family::Python)
    } else if runtime.starts_with("nodejs") {
        Some(Family::Node)
    } else if runtime == "provided" || runtime.starts_with("provided.") {
        Some(Family::Provided)
    } else {
        None
    }
}

/// Reads `config` (editor buffers first, then disk) and builds the spec of `function`.
/// Notes about values that cannot be used locally go to `warnings`.
pub fn load(
    config: &Path,
    function: &str,
    files: &dyn FileSource,
    cache_dir: &Path,
    warnings: &mut Vec<String>,
) -> Result<FunctionSpec, InvokeError> {
    let text: Arc<str> = files
        .read(config)
        .ok_or_else(|| InvokeError::Config(format!("cannot read `{}`", config.display())))?;
    let parsed = workspace::parse(config, text, None);
    if !matches!(parsed.kind, FileKind::Template | FileKind::Serverless) {
        return Err(InvokeError::Config(format!(
            "`{}` is not a SAM/CloudFormation template or serverless.yml",
            config.display()
        )));
    }
    let functions = model::functions(&parsed);
    let Some(f) = find(&functions, function) else {
        let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
        return Err(InvokeError::NotFound(if names.is_empty() {
            format!(
                "function `{function}` not found: `{}` declares no functions",
                config.display()
            )
        } else {
            format!(
                "function `{function}` not found in `{}`; it declares: {}",
                config.display(),
                names.join(", ")
            )
        }));
    };
    from_config(config, f, cache_dir, warnings)
}

/// A function by logical id or key, else by its `FunctionName`.
pub fn find<'a, 'b>(
    functions: &'b [FunctionConfig<'a>],
    name: &str,
) -> Option<&'b FunctionConfig<'a>> {
    functions.iter().find(|f| f.name == name).or_else(|| {
        functions
            .iter()
            .find(|f| f.function_name.as_ref().and_then(|n| n.str()) == Some(name))
    })
}

fn plain(v: &Value) -> Option<String> {
    match &v.kind {
        // `!Sub` of a string without variables is just that string.
        ValueKind::Intrinsic { name, arg, .. } if name == "Fn::Sub" => arg
            .as_str()
            .filter(|s| !s.contains("${"))
            .map(str::to_string),
        _ => v.scalar_text().filter(|s| !model::is_variable(s)),
    }
}

pub fn from_config(
    config: &Path,
    f: &FunctionConfig,
    cache_dir: &Path,
    warnings: &mut Vec<String>,
) -> Result<FunctionSpec, InvokeError> {
    let id = f.name.clone();
    if f.is_image() {
        return Err(InvokeError::Unsupported(format!(
            "`{id}` is a container image function (PackageType: Image); lambda-ls runs zip functions only"
        )));
    }
    let runtime = match &f.runtime {
        None => {
            return Err(InvokeError::Config(format!("`{id}` has no Runtime")));
        }
        Some(r) => plain(r.node).ok_or_else(|| {
            InvokeError::Config(format!("`{id}`'s Runtime is only known at deploy time"))
        })?,
    };
    let Some(fam) = family(&runtime) else {
        return Err(InvokeError::Unsupported(format!(
            "runtime `{runtime}` cannot run locally yet; lambda-ls runs python3.x, nodejs*.x and provided.al2023/provided.al2 functions"
        )));
    };
    let handler = match f.handler.as_ref().and_then(|h| plain(h.node)) {
        Some(h) => h,
        None if fam == Family::Provided => "bootstrap".to_string(),
        None if f.handler.is_some() => {
            return Err(InvokeError::Config(format!(
                "`{id}`'s Handler is only known at deploy time"
            )))
        }
        None => return Err(InvokeError::Config(format!("`{id}` has no Handler"))),
    };
    let base = config.parent().unwrap_or(Path::new("."));
    let code_dir = if let Some(inline) = &f.inline_code {
        let Some(code) = inline.node.as_str() else {
            return Err(InvokeError::Config(format!(
                "`{id}`'s inline code is only known at deploy time"
            )));
        };
        write_inline(cache_dir, fam, code)?
    } else {
        match (&f.code_dir, f.source) {
            (Some(d), _) => d.clone(),
            // CloudFormation `Code: ./src` before `aws cloudformation package`.
            (None, Source::CloudFormation) => match f.code.as_ref().and_then(|c| c.str()) {
                Some(p) if !p.starts_with("s3://") => base.join(p),
                _ => {
                    return Err(InvokeError::Config(format!(
                        "`{id}`'s code is in S3, not in a local folder"
                    )))
                }
            },
            (None, _) => {
                return Err(InvokeError::Config(format!(
                    "`{id}`'s CodeUri is not a local folder"
                )))
            }
        }
    };
    // Functions built by `sam build` (TypeScript through esbuild, Go, Rust, makefiles) run their build
    // output, as `sam local invoke` does: the sources are not what Lambda would load.
    let code_dir = match f.build_method {
        Some(method) if f.source == Source::Sam && f.inline_code.is_none() => {
            let built = base.join(".aws-sam").join("build").join(&id);
            if built.is_dir() {
                warnings.push(format!(
                    "running the build output in `{}` (BuildMethod {method}); run `sam build` after changing the code",
                    built.display()
                ));
                built
            } else {
                warnings.push(format!(
                    "BuildMethod {method}: no build output in `{}`; run `sam build` first (running the sources)",
                    built.display()
                ));
                code_dir
            }
        }
        _ => code_dir,
    };
    if f.layers.is_some() {
        warnings.push(format!(
            "`{id}` uses Layers, which are not available locally (nothing is mounted at /opt)"
        ));
    }
    // `CodeUri: .` must not leave `/./` in LAMBDA_TASK_ROOT and in every path the runtime reports.
    let code_dir: PathBuf = code_dir
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if !code_dir.is_dir() {
        return Err(InvokeError::Config(format!(
            "`{id}`'s code folder `{}` does not exist",
            code_dir.display()
        )));
    }
    let serverless = f.source == Source::Serverless;
    let timeout_s = f
        .timeout
        .as_ref()
        .and_then(|t| t.num())
        .filter(|n| *n > 0.0);
    let timeout_ms = (timeout_s.unwrap_or(if serverless { 6.0 } else { 3.0 }) * 1000.0) as u64;
    let memory_mb = f
        .memory_size
        .as_ref()
        .and_then(|m| m.num())
        .filter(|n| *n >= 1.0)
        .map(|n| n as u32)
        .unwrap_or(if serverless { 1024 } else { 128 });
    let mut env = Vec::new();
    for (k, field) in &f.environment {
        match plain(field.node) {
            Some(v) => env.push((k.text.clone(), v)),
            None => warnings.push(format!(
                "environment variable {} is only known at deploy time and is not set; give it a value with an env file",
                k.text
            )),
        }
    }
    let function_name = f
        .function_name
        .as_ref()
        .and_then(|n| plain(n.node))
        .unwrap_or_else(|| id.clone());
    let events = f
        .events
        .iter()
        .map(|e| (e.kind.clone(), event_detail(&e.kind, e.properties)))
        .collect();
    Ok(FunctionSpec {
        config_path: config.to_path_buf(),
        id,
        function_name,
        runtime,
        handler,
        code_dir,
        timeout_ms,
        memory_mb,
        env,
        events,
    })
}

/// The property that tells which sample of an event source fits.
fn event_detail(kind: &str, props: Option<&Value>) -> Option<String> {
    let props = props?;
    let text = |k: &str| props.get(k).and_then(|v| v.as_str()).map(str::to_string);
    match kind {
        "Cognito" => props.get("Trigger").and_then(|t| {
            t.one_or_many()
                .first()
                .and_then(|v| v.as_str())
                .map(str::to_string)
        }),
        "cognitoUserPool" => text("trigger"),
        "MQ" => props
            .get("Broker")
            .and_then(|b| b.as_str())
            .map(|s| s.to_string()),
        "stream" => match &props.kind {
            ValueKind::Str(s) => Some(s.clone()),
            _ => text("type").or_else(|| text("arn")),
        },
        _ => None,
    }
}

/// Inline code (`InlineCode`, `Code.ZipFile`) lives in `index.py` / `index.js` in Lambda.
fn write_inline(cache_dir: &Path, fam: Family, code: &str) -> Result<PathBuf, InvokeError> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    code.hash(&mut h);
    let dir = cache_dir
        .join("inline")
        .join(format!("{:016x}", h.finish()));
    let name = match fam {
        Family::Python => "index.py",
        Family::Node => "index.js",
        Family::Provided => "bootstrap",
    };
    let path = dir.join(name);
    if !path.is_file() {
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&path, code))
            .map_err(|e| {
                InvokeError::Launch(format!(
                    "cannot write inline code to `{}`: {e}",
                    dir.display()
                ))
            })?;
    }
    Ok(dir)
}
