//! The code a function runs: its handler file, and the project modules it imports, followed inside the
//! project (Python modules and packages, relative JavaScript/TypeScript imports, the Go package and the
//! module's own packages). From an imported module only the definitions named by the import (and what
//! they use in that module) count, so one function is not blamed for a helper only another one calls.

use super::calls::{self, FileCalls};
use super::gobuild;
use crate::function::model::FunctionConfig;
use crate::handler::paths::{normalize, Project};
use crate::syntax::Lang;
use crate::workspace::FileSource;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Followed files stop here: a handler importing half a monorepo is not worth more.
const MAX_FILES: usize = 300;

#[derive(Clone, Debug)]
pub struct CodeFile {
    pub path: PathBuf,
    pub calls: Arc<FileCalls>,
    /// The top-level definitions that run (`None`: the whole file).
    pub scopes: Option<HashSet<String>>,
}

impl CodeFile {
    pub fn includes(&self, scope: &Option<String>) -> bool {
        match (&self.scopes, scope) {
            (None, _) | (_, None) => true,
            (Some(s), Some(c)) => s.contains(c),
        }
    }
    /// The calls that run.
    pub fn calls(&self) -> impl Iterator<Item = &calls::Call> {
        self.calls.calls.iter().filter(|c| self.includes(&c.scope))
    }
    pub fn unknown(&self) -> impl Iterator<Item = &calls::Unknown> {
        self.calls
            .unknown
            .iter()
            .filter(|c| self.includes(&c.scope))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Code {
    pub files: Vec<CodeFile>,
    /// Every file the function runs could be read and analysed (a supported language, resolved handler).
    pub complete: bool,
}

impl Code {
    pub fn file(&self, path: &Path) -> Option<&CodeFile> {
        let path = normalize(path);
        self.files.iter().find(|f| f.path == path)
    }
}

fn analysable(lang: Option<Lang>) -> Option<Lang> {
    lang.filter(|l| {
        matches!(
            l,
            Lang::Python | Lang::JavaScript | Lang::TypeScript | Lang::Tsx | Lang::Go
        )
    })
}

/// The code `f` (declared in `config`) runs.
pub fn function_code(config: &Path, f: &FunctionConfig, files: &dyn FileSource) -> Code {
    let mut todo: Vec<(PathBuf, Vec<String>)> = Vec::new();
    match crate::handler::resolve_function(f, files) {
        Some(resolved) => {
            let handler = normalize(&resolved.path);
            let Some(lang) = analysable(Lang::from_path(&handler)) else {
                return Code::default();
            };
            if lang == Lang::Go {
                // Every file of the handler's package runs.
                for p in go_package(&handler, files) {
                    todo.push((p, Vec::new()));
                }
            }
            todo.push((handler, Vec::new()));
        }
        None => match gobuild::serverless_sources(config, f, files) {
            Some(gobuild::Built::Files(list)) => {
                todo.extend(list.iter().map(|p| (normalize(p), Vec::new())));
            }
            Some(gobuild::Built::Package(dir)) => {
                let dir = normalize(&dir);
                todo.extend(
                    files
                        .list_dir(&dir)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
                        .map(|n| (dir.join(n), Vec::new())),
                );
            }
            None => return Code::default(),
        },
    }
    let project = Project::new(config, files);
    let code_dir = f.code_dir.clone().map(|d| normalize(&d));
    let mut state: HashMap<PathBuf, Option<HashSet<String>>> = HashMap::new();
    let mut order: Vec<PathBuf> = Vec::new();
    // A build input that is missing or outside the project: its calls are unknown.
    let mut complete = todo
        .iter()
        .all(|(p, _)| files.is_file(p) && project.contains(p));
    todo.retain(|(p, _)| files.is_file(p) && project.contains(p));
    if todo.is_empty() {
        return Code::default();
    }
    while let Some((path, names)) = todo.pop() {
        if order.len() >= MAX_FILES {
            complete = false;
            break;
        }
        let Some(text) = files.read(&path) else {
            continue;
        };
        let Some(l) = analysable(Lang::from_path(&path)) else {
            continue;
        };
        let fc = calls::of_file(&path, l, &text);
        let scopes = fc.reachable(&names);
        let known = state.get(&path).cloned();
        let merged = match (known, scopes) {
            (None, s) => s,
            (Some(None), _) | (Some(_), None) => None,
            (Some(Some(a)), Some(b)) => Some(a.union(&b).cloned().collect()),
        };
        let grew = !state.contains_key(&path) || state.get(&path) != Some(&merged);
        if !state.contains_key(&path) {
            order.push(path.clone());
        }
        state.insert(path.clone(), merged);
        if !grew {
            continue;
        }
        for import in &fc.imports {
            for (target, names) in resolve_import(&path, l, import, code_dir.as_deref(), files) {
                let target = normalize(&target);
                if project.contains(&target) {
                    todo.push((target, names));
                }
            }
        }
    }
    let files_out = order
        .into_iter()
        .filter_map(|path| {
            let text = files.read(&path)?;
            let l = analysable(Lang::from_path(&path))?;
            let calls = calls::of_file(&path, l, &text);
            let scopes = state.get(&path).cloned().flatten();
            Some(CodeFile {
                path,
                calls,
                scopes,
            })
        })
        .collect();
    Code {
        files: files_out,
        complete,
    }
}

/// The other `.go` files of a file's package (same folder, not tests).
fn go_package(file: &Path, files: &dyn FileSource) -> Vec<PathBuf> {
    let Some(dir) = file.parent() else {
        return Vec::new();
    };
    files
        .list_dir(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
        .map(|n| dir.join(n))
        .filter(|p| p != file)
        .collect()
}

fn first_file(cands: Vec<PathBuf>, files: &dyn FileSource) -> Option<PathBuf> {
    cands.into_iter().find(|p| files.is_file(p))
}

/// The files an import names, with the names taken from each.
fn resolve_import(
    from: &Path,
    lang: Lang,
    import: &calls::Import,
    code_dir: Option<&Path>,
    files: &dyn FileSource,
) -> Vec<(PathBuf, Vec<String>)> {
    let dir = from.parent().unwrap_or(Path::new(""));
    match lang {
        Lang::Python => python_import(dir, import, code_dir, files),
        Lang::Go => go_import(from, import, files),
        _ => {
            let spec = import.spec.as_str();
            let base = dir.join(spec);
            let mut cands = vec![base.clone()];
            let stem = spec
                .strip_suffix(".js")
                .or_else(|| spec.strip_suffix(".mjs"))
                .or_else(|| spec.strip_suffix(".cjs"))
                .map(|s| dir.join(s));
            for ext in ["js", "mjs", "cjs", "ts", "tsx", "mts", "cts"] {
                cands.push(PathBuf::from(format!("{}.{ext}", base.display())));
                if let Some(s) = &stem {
                    cands.push(PathBuf::from(format!("{}.{ext}", s.display())));
                }
            }
            for index in ["index.js", "index.mjs", "index.ts", "index.tsx"] {
                cands.push(base.join(index));
            }
            first_file(cands, files)
                .map(|p| vec![(p, import.names.clone())])
                .unwrap_or_default()
        }
    }
}

fn python_import(
    dir: &Path,
    import: &calls::Import,
    code_dir: Option<&Path>,
    files: &dyn FileSource,
) -> Vec<(PathBuf, Vec<String>)> {
    let spec = import.spec.as_str();
    let dots = spec.chars().take_while(|c| *c == '.').count();
    let rest = &spec[dots..];
    let bases: Vec<PathBuf> = if dots > 0 {
        let mut d = dir.to_path_buf();
        for _ in 1..dots {
            d = d.parent().map(Path::to_path_buf).unwrap_or(d);
        }
        vec![d]
    } else {
        let mut v: Vec<PathBuf> = code_dir.map(Path::to_path_buf).into_iter().collect();
        v.push(dir.to_path_buf());
        v
    };
    let mut out = Vec::new();
    for base in bases {
        let module = rest
            .split('.')
            .filter(|s| !s.is_empty())
            .fold(base.clone(), |p, s| p.join(s));
        // `from pkg import mod`: each name may be a submodule.
        let mut named_modules = Vec::new();
        for n in &import.names {
            if let Some(p) = first_file(
                vec![
                    module.join(format!("{n}.py")),
                    module.join(n).join("__init__.py"),
                ],
                files,
            ) {
                named_modules.push(p);
            }
        }
        let file = if rest.is_empty() {
            first_file(vec![module.join("__init__.py")], files)
        } else {
            first_file(
                vec![
                    PathBuf::from(format!("{}.py", module.display())),
                    module.join("__init__.py"),
                ],
                files,
            )
        };
        if file.is_none() && named_modules.is_empty() {
            continue;
        }
        if let Some(f) = file {
            out.push((f, import.names.clone()));
        }
        for m in named_modules {
            out.push((m, Vec::new()));
        }
        break;
    }
    out
}

/// A package of the same Go module: `module example.com/app` + `example.com/app/internal/db`.
fn go_import(
    from: &Path,
    import: &calls::Import,
    files: &dyn FileSource,
) -> Vec<(PathBuf, Vec<String>)> {
    for dir in from.ancestors().skip(1) {
        let gomod = dir.join("go.mod");
        let Some(text) = files.read(&gomod) else {
            continue;
        };
        let Some(module) = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("module "))
            .map(|m| m.trim().trim_matches('"'))
        else {
            return Vec::new();
        };
        let Some(rest) = import
            .spec
            .strip_prefix(module)
            .and_then(|r| r.strip_prefix('/'))
        else {
            return Vec::new();
        };
        let pkg = dir.join(rest);
        return files
            .list_dir(&pkg)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
            .map(|n| (pkg.join(n), Vec::new()))
            .collect();
    }
    Vec::new()
}
