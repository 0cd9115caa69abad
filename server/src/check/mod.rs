//! `lambda-ls check`: walk the given paths, analyse every file we understand in parallel, report in a
//! stable order. The analysis is the workspace's, the same the language server runs.

pub mod json;
pub mod text;

use crate::config::Config;
use crate::rules::{Finding, Severity};
use crate::workspace::{self, Env, FileKind, Files};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One checked file and what was found in it.
pub struct FileReport {
    /// The path as shown to the user (relative to the working directory when below it).
    pub display: String,
    pub path: PathBuf,
    pub kind: FileKind,
    /// The text the spans point into (absent when the file could not be read as text).
    pub text: Option<Arc<str>>,
    pub findings: Vec<Finding>,
}

/// A file that was not checked, and why.
pub struct Skipped {
    pub display: String,
    pub reason: String,
}

pub struct Report {
    pub files: Vec<FileReport>,
    pub skipped: Vec<Skipped>,
    /// How many files were looked at (checked or classified as not ours).
    pub files_seen: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn checked(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.kind != FileKind::Other)
            .count()
    }
}

#[derive(Debug)]
pub struct WalkError(pub String);

/// Files under `paths` (a path that is a file is taken as is, even when ignored), respecting `.gitignore`
/// unless `no_ignore`. Sorted, deduplicated.
pub fn collect(paths: &[PathBuf], no_ignore: bool) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| WalkError(format!("{}: {}", p.display(), io_reason(&e))))?;
        if meta.is_file() {
            files.push(p.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .standard_filters(!no_ignore)
            .hidden(true)
            .follow_links(false)
            .build();
        for entry in walker.flatten() {
            if entry.file_type().is_some_and(|t| t.is_file()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let shown = cwd.and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    let s = shown.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Checks every file, in parallel; the result is in path order whatever the thread timing.
pub fn run(files: &[PathBuf], config: &Config) -> Report {
    let cwd = std::env::current_dir().ok();
    let source = Files::new();
    source.set_roots(cwd.iter().cloned().collect());
    let env = Env {
        config,
        files: &source,
    };
    let results: Vec<Result<FileReport, Skipped>> = files
        .par_iter()
        .map(|path| check_one(path, &display_path(path, cwd.as_deref()), &env))
        .collect();
    let mut report = Report {
        files: Vec::new(),
        skipped: Vec::new(),
        files_seen: files.len(),
    };
    for r in results {
        match r {
            Ok(f) => report.files.push(f),
            Err(s) => report.skipped.push(s),
        }
    }
    report
}

fn is_data_file(path: &Path) -> bool {
    matches!(
        crate::syntax::Lang::from_path(path),
        Some(crate::syntax::Lang::Json | crate::syntax::Lang::Yaml)
    ) || path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("template"))
}

/// How much of an oversized or undecodable file is read to tell whether it is ours.
const SNIFF_BYTES: usize = 64 * 1024;

fn check_one(path: &Path, display: &str, env: &Env) -> Result<FileReport, Skipped> {
    let report = |kind, text, findings| FileReport {
        display: display.to_string(),
        path: path.to_path_buf(),
        kind,
        text,
        findings,
    };
    let skipped = |reason: String| Skipped {
        display: display.to_string(),
        reason,
    };
    // Code is read only when a config points at it; other files are not ours at all.
    if !is_data_file(path) {
        return Ok(report(FileKind::Other, None, Vec::new()));
    }
    let io = |e: std::io::Error| skipped(io_reason(&e));
    let size = std::fs::metadata(path).map_err(io)?.len();
    let limit = env.config.max_file_size();
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
            kind => Ok(report(kind, None, vec![finding])),
        };
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = match workspace::decode(bytes) {
        Ok(text) => text,
        Err(finding) => {
            let head = read_head(path).unwrap_or_default();
            return match workspace::kind::sniff(path, &head) {
                FileKind::Other => Err(skipped(finding.message)),
                kind => Ok(report(kind, None, vec![finding])),
            };
        }
    };
    let parsed = workspace::parse(path, text.clone(), None);
    let findings = workspace::analyze(&parsed, env);
    Ok(report(parsed.kind, Some(text), findings))
}

fn read_head(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Whether the report fails the run at the given threshold.
pub fn fails(report: &Report, fail_on: Option<Severity>) -> bool {
    match fail_on {
        None => false,
        Some(threshold) => report
            .files
            .iter()
            .flat_map(|f| &f.findings)
            .any(|f| f.severity >= threshold),
    }
}
