//! Node.js (aws-lambda-ric) and TypeScript sources: files, exports, callbacks and module systems.

use super::*;

/// Node.js (aws-lambda-ric): `[dir/]file.export[.nested]`; the part after the last `/` is split at its
/// first dot. The file is tried as is, then with `.js`, `.mjs` and `.cjs`. TypeScript sources are found
/// through esbuild's `EntryPoints` or next to where the built file would be.
pub(super) fn resolve_node(cx: &Ctx, res: &mut Resolution) {
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
