//! Checks of one function's configuration against the embedded data: runtime lifecycle, limits, handler
//! format, environment, packaging and inline code. The same checks run on SAM, CloudFormation and
//! serverless.yml functions through the normalised model.

use super::data::{extensions, limit};
use super::model::{Field, FunctionConfig, Source};
use super::rules::*;
use super::runtimes;
use crate::date::Date;
use crate::rules::{Finding, Fix, Severity};
use crate::syntax::{Value, ValueKind};

/// Every per-function configuration check except the runtime lifecycle (judged once per value).
pub fn check_function(text: &str, f: &FunctionConfig, out: &mut Vec<Finding>) {
    check_limits(f, out);
    check_architectures(text, f, out);
    check_layers(f, out);
    check_function_name(f, out);
    check_handler_format(f, out);
    check_environment(f, out);
    check_package_type(f, out);
    check_inline_code(text, f, out);
    check_dependencies(f, out);
}

/// Properties that need or exclude one another (SAM's own rules, and Lambda's).
pub fn check_dependencies(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let set = |x: &Option<Field>| {
        x.as_ref()
            .is_some_and(|x| !matches!(x.node.kind, ValueKind::Null))
    };
    if f.source == Source::Sam {
        let alias = set(&f.auto_publish_alias)
            && f.auto_publish_alias.as_ref().and_then(|a| a.node.as_str()) != Some("");
        for (field, name) in [
            (&f.deployment_preference, "DeploymentPreference"),
            (&f.provisioned_concurrency, "ProvisionedConcurrencyConfig"),
        ] {
            if let Some(x) = field.as_ref().filter(|_| !alias) {
                if matches!(x.node.kind, ValueKind::Null) {
                    continue;
                }
                out.push(Finding::new(
                    &PROPERTY_DEPENDENCY,
                    x.span(),
                    format!("`{name}` needs `AutoPublishAlias`: SAM applies it to the alias it publishes"),
                ));
            }
        }
        if let Some(a) = f.auto_publish_alias.as_ref().and_then(|a| a.str()) {
            // Alias names: letters, digits, `-` and `_`, not only digits (they would read as a version).
            let ok = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !a.chars().all(|c| c.is_ascii_digit());
            if !ok {
                out.push(Finding::new(
                    &INVALID_PROPERTY,
                    f.auto_publish_alias.as_ref().map(|x| x.span()).unwrap_or_default(),
                    format!("`{a}` is not an alias name: use letters, digits, `-` and `_` (not only digits)"),
                ));
            }
        }
        if let (Some(_), Some(code)) = (&f.inline_code, &f.code) {
            if !code.inherited && f.inline_code.as_ref().is_some_and(|i| !i.inherited) {
                out.push(Finding::new(
                    &PROPERTY_DEPENDENCY,
                    code.span(),
                    "a function takes either `InlineCode` or `CodeUri`, not both",
                ));
            }
        }
    }
    if set(&f.capacity_provider) && set(&f.provisioned_concurrency) {
        if let Some(p) = &f.provisioned_concurrency {
            out.push(Finding::new(
                &PROPERTY_DEPENDENCY,
                p.span(),
                "Lambda Managed Instances (`CapacityProviderConfig`) and provisioned concurrency cannot be combined",
            ));
        }
    }
}

/// A number the function sets: `Ok(None)` when unknown (intrinsic, parameter, variable), `Err` when the
/// text is not a number at all.
fn number(f: &Field) -> Result<Option<f64>, ()> {
    match &f.node.kind {
        ValueKind::Num(n) => Ok(Some(*n)),
        ValueKind::Str(s) if s.contains("${") => Ok(None),
        ValueKind::Str(s) => s.trim().parse().map(Some).map_err(|_| ()),
        ValueKind::Intrinsic { .. } => Ok(None),
        _ => Err(()),
    }
}

fn fmt(n: f64) -> String {
    crate::syntax::value::format_number(n)
}

/// Replacement text in the quoting the existing value uses.
pub fn quote_like(text: &str, v: &Value, s: &str) -> String {
    match text.as_bytes().get(v.span.start) {
        Some(b'\'') => format!("'{s}'"),
        Some(b'"') => format!("\"{s}\""),
        _ => s.to_string(),
    }
}

/// Runtime identity and lifecycle, judged against `today`.
pub fn check_runtime(text: &str, value: &Value, today: Date, out: &mut Vec<Finding>) {
    let Some(id) = value.as_str() else {
        return;
    };
    if id.contains("${") {
        return;
    }
    let Some(rt) = runtimes::get(id).filter(|r| r.in_api || r.in_cloudformation) else {
        unknown_runtime(text, value, id, today, out);
        return;
    };
    let successor = rt.successor.as_deref();
    let move_to = successor
        .map(|s| format!("; move to `{s}`"))
        .unwrap_or_default();
    let (rule, message) = match (
        rt.deprecated_on(),
        rt.create_block_on(),
        rt.update_block_on(),
    ) {
        (_, _, Some(u)) if u <= today => (
            &RUNTIME_UPDATE_BLOCKED,
            format!(
                "`{id}` is retired: Lambda blocks updates of functions on it since {u}{move_to}"
            ),
        ),
        (_, Some(c), u) if c <= today => (
            &RUNTIME_CREATE_BLOCKED,
            format!(
                "`{id}` is retired: Lambda blocks creating functions on it since {c}{}{move_to}",
                u.map(|u| format!(" and blocks updates from {u}"))
                    .unwrap_or_default()
            ),
        ),
        (Some(d), c, u) if d <= today => (
            &DEPRECATED_RUNTIME,
            format!(
                "`{id}` is deprecated since {d}{}{}{move_to}",
                c.map(|c| format!(": creating functions is blocked from {c}"))
                    .unwrap_or_default(),
                u.map(|u| format!(", updating them from {u}"))
                    .unwrap_or_default()
            ),
        ),
        _ => return,
    };
    let mut f = Finding::new(rule, value.span.clone(), message);
    f.deprecated = true;
    if let Some(s) = successor {
        f = f.with_fix(Fix::replace(
            format!("Change to `{s}`"),
            value.span.clone(),
            quote_like(text, value, s),
        ));
    }
    out.push(f);
}

fn unknown_runtime(text: &str, value: &Value, id: &str, today: Date, out: &mut Vec<Finding>) {
    let known = runtimes::all()
        .iter()
        .filter(|r| r.in_api || r.in_cloudformation);
    let mut suggestions = crate::suggest::closest(id, known.map(|r| r.id.as_str()), 8);
    // `nodejs22` most likely means `nodejs22.x`, and a supported runtime beats a retired one.
    suggestions.sort_by_key(|s| {
        let retired = runtimes::get(s)
            .and_then(|r| r.deprecated_on())
            .is_some_and(|d| d <= today);
        (!s.starts_with(id), retired)
    });
    suggestions.truncate(3);
    let mut message = format!("`{id}` is not a Lambda runtime");
    if runtimes::get(id).is_some() {
        message.push_str(" (it was never offered as a managed runtime)");
    }
    if let Some(best) = suggestions.first() {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    let mut finding = Finding::new(&UNKNOWN_RUNTIME, value.span.clone(), message);
    for s in suggestions {
        finding.fixes.push(Fix {
            preferred: finding.fixes.is_empty(),
            ..Fix::replace(
                format!("Change to `{s}`"),
                value.span.clone(),
                quote_like(text, value, s),
            )
        });
    }
    out.push(finding);
}

/// Memory, timeout, ephemeral storage, reserved concurrency and description against the limits data.
pub fn check_limits(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let managed = f.capacity_provider.is_some();
    if let Some(field) = &f.memory_size {
        let lim = limit("memory_size");
        let (min, max) = (lim.min.unwrap_or(128.0), lim.max.unwrap_or(10240.0));
        let hard_max = lim.max_capacity_provider.unwrap_or(max);
        match number(field) {
            Err(()) => out.push(not_a_number(&MEMORY_SIZE, field, key(f, "MemorySize", "memorySize"))),
            Ok(Some(n)) if n.fract() != 0.0 || n < min || n > hard_max => out.push(Finding::new(
                &MEMORY_SIZE,
                field.span(),
                format!("memory must be a whole number of MB from {} to {} ({} with Lambda Managed Instances); found {}", fmt(min), fmt(max), fmt(hard_max), fmt(n)),
            )),
            Ok(Some(n)) if n > max && !managed => out.push(
                Finding::new(
                    &MEMORY_SIZE,
                    field.span(),
                    format!("{} MB is over the {} MB maximum of standard functions (up to {} MB needs `CapacityProviderConfig`)", fmt(n), fmt(max), fmt(hard_max)),
                )
                .with_severity(Severity::Warning),
            ),
            _ => {}
        }
    }
    if let Some(field) = &f.timeout {
        let lim = limit("timeout");
        let (min, max) = (lim.min.unwrap_or(1.0), lim.max.unwrap_or(900.0));
        let hard_max = lim.max_capacity_provider.unwrap_or(max);
        let allowed = if managed { hard_max } else { max };
        match number(field) {
            Err(()) => out.push(not_a_number(&TIMEOUT, field, key(f, "Timeout", "timeout"))),
            Ok(Some(n)) if n.fract() != 0.0 || n < min || n > allowed => {
                let mut message = format!(
                    "timeout must be whole seconds from {} to {}; found {}",
                    fmt(min),
                    fmt(allowed),
                    fmt(n)
                );
                if !managed && n <= hard_max {
                    message.push_str(&format!(
                        " (up to {} s needs Lambda Managed Instances, `CapacityProviderConfig`)",
                        fmt(hard_max)
                    ));
                }
                out.push(Finding::new(&TIMEOUT, field.span(), message));
            }
            _ => {}
        }
    }
    if let Some(field) = &f.ephemeral_storage {
        let lim = limit("ephemeral_storage");
        let (min, max) = (lim.min.unwrap_or(512.0), lim.max.unwrap_or(10240.0));
        match number(field) {
            Err(()) => out.push(not_a_number(
                &EPHEMERAL_STORAGE,
                field,
                key(f, "EphemeralStorage.Size", "ephemeralStorageSize"),
            )),
            Ok(Some(n)) if n.fract() != 0.0 || n < min || n > max => out.push(Finding::new(
                &EPHEMERAL_STORAGE,
                field.span(),
                format!(
                    "ephemeral storage must be {} to {} MB; found {}",
                    fmt(min),
                    fmt(max),
                    fmt(n)
                ),
            )),
            _ => {}
        }
    }
    if let Some(field) = &f.reserved_concurrency {
        match number(field) {
            Err(()) => out.push(not_a_number(
                &RESERVED_CONCURRENCY,
                field,
                key(f, "ReservedConcurrentExecutions", "reservedConcurrency"),
            )),
            Ok(Some(n)) if n.fract() != 0.0 || n < 0.0 => out.push(Finding::new(
                &RESERVED_CONCURRENCY,
                field.span(),
                format!(
                    "reserved concurrency must be a whole number, 0 or more; found {}",
                    fmt(n)
                ),
            )),
            Ok(Some(0.0)) => out.push(
                Finding::new(
                    &RESERVED_CONCURRENCY,
                    field.span(),
                    "reserved concurrency 0 throttles every invocation: the function never runs",
                )
                .with_severity(Severity::Warning),
            ),
            _ => {}
        }
    }
    if f.source == Source::Serverless {
        if let Some(d) = f.description.as_ref().and_then(|d| d.str()) {
            let max = limit("description").max.unwrap_or(256.0);
            if d.chars().count() as f64 > max {
                out.push(Finding::new(
                    &INVALID_PROPERTY,
                    f.description.as_ref().map(|d| d.span()).unwrap_or_default(),
                    format!(
                        "description is {} characters long, over the limit of {}",
                        d.chars().count(),
                        fmt(max)
                    ),
                ));
            }
        }
    }
}

/// The property's name as the config file spells it.
fn key(f: &FunctionConfig, template: &'static str, serverless: &'static str) -> &'static str {
    if f.source == Source::Serverless {
        serverless
    } else {
        template
    }
}

fn not_a_number(rule: &'static crate::rules::Rule, field: &Field, name: &str) -> Finding {
    Finding::new(
        rule,
        field.span(),
        format!(
            "`{name}` must be a number; found {}",
            super::schema::describe(field.node)
        ),
    )
}

/// `Architectures`: a list of exactly one of `x86_64`/`arm64` (serverless.yml: a single string).
pub fn check_architectures(text: &str, f: &FunctionConfig, out: &mut Vec<Finding>) {
    let Some(field) = &f.architectures else {
        return;
    };
    let node = field.node;
    let items: Vec<&Value> = match (&node.kind, f.source) {
        (ValueKind::Intrinsic { .. }, _) => return,
        (ValueKind::Seq(items), Source::Sam | Source::CloudFormation) => {
            if items.len() != 1 {
                out.push(Finding::new(
                    &ARCHITECTURES,
                    node.span.clone(),
                    format!(
                        "`Architectures` takes exactly one of `x86_64` or `arm64`; found {} item{}",
                        items.len(),
                        if items.len() == 1 { "" } else { "s" }
                    ),
                ));
                return;
            }
            items.iter().collect()
        }
        (ValueKind::Str(_), Source::Serverless) => vec![node],
        (_, Source::Serverless) => {
            out.push(Finding::new(
                &ARCHITECTURES,
                node.span.clone(),
                "`architecture` takes one string: `x86_64` or `arm64`",
            ));
            return;
        }
        _ => {
            out.push(Finding::new(
                &ARCHITECTURES,
                node.span.clone(),
                "`Architectures` must be a list with one item: `x86_64` or `arm64`",
            ));
            return;
        }
    };
    for item in items {
        let Some(s) = item.as_str() else {
            continue;
        };
        if s.contains("${") || s == "x86_64" || s == "arm64" {
            continue;
        }
        let lower = s.to_ascii_lowercase();
        let fix =
            if ["arm", "aarch64", "arm64"].contains(&lower.as_str()) || lower.starts_with("arm") {
                Some("arm64")
            } else if ["x86", "x86-64", "x64", "amd64", "x86_64"].contains(&lower.as_str())
                || lower.starts_with("x86")
            {
                Some("x86_64")
            } else {
                None
            };
        let mut finding = Finding::new(
            &ARCHITECTURES,
            item.span.clone(),
            format!("`{s}` is not a Lambda architecture: use `x86_64` or `arm64`"),
        );
        if let Some(to) = fix {
            finding = finding.with_fix(Fix::replace(
                format!("Change to `{to}`"),
                item.span.clone(),
                quote_like(text, item, to),
            ));
        }
        out.push(finding);
    }
}

/// At most five layers, no duplicates, and well-formed layer version ARNs.
pub fn check_layers(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let Some(field) = &f.layers else {
        return;
    };
    let unknown =
        field.node.is_intrinsic() || field.node.as_str().is_some_and(|s| s.contains("${"));
    if field.node.as_seq().is_none() && !unknown && !matches!(field.node.kind, ValueKind::Null) {
        out.push(Finding::new(
            &LAYERS,
            field.span(),
            format!(
                "layers are a list of layer version ARNs, not {}",
                super::schema::describe(field.node)
            ),
        ));
        return;
    }
    let items: &[&Value] = &f.all_layers;
    let max = limit("layers").max.unwrap_or(5.0) as usize;
    if items.len() > max {
        // Point at the function's own list when it has one (Globals layers count too).
        let own = field
            .node
            .as_seq()
            .filter(|_| !field.inherited)
            .unwrap_or_default();
        let span = match own.last() {
            Some(last) if !field.inherited => {
                let first_extra = own.len().saturating_sub(items.len() - max);
                own.get(first_extra)
                    .map_or(last.span.clone(), |e| e.span.start..last.span.end)
            }
            _ => field.node.span.clone(),
        };
        out.push(Finding::new(
            &LAYERS,
            span,
            format!(
                "a function can use at most {max} layers; function `{}` gets {}{}",
                f.name,
                items.len(),
                if items.len() > own.len() && !own.is_empty() {
                    " (with the ones from `Globals`)"
                } else {
                    ""
                }
            ),
        ));
    }
    let pattern = extensions()
        .api_bounds
        .get("LayerVersionArn")
        .and_then(|b| b["pattern"].as_str())
        .map(|p| format!("^(?:{p})$"));
    let re = pattern.as_deref().and_then(super::schema::regex);
    for (i, item) in items.iter().enumerate() {
        let Some(s) = item.as_str() else {
            continue;
        };
        if s.contains("${") {
            continue;
        }
        if items[..i].iter().any(|p| p.as_str() == Some(s)) {
            out.push(Finding::new(
                &LAYERS,
                item.span.clone(),
                format!("layer `{s}` is listed twice"),
            ));
            continue;
        }
        if re.as_ref().is_some_and(|re| !re.is_match(s)) {
            let hint = if s.starts_with("arn:")
                && !s
                    .rsplit(':')
                    .next()
                    .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
            {
                " (a layer ARN ends with its version number, `…:layer:NAME:VERSION`)"
            } else {
                " (expected `arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`)"
            };
            out.push(Finding::new(
                &LAYERS,
                item.span.clone(),
                format!("`{s}` is not a layer version ARN{hint}"),
            ));
        }
    }
}

/// `FunctionName`: letters, digits, `-` and `_`, at most 64 characters.
pub fn check_function_name(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let Some(field) = &f.function_name else {
        return;
    };
    let Some(name) = field.str() else {
        return;
    };
    let lim = limit("function_name");
    let max = lim.max.unwrap_or(64.0) as usize;
    let bad_char = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'));
    let message = if name.is_empty() {
        "the function name is empty".to_string()
    } else if let Some(c) = bad_char {
        format!("function names take letters, digits, `-` and `_` only; found `{c}`")
    } else if name.chars().count() > max {
        format!(
            "function name is {} characters long, over the limit of {max}",
            name.chars().count()
        )
    } else {
        return;
    };
    out.push(Finding::new(&FUNCTION_NAME, field.span(), message));
}

/// `Handler`: length, no whitespace, and the shape its runtime expects.
pub fn check_handler_format(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let Some(field) = &f.handler else {
        return;
    };
    let Some(h) = field.str() else {
        return;
    };
    if f.is_image() {
        return;
    }
    let max = limit("handler").max.unwrap_or(128.0) as usize;
    let problem = if h.is_empty() {
        Some("the handler is empty".to_string())
    } else if h.chars().any(char::is_whitespace) {
        Some(format!("the handler `{h}` contains whitespace"))
    } else if h.chars().count() > max {
        Some(format!(
            "the handler is {} characters long, over the limit of {max}",
            h.chars().count()
        ))
    } else {
        let family = f
            .runtime_id()
            .and_then(runtimes::get)
            .map(|r| r.family.as_str());
        family.and_then(|fam| handler_shape_problem(fam, h))
    };
    if let Some(message) = problem {
        out.push(Finding::new(&HANDLER_FORMAT, field.span(), message));
    }
}

/// What is wrong with a handler string for a runtime family, if anything.
pub fn handler_shape_problem(family: &str, h: &str) -> Option<String> {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    match family {
        "python" | "nodejs" => {
            let Some((module, func)) = h.rsplit_once('.') else {
                return Some(format!(
                    "the handler `{h}` needs the form `file.function` (for example `app.handler`)"
                ));
            };
            if module.is_empty() || func.is_empty() {
                return Some(format!(
                    "the handler `{h}` needs the form `file.function` (for example `app.handler`)"
                ));
            }
            if family == "python" {
                if !ident(func) {
                    return Some(format!("`{func}` is not a Python function name"));
                }
                if module.ends_with(".py") || module.ends_with("/py") {
                    let fixed = module.trim_end_matches(".py");
                    return Some(format!("leave out the file extension: `{fixed}.{func}` (Lambda reads `{module}` as a module path)"));
                }
            }
            None
        }
        "ruby" => {
            if h.contains('.') && !h.starts_with('.') && !h.ends_with('.') {
                None
            } else {
                Some(format!(
                    "the handler `{h}` needs the form `file.method` or `file.Module::Class.method`"
                ))
            }
        }
        "java" => {
            let (class, method) = match h.split_once("::") {
                Some((c, m)) => (c, Some(m)),
                None => (h, None),
            };
            let class_ok = !class.is_empty() && class.split('.').all(ident);
            let method_ok = method.is_none_or(ident);
            if class_ok && method_ok {
                None
            } else {
                Some(format!(
                    "the handler `{h}` needs the form `package.Class::method` or `package.Class`"
                ))
            }
        }
        "dotnet" => {
            let parts: Vec<&str> = h.split("::").collect();
            // An executable assembly (top-level statements) is named alone; a class library needs all three.
            if parts.len() == 1 || (parts.len() == 3 && parts.iter().all(|p| !p.is_empty())) {
                None
            } else {
                Some(format!("the handler `{h}` needs the form `Assembly::Namespace.Class::Method` (or the assembly name for an executable)"))
            }
        }
        _ => None,
    }
}

/// Environment variable names, reserved names and the 4 KB total.
pub fn check_environment(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let key_lim = limit("environment_key");
    let key_re = key_lim.pattern.as_deref().and_then(super::schema::regex);
    let ext = extensions();
    let mut total = 0usize;
    let mut first_own: Option<std::ops::Range<usize>> = None;
    // The variables must be a map of names to values (a list of `Key`/`Value` pairs is a common slip).
    let vars = match f.source {
        Source::Serverless => f.node.get("environment"),
        _ => f
            .properties
            .and_then(|p| p.get_path(&["Environment", "Variables"])),
    };
    if let Some(v) = vars {
        let unknown = v.is_intrinsic() || v.as_str().is_some_and(|s| s.contains("${"));
        if v.as_map().is_none() && !unknown && !matches!(v.kind, ValueKind::Null) {
            out.push(Finding::new(
                &INVALID_PROPERTY,
                v.span.clone(),
                format!(
                    "environment variables are a map of names to values, not {}",
                    super::schema::describe(v)
                ),
            ));
        }
    }
    for (key, field) in &f.environment {
        total += key.text.len();
        if let Some(v) = field.node.scalar_text().filter(|s| !s.contains("${")) {
            total += v.len();
        }
        // Inherited keys are reported where they are written (once: findings are deduplicated).
        if !field.inherited {
            first_own.get_or_insert(key.span.clone());
        }
        if key.text.contains("${") {
            continue;
        }
        let reserved = ext
            .reserved_environment_keys
            .iter()
            .chain(key_lim.extra_reserved.iter())
            .any(|r| *r == key.text);
        if reserved {
            out.push(Finding::new(
                &RESERVED_ENV_KEY,
                key.span.clone(),
                format!(
                    "`{}` is reserved by Lambda: the function cannot set it",
                    key.text
                ),
            ));
        } else if key_re.as_ref().is_some_and(|re| !re.is_match(&key.text)) {
            out.push(Finding::new(
                &ENV_KEY,
                key.span.clone(),
                format!("`{}` is not a valid environment variable name: start with a letter, then at least one letter, digit or `_`", key.text),
            ));
        }
    }
    let max = limit("environment_size").max.unwrap_or(4096.0) as usize;
    if total > max {
        let span = f
            .properties
            .and_then(|p| {
                p.get_entry(if f.source == Source::Serverless {
                    "environment"
                } else {
                    "Environment"
                })
            })
            .map(|(k, _)| k.span.clone())
            .or(first_own)
            .unwrap_or_else(|| f.anchor());
        out.push(Finding::new(
            &ENV_SIZE,
            span,
            format!("environment variables take {total} bytes, over Lambda's {max}-byte limit for keys and values together"),
        ));
    }
}

/// `PackageType`: images take no `Handler`, `Runtime` or `Layers` and need an image; zip files need both
/// a handler and a runtime.
pub fn check_package_type(f: &FunctionConfig, out: &mut Vec<Finding>) {
    fn own<'a>(field: &Option<Field<'a>>) -> Option<&'a Value> {
        field.as_ref().filter(|x| !x.inherited).map(|x| x.node)
    }
    if f.source == Source::Serverless {
        match (&f.handler, &f.image) {
            (Some(h), Some(_)) => out.push(Finding::new(
                &PACKAGE_TYPE,
                h.span(),
                "a function takes either `handler` or `image`, not both",
            )),
            (None, None) => out.push(Finding::new(
                &PACKAGE_TYPE,
                f.anchor(),
                format!("function `{}` needs a `handler` (or an `image`)", f.name),
            )),
            _ => {}
        }
        return;
    }
    let Some(props) = f.properties else {
        if f.source == Source::CloudFormation {
            return;
        }
        // A SAM function without Properties still gets Globals; it is checked below on what it has.
        return check_zip_needs(f, out);
    };
    let declared = f.package_type.as_ref().and_then(|p| p.str());
    if f.package_type.as_ref().is_some_and(|p| p.str().is_none()) {
        return; // computed at deploy time
    }
    if declared == Some("Image") {
        for name in &extensions().image_excluded_properties {
            let field = match name.as_str() {
                "Handler" => own(&f.handler),
                "Runtime" => own(&f.runtime),
                "Layers" => own(&f.layers),
                other => props.get(other),
            };
            if let Some(node) = field {
                let key_span = props
                    .get_entry(name)
                    .map(|(k, _)| k.span.start..node.span.end)
                    .unwrap_or(node.span.clone());
                out.push(Finding::new(
                    &PACKAGE_TYPE,
                    key_span,
                    format!("`{name}` is not allowed with `PackageType: Image`: the image's own entry point and command decide what runs"),
                ));
            }
        }
        let has_image = f.image.is_some()
            || f.metadata
                .is_some_and(|m| m.get("DockerContext").is_some() || m.get("Dockerfile").is_some());
        if !has_image {
            let what = if f.source == Source::Sam {
                "`ImageUri` (or `Metadata.DockerContext` for `sam build`)"
            } else {
                "`Code.ImageUri`"
            };
            out.push(Finding::new(
                &PACKAGE_TYPE,
                f.package_type
                    .as_ref()
                    .map(|p| p.span())
                    .unwrap_or_else(|| f.anchor()),
                format!("an image function needs {what}"),
            ));
        }
        return;
    }
    check_zip_needs(f, out);
}

fn check_zip_needs(f: &FunctionConfig, out: &mut Vec<Finding>) {
    // An image without `PackageType` means an image function to SAM; an explicit `Zip` wins.
    let explicit_zip = f.package_type.as_ref().and_then(|p| p.str()) == Some("Zip");
    if f.image.is_some() && !explicit_zip {
        return;
    }
    let mut missing = Vec::new();
    if f.handler.is_none() {
        missing.push("`Handler`");
    }
    if f.runtime.is_none() {
        missing.push("`Runtime`");
    }
    if missing.is_empty() {
        return;
    }
    // On the `Properties` key, where the missing properties go.
    let span = f
        .node
        .get_entry("Properties")
        .map_or_else(|| f.anchor(), |(k, _)| k.span.clone());
    out.push(Finding::new(
        &PACKAGE_TYPE,
        span,
        format!(
            "a .zip function needs {}: without {} Lambda cannot start it",
            missing.join(" and "),
            if missing.len() == 1 { "it" } else { "them" }
        ),
    ));
}

/// Inline code (`Code.ZipFile`, SAM `InlineCode`): Node.js or Python only, in a file named `index`.
pub fn check_inline_code(text: &str, f: &FunctionConfig, out: &mut Vec<Finding>) {
    if f.inline_code.is_none() {
        return;
    }
    if let Some(rt) = &f.runtime {
        if let Some(id) = rt.str() {
            let ok = super::schema::regex(&extensions().zipfile_runtime_pattern)
                .is_none_or(|re| re.is_match(id));
            if !ok {
                out.push(Finding::new(
                    &INLINE_CODE,
                    rt.span(),
                    format!("inline code works with Node.js and Python runtimes only, not `{id}`"),
                ));
            }
        }
    }
    if let Some(h) = &f.handler {
        if let Some(s) = h.str() {
            if let Some((module, func)) = s.rsplit_once('.') {
                if module != "index" {
                    out.push(
                        Finding::new(
                            &INLINE_CODE,
                            h.span(),
                            format!("inline code is saved as `index`, so the handler must be `index.{func}`, not `{s}`"),
                        )
                        .with_fix(Fix::replace(format!("Change to `index.{func}`"), h.span(), quote_like(text, h.node, &format!("index.{func}")))),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handler_shapes_per_runtime() {
        assert!(handler_shape_problem("python", "app.handler").is_none());
        assert!(handler_shape_problem("python", "src/app.lambda_handler").is_none());
        assert!(handler_shape_problem("python", "handler").is_some());
        assert!(handler_shape_problem("python", "app.py.handler")
            .unwrap_or_default()
            .contains("app.handler"));
        assert!(handler_shape_problem("nodejs", "dist/index.handler").is_none());
        assert!(handler_shape_problem("nodejs", "index.").is_some());
        assert!(handler_shape_problem("java", "helloworld.App::handleRequest").is_none());
        assert!(handler_shape_problem("java", "helloworld.App").is_none());
        assert!(handler_shape_problem("java", "hello world").is_some());
        assert!(handler_shape_problem(
            "dotnet",
            "HelloWorld::HelloWorld.Function::FunctionHandler"
        )
        .is_none());
        assert!(handler_shape_problem("dotnet", "HelloWorld").is_none());
        assert!(handler_shape_problem("dotnet", "HelloWorld::Function").is_some());
        assert!(handler_shape_problem("ruby", "app.lambda_handler").is_none());
        assert!(handler_shape_problem("ruby", "lambda_handler").is_some());
        assert!(handler_shape_problem("provided", "bootstrap").is_none());
    }

    #[test]
    fn lifecycle_is_judged_against_the_given_date() {
        let v = Value::new(10..20, ValueKind::Str("nodejs20.x".into()));
        let at = |d: &str| {
            let mut out = Vec::new();
            check_runtime(
                "",
                &v,
                Date::parse(d).unwrap_or(Date {
                    year: 2000,
                    month: 1,
                    day: 1,
                }),
                &mut out,
            );
            out
        };
        assert!(at("2026-01-01").is_empty());
        let dep = at("2026-11-27");
        assert_eq!(dep[0].severity, Severity::Warning);
        assert!(
            dep[0].message.contains("deprecated since 2026-04-30"),
            "{}",
            dep[0].message
        );
        assert!(
            dep[0].message.contains("blocked from 2027-02-01"),
            "{}",
            dep[0].message
        );
        assert_eq!(dep[0].fixes[0].edits[0].new_text, "nodejs24.x");
        let create = at("2027-02-15");
        assert_eq!(create[0].severity, Severity::Error);
        assert!(
            create[0]
                .message
                .contains("blocks creating functions on it since 2027-02-01"),
            "{}",
            create[0].message
        );
        let update = at("2027-04-01");
        assert!(
            update[0]
                .message
                .contains("blocks updates of functions on it since 2027-03-03"),
            "{}",
            update[0].message
        );
    }
}
