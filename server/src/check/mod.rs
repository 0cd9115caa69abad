//! `lambda-ls check`: walk the given paths, analyse every file we understand in parallel, report in a
//! stable order. The analysis is the workspace's, the same the language server runs.
//!
//! Files are checked in path-ordered chunks: each chunk runs in parallel, then its findings are reported
//! and dropped before the next chunk starts, so memory stays flat however many files a repository holds
//! and output starts at once.

pub mod github;
pub mod json;
pub mod located;
pub mod sarif;
pub mod text;

pub use located::{Located, LocatedRelated, Pos};

use crate::config::{ConfigError, Resolver};
use crate::handler::paths::normalize;
use crate::rules::{Finding, Severity};
use crate::workspace::{self, Env, FileKind, Files};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file to check. Kept small (a path and a shared working directory): a run holds one per file.
#[derive(Clone, Debug)]
pub struct Input {
    /// The path as found or given (for reading).
    pub path: PathBuf,
    /// The working directory that relative paths and shown paths are taken from.
    pub cwd: Option<Arc<Path>>,
    /// The document's text when it comes from stdin.
    pub text: Option<Arc<str>>,
}

impl Input {
    pub fn from_path(path: PathBuf, cwd: Option<Arc<Path>>) -> Input {
        Input {
            path,
            cwd,
            text: None,
        }
    }

    /// The path as shown to the user (relative to the working directory when below it).
    pub fn display(&self) -> String {
        display_path(&self.path, self.cwd.as_deref())
    }

    /// Absolute, for configuration lookups.
    pub fn absolute(&self) -> PathBuf {
        absolute(&self.path, self.cwd.as_deref())
    }
}

/// One checked file and what was found in it, positioned for reporters.
pub struct FileReport {
    pub display: String,
    pub path: PathBuf,
    pub kind: FileKind,
    pub findings: Vec<Located>,
}

/// A file that was not checked, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
}

/// Totals of a run. Counts include findings past `--max-findings`.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Files looked at: checked, classified as not ours, or skipped.
    pub files_seen: usize,
    /// Files that are templates, serverless.yml files or policies.
    pub files_checked: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub hint: usize,
    /// Findings written to the output.
    pub shown: usize,
    pub skipped: Vec<Skipped>,
}

impl Summary {
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
            Severity::Hint => self.hint,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info + self.hint
    }

    pub fn truncated(&self) -> bool {
        self.shown < self.total()
    }

    /// Whether the run fails at the given threshold.
    pub fn fails(&self, fail_on: Option<Severity>) -> bool {
        match fail_on {
            None => false,
            Some(t) => [
                Severity::Error,
                Severity::Warning,
                Severity::Info,
                Severity::Hint,
            ]
            .iter()
            .any(|s| *s >= t && self.count(*s) > 0),
        }
    }
}

/// A reporter writes findings as they come, in path order, and closes the document at the end.
pub trait Reporter {
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn finding(&mut self, out: &mut dyn Write, file: &FileReport, f: &Located) -> io::Result<()>;
    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// What to report, beyond the configuration files.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Report only rules matching one of these selectors (ids or prefixes ending in `/`); all when empty.
    pub select: Vec<String>,
    /// Never report rules matching these selectors.
    pub ignore: Vec<String>,
    /// Stop writing findings after this many (the exit code still counts all of them).
    pub max_findings: Option<usize>,
    /// Files found by the walk that are not ours (left out of the inputs, counted as seen).
    pub not_ours: usize,
    /// What the walk could not enter or read (symlink loops, unreadable folders, special files).
    pub walk_skipped: Vec<Skipped>,
}

fn matches_selector(rule: &str, selector: &str) -> bool {
    rule == selector || (selector.ends_with('/') && rule.starts_with(selector))
}

impl Options {
    pub fn wants(&self, rule: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| matches_selector(rule, s)))
            && !self.ignore.iter().any(|s| matches_selector(rule, s))
    }
}

#[derive(Debug)]
pub struct WalkError(pub String);

/// What a walk found: the files, and what it had to leave out with the reason.
pub struct Collected {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

/// Files under `paths` (a path that is a file is taken as is, even when ignored), respecting `.gitignore`
/// unless `no_ignore`. Sorted, deduplicated. Symbolic links are not followed (a link loop or a link out of
/// the project is never entered); folders that cannot be read and special files are reported as skipped.
pub fn collect(paths: &[PathBuf], no_ignore: bool) -> Result<Collected, WalkError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let cwd = std::env::current_dir().ok();
    let skip = |path: &Path, reason: String| Skipped {
        display: display_path(path, cwd.as_deref()),
        reason,
    };
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| WalkError(format!("{}: {}", p.display(), io_reason(&e))))?;
        if meta.is_file() {
            files.push(p.clone());
            continue;
        }
        if !meta.is_dir() {
            skipped.push(skip(p, "not a regular file or folder".into()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .standard_filters(!no_ignore)
            .hidden(true)
            .follow_links(false)
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => match entry.file_type() {
                    Some(t) if t.is_file() => files.push(entry.into_path()),
                    // A link may lead out of the project (or into a loop): it is not followed.
                    Some(t) if t.is_symlink() && is_data_file(entry.path()) => {
                        skipped.push(skip(entry.path(), "symbolic link, not followed".into()))
                    }
                    Some(t) if t.is_dir() || t.is_symlink() => {}
                    // FIFOs, sockets, devices: reading one could block forever.
                    Some(_) if is_data_file(entry.path()) => {
                        skipped.push(skip(entry.path(), "not a regular file".into()))
                    }
                    _ => {}
                },
                Err(e) => {
                    let (path, reason) = walk_error(&e);
                    skipped.push(match path {
                        Some(path) => skip(&path, reason),
                        None => Skipped {
                            display: String::new(),
                            reason,
                        },
                    });
                }
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(Collected { files, skipped })
}

/// The path and a readable reason of a walk error.
fn walk_error(e: &ignore::Error) -> (Option<PathBuf>, String) {
    match e {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Loop { child, .. } => (Some(child.clone()), "symbolic link loop".into()),
        ignore::Error::Io(io) => (None, io_reason(io)),
        other => (None, other.to_string()),
    }
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let shown = cwd.and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    let s = shown.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `path` made absolute against `cwd`, with `.` components removed (no symlinks resolved).
pub fn absolute(path: &Path, cwd: Option<&Path>) -> PathBuf {
    let joined = match cwd {
        Some(c) if path.is_relative() => c.join(path),
        _ => path.to_path_buf(),
    };
    std::path::absolute(&joined).unwrap_or(joined)
}

/// Problems in the configuration files that apply to `inputs`, each reported once.
pub fn config_errors(inputs: &[Input], resolver: &Resolver) -> Vec<ConfigError> {
    let mut seen_dirs = std::collections::HashSet::new();
    let mut errors: Vec<ConfigError> = Vec::new();
    for input in inputs {
        let absolute = input.absolute();
        let Some(dir) = absolute.parent() else {
            continue;
        };
        if !seen_dirs.insert(dir.to_path_buf()) {
            continue;
        }
        for e in &resolver.dir(dir).errors {
            if !errors.contains(e) {
                errors.push(e.clone());
            }
        }
    }
    errors
}

/// Drops the inputs that their configuration excludes. Stdin documents are always checked.
pub fn apply_config_ignores(inputs: Vec<Input>, resolver: &Resolver) -> Vec<Input> {
    inputs
        .into_iter()
        .filter(|i| {
            let absolute = i.absolute();
            i.text.is_some()
                || absolute
                    .parent()
                    .is_none_or(|d| !resolver.dir(d).config.is_ignored(&absolute))
        })
        .collect()
}

/// How many files one parallel step checks: enough to keep every thread busy, few enough that memory
/// stays small.
const CHUNK: usize = 256;

/// Checks every input, in parallel, and streams the findings to `reporter` in input order.
pub fn run(
    inputs: &[Input],
    resolver: &Resolver,
    options: &Options,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    // The disk does not change under a run: what it said is remembered (see `Files::snapshot`).
    let source = Files::snapshot();
    // Cross-file analysis (handler code) may read inside the folder `check` runs in.
    source.set_roots(std::env::current_dir().ok().into_iter().collect());
    let mut summary = Summary {
        files_seen: inputs.len() + options.not_ours,
        skipped: options.walk_skipped.clone(),
        ..Summary::default()
    };
    // Data files first; the code their functions run is gathered while they are checked, then checked
    // itself (least-privilege findings sit on SDK calls), so no config is parsed twice.
    let (data, given_code): (Vec<Input>, Vec<Input>) = inputs
        .iter()
        .cloned()
        .partition(|i| i.text.is_some() || is_data_file(&i.path));
    let mut code: HashSet<PathBuf> = HashSet::new();
    reporter.begin(out)?;
    for chunk in data.chunks(CHUNK) {
        let results: Vec<(Result<FileReport, Skipped>, Vec<PathBuf>)> = chunk
            .par_iter()
            .map(|input| check_one(input, resolver, options, &source, &code))
            .collect();
        let mut reports = Vec::with_capacity(results.len());
        for (r, runs) in results {
            code.extend(runs);
            reports.push(r);
        }
        report_all(reports, options, reporter, out, &mut summary)?;
        // Files in path order share their folders within a chunk; remembering more only costs memory.
        source.forget_disk();
    }
    if let (true, Some(first)) = (data.is_empty(), given_code.first()) {
        // Code checked on its own: the project's configs say which functions run it.
        code = crate::privilege::project_code(&first.absolute(), &source);
    }
    let cwd = inputs.first().and_then(|i| i.cwd.clone());
    let code_inputs = code_inputs(&given_code, &code, cwd);
    for chunk in code_inputs.chunks(CHUNK) {
        let reports: Vec<Result<FileReport, Skipped>> = chunk
            .par_iter()
            .map(|input| check_one(input, resolver, options, &source, &code).0)
            .collect();
        report_all(reports, options, reporter, out, &mut summary)?;
        source.forget_disk();
    }
    reporter.end(out, &summary)?;
    Ok(summary)
}

/// Whether `check` reads the file at all: JSON, YAML and `.template` files (code is read only when a
/// configuration points at it).
pub fn is_data_file(path: &Path) -> bool {
    matches!(
        crate::syntax::Lang::from_path(path),
        Some(crate::syntax::Lang::Json | crate::syntax::Lang::Yaml)
    ) || path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("template"))
}

/// How much of an oversized or undecodable file is read to tell whether it is ours.
const SNIFF_BYTES: usize = 64 * 1024;

fn report_all(
    reports: Vec<Result<FileReport, Skipped>>,
    options: &Options,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    summary: &mut Summary,
) -> io::Result<()> {
    for r in reports {
        match r {
            Ok(file) => {
                if file.kind != FileKind::Other {
                    summary.files_checked += 1;
                }
                for f in &file.findings {
                    match f.finding.severity {
                        Severity::Error => summary.error += 1,
                        Severity::Warning => summary.warning += 1,
                        Severity::Info => summary.info += 1,
                        Severity::Hint => summary.hint += 1,
                    }
                    if options.max_findings.is_none_or(|max| summary.shown < max) {
                        reporter.finding(out, &file, f)?;
                        summary.shown += 1;
                    }
                }
            }
            Err(s) => summary.skipped.push(s),
        }
    }
    Ok(())
}

/// The code files to check, in path order: those given that a function runs (shown as given), and those
/// the checked configs' functions run.
fn code_inputs(given: &[Input], code: &HashSet<PathBuf>, cwd: Option<Arc<Path>>) -> Vec<Input> {
    let mut have: HashSet<PathBuf> = HashSet::new();
    let mut all: Vec<Input> = Vec::new();
    for i in given {
        let p = normalize(&i.absolute());
        if code.contains(&p) {
            have.insert(p);
            all.push(i.clone());
        }
    }
    for p in code {
        if !have.contains(p) {
            let shown = cwd
                .as_deref()
                .and_then(|c| p.strip_prefix(c).ok())
                .map_or_else(|| p.clone(), Path::to_path_buf);
            all.push(Input::from_path(shown, cwd.clone()));
        }
    }
    all.sort_by_key(Input::absolute);
    all
}

fn check_one(
    input: &Input,
    resolver: &Resolver,
    options: &Options,
    files: &Files,
    code: &HashSet<PathBuf>,
) -> (Result<FileReport, Skipped>, Vec<PathBuf>) {
    let mut runs = Vec::new();
    // One config per call, on one thread: its functions' handlers are resolved once for every check.
    let report = crate::handler::with_resolutions_remembered(|| {
        check_file(input, resolver, options, files, code, &mut runs)
    });
    (report, runs)
}

fn check_file(
    input: &Input,
    resolver: &Resolver,
    options: &Options,
    files: &Files,
    code: &HashSet<PathBuf>,
    runs: &mut Vec<PathBuf>,
) -> Result<FileReport, Skipped> {
    let path = input.path.as_path();
    let display = input.display();
    let absolute = input.absolute();
    let report = |kind, findings| FileReport {
        display: display.clone(),
        path: path.to_path_buf(),
        kind,
        findings,
    };
    let skipped = |reason: String| Skipped {
        display: display.clone(),
        reason,
    };
    // Code is read only when a config points at it; other files are not ours at all.
    if !is_data_file(path) && !code.contains(&normalize(&absolute)) {
        return Ok(report(FileKind::Other, Vec::new()));
    }
    let config = resolver.config_for(&absolute);
    let unplaced = |findings: Vec<Finding>| -> Vec<Located> {
        let mut findings = findings;
        config.apply(&mut findings);
        findings
            .into_iter()
            .filter(|f| options.wants(f.rule))
            .map(|f| Located::new(f, None, files))
            .collect()
    };
    let text = match &input.text {
        Some(text) => text.clone(),
        None => {
            let io = |e: std::io::Error| skipped(io_reason(&e));
            let size = std::fs::metadata(path).map_err(io)?.len();
            let limit = config.max_file_size();
            if size > limit {
                let head = read_head(path).map_err(io)?;
                let finding = Finding::new(
                    &crate::syntax::rules::TOO_LARGE,
                    0..0,
                    format!(
                        "file is {:.1} MiB, over the {:.1} MiB limit; not checked",
                        size as f64 / 1_048_576.0,
                        limit as f64 / 1_048_576.0
                    ),
                );
                return match workspace::kind::sniff(path, &head) {
                    FileKind::Other => Err(skipped(finding.message)),
                    kind => Ok(report(kind, unplaced(vec![finding]))),
                };
            }
            let bytes = std::fs::read(path).map_err(io)?;
            match workspace::decode(bytes) {
                Ok(text) => text,
                Err(finding) => {
                    let head = read_head(path).unwrap_or_default();
                    return match workspace::kind::sniff(path, &head) {
                        FileKind::Other => Err(skipped(finding.message)),
                        kind => Ok(report(kind, unplaced(vec![finding]))),
                    };
                }
            }
        }
    };
    let parsed = workspace::parse(&absolute, text.clone(), None);
    if input.text.is_none() {
        *runs = crate::privilege::code_of(&parsed, files);
    }
    let env = Env {
        config: &config,
        files,
    };
    let findings: Vec<Finding> = workspace::analyze(&parsed, &env)
        .into_iter()
        .filter(|f| options.wants(f.rule))
        .collect();
    let located = if findings.is_empty() {
        Vec::new()
    } else {
        let rope = ropey::Rope::from_str(&text);
        findings
            .into_iter()
            .map(|f| Located::new(f, Some(&rope), files))
            .collect()
    };
    Ok(report(parsed.kind, located))
}

fn read_head(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
