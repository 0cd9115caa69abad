//! How each runtime family starts. The Python and Node bootstraps are ours, embedded in the binary and
//! written once to the cache (under a content hash, so an upgrade never runs a stale copy); they run on
//! the user's own `python3` / `node`. `provided.*` functions run their `bootstrap` unchanged.

use super::spec::{Family, FunctionSpec};
use super::{InvokeError, Settings};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const PYTHON_BOOTSTRAP: &str = include_str!("../../runtimes/python/bootstrap.py");
const NODE_BOOTSTRAP: &str = include_str!("../../runtimes/node/bootstrap.mjs");

pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// What to call the program in messages ("python3", "node", "bootstrap").
    pub what: String,
    /// The setting that changes the program, for the message when it is missing.
    pub setting: Option<&'static str>,
}

/// The folder holding our bootstraps (`LAMBDA_RUNTIME_DIR`), written on first use.
pub fn runtime_dir(cache: &Path) -> Result<PathBuf, InvokeError> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    PYTHON_BOOTSTRAP.hash(&mut h);
    NODE_BOOTSTRAP.hash(&mut h);
    let dir = cache.join("runtimes").join(format!("{:016x}", h.finish()));
    for (name, text) in [
        ("python/bootstrap.py", PYTHON_BOOTSTRAP),
        ("node/bootstrap.mjs", NODE_BOOTSTRAP),
    ] {
        let path = dir.join(name);
        if path.is_file() {
            continue;
        }
        let write = || -> std::io::Result<()> {
            let parent = path.parent().unwrap_or(&dir);
            std::fs::create_dir_all(parent)?;
            // Written under a unique name then renamed, so two servers starting at once never run a
            // half-written file.
            let tmp = parent.join(format!(".{}.{}", std::process::id(), super::ids::token()));
            std::fs::write(&tmp, text)?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| {
            InvokeError::Launch(format!(
                "cannot write the runtime bootstrap to `{}`: {e}",
                path.display()
            ))
        })?;
    }
    Ok(dir)
}

pub fn launch(
    spec: &FunctionSpec,
    family: Family,
    settings: &Settings,
    runtime_dir: &Path,
) -> Result<Launch, InvokeError> {
    match family {
        Family::Python => Ok(Launch {
            program: settings
                .python
                .clone()
                .unwrap_or_else(|| PathBuf::from("python3")),
            // -u: output reaches the log as it is printed; -B: no __pycache__ in our cache folder.
            args: vec![
                "-u".into(),
                "-B".into(),
                runtime_dir.join("python/bootstrap.py").into(),
            ],
            what: "python3".into(),
            setting: Some("--python / LAMBDA_LS_PYTHON"),
        }),
        Family::Node => Ok(Launch {
            program: settings
                .node
                .clone()
                .unwrap_or_else(|| PathBuf::from("node")),
            args: vec![runtime_dir.join("node/bootstrap.mjs").into()],
            what: "node".into(),
            setting: Some("--node / LAMBDA_LS_NODE"),
        }),
        Family::Provided => {
            let path = spec.code_dir.join("bootstrap");
            if !path.is_file() {
                return Err(InvokeError::Launch(format!(
                    "Runtime.InvalidEntrypoint: no `bootstrap` executable in `{}` (a {} function runs the file named bootstrap at the root of its code)",
                    spec.code_dir.display(),
                    spec.runtime
                )));
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path)
                    .map(|m| m.permissions().mode())
                    .unwrap_or(0);
                if mode & 0o111 == 0 {
                    return Err(InvokeError::Launch(format!(
                        "Runtime.InvalidEntrypoint: `{}` is not executable (chmod +x it)",
                        path.display()
                    )));
                }
            }
            Ok(Launch {
                program: path,
                args: Vec::new(),
                what: "bootstrap".into(),
                setting: None,
            })
        }
    }
}
