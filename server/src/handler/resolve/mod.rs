//! From a function's configuration to its handler in code: the code folder, the file, the definition,
//! and every problem found on the way. One resolver per runtime family, following the rules of that
//! runtime's client (see the module docs of each `resolve_*`).

mod go;
mod inline;
mod java;
mod native;
mod node;
mod python;
mod ruby;
mod serverless;

use super::candidates::Candidate;
use super::code::{
    self, go as gocode, java as javacode, js, python as pycode, ruby as rbcode, Def, DefKind, Facts,
};
use super::paths::{normalize, shown, walk, Lookup, Project, Refused};
use super::rules::*;
use crate::function::model::{FunctionConfig, Source};
use crate::rules::{Rule, Severity};
use crate::syntax::Lang;
use crate::text::Span;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Python,
    Node,
    Ruby,
    Java,
    Go,
    Rust,
    /// .NET: resolved for navigation only (no C# grammar, so no findings).
    DotNet,
}

/// Which value of the config a problem is reported on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Handler,
    Code,
}

/// A suggested change to the config.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Replace the whole `Handler` string.
    Handler(String),
    /// Replace the whole `CodeUri` string.
    Code(String),
    /// Insert text into another file at an offset.
    Insert {
        path: PathBuf,
        offset: usize,
        text: String,
        title: String,
    },
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub rule: &'static Rule,
    pub severity: Option<Severity>,
    pub at: At,
    pub message: String,
    pub related: Vec<(PathBuf, Span, String)>,
    pub changes: Vec<Change>,
}

impl Problem {
    fn new(rule: &'static Rule, at: At, message: String) -> Problem {
        Problem {
            rule,
            severity: None,
            at,
            message,
            related: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn related(mut self, path: &Path, span: Span, message: impl Into<String>) -> Problem {
        self.related
            .push((path.to_path_buf(), span, message.into()));
        self
    }

    fn severity(mut self, s: Severity) -> Problem {
        self.severity = Some(s);
        self
    }
}

/// What resolving one function found.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    pub family: Option<Family>,
    /// The folder holding the function's code.
    pub code_dir: Option<PathBuf>,
    /// The code file the handler lives in.
    pub file: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub facts: Option<Arc<Facts>>,
    /// The handler's definition in `file`.
    pub def: Option<Def>,
    pub problems: Vec<Problem>,
}

/// The folder a function's config paths are relative to. The model keeps the code folder joined to it;
/// the config's own folder is recovered by taking the `CodeUri` components back off.
pub fn config_dir(f: &FunctionConfig) -> Option<PathBuf> {
    let code_dir = f.code_dir.as_ref()?;
    let written = match f.source {
        Source::Serverless => return Some(code_dir.clone()),
        _ => f.code.as_ref().and_then(|c| c.str()),
    };
    let Some(written) = written else {
        return Some(code_dir.clone());
    };
    let rel = Path::new(written);
    if rel.has_root() {
        return None;
    }
    let n = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .count();
    let mut comps: Vec<_> = code_dir
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    comps.truncate(comps.len().checked_sub(n)?);
    Some(comps.iter().collect())
}

fn family(f: &FunctionConfig, project: &Project, code_dir: &Path) -> Option<Family> {
    let runtime = match f.runtime_id() {
        Some(r) => r,
        // The Serverless Framework defaults to Node.js when no runtime is set anywhere.
        None if f.source == Source::Serverless && f.runtime.is_none() => "nodejs",
        None => return None,
    };
    let handler = f.handler_str().unwrap_or("");
    Some(if runtime.starts_with("python") {
        Family::Python
    } else if runtime.starts_with("nodejs") {
        Family::Node
    } else if runtime.starts_with("ruby") {
        Family::Ruby
    } else if runtime.starts_with("java") {
        Family::Java
    } else if runtime.starts_with("dotnet") {
        Family::DotNet
    } else if runtime == "go1.x" {
        if f.source == Source::Serverless {
            // serverless.yml names the built binary (`bin/hello`), not a source folder.
            return None;
        }
        Family::Go
    } else if runtime.starts_with("provided") {
        if f.source == Source::Serverless {
            return None;
        }
        if handler.contains("::") {
            // GraalVM native images keep the Java handler.
            return Some(Family::Java);
        }
        match f.build_method {
            Some("go1.x") => Family::Go,
            Some("rust-cargolambda") => Family::Rust,
            _ => {
                let entries = project.list_dir(code_dir).unwrap_or_default();
                if entries.iter().any(|e| e.ends_with(".go")) {
                    Family::Go
                } else if entries.iter().any(|e| e == "Cargo.toml") {
                    Family::Rust
                } else if entries.iter().any(|e| e.ends_with(".csproj")) {
                    Family::DotNet
                } else {
                    return None;
                }
            }
        }
    } else {
        return None;
    })
}

/// Folders whose absence means "not built yet", not a mistake.
const BUILD_OUTPUTS: &[&str] = &[
    "dist",
    "build",
    "out",
    "target",
    "bin",
    ".aws-sam",
    ".serverless",
    ".webpack",
    ".esbuild",
    ".build",
    "artifacts",
];

/// A function whose code folder is known and safe to read.
pub struct Prepared<'a> {
    pub project: Project<'a>,
    pub base: PathBuf,
    pub code_dir: PathBuf,
    pub family: Family,
}

enum Step<'a> {
    /// Nothing to resolve (an image, code in S3, a value only known at deploy time, …).
    NotApplicable,
    /// Resolution stopped on a problem (already recorded).
    Stopped,
    Ready(Box<Prepared<'a>>),
}

pub fn resolve(f: &FunctionConfig, files: &dyn crate::workspace::FileSource) -> Option<Resolution> {
    let handler = f.handler_str()?.trim();
    if handler.is_empty() {
        return None;
    }
    let mut res = Resolution::default();
    if let Some(code) = &f.inline_code {
        return inline::resolve_inline(f, code.str()?, handler);
    }
    let prepared = match prepare(f, files, &mut res) {
        Step::NotApplicable => return None,
        Step::Stopped => return Some(res),
        Step::Ready(p) => *p,
    };
    res.code_dir = Some(prepared.code_dir.clone());
    res.family = Some(prepared.family);
    let ctx = Ctx {
        f,
        project: &prepared.project,
        base: &prepared.base,
        code_dir: &prepared.code_dir,
        handler,
    };
    match prepared.family {
        Family::Python => python::resolve_python(&ctx, &mut res),
        Family::Node => node::resolve_node(&ctx, &mut res),
        Family::Ruby => ruby::resolve_ruby(&ctx, &mut res),
        Family::Java => java::resolve_java(&ctx, &mut res),
        Family::Go => go::resolve_go(&ctx, &mut res),
        Family::Rust => native::resolve_rust(&ctx, &mut res),
        Family::DotNet => native::resolve_dotnet(&ctx, &mut res),
    }
    Some(res)
}

/// The project, code folder and family of a function whose `Handler` is still being typed.
pub fn prepare_only<'a>(
    f: &FunctionConfig,
    files: &'a dyn crate::workspace::FileSource,
) -> Option<Prepared<'a>> {
    match prepare(f, files, &mut Resolution::default()) {
        Step::Ready(p) => Some(*p),
        _ => None,
    }
}

fn prepare<'a>(
    f: &FunctionConfig,
    files: &'a dyn crate::workspace::FileSource,
    res: &mut Resolution,
) -> Step<'a> {
    if f.is_image()
        || f.package_type.as_ref().is_some_and(|p| p.str().is_none())
        || f.code_dir.is_none()
    {
        return Step::NotApplicable;
    }
    let written_code = f.code.as_ref().and_then(|c| c.str());
    if written_code.is_some_and(|w| Path::new(w).has_root() || w.starts_with('/')) {
        res.problems.push(Problem::new(
            &OUTSIDE_PROJECT,
            At::Code,
            format!(
                "`CodeUri` is the absolute path `{}`: it only exists on this machine; use a path relative \
                 to the template's folder",
                written_code.unwrap_or("")
            ),
        ));
        return Step::Stopped;
    }
    let Some(base) = config_dir(f) else {
        return Step::NotApplicable;
    };
    // `check template.yaml` gives a relative path; roots and folder listings need an absolute one.
    let base = if base.is_absolute() {
        base
    } else if base.as_os_str().is_empty() {
        match std::path::absolute(".") {
            Ok(b) => normalize(&b),
            Err(_) => return Step::NotApplicable,
        }
    } else {
        match std::path::absolute(&base) {
            Ok(b) => normalize(&b),
            Err(_) => return Step::NotApplicable,
        }
    };
    let project = Project::new(&base.join("template"), files);
    if f.source == Source::Serverless && !serverless::on_aws(f, &project, &base) {
        return Step::NotApplicable;
    }
    let code_dir = match written_code {
        Some(w) => match project.join(&base, w) {
            Ok(p) => p,
            Err(refused) => {
                res.problems
                    .push(refused_problem(&refused, At::Code, "`CodeUri`", w));
                return Step::Stopped;
            }
        },
        None => normalize(&base),
    };
    if ["zip", "jar", "war"].iter().any(|ext| {
        code_dir
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    }) {
        // A built artifact: its contents are not sources we can read.
        return Step::NotApplicable;
    }
    let code_dir = match project.dir(&code_dir) {
        Lookup::Found(p) => p,
        Lookup::CaseMismatch {
            path,
            written,
            actual,
        } => {
            let mut p = Problem::new(
                &CASE_MISMATCH,
                At::Code,
                format!(
                    "`CodeUri` names `{written}` but the folder on disk is `{actual}`: this works on macOS and \
                     Windows and fails on Linux and in Lambda"
                ),
            );
            if let Some(fixed) = written_code.map(|w| w.replacen(&written, &actual, 1)) {
                p.changes.push(Change::Code(fixed));
            }
            res.problems.push(p);
            path
        }
        Lookup::Missing => {
            let built = code_dir
                .strip_prefix(&base)
                .map(|rel| {
                    rel.components().any(|c| {
                        c.as_os_str()
                            .to_str()
                            .is_some_and(|s| BUILD_OUTPUTS.contains(&s))
                    })
                })
                .unwrap_or(false);
            if !built && written_code.is_some() {
                res.problems.push(Problem::new(
                    &FILE_NOT_FOUND,
                    At::Code,
                    format!(
                        "the code folder `{}` does not exist",
                        shown(&code_dir, &base)
                    ),
                ));
            }
            return Step::Stopped;
        }
    };
    if let Some(refused) = project.escapes(&code_dir) {
        res.problems.push(refused_problem(
            &refused,
            At::Code,
            "`CodeUri`",
            written_code.unwrap_or("."),
        ));
        return Step::Stopped;
    }
    let Some(family) = family(f, &project, &code_dir) else {
        return Step::NotApplicable;
    };
    Step::Ready(Box::new(Prepared {
        project,
        base,
        code_dir,
        family,
    }))
}

fn refused_problem(refused: &Refused, at: At, what: &str, written: &str) -> Problem {
    let message = match refused {
        Refused::Absolute => format!(
            "{what} `{written}` is an absolute path: it only exists on this machine; use a path relative to \
             the config's folder"
        ),
        Refused::Outside(p) => format!(
            "{what} `{written}` leads out of the project (to `{}`); lambda-ls does not read files there",
            p.display()
        ),
        Refused::Symlink { link, target } => format!(
            "{what} `{written}` goes through a symlink out of the project (`{}` → `{}`); lambda-ls does not \
             read files there",
            link.display(),
            target.display()
        ),
    };
    Problem::new(&OUTSIDE_PROJECT, at, message)
}

struct Ctx<'a> {
    f: &'a FunctionConfig<'a>,
    project: &'a Project<'a>,
    base: &'a Path,
    code_dir: &'a Path,
    handler: &'a str,
}

impl Ctx<'_> {
    fn shown(&self, p: &Path) -> String {
        shown(p, self.base)
    }

    /// Joins a handler-relative path below the code folder.
    fn join(&self, rel: &str, res: &mut Resolution) -> Option<PathBuf> {
        match self.project.join(self.code_dir, rel) {
            Ok(p) if !p.starts_with(self.code_dir) => {
                res.problems.push(Problem::new(
                    &FILE_NOT_FOUND,
                    At::Handler,
                    format!(
                        "the handler's module `{rel}` is outside the code folder `{}`, so it is not deployed \
                         with the function",
                        self.shown(self.code_dir)
                    ),
                ));
                None
            }
            Ok(p) => Some(p),
            Err(refused) => {
                res.problems.push(refused_problem(
                    &refused,
                    At::Handler,
                    "the handler's module path",
                    rel,
                ));
                None
            }
        }
    }

    /// The first candidate that exists, with a case-mismatch problem when only case differs.
    fn first_file(&self, candidates: &[PathBuf], res: &mut Resolution) -> Option<PathBuf> {
        let mut mismatch = None;
        for c in candidates {
            match self.project.file(c) {
                Lookup::Found(p) => return self.checked(p, res),
                Lookup::CaseMismatch {
                    path,
                    written,
                    actual,
                } => {
                    if mismatch.is_none() {
                        mismatch = Some((path, written, actual));
                    }
                }
                Lookup::Missing => {}
            }
        }
        let (path, written, actual) = mismatch?;
        let mut p = Problem::new(
            &CASE_MISMATCH,
            At::Handler,
            format!(
                "the handler names `{}` but it is `{actual}` on disk (`{}`): this works on macOS and Windows \
                 and fails on Linux and in Lambda",
                strip_source_ext(&written),
                self.shown(&path)
            ),
        );
        let (w, a) = (strip_source_ext(&written), strip_source_ext(&actual));
        if self.handler.contains(w) {
            p.changes
                .push(Change::Handler(self.handler.replacen(w, a, 1)));
        }
        res.problems.push(p);
        self.checked(path, res)
    }

    /// Refuses a file reached through a symlink out of the project.
    fn checked(&self, path: PathBuf, res: &mut Resolution) -> Option<PathBuf> {
        match self.project.escapes(&path) {
            None => Some(path),
            Some(refused) => {
                res.problems.push(refused_problem(
                    &refused,
                    At::Handler,
                    "the handler's file",
                    &self.shown(&path),
                ));
                None
            }
        }
    }

    fn facts(&self, path: &Path, lang: Lang) -> Option<Arc<Facts>> {
        let text = self.project.read(path)?;
        Some(code::facts_of(path, lang, &text))
    }

    /// Whether a layer may provide the handler (so a missing local file is not certainly a mistake).
    fn has_layers(&self) -> bool {
        self.f.layers.is_some()
    }

    fn missing_file(&self, tried: &[PathBuf], family: Family, res: &mut Resolution) {
        let names: Vec<String> = tried
            .iter()
            .map(|p| format!("`{}`", self.shown(p)))
            .collect();
        let mut message = format!(
            "the handler's file does not exist: looked for {}",
            names.join(", ")
        );
        let mut problem = Problem::new(&FILE_NOT_FOUND, At::Handler, String::new());
        let known = super::candidates::handlers(self.f, self.project, self.code_dir, family);
        suggest(self.handler, &known, &mut message, &mut problem);
        if self.has_layers() {
            message.push_str(" (unless one of the function's layers provides it)");
            problem = problem.severity(Severity::Warning);
        }
        problem.message = message;
        res.problems.push(problem);
    }

    fn missing_symbol(&self, what: String, file: &Path, family: Family, res: &mut Resolution) {
        let mut problem = Problem::new(&SYMBOL_NOT_FOUND, At::Handler, String::new());
        let mut message = format!("`{}` does not define {what}", self.shown(file));
        let known = super::candidates::handlers(self.f, self.project, self.code_dir, family);
        let same_file: Vec<Candidate> = known.iter().filter(|c| c.file == file).cloned().collect();
        let pool = if same_file.is_empty() {
            &known
        } else {
            &same_file
        };
        suggest(self.handler, pool, &mut message, &mut problem);
        problem.message = message;
        res.problems.push(problem);
    }
}

/// "Did you mean" for a handler that does not resolve: the closest existing handler, else the only
/// plausible one, else a short list of what exists.
fn suggest(handler: &str, known: &[Candidate], message: &mut String, problem: &mut Problem) {
    let fitting: Vec<&Candidate> = known.iter().filter(|c| c.fits).collect();
    let best = closest_handler(handler, known).or_else(|| match fitting.as_slice() {
        [only] => Some(only.handler.clone()),
        _ => None,
    });
    if let Some(best) = best {
        message.push_str(&format!("; did you mean `{best}`?"));
        problem.changes.push(Change::Handler(best));
        return;
    }
    let listed: Vec<String> = fitting
        .iter()
        .chain(known.iter().filter(|c| !c.fits).collect::<Vec<_>>().iter())
        .take(4)
        .map(|c| format!("`{}`", c.handler))
        .collect();
    if !listed.is_empty() {
        message.push_str(&format!(
            "; handlers that exist: {}{}",
            listed.join(", "),
            if known.len() > listed.len() {
                ", …"
            } else {
                ""
            }
        ));
    }
}

fn strip_source_ext(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((
            stem,
            "py" | "rb" | "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" | "tsx" | "java",
        )) => stem,
        _ => name,
    }
}

fn closest_handler(handler: &str, known: &[impl AsRef<str>]) -> Option<String> {
    let best = crate::suggest::closest(handler, known.iter().map(|k| k.as_ref()), 1);
    best.first().map(|s| s.to_string())
}

impl AsRef<str> for Candidate {
    fn as_ref(&self) -> &str {
        &self.handler
    }
}

/// Handlers that a Lambda layer provides (observability wrappers) or a framework plugin generates at
/// packaging time (serverless-wsgi, serverless-rack), or that live in a build output folder: never in
/// the function's own sources.
fn is_layer_wrapper(module: &str) -> bool {
    let first = module.split(['/', '.']).next().unwrap_or("");
    let built = module
        .split('/')
        .rev()
        .skip(1)
        .any(|seg| BUILD_OUTPUTS.contains(&seg));
    built
        || module.starts_with("/opt/")
        || matches!(
            first,
            "wsgi_handler" | "serverless_wsgi" | "rack_adapter" | "serverless_sdk"
        )
        || matches!(
            first,
            "datadog_lambda"
                | "datadog-lambda-js"
                | "newrelic_lambda_wrapper"
                | "newrelic-lambda-wrapper"
                | "lumigo_tracer"
                | "lumigo_auto_instrument"
                | "otel_wrapper"
                | "node_modules"
                | "opt"
        )
}

fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

fn node_version(runtime: Option<&str>) -> Option<u32> {
    runtime?
        .strip_prefix("nodejs")?
        .trim_end_matches(".x")
        .split('.')
        .next()?
        .parse()
        .ok()
}
