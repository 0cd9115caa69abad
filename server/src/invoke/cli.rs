//! `lambda-ls invoke` and `lambda-ls events`: logs to stderr as they happen, the payload to stdout.

use super::request::{self, Args, EventChoice};
use super::{events, InvokeError, Invoker, Settings};
use crate::workspace::Files;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct InvokeArgs {
    /// The function's logical id (templates), key (serverless.yml) or FunctionName; optional when the
    /// config declares one function.
    pub function: Option<String>,
    /// The template or serverless.yml (default: template.yaml, template.yml, template.json or
    /// serverless.yml in the current folder).
    #[arg(long, short)]
    pub template: Option<PathBuf>,
    /// The event, a JSON file (`-` reads standard input).
    #[arg(long, short, conflicts_with = "event_type")]
    pub event: Option<PathBuf>,
    /// A sample event type (`lambda-ls events list`); the default is the sample matching the function's
    /// first event source, else `{}`.
    #[arg(long)]
    pub event_type: Option<String>,
    /// A `.env` file (KEY=VALUE lines) or SAM's env-vars JSON, applied over the config's variables.
    #[arg(long)]
    pub env_file: Option<PathBuf>,
    /// KEY=VALUE, applied last (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Pass the host's AWS credentials (environment variables and profile files) to the function.
    #[arg(long)]
    pub aws_credentials: bool,
    /// AWS_REGION for the function (default: the host's AWS_REGION, else us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// The Python interpreter (default: python3; also LAMBDA_LS_PYTHON).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// The Node.js binary (default: node; also LAMBDA_LS_NODE).
    #[arg(long)]
    pub node: Option<PathBuf>,
    /// Invoke this many times on the same warm instance and print timings (the payload printed is the
    /// last one).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub repeat: u32,
    /// Client context JSON (`Lambda-Runtime-Client-Context`).
    #[arg(long)]
    pub client_context: Option<String>,
}

#[derive(clap::Subcommand, Debug)]
pub enum EventsCommand {
    /// List the sample event types (and the project's `events/*.json` files).
    List {
        /// A template or serverless.yml whose `events/` folder to list too.
        #[arg(long, short)]
        template: Option<PathBuf>,
    },
    /// Print one sample event.
    Show {
        /// The event type, e.g. `apigateway-rest`.
        event_type: String,
    },
}

const CONFIG_NAMES: &[&str] = &[
    "template.yaml",
    "template.yml",
    "template.json",
    "serverless.yml",
    "serverless.yaml",
];

fn find_config(dir: &Path) -> Option<PathBuf> {
    CONFIG_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn say(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Runs `lambda-ls invoke`; returns the exit code: 0 success, 1 function error or timeout, 2 when the
/// invocation could not start.
pub fn invoke(args: InvokeArgs) -> u8 {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say(&format!("lambda-ls: cannot start the async runtime: {e}"));
            return 2;
        }
    };
    let code = rt.block_on(async {
        tokio::select! {
            code = run_invoke(args) => code,
            _ = tokio::signal::ctrl_c() => {
                super::procs::kill_all();
                130
            }
        }
    });
    super::procs::kill_all();
    code
}

async fn run_invoke(args: InvokeArgs) -> u8 {
    match try_invoke(args).await {
        Ok(code) => code,
        Err(e) => {
            say(&format!("lambda-ls: {e}"));
            2
        }
    }
}

async fn try_invoke(args: InvokeArgs) -> Result<u8, InvokeError> {
    let config = match &args.template {
        Some(t) => absolute(t),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            find_config(&cwd).ok_or_else(|| {
                InvokeError::Config(format!(
                    "no template.yaml, template.yml, template.json or serverless.yml in `{}`; name one with --template",
                    cwd.display()
                ))
            })?
        }
    };
    let mut settings = Settings::from_env();
    // `[invoke]` of the project's lambda-ls.toml, then the command line.
    let project = crate::config::Resolver::new().config_for(&config);
    settings.apply(&project.invoke);
    if args.aws_credentials {
        settings.aws_credentials = true;
    }
    if let Some(r) = args.region {
        settings.region = r;
    }
    if args.python.is_some() {
        settings.python = args.python;
    }
    if args.node.is_some() {
        settings.node = args.node;
    }
    let mut env: Vec<(String, String)> = project
        .invoke
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for pair in &args.env {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(InvokeError::Config(format!(
                "--env `{pair}`: expected KEY=VALUE"
            )));
        };
        env.push((k.to_string(), v.to_string()));
    }
    let mut choice = EventChoice {
        sample: args.event_type,
        ..Default::default()
    };
    match args.event.as_deref() {
        Some(p) if p == Path::new("-") => {
            let mut buf = String::new();
            std::io::stdin().read_to_string(&mut buf).map_err(|e| {
                InvokeError::Event(format!("cannot read the event from stdin: {e}"))
            })?;
            let v: serde_json::Value = serde_json::from_str(&buf).map_err(|e| {
                InvokeError::Event(format!("the event on stdin is not valid JSON: {e}"))
            })?;
            choice.json = Some(v);
        }
        Some(p) => choice.file = Some(absolute(p)),
        None => {}
    }
    let files = Files::new();
    let prepared = request::prepare(
        &Args {
            config,
            function: args.function,
            event: choice,
            // A settings-wide env file is optional; one named on the command line must exist.
            env_file: args
                .env_file
                .map(|f| absolute(&f))
                .or_else(|| project.invoke.env_file.clone().filter(|f| f.is_file())),
            env,
            client_context: args.client_context,
            cognito_identity: None,
        },
        &files,
        &settings,
    )?;
    for w in &prepared.warnings {
        say(&format!("lambda-ls: warning: {w}"));
    }
    say(&format!(
        "lambda-ls: invoking {} ({}, {}) with {}",
        prepared.spec.id, prepared.spec.runtime, prepared.spec.handler, prepared.event_from
    ));
    let invoker = Invoker::new(settings).await?;
    let sink: super::LogSink = Arc::new(|line: &str| say(line));
    let mut timings = Vec::with_capacity(args.repeat as usize);
    let mut last = None;
    for _ in 0..args.repeat {
        let started = Instant::now();
        let result = invoker
            .invoke(&prepared.spec, &prepared.request, sink.clone())
            .await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(result);
    }
    invoker.shutdown();
    let Some(result) = last else { return Ok(2) };
    if args.repeat > 1 {
        say(&timing_summary(&timings));
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&result.payload);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
    if result.ok() {
        Ok(0)
    } else {
        say(&format!(
            "lambda-ls: {} ({})",
            match result.status {
                super::Status::Timeout => "the function timed out",
                super::Status::InitError => "the function failed to initialise",
                super::Status::Crash => "the runtime exited",
                _ => "the function returned an error",
            },
            result.error_type.as_deref().unwrap_or("Runtime.Unknown")
        ));
        Ok(1)
    }
}

fn timing_summary(ms: &[f64]) -> String {
    let mut sorted = ms.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    let warm = &ms[1.min(ms.len() - 1)..];
    let mut warm_sorted = warm.to_vec();
    warm_sorted.sort_by(|a, b| a.total_cmp(b));
    let wp = |p: f64| warm_sorted[((warm_sorted.len() - 1) as f64 * p).round() as usize];
    format!(
        "lambda-ls: {} invokes: first {:.3} ms; warm p50 {:.3} ms, p90 {:.3} ms, max {:.3} ms (all: p50 {:.3} ms)",
        ms.len(),
        ms[0],
        wp(0.5),
        wp(0.9),
        warm_sorted.last().copied().unwrap_or(0.0),
        pct(0.5)
    )
}

/// Runs `lambda-ls events …`.
pub fn events_command(cmd: EventsCommand) -> u8 {
    let mut out = std::io::stdout().lock();
    match cmd {
        EventsCommand::List { template } => {
            let all = events::all();
            let width = all.iter().map(|s| s.name.len()).max().unwrap_or(0);
            for s in all {
                let sources: Vec<&str> = s
                    .sam
                    .iter()
                    .chain(s.serverless.iter())
                    .map(String::as_str)
                    .collect();
                let used = if sources.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", sources.join(", "))
                };
                let _ = writeln!(out, "{:width$}  {}{used}", s.name, s.description);
            }
            let config = template
                .map(|t| absolute(&t))
                .or_else(|| std::env::current_dir().ok().and_then(|d| find_config(&d)));
            if let Some(config) = config {
                let files = events::project_files(&config);
                if !files.is_empty() {
                    let _ = writeln!(out, "\nEvent files next to {}:", config.display());
                    for f in files {
                        let _ = writeln!(out, "  {}", f.display());
                    }
                }
            }
            0
        }
        EventsCommand::Show { event_type } => match events::get(&event_type) {
            Some(s) => {
                let text = serde_json::to_string_pretty(&s.event).unwrap_or_default();
                let _ = writeln!(out, "{text}");
                0
            }
            None => {
                let names = events::all().iter().map(|s| s.name.as_str());
                let best = crate::suggest::closest(&event_type, names, 3);
                let hint = match best.first() {
                    Some(b) => format!("; did you mean `{b}`?"),
                    None => "; `lambda-ls events list` shows them".into(),
                };
                say(&format!("lambda-ls: no sample event `{event_type}`{hint}"));
                2
            }
        },
    }
}
