//! The `lambda-ls` binary: one CLI over the library — `serve` for editors, `check` for CI, `rules` for docs.

use clap::{Parser, Subcommand, ValueEnum};
use lambda_ls::check;
use lambda_ls::config::settings::rule_selector;
use lambda_ls::config::Resolver;
use lambda_ls::rules::{self, Severity};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lambda-ls",
    version,
    about = "Language server and linter for AWS Lambda projects"
)]
struct Cli {
    /// Same as `serve` (many editors start servers with `--stdio`).
    #[arg(long, global = false)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdin/stdout.
    Serve {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check templates, serverless.yml files and policies; exit 1 when errors are found.
    Check(CheckArgs),
    /// List every rule, or show one rule's documentation with examples.
    Rules {
        /// A rule id such as `iam/version`.
        id: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run a function locally, as Lambda would (no Docker): logs to stderr, the payload to stdout.
    Invoke(Box<lambda_ls::invoke::cli::InvokeArgs>),
    /// List or show sample events.
    #[command(subcommand)]
    Events(lambda_ls::invoke::cli::EventsCommand),
    /// Least-privilege policies from a function's code.
    #[command(subcommand)]
    Policy(lambda_ls::privilege::cli::PolicyCommand),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to check (default: the current folder; `-` reads stdin, see --stdin-filename).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding of this severity or worse is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Print findings only: no code frames, no skipped files, no summary when clean.
    #[arg(long, short)]
    quiet: bool,
    /// Report only these rules: ids or prefixes such as `iam/` (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Do not report these rules: ids or prefixes such as `iam/` (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// Write at most this many findings (the exit code still counts all of them).
    #[arg(long, value_name = "N")]
    max_findings: Option<usize>,
    /// Read the document from stdin; NAME tells its kind and where its configuration is found.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Use this configuration file for every file instead of looking for lambda-ls.toml files.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the configuration that applies to each file, as JSON, and exit.
    #[arg(long)]
    show_config: bool,
    /// Do not respect .gitignore and other ignore files.
    #[arg(long)]
    no_ignore: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
    /// The rules reference document (`server/RULES.md`).
    Markdown,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Serve { .. }) => serve(),
        None if cli.stdio => serve(),
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            ExitCode::from(2)
        }
        Some(Command::Check(args)) => run_check(args),
        Some(Command::Rules { id, format }) => show_rules(id.as_deref(), format),
        Some(Command::Invoke(args)) => ExitCode::from(lambda_ls::invoke::cli::invoke(*args)),
        Some(Command::Events(cmd)) => ExitCode::from(lambda_ls::invoke::cli::events_command(cmd)),
        Some(Command::Policy(cmd)) => ExitCode::from(lambda_ls::privilege::cli::run(cmd)),
    }
}

fn serve() -> ExitCode {
    let code = lambda_ls::lsp::run_stdio();
    ExitCode::from(code)
}

fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("lambda-ls: {message}");
    ExitCode::from(2)
}

fn run_check(args: CheckArgs) -> ExitCode {
    let cwd = std::env::current_dir().ok();
    let shared_cwd: Option<std::sync::Arc<std::path::Path>> = cwd.as_deref().map(Into::into);
    let mut options = check::Options {
        max_findings: args.max_findings,
        ..Default::default()
    };
    for (given, into) in [
        (&args.select, &mut options.select),
        (&args.ignore, &mut options.ignore),
    ] {
        for s in given.iter().filter(|s| !s.trim().is_empty()) {
            match rule_selector(s) {
                Some(sel) => into.push(sel),
                None => {
                    return usage_error(format!(
                        "no rule or rule family `{s}`; `lambda-ls rules` lists them"
                    ))
                }
            }
        }
    }
    let mut resolver = Resolver::new();
    if let Some(file) = &args.config {
        resolver = match resolver.with_explicit_file(&check::absolute(file, cwd.as_deref())) {
            Ok(r) => r,
            Err(e) => return usage_error(format!("cannot use --config: {e}")),
        };
    }
    let stdin_wanted =
        args.stdin_filename.is_some() || args.paths.iter().any(|p| p.as_os_str() == "-");
    let inputs = if stdin_wanted {
        if args.paths.iter().any(|p| p.as_os_str() != "-") {
            return usage_error("cannot check paths and stdin in one run");
        }
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("stdin.yaml"));
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
            return usage_error(format!("cannot read stdin: {e}"));
        }
        let text = match lambda_ls::workspace::decode(bytes) {
            Ok(t) => t,
            Err(f) => return usage_error(format!("stdin: {}", f.message)),
        };
        let mut input = check::Input::from_path(name, shared_cwd.clone());
        input.text = Some(text);
        vec![input]
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        match check::collect(&paths, args.no_ignore) {
            Ok(collected) => {
                let total = collected.files.len();
                options.walk_skipped = collected.skipped;
                let inputs: Vec<check::Input> = collected
                    .files
                    .into_iter()
                    .filter(|p| check::is_data_file(p) || lambda_ls::privilege::is_code_file(p))
                    .map(|p| check::Input::from_path(p, shared_cwd.clone()))
                    .collect();
                options.not_ours = total - inputs.len();
                inputs
            }
            Err(e) => return usage_error(e.0),
        }
    };
    let errors = check::config_errors(&inputs, &resolver);
    if !errors.is_empty() {
        eprintln!("lambda-ls: invalid configuration:");
        for e in &errors {
            eprintln!("  {e}");
        }
        return ExitCode::from(2);
    }
    if args.show_config {
        let shown: Vec<serde_json::Value> = inputs
            .iter()
            .map(|i| {
                serde_json::json!({
                    "path": i.display(),
                    "ignored": i.text.is_none() && resolver.config_for(&i.absolute()).is_ignored(&i.absolute()),
                    "config": resolver.config_for(&i.absolute()).to_json(),
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&shown).unwrap_or_default();
        println!("{text}");
        return ExitCode::SUCCESS;
    }
    let inputs = check::apply_config_ignores(inputs, &resolver);
    let mut reporter: Box<dyn check::Reporter> = match args.format {
        Format::Json => Box::new(check::json::JsonReporter::new(cwd.clone())),
        Format::Sarif => Box::new(check::sarif::SarifReporter::new(cwd.clone())),
        Format::Github => Box::new(check::github::GithubReporter { quiet: args.quiet }),
        Format::Text => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            Box::new(check::text::TextReporter {
                style: check::text::Style { color },
                quiet: args.quiet,
                cwd: cwd.clone(),
            })
        }
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                return usage_error(format!(
                    "cannot write {}: {}",
                    path.display(),
                    check::io_reason(&e)
                ))
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let summary = match check::run(&inputs, &resolver, &options, reporter.as_mut(), &mut out)
        .and_then(|s| out.flush().map(|_| s))
    {
        Ok(s) => s,
        // A closed pipe (`| head`) is not worth a message; the exit code says the report is incomplete.
        Err(_) => return ExitCode::from(2),
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    if summary.fails(threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn show_rules(id: Option<&str>, format: ListFormat) -> ExitCode {
    if let ListFormat::Markdown = format {
        let list = match id {
            None => rules::all(),
            Some(id) => match rules::find(id) {
                Some(r) => vec![r],
                None => {
                    return usage_error(format!("no rule `{id}`; `lambda-ls rules` lists them"))
                }
            },
        };
        print!("{}", rules::reference::markdown(&list));
        return ExitCode::SUCCESS;
    }
    if let ListFormat::Json = format {
        let list: Vec<serde_json::Value> = match id {
            None => rules::all().into_iter().map(rule_json).collect(),
            Some(id) => match rules::find(id) {
                Some(r) => vec![rule_json(r)],
                None => {
                    return usage_error(format!("no rule `{id}`; `lambda-ls rules` lists them"))
                }
            },
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    match id {
        None => {
            let all = rules::all();
            let width = all.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in all {
                println!("{:width$}  {:7}  {}", r.id, r.severity.as_str(), r.summary);
            }
            ExitCode::SUCCESS
        }
        Some(id) => match rules::find(id) {
            Some(r) => {
                println!(
                    "{} ({})\n\n{}\n\n{}",
                    r.id,
                    r.severity.as_str(),
                    r.summary,
                    r.docs
                );
                for (title, files) in [("Fails", r.bad), ("Passes", r.good)] {
                    if files.is_empty() {
                        continue;
                    }
                    println!("\n{title}:");
                    for (name, text) in files {
                        println!("\n--- {name}");
                        print!("{text}");
                    }
                }
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("lambda-ls: no rule `{id}`; `lambda-ls rules` lists them");
                ExitCode::from(2)
            }
        },
    }
}

fn rule_json(r: &rules::Rule) -> serde_json::Value {
    let files = |list: &[rules::ExampleFile]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|(path, text)| serde_json::json!({"path": path, "text": text}))
            .collect()
    };
    serde_json::json!({
        "id": r.id,
        "severity": r.severity.as_str(),
        "summary": r.summary,
        "docs": r.docs,
        "help_uri": r.help_uri(),
        "bad": files(r.bad),
        "good": files(r.good),
    })
}
