//! Paths from a config into its code, taken with care: a template is input we did not write, so its
//! `CodeUri` and `Handler` may point anywhere (`../../etc/passwd`, an absolute path, a symlink out of the
//! repository). Paths are joined lexically, checked against the project before anything is read, and
//! looked up one folder entry at a time so that a case-only difference is seen on every file system.

use crate::workspace::FileSource;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// `.` and `..` removed without touching the disk (a `..` never climbs above the root).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Why a path was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// An absolute path: it names a place on the machine that runs the build, not in the project.
    Absolute,
    /// The path leaves the project (`..` too far).
    Outside(PathBuf),
    /// A symlink inside the project leads out of it.
    Symlink { link: PathBuf, target: PathBuf },
}

/// The outcome of looking a path up entry by entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    Found(PathBuf),
    /// Found only when ignoring case: `written` is the component as the config spells it, `actual` the
    /// name on disk, `path` the real path.
    CaseMismatch {
        path: PathBuf,
        written: String,
        actual: String,
    },
    Missing,
}

impl Lookup {
    pub fn path(&self) -> Option<&Path> {
        match self {
            Lookup::Found(p) | Lookup::CaseMismatch { path: p, .. } => Some(p),
            Lookup::Missing => None,
        }
    }
}

/// The places a config may read code from: its own folder, the enclosing git repository, and the
/// workspace roots that contain it.
pub struct Project<'a> {
    pub files: &'a dyn FileSource,
    pub config_dir: PathBuf,
    roots: Vec<PathBuf>,
    real_roots: std::sync::OnceLock<Vec<PathBuf>>,
    /// Folder listings taken while resolving one function: a lookup walks the same folders many times
    /// (each candidate file, each `package.json` on the way up).
    listings: std::cell::RefCell<HashMap<PathBuf, Option<Arc<[String]>>>>,
    real_paths: std::cell::RefCell<HashMap<PathBuf, Option<PathBuf>>>,
}

impl<'a> Project<'a> {
    pub fn new(config: &Path, files: &'a dyn FileSource) -> Project<'a> {
        let config_dir = normalize(config.parent().unwrap_or(Path::new("")));
        let mut roots = vec![config_dir.clone()];
        for r in files.roots() {
            let r = normalize(&r);
            if config_dir.starts_with(&r) {
                roots.push(r);
            }
        }
        for dir in config_dir.ancestors() {
            let git = dir.join(".git");
            if files.is_dir(&git) || files.is_file(&git) {
                roots.push(dir.to_path_buf());
                break;
            }
        }
        // Outermost first, so `root_of` can pick the innermost root holding a path from the back.
        roots.sort_by_key(|r| r.components().count());
        roots.dedup();
        Project {
            files,
            config_dir,
            roots,
            real_roots: std::sync::OnceLock::new(),
            listings: Default::default(),
            real_paths: Default::default(),
        }
    }

    /// The outermost folder the project may read.
    pub fn top(&self) -> &Path {
        self.roots.first().map_or(self.config_dir.as_path(), |r| r)
    }

    /// Joins `rel` (as written in the config) to `base`, refusing absolute paths and paths that leave
    /// the project.
    pub fn join(&self, base: &Path, rel: &str) -> Result<PathBuf, Refused> {
        let rel_path = Path::new(rel);
        if rel_path.has_root() || rel.starts_with('/') || rel.starts_with('\\') || has_drive(rel) {
            return Err(Refused::Absolute);
        }
        let joined = normalize(&base.join(rel_path));
        if self.root_of(&joined).is_none() {
            return Err(Refused::Outside(joined));
        }
        Ok(joined)
    }

    /// Whether `path` (normalised) lies inside the project.
    pub fn contains(&self, path: &Path) -> bool {
        self.root_of(path).is_some()
    }

    fn root_of(&self, path: &Path) -> Option<&Path> {
        self.roots
            .iter()
            .rev()
            .find(|r| path.starts_with(r))
            .map(|r| r.as_path())
    }

    /// Looks `path` up one component at a time below the innermost root holding it, so a name that
    /// differs only in case is reported instead of found (macOS) or missed (Linux) depending on the disk.
    pub fn lookup(&self, path: &Path) -> Lookup {
        let Some(root) = self.root_of(path) else {
            return Lookup::Missing;
        };
        let Ok(rest) = path.strip_prefix(root) else {
            return Lookup::Missing;
        };
        let mut cur = root.to_path_buf();
        let mut mismatch: Option<(String, String)> = None;
        for comp in rest.components() {
            let Component::Normal(name) = comp else {
                return Lookup::Missing;
            };
            let Some(name) = name.to_str() else {
                return Lookup::Missing;
            };
            let Some(entries) = self.listing(&cur) else {
                return Lookup::Missing;
            };
            if entries.iter().any(|e| e == name) {
                cur.push(name);
                continue;
            }
            let lower = name.to_lowercase();
            match entries.iter().find(|e| e.to_lowercase() == lower) {
                Some(actual) => {
                    if mismatch.is_none() {
                        mismatch = Some((name.to_string(), actual.clone()));
                    }
                    cur.push(actual);
                }
                None => return Lookup::Missing,
            }
        }
        match mismatch {
            None => Lookup::Found(cur),
            Some((written, actual)) => Lookup::CaseMismatch {
                path: cur,
                written,
                actual,
            },
        }
    }

    fn listing(&self, dir: &Path) -> Option<Arc<[String]>> {
        if let Some(cached) = self.listings.borrow().get(dir) {
            return cached.clone();
        }
        let entries = self.files.list_dir_shared(dir);
        self.listings
            .borrow_mut()
            .insert(dir.to_path_buf(), entries.clone());
        entries
    }

    /// Whether `path` is a file, looked up as `lookup` does.
    pub fn file(&self, path: &Path) -> Lookup {
        match self.lookup(path) {
            Lookup::Missing => Lookup::Missing,
            found => {
                if found.path().is_some_and(|p| self.files.is_file(p)) {
                    found
                } else {
                    Lookup::Missing
                }
            }
        }
    }

    pub fn dir(&self, path: &Path) -> Lookup {
        match self.lookup(path) {
            Lookup::Missing => Lookup::Missing,
            found => {
                if found.path().is_some_and(|p| self.files.is_dir(p)) {
                    found
                } else {
                    Lookup::Missing
                }
            }
        }
    }

    /// A symlink on the way to `path` that leads out of the project, if any.
    pub fn escapes(&self, path: &Path) -> Option<Refused> {
        let cached = self.real_paths.borrow().get(path).cloned();
        let real = match cached {
            Some(r) => r,
            None => {
                let r = self.files.real_path(path);
                self.real_paths
                    .borrow_mut()
                    .insert(path.to_path_buf(), r.clone());
                r
            }
        }?;
        let real_roots = self.real_roots.get_or_init(|| {
            self.roots
                .iter()
                .filter_map(|r| self.files.real_path(r).or_else(|| Some(r.clone())))
                .collect()
        });
        if real_roots.iter().any(|r| real.starts_with(r)) {
            None
        } else {
            Some(Refused::Symlink {
                link: path.to_path_buf(),
                target: real,
            })
        }
    }

    /// Reads a file inside the project; never follows a link out of it.
    pub fn read(&self, path: &Path) -> Option<Arc<str>> {
        if !self.contains(path) || self.escapes(path).is_some() {
            return None;
        }
        self.files.read(path)
    }

    pub fn list_dir(&self, path: &Path) -> Option<Vec<String>> {
        if !self.contains(path) || self.escapes(path).is_some() {
            return None;
        }
        self.listing(path).map(|l| l.to_vec())
    }
}

fn has_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// `path` relative to `base` for messages (`hello_world/app.py`), or the path itself.
pub fn shown(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(p) if p.as_os_str().is_empty() => ".".to_string(),
        Ok(p) => p.display().to_string(),
        Err(_) => path.display().to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Files;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("/a/../../x")), PathBuf::from("/x"));
    }

    #[test]
    fn refuses_escapes_and_finds_case_mismatches() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("proj");
        std::fs::create_dir_all(root.join("Src/handlers")).expect("mkdir");
        std::fs::write(root.join("Src/handlers/app.py"), "x").expect("write");
        std::fs::write(dir.path().join("secret.py"), "x").expect("write");
        let files = Files::new();
        let p = Project::new(&root.join("template.yaml"), &files);
        assert_eq!(p.join(&root, "/etc"), Err(Refused::Absolute));
        assert!(matches!(
            p.join(&root, "../../etc/passwd"),
            Err(Refused::Outside(_))
        ));
        assert!(matches!(
            p.join(&root, "../secret.py"),
            Err(Refused::Outside(_))
        ));
        let ok = p.join(&root, "Src/../Src/handlers/app.py").expect("inside");
        assert_eq!(p.file(&ok), Lookup::Found(root.join("Src/handlers/app.py")));
        let wrong = p.join(&root, "src/handlers/app.py").expect("inside");
        assert_eq!(
            p.file(&wrong),
            Lookup::CaseMismatch {
                path: root.join("Src/handlers/app.py"),
                written: "src".into(),
                actual: "Src".into()
            }
        );
        assert_eq!(p.file(&root.join("Src/handlers/nope.py")), Lookup::Missing);
        assert_eq!(p.read(&dir.path().join("secret.py")), None);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_project_are_not_followed() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("proj");
        std::fs::create_dir_all(&root).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("outside")).expect("mkdir");
        std::fs::write(dir.path().join("outside/app.py"), "secret").expect("write");
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("code")).expect("link");
        let files = Files::new();
        let p = Project::new(&root.join("template.yaml"), &files);
        let path = p.join(&root, "code/app.py").expect("lexically inside");
        assert!(matches!(p.file(&path), Lookup::Found(_)));
        assert!(matches!(p.escapes(&path), Some(Refused::Symlink { .. })));
        assert_eq!(p.read(&path), None);
    }

    #[test]
    fn git_repository_and_workspace_roots_widen_the_project() {
        let dir = tempfile::tempdir().expect("tmp");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
        std::fs::create_dir_all(repo.join("infra")).expect("mkdir");
        let files = Files::new();
        let p = Project::new(&repo.join("infra/template.yaml"), &files);
        assert!(p.join(&repo.join("infra"), "../src").is_ok());
        let loose = dir.path().join("loose");
        std::fs::create_dir_all(loose.join("infra")).expect("mkdir");
        let p = Project::new(&loose.join("infra/template.yaml"), &files);
        assert!(p.join(&loose.join("infra"), "../src").is_err());
        files.set_roots(vec![loose.clone()]);
        let p = Project::new(&loose.join("infra/template.yaml"), &files);
        assert!(p.join(&loose.join("infra"), "../src").is_ok());
    }
}
