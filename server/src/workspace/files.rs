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
    /// `list_dir`, shared: a remembered listing is handed out without copying every name.
    fn list_dir_shared(&self, path: &Path) -> Option<Arc<[String]>> {
        self.list_dir(path).map(Arc::from)
    }
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
    /// What the disk said, when it is taken as fixed (`snapshot`).
    memo: Option<Memo>,
}

impl Files {
    /// Asks the disk every time: the language server's disk changes while the user edits and builds.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers folder listings, file kinds and real paths until `forget_disk`. For `check`: a run reads
    /// a disk that does not change under it, and every config asks again about the folders they share
    /// (the repository root, `services/`, …). Open documents still win over what is remembered.
    pub fn snapshot() -> Self {
        Files {
            memo: Some(Memo::default()),
            ..Self::default()
        }
    }

    /// Forgets what a snapshot remembers, so that memory stays flat over a long run (the folders the next
    /// files share are asked again, once).
    pub fn forget_disk(&self) {
        if let Some(m) = &self.memo {
            m.clear();
        }
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

    fn kind(&self, path: &Path) -> Kind {
        match &self.memo {
            Some(m) => m.kinds.get_or(path, || Kind::of(path)),
            None => Kind::of(path),
        }
    }
}

/// The names in a folder on disk, sorted.
fn disk_listing(path: &Path) -> Option<Arc<[String]>> {
    let mut names: Vec<String> = std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    Some(names.into())
}

/// What a path is once symlinks are followed (one `stat` answers both `is_file` and `is_dir`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    /// Missing, unreadable, or neither (a socket, a broken link).
    Other,
}

impl Kind {
    fn of(path: &Path) -> Kind {
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Kind::File,
            Ok(m) if m.is_dir() => Kind::Dir,
            _ => Kind::Other,
        }
    }
}

/// Disk facts remembered for a `snapshot`, one entry per path asked about.
#[derive(Default)]
struct Memo {
    listings: Sharded<Option<Arc<[String]>>>,
    kinds: Sharded<Kind>,
    real_paths: Sharded<Option<PathBuf>>,
}

impl Memo {
    /// `canonicalize`. On Linux, built on the parent's remembered real path: one `lstat` for a path not
    /// seen before, where `realpath` reads every folder on the way again. (Elsewhere the real path may
    /// also change a name's case, so it is asked as is.)
    fn real_path(&self, path: &Path) -> Option<PathBuf> {
        self.real_paths.get_or(path, || {
            #[cfg(target_os = "linux")]
            if let (Some(parent), Some(std::path::Component::Normal(name))) =
                (path.parent(), path.components().next_back())
            {
                if parent.is_absolute() {
                    let real = self.real_path(parent)?.join(name);
                    return match std::fs::symlink_metadata(&real) {
                        Ok(m) if !m.file_type().is_symlink() => Some(real),
                        Ok(_) => std::fs::canonicalize(&real).ok(),
                        Err(_) => None,
                    };
                }
            }
            std::fs::canonicalize(path).ok()
        })
    }

    fn clear(&self) {
        self.listings.clear();
        self.kinds.clear();
        self.real_paths.clear();
    }
}

/// Enough shards that `check`'s threads seldom wait on one another's writes.
const SHARDS: usize = 32;

/// A path-keyed map split over several locks.
struct Sharded<V> {
    shards: Vec<RwLock<HashMap<PathBuf, V>>>,
}

impl<V> Default for Sharded<V> {
    fn default() -> Self {
        Sharded {
            shards: (0..SHARDS).map(|_| RwLock::default()).collect(),
        }
    }
}

impl<V: Clone> Sharded<V> {
    fn clear(&self) {
        for shard in &self.shards {
            if let Ok(mut m) = shard.write() {
                m.clear();
            }
        }
    }

    /// The remembered value, or `compute`'s, remembered. Two threads may both compute a missing value; the
    /// first stored is what both return, so every caller sees one answer per path.
    fn get_or(&self, path: &Path, compute: impl FnOnce() -> V) -> V {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .hash_one(path);
        let shard = &self.shards[hash as usize % SHARDS];
        if let Some(v) = shard.read().ok().and_then(|m| m.get(path).cloned()) {
            return v;
        }
        let v = compute();
        match shard.write() {
            Ok(mut m) => m.entry(path.to_path_buf()).or_insert(v).clone(),
            Err(_) => v,
        }
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
        self.list_dir_shared(path).map(|l| l.to_vec())
    }

    fn list_dir_shared(&self, path: &Path) -> Option<Arc<[String]>> {
        let on_disk = match &self.memo {
            Some(m) => m.listings.get_or(path, || disk_listing(path))?,
            None => disk_listing(path)?,
        };
        let mut extra: Vec<String> = Vec::new();
        if let Ok(map) = self.overlay.read() {
            for p in map.keys() {
                if p.parent() == Some(path) {
                    if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
                        if !on_disk.iter().any(|x| x == n) && !extra.iter().any(|x| x == n) {
                            extra.push(n.to_string());
                        }
                    }
                }
            }
        }
        if extra.is_empty() {
            return Some(on_disk);
        }
        let mut names = on_disk.to_vec();
        names.append(&mut extra);
        names.sort();
        Some(names.into())
    }

    fn is_file(&self, path: &Path) -> bool {
        self.overlay(path).is_some() || self.kind(path) == Kind::File
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.kind(path) == Kind::Dir
    }

    fn roots(&self) -> Vec<PathBuf> {
        self.roots.read().map(|r| r.clone()).unwrap_or_default()
    }

    fn real_path(&self, path: &Path) -> Option<PathBuf> {
        let real = match &self.memo {
            Some(m) => m.real_path(path),
            None => std::fs::canonicalize(path).ok(),
        };
        // A buffer not saved yet has no real path but its own.
        real.or_else(|| self.overlay(path).map(|_| path.to_path_buf()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_answers_again_without_the_disk() {
        let dir = tempfile::tempdir().expect("tmp");
        let code = dir.path().join("code");
        let app = code.join("app.py");
        std::fs::create_dir_all(&code).expect("mkdir");
        std::fs::write(&app, "x").expect("write");
        let snapshot = Files::snapshot();
        let fresh = Files::new();
        let real = std::fs::canonicalize(&code).ok();
        for files in [&snapshot, &fresh] {
            assert_eq!(files.list_dir(&code), Some(vec!["app.py".to_string()]));
            assert!(files.is_dir(&code));
            assert!(files.is_file(&app));
            assert_eq!(files.real_path(&code), real);
        }
        std::fs::remove_dir_all(&code).expect("rm");
        assert_eq!(snapshot.list_dir(&code), Some(vec!["app.py".to_string()]));
        assert!(snapshot.is_dir(&code));
        assert!(snapshot.is_file(&app));
        assert_eq!(snapshot.real_path(&code), real);
        assert_eq!(fresh.list_dir(&code), None);
        assert!(!fresh.is_dir(&code));
        assert!(!fresh.is_file(&app));
        assert_eq!(fresh.real_path(&code), None);
        snapshot.forget_disk();
        assert_eq!(snapshot.list_dir(&code), None);
        assert!(!snapshot.is_file(&app));
        assert_eq!(snapshot.real_path(&code), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_snapshot_resolves_symlinks_as_canonicalize_does() {
        let dir = tempfile::tempdir().expect("tmp");
        let target = dir.path().join("target");
        std::fs::create_dir_all(target.join("src")).expect("mkdir");
        std::fs::write(target.join("src/app.py"), "x").expect("write");
        std::os::unix::fs::symlink(&target, dir.path().join("link")).expect("link");
        std::os::unix::fs::symlink("../target/src", target.join("rel")).expect("link");
        let snapshot = Files::snapshot();
        for p in [
            "link/src/app.py",
            "link/src",
            "target/rel/app.py",
            "link/rel/../src/app.py",
            "link/nope.py",
            "link/src/app.py/x",
        ] {
            let path = dir.path().join(p);
            assert_eq!(
                snapshot.real_path(&path),
                std::fs::canonicalize(&path).ok(),
                "{p}"
            );
        }
    }

    #[test]
    fn open_documents_win_over_a_snapshot() {
        let dir = tempfile::tempdir().expect("tmp");
        let app = dir.path().join("app.py");
        let new = dir.path().join("new.py");
        std::fs::write(&app, "on disk").expect("write");
        let files = Files::snapshot();
        assert_eq!(files.list_dir(dir.path()), Some(vec!["app.py".to_string()]));
        assert!(!files.is_file(&new));
        assert_eq!(files.real_path(&new), None);
        files.set_overlay(new.clone(), Arc::from("unsaved"));
        files.set_overlay(app.clone(), Arc::from("edited"));
        assert_eq!(
            files.list_dir(dir.path()),
            Some(vec!["app.py".to_string(), "new.py".to_string()])
        );
        assert!(files.is_file(&new));
        assert_eq!(files.real_path(&new), Some(new.clone()));
        assert_eq!(files.read(&app).as_deref(), Some("edited"));
        files.remove_overlay(&new);
        assert_eq!(files.list_dir(dir.path()), Some(vec!["app.py".to_string()]));
        assert!(!files.is_file(&new));
    }
}
