//! Java: classes found by their `package` declaration.

use super::*;

/// Java: `package.Class::method`, or `package.Class` implementing `RequestHandler`. The class is found by
/// its `package` declaration under the code folder (usually `src/main/java`).
pub(super) fn resolve_java(cx: &Ctx, res: &mut Resolution) {
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
