//! A cheap summary of a function's code folder (names, sizes, modification times), so a warm instance
//! is restarted when its code changes on disk, as a new deployment would be.

use std::hash::{Hash, Hasher};
use std::path::Path;

/// Folders that hold caches, tools or other builds, never the code Lambda loads.
const SKIP: &[&str] = &[
    "node_modules",
    "__pycache__",
    ".git",
    ".aws-sam",
    ".serverless",
    ".venv",
    "venv",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "target",
];

/// Bound on entries visited, so a huge folder costs milliseconds, not seconds.
const MAX_ENTRIES: usize = 20_000;

pub fn of(dir: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            seen += 1;
            if seen > MAX_ENTRIES {
                return h.finish();
            }
            let Ok(meta) = e.metadata() else { continue };
            let name = e.file_name();
            name.hash(&mut h);
            if meta.is_file() {
                meta.len().hash(&mut h);
                if let Ok(m) = meta.modified() {
                    m.hash(&mut h);
                }
            } else if meta.is_dir() {
                let skip = name.to_str().is_some_and(|n| SKIP.contains(&n));
                if !skip {
                    stack.push(e.path());
                }
            }
        }
    }
    h.finish()
}
