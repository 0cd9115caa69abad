//! Reading other files during analysis: open editor buffers first, then the disk. Analysis never touches
//! `std::fs` directly, so the editor's unsaved text is what every cross-file check sees.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub trait FileSource: Send + Sync {
    /// The text of a file, or `None` when it does not exist, is not UTF-8 or is too large.
    fn read(&self, path: &Path) -> Option<Arc<str>>;
    /// Entry names of a directory (files and folders), for case-sensitive lookups.
    fn list_dir(&self, path: &Path) -> Option<Vec<String>>;
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    /// The folders the user works in (editor workspace folders, or where `check` runs): cross-file
    /// analysis may read inside them and looks for configs there.
    fn roots(&self) -> Vec<PathBuf> {
        Vec::new()
    }
    /// The path with symlinks resolved, so a link cannot lead analysis out of the project.
    fn real_path(&self, path: &Path) -> Option<PathBuf> {
        Some(path.to_path_buf())
    }
    /// A cheap fingerprint of a file's current content (modification time and size on disk, a hash of an
    /// open buffer), for caches; `None` when the file is gone.
    fn stamp(&self, path: &Path) -> Option<u64> {
        self.read(path).map(|t| hash_text(&t))
    }
    /// Files open in the editor (their text may not be on disk yet).
    fn open_paths(&self) -> Vec<PathBuf> {
        Vec::new()
    }
}

pub fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Largest file another file's analysis will read (handler code, package.json, …).
const MAX_READ: u64 = 8 * 1024 * 1024;

/// The disk, overlaid with open documents.
#[derive(Default)]
pub struct Files {
    overlay: RwLock<HashMap<PathBuf, Arc<str>>>,
    roots: RwLock<Vec<PathBuf>>,
}

impl Files {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_overlay(&self, path: PathBuf, text: Arc<str>) {
        if let Ok(mut map) = self.overlay.write() {
            map.insert(path, text);
        }
    }

    pub fn remove_overlay(&self, path: &Path) {
        if let Ok(mut map) = self.overlay.write() {
            map.remove(path);
        }
    }

    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        if let Ok(mut r) = self.roots.write() {
            *r = roots;
        }
    }

    fn overlay(&self, path: &Path) -> Option<Arc<str>> {
        self.overlay.read().ok()?.get(path).cloned()
    }
}

impl FileSource for Files {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(text) = self.overlay(path) {
            return Some(text);
        }
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }

    fn list_dir(&self, path: &Path) -> Option<Vec<String>> {
        let mut names: Vec<String> = std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        if let Ok(map) = self.overlay.read() {
            for p in map.keys() {
                if p.parent() == Some(path) {
                    if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
                        if !names.iter().any(|x| x == n) {
                            names.push(n.to_string());
                        }
                    }
                }
            }
        }
        names.sort();
        Some(names)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.overlay(path).is_some() || path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn roots(&self) -> Vec<PathBuf> {
        self.roots.read().map(|r| r.clone()).unwrap_or_default()
    }

    fn real_path(&self, path: &Path) -> Option<PathBuf> {
        match std::fs::canonicalize(path) {
            Ok(p) => Some(p),
            // A buffer not saved yet has no real path but its own.
            Err(_) => self.overlay(path).map(|_| path.to_path_buf()),
        }
    }

    fn stamp(&self, path: &Path) -> Option<u64> {
        if let Some(text) = self.overlay(path) {
            return Some(hash_text(&text));
        }
        let meta = std::fs::metadata(path).ok()?;
        let nanos = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Some(nanos ^ meta.len().rotate_left(48) ^ 1)
    }

    fn open_paths(&self) -> Vec<PathBuf> {
        self.overlay
            .read()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}
