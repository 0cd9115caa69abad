//! Rust and .NET: resolved for navigation only.

use super::*;

/// Rust (cargo-lambda): the binary is built from the crate in the code folder; navigation goes to
/// `src/main.rs`. There is no grammar for Rust in the binary, so nothing is checked.
pub(super) fn resolve_rust(cx: &Ctx, res: &mut Resolution) {
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

/// .NET: `Assembly::Namespace.Class::Method` (a class library), or the assembly name alone for an
/// executable (top-level statements, native AOT's `bootstrap`), which resolves to its `.csproj`.
pub(super) fn resolve_dotnet(cx: &Ctx, res: &mut Resolution) {
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
