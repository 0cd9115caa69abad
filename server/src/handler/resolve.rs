//! From a function's configuration to its handler in code: the code folder, the file, the definition,
//! and every problem found on the way. One resolver per runtime family, following the rules of that
//! runtime's client (see the module docs of each `resolve_*`).

use super::candidates::Candidate;
use super::code::{self, go as gocode, java as javacode, js, python, ruby, Def, DefKind, Facts};
use super::paths::{normalize, shown, Lookup, Project, Refused};
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
        return resolve_inline(f, code.str()?, handler);
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
        Family::Python => resolve_python(&ctx, &mut res),
        Family::Node => resolve_node(&ctx, &mut res),
        Family::Ruby => resolve_ruby(&ctx, &mut res),
        Family::Java => resolve_java(&ctx, &mut res),
        Family::Go => resolve_go(&ctx, &mut res),
        Family::Rust => resolve_rust(&ctx, &mut res),
        Family::DotNet => resolve_dotnet(&ctx, &mut res),
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
    if f.source == Source::Serverless && !serverless_on_aws(f, &project, &base) {
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

/// Whether the serverless.yml declaring `f` deploys to AWS (`provider.name: aws`); the same file format
/// serves Azure, OpenWhisk, Kubeless and others, whose handlers follow other rules.
fn serverless_on_aws(f: &FunctionConfig, project: &Project, base: &Path) -> bool {
    for name in ["serverless.yml", "serverless.yaml", "serverless.json"] {
        let path = base.join(name);
        let Some(text) = project.read(&path) else {
            continue;
        };
        let summary = serverless_summary(&path, &text);
        // The file this function comes from: same key, same place.
        if !summary
            .functions
            .contains(&(f.name.clone(), f.node.span.clone()))
        {
            continue;
        }
        return match &summary.provider {
            Some(Some(name)) => name == "aws",
            // Absent: the framework's default is AWS. Computed: unknown, so not checked.
            None => true,
            Some(None) => false,
        };
    }
    // Not found among the usual names (an open buffer under another name): assume AWS.
    true
}

struct ServerlessSummary {
    /// `provider.name`: absent, or present and a plain string (`Some(Some)`) or not (`Some(None)`).
    provider: Option<Option<String>>,
    functions: Vec<(String, Span)>,
}

/// The provider and function spans of a serverless.yml, cached by content (read once per function).
fn serverless_summary(path: &Path, text: &str) -> Arc<ServerlessSummary> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = HashMap<PathBuf, (u64, Arc<ServerlessSummary>)>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let hash = crate::workspace::files::hash_text(text);
    if let Some((_, s)) = cache
        .lock()
        .ok()
        .and_then(|m| m.get(path).filter(|(h, _)| *h == hash).cloned())
    {
        return s;
    }
    let lang = if path.extension().is_some_and(|e| e == "json") {
        Lang::Json
    } else {
        Lang::Yaml
    };
    let doc = crate::syntax::parse_value(lang, text);
    let root = doc.value.as_ref();
    let summary = Arc::new(ServerlessSummary {
        provider: root
            .and_then(|r| r.get_path(&["provider", "name"]))
            .map(|n| n.as_str().map(str::to_string)),
        functions: root
            .and_then(|r| r.get("functions"))
            .and_then(|f| f.as_map())
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.text.clone(), v.span.clone()))
            .collect(),
    });
    if let Ok(mut m) = cache.lock() {
        if m.len() > 256 {
            m.clear();
        }
        m.insert(path.to_path_buf(), (hash, summary.clone()));
    }
    summary
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

/// Python (awslambdaric): `module.function`, split at the last dot; `/` and `.` in the module are folder
/// separators; the module is `module.py` or `module/__init__.py`.
fn resolve_python(cx: &Ctx, res: &mut Resolution) {
    let Some((module, function)) = cx.handler.rsplit_once('.') else {
        return;
    };
    if module.is_empty() || function.is_empty() {
        return;
    }
    if is_layer_wrapper(module) {
        return;
    }
    let top = module.split(['/', '.']).next().unwrap_or("");
    if PYTHON_BUILTIN_MODULES.contains(&top) {
        res.problems.push(Problem::new(
            &FILE_NOT_FOUND,
            At::Handler,
            format!(
                "`{top}` is a module built into Python: the runtime refuses it as a handler module \
                 (`Runtime.BuiltInModuleConflict`); rename `{top}.py`"
            ),
        ));
        return;
    }
    // Dots inside a segment are package separators; `..` segments stay, so an escape is seen as one.
    let rel = module
        .split('/')
        .map(|seg| {
            if seg == ".." || seg == "." {
                seg.to_string()
            } else {
                seg.replace('.', "/")
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let Some(stem) = cx.join(&rel, res) else {
        return;
    };
    if let Some(p) = shadowed_package(cx, &rel, module) {
        res.problems.push(p);
        return;
    }
    let candidates = [with_ext(&stem, "py"), stem.join("__init__.py")];
    let Some(file) = cx.first_file(&candidates, res) else {
        if !res.problems.iter().any(|p| p.rule.id == OUTSIDE_PROJECT.id) {
            cx.missing_file(&candidates[..1], Family::Python, res);
        }
        return;
    };
    res.file = Some(file.clone());
    res.lang = Some(Lang::Python);
    let Some(facts) = cx.facts(&file, Lang::Python) else {
        return;
    };
    res.facts = Some(facts.clone());
    let Some(def) = facts.top(function).cloned() else {
        if !facts.star_import && !facts.has_errors {
            cx.missing_symbol(
                format!("a module-level `{function}`"),
                &file,
                Family::Python,
                res,
            );
        }
        return;
    };
    if def.kind == DefKind::Function && !def.decorated {
        if def.is_async {
            res.problems.push(
                Problem::new(
                    &PYTHON_ASYNC,
                    At::Handler,
                    format!(
                        "`{function}` is `async def`: the Python runtime never awaits it, so every invocation \
                         fails with `Runtime.MarshalError`; make it a plain `def` that calls \
                         `asyncio.run(...)`"
                    ),
                )
                .related(&file, def.name_span.clone(), "defined here as `async def`"),
            );
        }
        if let Some(problem) = def.params.as_deref().and_then(python::arity_problem) {
            res.problems.push(
                Problem::new(
                    &PYTHON_SIGNATURE,
                    At::Handler,
                    format!(
                        "`{function}` cannot be called as `{function}(event, context)`: {problem}"
                    ),
                )
                .related(&file, def.name_span.clone(), "defined here"),
            );
        }
    }
    res.def = Some(def);
}

/// `sys.builtin_module_names` of the CPython builds in Lambda's Python runtimes (3.9 to 3.13, Linux),
/// without the private `_` modules no one names a file after. awslambdaric refuses these as handler
/// modules before importing anything.
const PYTHON_BUILTIN_MODULES: &[&str] = &[
    "atexit",
    "builtins",
    "errno",
    "faulthandler",
    "gc",
    "itertools",
    "marshal",
    "posix",
    "pwd",
    "sys",
    "time",
    "xxsubtype",
];

/// A folder on the module path that Python never enters because a module file of the same name wins
/// (`app.py` next to a folder `app/` without `__init__.py`): "No module named 'app.src'; 'app' is not a
/// package".
fn shadowed_package(cx: &Ctx, rel: &str, module: &str) -> Option<Problem> {
    let segs: Vec<&str> = rel.split('/').collect();
    let mut dir = cx.code_dir.to_path_buf();
    for seg in &segs[..segs.len().saturating_sub(1)] {
        if matches!(*seg, "." | ".." | "") {
            return None;
        }
        let pkg = dir.join(seg);
        let module_file = with_ext(&pkg, "py");
        let is_module = matches!(cx.project.file(&module_file), Lookup::Found(_));
        let is_regular_package =
            matches!(cx.project.file(&pkg.join("__init__.py")), Lookup::Found(_));
        if is_module && !is_regular_package && cx.project.dir(&pkg).path().is_some() {
            let dotted = module.replace('/', ".");
            return Some(Problem::new(
                &FILE_NOT_FOUND,
                At::Handler,
                format!(
                    "`{}` shadows the folder `{seg}/`: Python imports the module instead of the package and \
                     fails with \"No module named '{dotted}'; '{seg}' is not a package\"; rename one of them or \
                     add `{seg}/__init__.py`",
                    cx.shown(&module_file)
                ),
            ));
        }
        dir = pkg;
    }
    None
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

/// Node.js (aws-lambda-ric): `[dir/]file.export[.nested]`; the part after the last `/` is split at its
/// first dot. The file is tried as is, then with `.js`, `.mjs` and `.cjs`. TypeScript sources are found
/// through esbuild's `EntryPoints` or next to where the built file would be.
fn resolve_node(cx: &Ctx, res: &mut Resolution) {
    let (dir, rest) = match cx.handler.rsplit_once('/') {
        Some((d, r)) => (Some(d), r),
        None => (None, cx.handler),
    };
    let Some((file, export_path)) = rest.split_once('.') else {
        return;
    };
    if file.is_empty() || export_path.is_empty() || is_layer_wrapper(cx.handler) {
        return;
    }
    let module = match dir {
        Some(d) => format!("{d}/{file}"),
        None => file.to_string(),
    };
    let Some(stem) = cx.join(&module, res) else {
        return;
    };
    if cx.handler.contains("..") {
        // Inside the project, but the runtime rejects any `..` (`Runtime.MalformedHandlerName`), which
        // the handler format check reports.
        return;
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    let esbuild = cx.f.build_method == Some("esbuild");
    if esbuild {
        for entry in &cx.f.entry_points {
            let entry_stem = entry
                .rsplit_once('.')
                .map_or(*entry, |(s, _)| s)
                .trim_start_matches("./");
            let entry_file = entry_stem.rsplit('/').next().unwrap_or(entry_stem);
            if entry_stem == module || entry_file == file {
                if let Ok(p) = cx.project.join(cx.code_dir, entry) {
                    candidates.push(p);
                }
            }
        }
    }
    let has_ext = ["js", "mjs", "cjs"]
        .iter()
        .any(|e| stem.extension().is_some_and(|x| x == *e));
    if has_ext {
        candidates.push(stem.clone());
    }
    for ext in ["js", "mjs", "cjs"] {
        candidates.push(with_ext(&stem, ext));
    }
    // Bundlers (esbuild, serverless-esbuild, serverless-plugin-typescript, webpack) build these.
    for ext in ["ts", "mts", "cts", "tsx"] {
        candidates.push(with_ext(&stem, ext));
    }
    candidates.push(stem.join("index.js"));
    let Some(path) = cx.first_file(&candidates, res) else {
        if res.problems.iter().any(|p| p.rule.id == OUTSIDE_PROJECT.id) {
            return;
        }
        // A package from node_modules is resolved by the runtime from the app root.
        if cx
            .project
            .dir(&cx.code_dir.join("node_modules").join(file))
            .path()
            .is_some()
        {
            return;
        }
        let shown_candidates: Vec<PathBuf> = ["js", "mjs", "cjs"]
            .iter()
            .map(|e| with_ext(&stem, e))
            .collect();
        cx.missing_file(&shown_candidates, Family::Node, res);
        if esbuild && !cx.f.entry_points.is_empty() {
            if let Some(p) = res.problems.last_mut() {
                p.message.push_str(&format!(
                    "; esbuild `EntryPoints` ({}) builds no `{file}.js`",
                    cx.f.entry_points.join(", ")
                ));
            }
        }
        return;
    };
    let lang = Lang::from_path(&path).unwrap_or(Lang::JavaScript);
    res.file = Some(path.clone());
    res.lang = Some(lang);
    let Some(facts) = cx.facts(&path, lang) else {
        return;
    };
    res.facts = Some(facts.clone());
    let mut parts = export_path.split('.');
    let first = parts.next().unwrap_or("");
    let nested = parts.next().is_some();
    let def = match find_export(cx, &path, &facts, first, 0) {
        Export::Found(at, d) => {
            // Re-exported: the definition (and its spans) live in the other module.
            if at != path {
                res.lang = Lang::from_path(&at);
                res.facts = cx.facts(&at, res.lang.unwrap_or(Lang::JavaScript));
                res.file = Some(at);
            }
            *d
        }
        Export::Unknown => return,
        Export::Missing => {
            cx.missing_symbol(
                format!("an export named `{first}`"),
                &path,
                Family::Node,
                res,
            );
            return;
        }
    };
    let def_path = res.file.clone().unwrap_or_else(|| path.clone());
    let runtime = cx.f.runtime_id();
    if !nested {
        if let Some(params) = def.params.as_deref() {
            let length = js::length(params);
            if length >= 3 && !def.streaming {
                let version = node_version(runtime);
                let fails = version.is_some_and(|v| v >= 24);
                let mut p = Problem::new(
                    &NODE_CALLBACK,
                    At::Handler,
                    if fails {
                        format!(
                            "`{first}` takes a callback ({length} parameters): {} refuses callback handlers at \
                             init (`Runtime.CallbackHandlerDeprecated`); drop the `callback` parameter and \
                             return the result (or a promise)",
                            runtime.unwrap_or("nodejs24.x")
                        )
                    } else {
                        format!(
                            "`{first}` takes a callback ({length} parameters): it breaks on nodejs24.x, which \
                             refuses callback handlers at init; drop the `callback` parameter and return the \
                             result (or a promise)"
                        )
                    },
                )
                .related(&def_path, def.name_span.clone(), "callback handler defined here");
                if !fails {
                    p = p.severity(Severity::Warning);
                }
                res.problems.push(p);
            }
        }
    }
    if lang == Lang::JavaScript && bundler(cx, &path).is_none() {
        module_system(cx, &path, &facts, res);
    }
    res.def = Some(def);
}

enum Export {
    Found(PathBuf, Box<Def>),
    Missing,
    Unknown,
}

/// Looks an export up, following `export … from` into other local modules.
fn find_export(cx: &Ctx, path: &Path, facts: &Facts, name: &str, depth: usize) -> Export {
    if let Some(d) = facts
        .defs
        .iter()
        .find(|d| d.scope.is_empty() && d.name == name)
        .or_else(|| {
            facts
                .defs
                .iter()
                .find(|d| d.scope == ["default"] && d.name == name)
        })
    {
        // `export { x } from './y'`: the definition is in the other module.
        if let Some((_, original, spec)) = facts
            .js
            .reexports
            .iter()
            .find(|(n, _, _)| n.as_deref() == Some(name))
        {
            if depth < 4 {
                if let Some((p, f)) = local_module(cx, path, spec) {
                    if let found @ Export::Found(..) = find_export(cx, &p, &f, original, depth + 1)
                    {
                        return found;
                    }
                }
            }
        }
        return Export::Found(path.to_path_buf(), Box::new(d.clone()));
    }
    for (n, _, spec) in &facts.js.reexports {
        if n.is_none() && depth < 4 {
            if let Some((p, f)) = local_module(cx, path, spec) {
                if let found @ Export::Found(..) = find_export(cx, &p, &f, name, depth + 1) {
                    return found;
                }
            }
        }
    }
    if facts.js.opaque || facts.has_errors {
        Export::Unknown
    } else {
        Export::Missing
    }
}

/// A relative module specifier resolved to a file of the project.
fn local_module(cx: &Ctx, from: &Path, spec: &str) -> Option<(PathBuf, Arc<Facts>)> {
    if !spec.starts_with('.') {
        return None;
    }
    let dir = from.parent()?;
    let base = normalize(&dir.join(spec));
    if !cx.project.contains(&base) {
        return None;
    }
    let stem = base
        .to_str()
        .map(|s| {
            s.trim_end_matches(".js")
                .trim_end_matches(".mjs")
                .trim_end_matches(".cjs")
                .to_string()
        })
        .map(PathBuf::from)?;
    let mut candidates = vec![base.clone()];
    for ext in ["js", "mjs", "cjs", "ts", "mts", "cts", "tsx"] {
        candidates.push(with_ext(&stem, ext));
    }
    candidates.push(base.join("index.js"));
    candidates.push(base.join("index.ts"));
    for c in candidates {
        if let Lookup::Found(p) = cx.project.file(&c) {
            if cx.project.escapes(&p).is_some() {
                return None;
            }
            let lang = Lang::from_path(&p)?;
            if !matches!(lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx) {
                continue;
            }
            let facts = cx.facts(&p, lang)?;
            return Some((p, facts));
        }
    }
    None
}

/// Plugins and packages that bundle or transpile the code before it is deployed: the module syntax of
/// the sources then says nothing about what Lambda loads.
const BUNDLERS: &[&str] = &[
    "serverless-webpack",
    "serverless-esbuild",
    "serverless-bundle",
    "serverless-plugin-typescript",
    "serverless-plugin-optimize",
    "serverless-parcel",
    "serverless-rollup",
];
const BUNDLER_PACKAGES: &[&str] = &[
    "webpack",
    "esbuild",
    "rollup",
    "parcel",
    "@babel/core",
    "babel-core",
    "babel-loader",
    "@vercel/ncc",
];

/// The bundler that builds this function, if any (esbuild or a makefile for SAM, a plugin listed in
/// serverless.yml, or a bundler among the `package.json` dependencies).
fn bundler(cx: &Ctx, file: &Path) -> Option<String> {
    if let Some(m @ ("esbuild" | "makefile")) = cx.f.build_method {
        return Some(m.to_string());
    }
    if cx.f.source == Source::Serverless {
        for name in [
            "serverless.yml",
            "serverless.yaml",
            "serverless.json",
            "serverless.ts",
            "serverless.js",
        ] {
            if let Some(text) = cx.project.read(&cx.base.join(name)) {
                if let Some(b) = BUNDLERS.iter().find(|b| text.contains(*b)) {
                    return Some(b.to_string());
                }
            }
        }
    }
    let (_, text, _) = package_json(cx, file)?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    ["dependencies", "devDependencies"].iter().find_map(|k| {
        let deps = json.get(*k)?.as_object()?;
        BUNDLER_PACKAGES
            .iter()
            .find(|b| deps.contains_key(**b))
            .map(|b| b.to_string())
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModuleKind {
    Esm,
    /// CommonJS by extension or by `"type": "commonjs"`: Node never reinterprets it.
    CjsExplicit,
    /// CommonJS by default (no `"type"`): Node 20.19+ and 22.7+ reload it as ESM when they see ESM syntax.
    CjsDefault,
}

/// The nearest `package.json` above `file` inside the project, and its parsed `"type"`.
fn package_json(cx: &Ctx, file: &Path) -> Option<(PathBuf, Arc<str>, Option<String>)> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if !cx.project.contains(d) {
            break;
        }
        // The name is fixed, so a plain existence test does (no case-insensitive search).
        let p = d.join("package.json");
        if cx.project.files.is_file(&p) {
            let text = cx.project.read(&p)?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            let ty = json
                .get("type")
                .and_then(|t| t.as_str())
                .map(str::to_string);
            return Some((p, text, ty));
        }
        dir = d.parent();
    }
    None
}

fn module_system(cx: &Ctx, path: &Path, facts: &Facts, res: &mut Resolution) {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("js")
        .to_ascii_lowercase();
    let pkg = if ext == "js" {
        package_json(cx, path)
    } else {
        None
    };
    let kind = match ext.as_str() {
        "mjs" => ModuleKind::Esm,
        "cjs" => ModuleKind::CjsExplicit,
        _ => match pkg.as_ref().and_then(|(_, _, t)| t.as_deref()) {
            Some("module") => ModuleKind::Esm,
            Some("commonjs") => ModuleKind::CjsExplicit,
            _ => ModuleKind::CjsDefault,
        },
    };
    let why = match (&kind, &pkg) {
        (ModuleKind::Esm, _) if ext == "mjs" => "an `.mjs` file is an ES module".to_string(),
        (ModuleKind::Esm, Some((p, _, _))) => {
            format!("`{}` says `\"type\": \"module\"`", cx.shown(p))
        }
        (ModuleKind::CjsExplicit, _) if ext == "cjs" => "a `.cjs` file is CommonJS".to_string(),
        (ModuleKind::CjsExplicit, Some((p, _, _))) => {
            format!("`{}` says `\"type\": \"commonjs\"`", cx.shown(p))
        }
        (_, Some((p, _, _))) => format!("`{}` has no `\"type\": \"module\"`", cx.shown(p)),
        (_, None) => "no `package.json` says `\"type\": \"module\"`".to_string(),
    };
    let file = cx.shown(path);
    match kind {
        ModuleKind::Esm => {
            if let Some(span) = facts.js.cjs.first() {
                res.problems.push(
                    Problem::new(
                        &NODE_MODULE_SYSTEM,
                        At::Handler,
                        format!(
                            "`{file}` uses CommonJS syntax (`require`, `module.exports`, `exports`) but is loaded \
                             as an ES module ({why}): it fails with `ReferenceError: require is not defined in \
                             ES module scope`; use `import`/`export`"
                        ),
                    )
                    .related(path, span.clone(), "CommonJS syntax here"),
                );
            }
        }
        ModuleKind::CjsExplicit | ModuleKind::CjsDefault => {
            let Some(span) = facts.js.esm.first() else {
                return;
            };
            let detected = kind == ModuleKind::CjsDefault
                && node_version(cx.f.runtime_id()).is_none_or(|v| v >= 20);
            // Detected as an ES module, a file that also uses `require`/`exports` fails on those.
            let mixed = detected && !facts.js.cjs.is_empty();
            let mut p = Problem::new(
                &NODE_MODULE_SYSTEM,
                At::Handler,
                if mixed {
                    format!(
                        "`{file}` mixes ES module syntax (`import`/`export`) with CommonJS (`require`, \
                         `exports`): Node.js loads it as an ES module because of the former, and then fails \
                         with `ReferenceError: require is not defined in ES module scope` (or `exports`); use \
                         one module system"
                    )
                } else if detected {
                    format!(
                        "`{file}` uses ES module syntax (`import`/`export`) but is CommonJS ({why}): Node.js \
                         reloads it as an ES module at every cold start, with a warning in the logs; add \
                         `\"type\": \"module\"` to `package.json` or rename it to `.mjs`"
                    )
                } else {
                    format!(
                        "`{file}` uses ES module syntax (`import`/`export`) but is loaded as CommonJS ({why}): it \
                         fails with `SyntaxError: Cannot use import statement outside a module`; add \
                         `\"type\": \"module\"` to `package.json` or rename it to `.mjs`"
                    )
                },
            )
            .related(path, span.clone(), "ES module syntax here");
            if let (true, Some(cjs)) = (mixed, facts.js.cjs.first()) {
                p = p.related(path, cjs.clone(), "CommonJS syntax here");
            }
            if detected && !mixed {
                p = p.severity(Severity::Warning);
            }
            if let Some((pkg_path, text, None)) = &pkg {
                if let Some(brace) = text.find('{') {
                    p.changes.push(Change::Insert {
                        path: pkg_path.clone(),
                        offset: brace + 1,
                        text: "\n  \"type\": \"module\",".into(),
                        title: format!("Add `\"type\": \"module\"` to `{}`", cx.shown(pkg_path)),
                    });
                }
            }
            res.problems.push(p);
        }
    }
}

/// Ruby (aws_lambda_ric): `file.method` or `file.Module::Class.method` (a class method).
fn resolve_ruby(cx: &Ctx, res: &mut Resolution) {
    let parts: Vec<&str> = cx.handler.split('.').collect();
    let (file, scope, method) = match parts.as_slice() {
        [f, m] => (*f, Vec::new(), *m),
        [f, c, m] => (*f, c.split("::").map(str::to_string).collect(), *m),
        _ => return,
    };
    if file.is_empty() || method.is_empty() || scope.iter().any(|s| s.is_empty()) {
        return;
    }
    if is_layer_wrapper(file) {
        return;
    }
    let Some(stem) = cx.join(file, res) else {
        return;
    };
    let candidates = [with_ext(&stem, "rb")];
    let Some(path) = cx.first_file(&candidates, res) else {
        if !res.problems.iter().any(|p| p.rule.id == OUTSIDE_PROJECT.id) {
            cx.missing_file(&candidates, Family::Ruby, res);
        }
        return;
    };
    res.file = Some(path.clone());
    res.lang = Some(Lang::Ruby);
    let Some(facts) = cx.facts(&path, Lang::Ruby) else {
        return;
    };
    res.facts = Some(facts.clone());
    let found = facts
        .defs
        .iter()
        .find(|d| d.name == method && d.scope == scope && (scope.is_empty() || d.singleton));
    let Some(def) = found.cloned() else {
        if facts.has_errors {
            return;
        }
        if let Some(instance) = facts
            .defs
            .iter()
            .find(|d| d.name == method && d.scope == scope)
        {
            res.problems.push(
                Problem::new(
                    &SYMBOL_NOT_FOUND,
                    At::Handler,
                    format!(
                        "`{}.{method}` is an instance method; the Ruby runtime calls a class method: define it \
                         as `def self.{method}(event:, context:)`",
                        scope.join("::")
                    ),
                )
                .related(&path, instance.name_span.clone(), "instance method defined here"),
            );
            return;
        }
        let what = if scope.is_empty() {
            format!("a top-level method `{method}`")
        } else {
            format!("a class method `{}.{method}`", scope.join("::"))
        };
        cx.missing_symbol(what, &path, Family::Ruby, res);
        return;
    };
    if let Some(problem) = def.params.as_deref().and_then(ruby::signature_problem) {
        res.problems.push(
            Problem::new(
                &RUBY_SIGNATURE,
                At::Handler,
                format!("`{method}` cannot be called as `{method}(event:, context:)`: {problem}"),
            )
            .related(&path, def.name_span.clone(), "defined here"),
        );
    }
    res.def = Some(def);
}

/// Folders skipped when searching sources: build outputs, dependencies, tool state.
pub(crate) fn skipped_dir(name: &str) -> bool {
    name.starts_with('.')
        || matches!(
            name,
            "node_modules"
                | "target"
                | "build"
                | "out"
                | "bin"
                | "obj"
                | "dist"
                | "__pycache__"
                | "venv"
                | "env"
                | "site-packages"
                | "vendor"
                | "cdk.out"
        )
}

/// Java: `package.Class::method`, or `package.Class` implementing `RequestHandler`. The class is found by
/// its `package` declaration under the code folder (usually `src/main/java`).
fn resolve_java(cx: &Ctx, res: &mut Resolution) {
    let (class_full, method) = match cx.handler.split_once("::") {
        Some((c, m)) => (c, Some(m)),
        None => (cx.handler, None),
    };
    if method.is_some_and(|m| m.is_empty() || m.contains("::")) || class_full.is_empty() {
        return;
    }
    let (package, class_path) = match class_full.rsplit_once('.') {
        Some((p, c)) => (p, c),
        None => ("", class_full),
    };
    let chain: Vec<&str> = class_path.split('$').collect();
    let outer = chain[0];
    let Some((path, facts)) = find_java_class(cx, package, outer) else {
        if other_jvm_language(cx) || !has_java_sources(cx) {
            // Kotlin, Groovy, Scala or Clojure sources, or no sources at all (a prebuilt artifact): the
            // class is somewhere we cannot read.
            return;
        }
        res.problems.push(Problem::new(
            &JAVA_NOT_IN_SOURCES,
            At::Handler,
            format!(
                "no `.java` file under `{}` declares class `{class_path}` in package `{package}`; unless a \
                 dependency provides it, the function fails with `ClassNotFoundException`",
                cx.shown(cx.code_dir)
            ),
        ));
        return;
    };
    res.file = Some(path.clone());
    res.lang = Some(Lang::Java);
    res.facts = Some(facts.clone());
    let inner = chain.last().copied().unwrap_or(outer);
    let outer_scope: Vec<String> = chain[..chain.len() - 1]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let Some(class) = facts
        .defs
        .iter()
        .find(|d| d.kind == DefKind::Class && d.name == inner && d.scope == outer_scope)
        .cloned()
    else {
        return;
    };
    let scope: Vec<String> = chain.iter().map(|s| s.to_string()).collect();
    let methods: Vec<&Def> = facts
        .defs
        .iter()
        .filter(|d| d.kind == DefKind::Method && d.scope == scope)
        .collect();
    let implements = class
        .supers
        .iter()
        .any(|s| javacode::is_handler_interface(s));
    let wanted = method.unwrap_or("handleRequest");
    match methods.iter().find(|m| m.name == wanted) {
        Some(m) => res.def = Some((*m).clone()),
        None if class.extends || facts.has_errors => res.def = Some(class),
        None if method.is_none() && implements => res.def = Some(class),
        None => {
            let what = match method {
                Some(m) => format!("a method `{m}` in class `{class_path}`"),
                None => format!(
                    "a `handleRequest` method in class `{class_path}` (a handler without `::method` must \
                     implement `RequestHandler` or `RequestStreamHandler`)"
                ),
            };
            cx.missing_symbol(what, &path, Family::Java, res);
            res.def = Some(class);
        }
    }
}

fn has_java_sources(cx: &Ctx) -> bool {
    let mut found = false;
    walk(cx.project, cx.code_dir, 10, &mut 4000, &mut |_, name| {
        found = name.ends_with(".java");
        !found
    });
    found
}

/// Whether the code folder builds JVM classes from sources other than Java.
fn other_jvm_language(cx: &Ctx) -> bool {
    let entries = cx.project.list_dir(cx.code_dir).unwrap_or_default();
    if entries
        .iter()
        .any(|e| e == "build.sbt" || e == "project.clj")
    {
        return true;
    }
    for build in ["build.gradle", "build.gradle.kts", "pom.xml"] {
        if let Some(text) = cx.project.read(&cx.code_dir.join(build)) {
            let t = text.to_ascii_lowercase();
            if ["kotlin", "groovy", "scala", "clojure"]
                .iter()
                .any(|l| t.contains(l))
            {
                return true;
            }
        }
        if build == "build.gradle.kts" && entries.iter().any(|e| e == build) {
            return true;
        }
    }
    let mut found = false;
    walk(cx.project, cx.code_dir, 8, &mut 3000, &mut |_, name| {
        found = [".kt", ".groovy", ".scala", ".clj"]
            .iter()
            .any(|ext| name.ends_with(ext));
        !found
    });
    found
}

fn find_java_class(cx: &Ctx, package: &str, class: &str) -> Option<(PathBuf, Arc<Facts>)> {
    let file_name = format!("{class}.java");
    let pkg_path = package.replace('.', "/");
    let matches_package = |facts: &Facts| facts.package.as_deref().unwrap_or("") == package;
    for root in ["src/main/java", "src", ""] {
        let mut p = cx.code_dir.join(root);
        if !pkg_path.is_empty() {
            p = p.join(&pkg_path);
        }
        let p = normalize(&p.join(&file_name));
        if let Lookup::Found(p) = cx.project.file(&p) {
            if cx.project.escapes(&p).is_none() {
                if let Some(f) = cx.facts(&p, Lang::Java) {
                    if matches_package(&f) {
                        return Some((p, f));
                    }
                }
            }
        }
    }
    // The package need not match the folders (`StockBuyer.src.main.java.stockBuyer`): search by name.
    let mut found = None;
    walk(cx.project, cx.code_dir, 10, &mut 4000, &mut |p, name| {
        if name == file_name {
            if let Some(f) = cx.facts(p, Lang::Java) {
                if matches_package(&f) {
                    found = Some((p.to_path_buf(), f));
                    return false;
                }
            }
        }
        true
    });
    found
}

/// Visits files below `dir` (skipping build and dependency folders), at most `budget` entries.
/// `visit` returns false to stop.
pub(crate) fn walk(
    project: &Project,
    dir: &Path,
    depth: usize,
    budget: &mut usize,
    visit: &mut dyn FnMut(&Path, &str) -> bool,
) -> bool {
    let Some(entries) = project.list_dir(dir) else {
        return true;
    };
    let mut subdirs = Vec::new();
    for name in entries {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let p = dir.join(&name);
        if project.files.is_file(&p) {
            if !visit(&p, &name) {
                return false;
            }
        } else if depth > 0 && !skipped_dir(&name) {
            subdirs.push(p);
        }
    }
    for d in subdirs {
        if !walk(project, &d, depth - 1, budget, visit) {
            return false;
        }
    }
    true
}

/// Go (aws-lambda-go): the code folder must hold package `main` calling `lambda.Start` with a function of
/// an accepted shape; the `Handler` value itself is only the executable's name.
fn resolve_go(cx: &Ctx, res: &mut Resolution) {
    let entries = cx.project.list_dir(cx.code_dir).unwrap_or_default();
    let mut sources: Vec<(PathBuf, Arc<Facts>)> = Vec::new();
    for name in entries
        .iter()
        .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
    {
        let p = cx.code_dir.join(name);
        if cx.project.escapes(&p).is_some() {
            continue;
        }
        if let Some(f) = cx.facts(&p, Lang::Go) {
            sources.push((p, f));
        }
    }
    res.lang = Some(Lang::Go);
    if sources.is_empty() {
        res.problems.push(Problem::new(
            &GO_MAIN,
            At::Code,
            format!(
                "`{}` holds no Go files, so there is no `main` package to build the `bootstrap` executable from",
                cx.shown(cx.code_dir)
            ),
        ));
        return;
    }
    let mains: Vec<&(PathBuf, Arc<Facts>)> = sources
        .iter()
        .filter(|(_, f)| f.go.package.as_deref() == Some("main"))
        .collect();
    if mains.is_empty() {
        if sources.iter().any(|(_, f)| f.has_errors) {
            return;
        }
        let (first, facts) = &sources[0];
        res.problems.push(
            Problem::new(
                &GO_MAIN,
                At::Code,
                format!(
                    "`{}` holds package `{}`, not `main`: `go build` makes no executable, so there is no \
                     `bootstrap` to run",
                    cx.shown(cx.code_dir),
                    facts.go.package.as_deref().unwrap_or("?")
                ),
            )
            .related(first, 0..0, "package declared here"),
        );
        return;
    }
    let files: Vec<Arc<Facts>> = mains.iter().map(|(_, f)| f.clone()).collect();
    let start = mains.iter().find_map(|(p, f)| {
        let lambda_names: Vec<&str> =
            f.go.imports
                .iter()
                .filter(|(_, path)| path == gocode::LAMBDA_IMPORT)
                .map(|(l, _)| l.as_str())
                .collect();
        f.go.starts
            .iter()
            .find(|s| lambda_names.contains(&s.package.as_str()))
            .map(|s| (p.clone(), s.clone()))
    });
    let Some((start_file, start)) = start else {
        res.file = mains.first().map(|(p, _)| p.clone());
        // Started some other way (an HTTP adapter, a hand-written Runtime API loop) unless the program
        // imports only the standard library and no HTTP client: then it never asks for an event.
        let may_talk_to_lambda = mains.iter().any(|(_, f)| {
            f.go.imports.iter().any(|(_, path)| {
                let first = path.split('/').next().unwrap_or("");
                first.contains('.') || path.starts_with("net")
            })
        });
        if !may_talk_to_lambda && !mains.iter().any(|(_, f)| f.has_errors) {
            res.problems.push(
                Problem::new(
                    &GO_MAIN,
                    At::Handler,
                    format!(
                        "package `main` in `{}` never starts the Lambda runtime (no `lambda.Start`, and only \
                         standard-library imports without networking): the function exits at init",
                        cx.shown(cx.code_dir)
                    ),
                )
                .severity(Severity::Warning),
            );
        }
        return;
    };
    let (file, def) = match &start.handler {
        code::GoHandlerArg::Name(name, _) => match mains
            .iter()
            .find_map(|(p, f)| f.top(name).map(|d| (p.clone(), d.clone())))
        {
            Some(found) => found,
            None => {
                res.file = Some(start_file);
                return;
            }
        },
        code::GoHandlerArg::Literal(def) => (start_file.clone(), (**def).clone()),
        code::GoHandlerArg::Other => {
            res.file = Some(start_file);
            return;
        }
    };
    let pkg = gocode::Package { files: &files };
    if let Some(problem) = pkg.signature_problem(&def) {
        res.problems.push(
            Problem::new(
                &GO_SIGNATURE,
                At::Handler,
                format!(
                    "`{}` (passed to `lambda.{}`) has a signature aws-lambda-go rejects at start-up: {problem}",
                    def.name, start.function
                ),
            )
            .related(&file, def.name_span.clone(), "handler defined here")
            .related(&start_file, start.span.clone(), "started here"),
        );
    }
    res.facts = mains
        .iter()
        .find(|(p, _)| *p == file)
        .map(|(_, f)| f.clone());
    res.file = Some(file);
    res.def = Some(def);
}

/// Rust (cargo-lambda): the binary is built from the crate in the code folder; navigation goes to
/// `src/main.rs`. There is no grammar for Rust in the binary, so nothing is checked.
fn resolve_rust(cx: &Ctx, res: &mut Resolution) {
    let main = cx.code_dir.join("src/main.rs");
    if let Lookup::Found(p) = cx.project.file(&main) {
        if cx.project.escapes(&p).is_none() {
            if let Some(text) = cx.project.read(&p) {
                let at = text
                    .find("async fn main")
                    .map(|i| i + "async ".len())
                    .or_else(|| text.find("fn main"));
                if let Some(at) = at {
                    let name_start = at + "fn ".len();
                    let mut def = Def::new(
                        "main".into(),
                        DefKind::Function,
                        name_start..name_start + 4,
                        at..at,
                    );
                    def.signature = text[at..]
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim_end_matches('{')
                        .trim()
                        .to_string();
                    res.def = Some(def);
                }
            }
            res.file = Some(p);
        }
    }
}

/// Inline code (SAM `InlineCode`, CloudFormation `Code.ZipFile`) is deployed as `index.py` or
/// `index.js` (CommonJS, no `package.json`): checked like a file, with findings on the `Handler`.
fn resolve_inline(f: &FunctionConfig, text: &str, handler: &str) -> Option<Resolution> {
    let runtime = f.runtime_id()?;
    let (family, lang, ext) = if runtime.starts_with("python") {
        (Family::Python, Lang::Python, "py")
    } else if runtime.starts_with("nodejs") {
        (Family::Node, Lang::JavaScript, "js")
    } else {
        return None;
    };
    let mut res = Resolution {
        family: Some(family),
        lang: Some(lang),
        ..Resolution::default()
    };
    let (module, name) = match family {
        Family::Python => handler.rsplit_once('.')?,
        _ => handler.split_once('.')?,
    };
    if module != "index" {
        let mut p = Problem::new(
            &FILE_NOT_FOUND,
            At::Handler,
            format!(
                "inline code is deployed as `index.{ext}`, so the handler must be `index.{name}`, not \
                 `{handler}`"
            ),
        );
        p.changes.push(Change::Handler(format!("index.{name}")));
        res.problems.push(p);
        return Some(res);
    }
    let facts = Arc::new(code::extract(lang, text));
    let top = |n: &str| {
        facts
            .defs
            .iter()
            .find(|d| d.scope.is_empty() && d.name == n)
    };
    let first = name.split('.').next().unwrap_or(name);
    let Some(def) = top(first).cloned() else {
        let unknown = match family {
            Family::Python => facts.star_import,
            _ => facts.js.opaque,
        };
        if !unknown && !facts.has_errors {
            let names: Vec<&str> = facts
                .defs
                .iter()
                .filter(|d| d.scope.is_empty() && d.is_callable())
                .map(|d| d.name.as_str())
                .collect();
            let mut p = Problem::new(
                &SYMBOL_NOT_FOUND,
                At::Handler,
                format!("the inline code does not define `{first}`"),
            );
            if let Some(best) = crate::suggest::closest(first, names.iter().copied(), 1).first() {
                p.message
                    .push_str(&format!("; did you mean `index.{best}`?"));
                p.changes.push(Change::Handler(format!("index.{best}")));
            }
            res.problems.push(p);
        }
        return Some(res);
    };
    match family {
        Family::Python if def.kind == DefKind::Function && !def.decorated => {
            if def.is_async {
                res.problems.push(Problem::new(
                    &PYTHON_ASYNC,
                    At::Handler,
                    format!(
                        "`{first}` in the inline code is `async def`: the Python runtime never awaits it, so \
                         every invocation fails with `Runtime.MarshalError`"
                    ),
                ));
            }
            if let Some(problem) = def.params.as_deref().and_then(python::arity_problem) {
                res.problems.push(Problem::new(
                    &PYTHON_SIGNATURE,
                    At::Handler,
                    format!("`{first}` in the inline code cannot be called as `{first}(event, context)`: {problem}"),
                ));
            }
        }
        Family::Node => {
            let version = node_version(Some(runtime));
            if let Some(params) = def.params.as_deref().filter(|_| !def.streaming) {
                let length = js::length(params);
                if length >= 3 {
                    let fails = version.is_some_and(|v| v >= 24);
                    let mut p = Problem::new(
                        &NODE_CALLBACK,
                        At::Handler,
                        format!(
                            "`{first}` in the inline code takes a callback ({length} parameters): nodejs24.x \
                             refuses callback handlers at init; return the result (or a promise) instead"
                        ),
                    );
                    if !fails {
                        p = p.severity(Severity::Warning);
                    }
                    res.problems.push(p);
                }
            }
            if !facts.js.esm.is_empty() {
                let detected = version.is_none_or(|v| v >= 20) && facts.js.cjs.is_empty();
                let mut p = Problem::new(
                    &NODE_MODULE_SYSTEM,
                    At::Handler,
                    format!(
                        "the inline code uses ES module syntax (`import`/`export`) but is deployed as `index.js`, \
                         a CommonJS file{}",
                        if detected {
                            ": Node.js reloads it as an ES module at every cold start, with a warning in the logs"
                        } else if !facts.js.cjs.is_empty() && version.is_none_or(|v| v >= 20) {
                            ", and also CommonJS (`require`, `exports`): loaded as an ES module because of the \
                             former, it fails on the latter (`ReferenceError: exports is not defined in ES \
                             module scope`)"
                        } else {
                            ": it fails with `SyntaxError: Cannot use import statement outside a module`"
                        }
                    ),
                );
                if detected {
                    p = p.severity(Severity::Warning);
                }
                res.problems.push(p);
            }
        }
        _ => {}
    }
    res.def = Some(def);
    Some(res)
}

/// .NET: `Assembly::Namespace.Class::Method` (a class library), or the assembly name alone for an
/// executable (top-level statements, native AOT's `bootstrap`), which resolves to its `.csproj`.
fn resolve_dotnet(cx: &Ctx, res: &mut Resolution) {
    let parts: Vec<&str> = cx.handler.split("::").collect();
    match parts.as_slice() {
        [_assembly, type_full, method] => {
            let (namespace, class_path) = type_full.rsplit_once('.').unwrap_or(("", type_full));
            let mut scope: Vec<String> = namespace
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let chain: Vec<&str> = class_path.split('+').collect();
            let Some((inner, outer)) = chain.split_last() else {
                return;
            };
            scope.extend(outer.iter().map(|s| s.to_string()));
            let mut found: Option<(PathBuf, Def)> = None;
            walk(cx.project, cx.code_dir, 8, &mut 4000, &mut |p, name| {
                if !name.ends_with(".cs") {
                    return true;
                }
                let Some(text) = cx.project.read(p) else {
                    return true;
                };
                let facts = code::csharp_facts_of(p, &text);
                let class = facts
                    .defs
                    .iter()
                    .find(|d| d.kind == DefKind::Class && d.name == *inner && d.scope == scope);
                let Some(class) = class else {
                    return true;
                };
                let mut members = scope.clone();
                members.push(inner.to_string());
                let def = facts
                    .defs
                    .iter()
                    .find(|d| d.kind == DefKind::Method && d.name == *method && d.scope == members)
                    .unwrap_or(class);
                found = Some((p.to_path_buf(), def.clone()));
                false
            });
            if let Some((path, def)) = found {
                res.file = Some(path);
                res.def = Some(def);
            }
        }
        [assembly] => {
            let mut found = None;
            walk(cx.project, cx.code_dir, 2, &mut 500, &mut |p, name| {
                let Some(stem) = name.strip_suffix(".csproj") else {
                    return true;
                };
                let text = cx.project.read(p).unwrap_or_default();
                let declared = text
                    .split("<AssemblyName>")
                    .nth(1)
                    .and_then(|rest| rest.split("</AssemblyName>").next())
                    .map(str::trim);
                if declared.unwrap_or(stem) == *assembly {
                    found = Some(p.to_path_buf());
                    return false;
                }
                true
            });
            res.file = found;
        }
        _ => {}
    }
}
