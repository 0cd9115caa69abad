//! Go (aws-lambda-go).

use super::*;

/// Go (aws-lambda-go): the code folder must hold package `main` calling `lambda.Start` with a function of
/// an accepted shape; the `Handler` value itself is only the executable's name.
pub(super) fn resolve_go(cx: &Ctx, res: &mut Resolution) {
    let entries = cx.project.list_dir(cx.code_dir).unwrap_or_default();
    let mut sources: Vec<(PathBuf, Arc<Facts>)> = Vec::new();
    for name in entries
        .iter()
        .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
    {
        let p = cx.code_dir.join(name);
        if cx.project.escapes(&p).is_some() {
            continue;
        }
        if let Some(f) = cx.facts(&p, Lang::Go) {
            sources.push((p, f));
        }
    }
    res.lang = Some(Lang::Go);
    if sources.is_empty() {
        res.problems.push(Problem::new(
            &GO_MAIN,
            At::Code,
            format!(
                "`{}` holds no Go files, so there is no `main` package to build the `bootstrap` executable from",
                cx.shown(cx.code_dir)
            ),
        ));
        return;
    }
    let mains: Vec<&(PathBuf, Arc<Facts>)> = sources
        .iter()
        .filter(|(_, f)| f.go.package.as_deref() == Some("main"))
        .collect();
    if mains.is_empty() {
        if sources.iter().any(|(_, f)| f.has_errors) {
            return;
        }
        let (first, facts) = &sources[0];
        res.problems.push(
            Problem::new(
                &GO_MAIN,
                At::Code,
                format!(
                    "`{}` holds package `{}`, not `main`: `go build` makes no executable, so there is no \
                     `bootstrap` to run",
                    cx.shown(cx.code_dir),
                    facts.go.package.as_deref().unwrap_or("?")
                ),
            )
            .related(first, 0..0, "package declared here"),
        );
        return;
    }
    let files: Vec<Arc<Facts>> = mains.iter().map(|(_, f)| f.clone()).collect();
    let start = mains.iter().find_map(|(p, f)| {
        let lambda_names: Vec<&str> =
            f.go.imports
                .iter()
                .filter(|(_, path)| path == gocode::LAMBDA_IMPORT)
                .map(|(l, _)| l.as_str())
                .collect();
        f.go.starts
            .iter()
            .find(|s| lambda_names.contains(&s.package.as_str()))
            .map(|s| (p.clone(), s.clone()))
    });
    let Some((start_file, start)) = start else {
        res.file = mains.first().map(|(p, _)| p.clone());
        // Started some other way (an HTTP adapter, a hand-written Runtime API loop) unless the program
        // imports only the standard library and no HTTP client: then it never asks for an event.
        let may_talk_to_lambda = mains.iter().any(|(_, f)| {
            f.go.imports.iter().any(|(_, path)| {
                let first = path.split('/').next().unwrap_or("");
                first.contains('.') || path.starts_with("net")
            })
        });
        if !may_talk_to_lambda && !mains.iter().any(|(_, f)| f.has_errors) {
            res.problems.push(
                Problem::new(
                    &GO_MAIN,
                    At::Handler,
                    format!(
                        "package `main` in `{}` never starts the Lambda runtime (no `lambda.Start`, and only \
                         standard-library imports without networking): the function exits at init",
                        cx.shown(cx.code_dir)
                    ),
                )
                .severity(Severity::Warning),
            );
        }
        return;
    };
    let (file, def) = match &start.handler {
        code::GoHandlerArg::Name(name, _) => match mains
            .iter()
            .find_map(|(p, f)| f.top(name).map(|d| (p.clone(), d.clone())))
        {
            Some(found) => found,
            None => {
                res.file = Some(start_file);
                return;
            }
        },
        code::GoHandlerArg::Literal(def) => (start_file.clone(), (**def).clone()),
        code::GoHandlerArg::Other => {
            res.file = Some(start_file);
            return;
        }
    };
    let pkg = gocode::Package { files: &files };
    if let Some(problem) = pkg.signature_problem(&def) {
        res.problems.push(
            Problem::new(
                &GO_SIGNATURE,
                At::Handler,
                format!(
                    "`{}` (passed to `lambda.{}`) has a signature aws-lambda-go rejects at start-up: {problem}",
                    def.name, start.function
                ),
            )
            .related(&file, def.name_span.clone(), "handler defined here")
            .related(&start_file, start.span.clone(), "started here"),
        );
    }
    res.facts = mains
        .iter()
        .find(|(p, _)| *p == file)
        .map(|(_, f)| f.clone());
    res.file = Some(file);
    res.def = Some(def);
}
