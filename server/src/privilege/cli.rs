//! `lambda-ls policy …`: least-privilege policies from code, on the command line.

use crate::workspace::{Env, FileKind, Files};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum PolicyCommand {
    /// Print the least-privilege policy a function's code needs: an IAM policy document (JSON) and the
    /// config's own form (a SAM `Policies:` list, or serverless.yml `provider.iam.role.statements`).
    Suggest(SuggestArgs),
}

#[derive(clap::Args)]
pub struct SuggestArgs {
    /// The function's logical id (templates) or key (serverless.yml).
    pub function: String,
    /// The template or serverless.yml (default: template.yaml, template.yml, template.json or
    /// serverless.yml in the current folder).
    #[arg(long, short)]
    pub template: Option<PathBuf>,
    /// Which form to print.
    #[arg(long, value_enum, default_value_t = Form::Both)]
    pub format: Form,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Form {
    Both,
    Json,
    Sam,
}

const NAMES: &[&str] = &[
    "template.yaml",
    "template.yml",
    "template.json",
    "serverless.yml",
    "serverless.yaml",
];

fn err(msg: impl std::fmt::Display) -> u8 {
    let _ = writeln!(std::io::stderr(), "lambda-ls: {msg}");
    2
}

pub fn run(cmd: PolicyCommand) -> u8 {
    match cmd {
        PolicyCommand::Suggest(args) => suggest(args),
    }
}

fn suggest(args: SuggestArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let path = match &args.template {
        Some(t) => cwd.join(t),
        None => match NAMES.iter().map(|n| cwd.join(n)).find(|p| p.is_file()) {
            Some(p) => p,
            None => {
                return err(
                    "no template.yaml, template.yml, template.json or serverless.yml here; name one with --template",
                )
            }
        },
    };
    let path = crate::handler::paths::normalize(&std::path::absolute(&path).unwrap_or(path));
    let text = match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| crate::workspace::decode(b).map_err(|f| f.message))
    {
        Ok(t) => t,
        Err(e) => return err(format!("{}: {e}", path.display())),
    };
    let parsed = crate::workspace::parse(&path, text, None);
    if !matches!(parsed.kind, FileKind::Template | FileKind::Serverless) {
        return err(format!(
            "{} is not a template or serverless.yml",
            shown(&path, &cwd)
        ));
    }
    let files = Files::new();
    files.set_roots(vec![cwd.clone()]);
    let config = crate::config::Config::default();
    let env = Env {
        config: &config,
        files: &files,
    };
    let Some(s) = super::suggest::suggest(&parsed, &args.function, &env) else {
        let names: Vec<String> = crate::function::model::functions(&parsed)
            .into_iter()
            .map(|f| f.name)
            .collect();
        return err(format!(
            "no function `{}` in {} (functions: {})",
            args.function,
            shown(&path, &cwd),
            names.join(", ")
        ));
    };
    let mut out = std::io::stdout().lock();
    let json = serde_json::to_string_pretty(&s.json).unwrap_or_default();
    let _ = match args.format {
        Form::Json => writeln!(out, "{json}"),
        Form::Sam => write!(out, "{}", s.sam),
        Form::Both => writeln!(
            out,
            "{json}\n\n# {} for `{}`:\n{}",
            s.form, args.function, s.sam
        ),
    };
    let mut e = std::io::stderr().lock();
    let _ = writeln!(
        e,
        "lambda-ls: {} SDK call(s) in {} file(s) of `{}`",
        s.calls, s.files, args.function
    );
    for u in &s.unmapped {
        let _ = writeln!(e, "lambda-ls: not in the policy, unknown action: {u}");
    }
    0
}

fn shown(p: &Path, cwd: &Path) -> String {
    p.strip_prefix(cwd).unwrap_or(p).display().to_string()
}
