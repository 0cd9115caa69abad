//! The `lambda-ls` binary: one CLI over the library — `serve` for editors, `check` for CI, `rules` for docs.

use clap::{Parser, Subcommand, ValueEnum};
use lambda_ls::check;
use lambda_ls::config::Config;
use lambda_ls::rules::{self, Severity};
use std::io::{IsTerminal, Write};
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
    },
    /// Run a function locally, as Lambda would (no Docker): logs to stderr, the payload to stdout.
    Invoke(Box<lambda_ls::invoke::cli::InvokeArgs>),
    /// List or show sample events.
    #[command(subcommand)]
    Events(lambda_ls::invoke::cli::EventsCommand),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to check (default: the current folder).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when a finding of this severity or worse is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Print findings only, without code frames or a summary when clean.
    #[arg(long, short)]
    quiet: bool,
    /// Do not respect .gitignore and other ignore files.
    #[arg(long)]
    no_ignore: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
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
        Some(Command::Rules { id }) => show_rules(id.as_deref()),
        Some(Command::Invoke(args)) => ExitCode::from(lambda_ls::invoke::cli::invoke(*args)),
        Some(Command::Events(cmd)) => ExitCode::from(lambda_ls::invoke::cli::events_command(cmd)),
    }
}

fn serve() -> ExitCode {
    let code = lambda_ls::lsp::run_stdio();
    ExitCode::from(code)
}

fn run_check(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let files = match check::collect(&paths, args.no_ignore) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("lambda-ls: {}", e.0);
            return ExitCode::from(2);
        }
    };
    let config = Config::default();
    let report = check::run(&files, &config);
    let rendered = match args.format {
        Format::Json => check::json::render(&report),
        Format::Text => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            check::text::render(&report, &check::text::Style { color }, args.quiet)
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(rendered.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    if check::fails(&report, threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn show_rules(id: Option<&str>) -> ExitCode {
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
