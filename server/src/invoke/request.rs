//! Turning what a user asked for (a config, a function, an event given one of several ways, env files and
//! overrides) into a spec and a request. The CLI and the editor command share it, so they agree.

use super::{env, events, spec, FunctionSpec, InvokeError, InvokeRequest, Settings};
use crate::function::model;
use crate::handler::paths::{normalize, Project};
use crate::workspace::{self, FileKind, FileSource};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the event comes from; at most one of these is set.
#[derive(Clone, Debug, Default)]
pub struct EventChoice {
    /// JSON given inline.
    pub json: Option<serde_json::Value>,
    /// A JSON file.
    pub file: Option<PathBuf>,
    /// A sample event type (`lambda-ls events list`).
    pub sample: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Args {
    pub config: PathBuf,
    /// Logical id, key or FunctionName; may be omitted when the config declares one function.
    pub function: Option<String>,
    pub event: EventChoice,
    /// A `.env` file (or SAM's `--env-vars` JSON when it ends in `.json`).
    pub env_file: Option<PathBuf>,
    /// Overrides, applied last.
    pub env: Vec<(String, String)>,
    pub client_context: Option<String>,
    pub cognito_identity: Option<String>,
}

pub struct Prepared {
    pub spec: FunctionSpec,
    pub request: InvokeRequest,
    /// Where the event came from, for the user ("sample apigateway-rest", "events/event.json", "{}").
    pub event_from: String,
    /// Things the user should know (variables not set, …).
    pub warnings: Vec<String>,
}

/// The functions a config declares, by logical id or key.
pub fn function_names(config: &Path, files: &dyn FileSource) -> Result<Vec<String>, InvokeError> {
    let text = files
        .read(config)
        .ok_or_else(|| InvokeError::Config(format!("cannot read `{}`", config.display())))?;
    let parsed = workspace::parse(config, text, None);
    if !matches!(parsed.kind, FileKind::Template | FileKind::Serverless) {
        return Err(InvokeError::Config(format!(
            "`{}` is not a SAM/CloudFormation template or serverless.yml",
            config.display()
        )));
    }
    Ok(model::functions(&parsed)
        .into_iter()
        .map(|f| f.name)
        .collect())
}

pub fn prepare(
    args: &Args,
    files: &dyn FileSource,
    settings: &Settings,
) -> Result<Prepared, InvokeError> {
    let mut warnings = Vec::new();
    let function = match &args.function {
        Some(f) => f.clone(),
        None => {
            let names = function_names(&args.config, files)?;
            match names.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(InvokeError::NotFound(format!(
                        "`{}` declares no functions",
                        args.config.display()
                    )))
                }
                many => {
                    return Err(InvokeError::NotFound(format!(
                        "name the function to invoke; `{}` declares: {}",
                        args.config.display(),
                        many.join(", ")
                    )))
                }
            }
        }
    };
    let mut spec = spec::load(
        &args.config,
        &function,
        files,
        &settings.cache_dir,
        &mut warnings,
    )?;
    let project = Project::new(&args.config, files);
    if let Some(path) = &args.env_file {
        let path = &inside_project(path, &project, "env file").map_err(InvokeError::Config)?;
        let text = std::fs::read_to_string(path).map_err(|e| {
            InvokeError::Config(format!("cannot read env file `{}`: {e}", path.display()))
        })?;
        let vars = if path.extension().is_some_and(|e| e == "json") {
            env::parse_env_json(&text, &spec.id)
        } else {
            env::parse_dotenv(&text)
        }
        .map_err(|e| InvokeError::Config(format!("env file `{}`: {e}", path.display())))?;
        merge(&mut spec.env, vars);
    }
    merge(&mut spec.env, args.env.clone());
    for (k, _) in &spec.env {
        if env::RESERVED.contains(&k.as_str()) {
            warnings.push(format!(
                "{k} is reserved by Lambda (deployment would fail); the runtime's own value is used"
            ));
        }
    }
    let mut event_choice = args.event.clone();
    if let Some(file) = &event_choice.file {
        event_choice.file =
            Some(inside_project(file, &project, "event file").map_err(InvokeError::Event)?);
    }
    let (event, event_from) = event_bytes(&event_choice, &spec, files)?;
    Ok(Prepared {
        spec,
        request: InvokeRequest {
            event: Arc::new(event),
            client_context: args.client_context.clone(),
            cognito_identity: args.cognito_identity.clone(),
        },
        event_from,
        warnings,
    })
}

/// Event and env files are named by settings and editor commands that a cloned repository can carry, so
/// only files inside the project (its folder, workspace root or repository) are read; a relative path is
/// taken from the config's folder.
fn inside_project(path: &Path, project: &Project, what: &str) -> Result<PathBuf, String> {
    let full = normalize(&project.config_dir.join(path));
    let refused = if !project.contains(&full) {
        Some("it is outside the project".to_string())
    } else {
        project
            .escapes(&full)
            .map(|_| "a symbolic link on its way leads out of the project".to_string())
    };
    match refused {
        Some(why) => Err(format!(
            "{what} `{}` is not read: {why} (`{}`)",
            path.display(),
            project.config_dir.display()
        )),
        None => Ok(full),
    }
}

fn merge(into: &mut Vec<(String, String)>, vars: Vec<(String, String)>) {
    for (k, v) in vars {
        into.retain(|(ek, _)| *ek != k);
        into.push((k, v));
    }
}

fn event_bytes(
    choice: &EventChoice,
    spec: &FunctionSpec,
    files: &dyn FileSource,
) -> Result<(Vec<u8>, String), InvokeError> {
    let given = [
        choice.json.is_some(),
        choice.file.is_some(),
        choice.sample.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given > 1 {
        return Err(InvokeError::Event(
            "give one event: inline JSON, an event file, or an event type".into(),
        ));
    }
    if let Some(v) = &choice.json {
        return Ok((v.to_string().into_bytes(), "the given JSON".into()));
    }
    if let Some(path) = &choice.file {
        let text = files
            .read(path)
            .map(|t| t.as_bytes().to_vec())
            .or_else(|| std::fs::read(path).ok())
            .ok_or_else(|| {
                InvokeError::Event(format!("cannot read event file `{}`", path.display()))
            })?;
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&text) {
            return Err(InvokeError::Event(format!(
                "event file `{}` is not valid JSON: {e}",
                path.display()
            )));
        }
        return Ok((text, path.display().to_string()));
    }
    if let Some(name) = &choice.sample {
        let sample = events::get(name).ok_or_else(|| {
            InvokeError::Event(format!(
                "no sample event `{name}`; `lambda-ls events list` shows them"
            ))
        })?;
        return Ok((
            sample.event.to_string().into_bytes(),
            format!("sample {}", sample.name),
        ));
    }
    match default_sample(spec) {
        Some(sample) => Ok((
            sample.event.to_string().into_bytes(),
            format!("sample {} (the function's first event source)", sample.name),
        )),
        None => Ok((b"{}".to_vec(), "{}".into())),
    }
}

/// The sample matching the function's first event source.
pub fn default_sample(spec: &FunctionSpec) -> Option<&'static events::Sample> {
    let (kind, detail) = spec.events.first()?;
    events::for_source(kind, detail.as_deref())
}

/// What an editor offers in "Invoke with event…": the default sample, the project's event files, and
/// every sample type.
pub fn choices(
    config: &Path,
    function: &str,
    files: &dyn FileSource,
    settings: &Settings,
) -> serde_json::Value {
    let mut warnings = Vec::new();
    let default = spec::load(config, function, files, &settings.cache_dir, &mut warnings)
        .ok()
        .and_then(|s| default_sample(&s).map(|e| e.name.clone()));
    let project: Vec<String> = events::project_files(config)
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let samples: Vec<serde_json::Value> = events::all()
        .iter()
        .map(|s| serde_json::json!({"type": s.name, "description": s.description}))
        .collect();
    serde_json::json!({
        "config": config.to_string_lossy(),
        "function": function,
        "defaultEventType": default,
        "eventFiles": project,
        "eventTypes": samples,
    })
}
