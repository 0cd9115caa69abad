//! serverless.yml facts the function model does not carry: the provider a service deploys to.

use super::*;

/// Whether the serverless.yml declaring `f` deploys to AWS (`provider.name: aws`); the same file format
/// serves Azure, OpenWhisk, Kubeless and others, whose handlers follow other rules.
pub(super) fn on_aws(f: &FunctionConfig, project: &Project, base: &Path) -> bool {
    for name in ["serverless.yml", "serverless.yaml", "serverless.json"] {
        let path = base.join(name);
        let Some(text) = project.read(&path) else {
            continue;
        };
        let summary = summary(&path, &text);
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
fn summary(path: &Path, text: &str) -> Arc<ServerlessSummary> {
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
