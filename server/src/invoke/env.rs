//! The runtime's environment, built from nothing (the host's environment is not inherited): what
//! processes need to start, the function's variables, the reserved Lambda variables, and the host's AWS
//! credentials only when the user asked for them. Values are passed to `exec` as they are: no shell, no
//! expansion, newlines and `$()` stay literal.

use super::spec::FunctionSpec;
use super::Settings;

/// Variables Lambda sets itself; a function cannot override them.
pub const RESERVED: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// Host variables a runtime needs to start and behave like the user's shell (locale, temp dir).
const HOST_PASSTHROUGH: &[&str] = &["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT"];

/// Host variables that locate credentials; passed only with credentials enabled.
const CREDENTIAL_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "HOME",
];

pub struct Instance<'a> {
    pub runtime_api: &'a str,
    pub runtime_dir: &'a str,
    pub log_stream: &'a str,
}

/// The full environment of one runtime process, in the order later entries win.
pub fn build(spec: &FunctionSpec, settings: &Settings, inst: &Instance) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: &str| {
        env.retain(|(ek, _)| ek != k);
        env.push((k.to_string(), v.to_string()));
    };
    for k in HOST_PASSTHROUGH {
        if let Ok(v) = std::env::var(k) {
            set(k, &v);
        }
    }
    set("LANG", "en_US.UTF-8");
    set("TZ", ":UTC");
    if settings.aws_credentials {
        for k in CREDENTIAL_VARS {
            if let Ok(v) = std::env::var(k) {
                set(k, &v);
            }
        }
    } else {
        // Without HOME or these, SDKs still find ~/.aws through the password database; point them at
        // nothing so no host credential reaches the function.
        set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        set("AWS_CONFIG_FILE", "/dev/null");
        set("AWS_EC2_METADATA_DISABLED", "true");
    }
    for (k, v) in &spec.env {
        if !RESERVED.contains(&k.as_str()) {
            set(k, v);
        }
    }
    let region = settings.region.as_str();
    set("AWS_REGION", region);
    set("AWS_DEFAULT_REGION", region);
    set("AWS_LAMBDA_FUNCTION_NAME", &spec.function_name);
    set("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    set(
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        &spec.memory_mb.to_string(),
    );
    set(
        "AWS_LAMBDA_FUNCTION_TIMEOUT",
        &spec.timeout_ms.div_ceil(1000).to_string(),
    );
    set(
        "AWS_LAMBDA_LOG_GROUP_NAME",
        &format!("/aws/lambda/{}", spec.function_name),
    );
    set("AWS_LAMBDA_LOG_STREAM_NAME", inst.log_stream);
    set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    set("AWS_LAMBDA_RUNTIME_API", inst.runtime_api);
    set("AWS_EXECUTION_ENV", &format!("AWS_Lambda_{}", spec.runtime));
    set("_HANDLER", &spec.handler);
    set("LAMBDA_TASK_ROOT", &spec.code_dir.to_string_lossy());
    set("LAMBDA_RUNTIME_DIR", inst.runtime_dir);
    if settings.aws_credentials {
        // Reserved names above would have dropped the host's keys: put them back.
        for k in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ] {
            if let Ok(v) = std::env::var(k) {
                set(k, &v);
            }
        }
    }
    env
}

/// Parses a `.env` file: `KEY=VALUE` lines, `export` prefixes, `#` comments, single quotes (literal),
/// double quotes (with `\n`, `\t`, `\"` and `\\` escapes, spanning lines). Nothing is expanded.
pub fn parse_dotenv(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut line_no = 0;
    while !rest.is_empty() {
        line_no += 1;
        let (line, tail) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = tail;
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let t = t.strip_prefix("export ").unwrap_or(t);
        let Some((key, value)) = t.split_once('=') else {
            return Err(format!("line {line_no}: expected KEY=VALUE"));
        };
        let key = key.trim();
        if key.is_empty()
            || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || key.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(format!("line {line_no}: `{key}` is not a variable name"));
        }
        let value = value.trim_start();
        let parsed = if let Some(v) = value.strip_prefix('\'') {
            match v.find('\'') {
                Some(end) => v[..end].to_string(),
                None => return Err(format!("line {line_no}: unclosed single quote")),
            }
        } else if let Some(v) = value.strip_prefix('"') {
            // A double-quoted value may continue on the next lines.
            let mut buf = String::new();
            let mut source = v.to_string();
            loop {
                let mut chars = source.chars();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some('n') => buf.push('\n'),
                            Some('t') => buf.push('\t'),
                            Some('r') => buf.push('\r'),
                            Some(o) => buf.push(o),
                            None => buf.push('\\'),
                        },
                        o => buf.push(o),
                    }
                }
                if closed {
                    break;
                }
                if rest.is_empty() {
                    return Err(format!("line {line_no}: unclosed double quote"));
                }
                buf.push('\n');
                let (next, tail) = rest.split_once('\n').unwrap_or((rest, ""));
                source = next.to_string();
                rest = tail;
                line_no += 1;
            }
            buf
        } else {
            let v = match value.find(" #") {
                Some(i) => &value[..i],
                None => value,
            };
            v.trim_end().to_string()
        };
        out.push((key.to_string(), parsed));
    }
    Ok(out)
}

/// SAM CLI's `--env-vars` JSON: `{"Parameters": {...}, "<FunctionId>": {...}}`; the function's own
/// section wins over `Parameters`. A flat object of strings is accepted too.
pub fn parse_env_json(text: &str, function: &str) -> Result<Vec<(String, String)>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let obj = v.as_object().ok_or("expected a JSON object")?;
    let flat = obj.values().all(|x| !x.is_object());
    let mut out = Vec::new();
    let mut add = |section: &serde_json::Map<String, serde_json::Value>| {
        for (k, v) in section {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            out.retain(|(ek, _): &(String, String)| ek != k);
            out.push((k.clone(), text));
        }
    };
    if flat {
        add(obj);
    } else {
        for section in ["Parameters", function] {
            if let Some(s) = obj.get(section).and_then(|s| s.as_object()) {
                add(s);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_values_are_literal() {
        let text = "# comment\nexport A=1\nB='$(rm -rf /) ${HOME}'\nC=\"line1\\nline2\"\nD=x # note\nE=\"multi\nline\"\n";
        let vars = parse_dotenv(text).expect("parse");
        assert_eq!(
            vars,
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "$(rm -rf /) ${HOME}".into()),
                ("C".into(), "line1\nline2".into()),
                ("D".into(), "x".into()),
                ("E".into(), "multi\nline".into()),
            ]
        );
        assert!(parse_dotenv("1BAD=x").is_err());
        assert!(parse_dotenv("A=\"open").is_err());
    }

    #[test]
    fn sam_env_json_sections() {
        let text = r#"{"Parameters": {"A": "p", "B": "p"}, "Fn": {"B": "f", "N": 3}}"#;
        let vars = parse_env_json(text, "Fn").expect("parse");
        assert_eq!(
            vars,
            vec![
                ("A".into(), "p".into()),
                ("B".into(), "f".into()),
                ("N".into(), "3".into())
            ]
        );
    }
}
