//! Ruby (aws_lambda_ric).

use super::*;

/// Ruby (aws_lambda_ric): `file.method` or `file.Module::Class.method` (a class method).
pub(super) fn resolve_ruby(cx: &Ctx, res: &mut Resolution) {
    let parts: Vec<&str> = cx.handler.split('.').collect();
    let (file, scope, method) = match parts.as_slice() {
        [f, m] => (*f, Vec::new(), *m),
        [f, c, m] => (*f, c.split("::").map(str::to_string).collect(), *m),
        _ => return,
    };
    if file.is_empty() || method.is_empty() || scope.iter().any(|s| s.is_empty()) {
        return;
    }
    if is_layer_wrapper(file) {
        return;
    }
    let Some(stem) = cx.join(file, res) else {
        return;
    };
    let candidates = [with_ext(&stem, "rb")];
    let Some(path) = cx.first_file(&candidates, res) else {
        if !res.problems.iter().any(|p| p.rule.id == OUTSIDE_PROJECT.id) {
            cx.missing_file(&candidates, Family::Ruby, res);
        }
        return;
    };
    res.file = Some(path.clone());
    res.lang = Some(Lang::Ruby);
    let Some(facts) = cx.facts(&path, Lang::Ruby) else {
        return;
    };
    res.facts = Some(facts.clone());
    let found = facts
        .defs
        .iter()
        .find(|d| d.name == method && d.scope == scope && (scope.is_empty() || d.singleton));
    let Some(def) = found.cloned() else {
        if facts.has_errors {
            return;
        }
        if let Some(instance) = facts
            .defs
            .iter()
            .find(|d| d.name == method && d.scope == scope)
        {
            res.problems.push(
                Problem::new(
                    &SYMBOL_NOT_FOUND,
                    At::Handler,
                    format!(
                        "`{}.{method}` is an instance method; the Ruby runtime calls a class method: define it \
                         as `def self.{method}(event:, context:)`",
                        scope.join("::")
                    ),
                )
                .related(&path, instance.name_span.clone(), "instance method defined here"),
            );
            return;
        }
        let what = if scope.is_empty() {
            format!("a top-level method `{method}`")
        } else {
            format!("a class method `{}.{method}`", scope.join("::"))
        };
        cx.missing_symbol(what, &path, Family::Ruby, res);
        return;
    };
    if let Some(problem) = def.params.as_deref().and_then(rbcode::signature_problem) {
        res.problems.push(
            Problem::new(
                &RUBY_SIGNATURE,
                At::Handler,
                format!("`{method}` cannot be called as `{method}(event:, context:)`: {problem}"),
            )
            .related(&path, def.name_span.clone(), "defined here"),
        );
    }
    res.def = Some(def);
}
