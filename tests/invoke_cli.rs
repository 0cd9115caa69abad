//! `lambda-ls invoke` and `lambda-ls events` as a user runs them: logs on stderr, the payload on stdout,
//! exit codes, and a clear message for every way an invocation can fail to start.

mod support;

use serde_json::{json, Value};
use std::process::{Command, Output, Stdio};
use support::{bin, Project};

const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src
      Timeout: 1
      Environment:
        Variables:
          GREETING: hello
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
  Java:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: com.example.App::handleRequest
      CodeUri: src
";

const APP: &str = "import os, time
def handler(event, context):
    print('working on', context.aws_request_id)
    if event.get('fail'):
        raise RuntimeError('it failed')
    if event.get('sleep'):
        time.sleep(5)
    records = event.get('Records') or [{}]
    return {'greeting': os.environ.get('GREETING'), 'source': records[0].get('eventSource'),
            'key': os.environ.get('AWS_ACCESS_KEY_ID'), 'extra': os.environ.get('EXTRA')}
";

fn project() -> Project {
    Project::new(&[
        ("template.yaml", TEMPLATE),
        ("src/app.py", APP),
        ("events/fail.json", "{\"fail\": true}"),
        ("events/bad.json", "{not json"),
    ])
}

fn lambda_ls(p: &Project, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(p.path())
        .env("LAMBDA_LS_CACHE_DIR", p.file(".cache"))
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.wait_with_output().expect("output")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn success_prints_the_payload_and_streams_logs_to_stderr() {
    let p = project();
    let out = lambda_ls(&p, &["invoke", "Hello"], &[]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_str(stdout.trim()).expect("payload JSON on stdout");
    // No event given: the sample for the function's first event source (SQS) is used.
    assert_eq!(
        v,
        json!({"greeting": "hello", "source": "aws:sqs", "key": null, "extra": null})
    );
    assert!(stderr.contains("with sample sqs"), "{stderr}");
    assert!(stderr.contains("\nworking on "), "{stderr}");
    assert!(stderr.contains("REPORT RequestId: "), "{stderr}");
    assert!(!stdout.contains("REPORT"), "logs stay off stdout");
}

#[test]
fn function_errors_and_timeouts_exit_non_zero() {
    let p = project();
    let out = lambda_ls(&p, &["invoke", "Hello", "--event", "events/fail.json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("error document on stdout");
    assert_eq!(v["errorType"], "RuntimeError");
    assert_eq!(v["errorMessage"], "it failed");
    assert!(text(&out.stderr).contains("[ERROR] RuntimeError: it failed"));

    let slow = p.file("slow.json");
    std::fs::write(&slow, "{\"sleep\": true}").expect("write");
    let out = lambda_ls(&p, &["invoke", "Hello", "-e", "slow.json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("Task timed out after 1.00 seconds"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("Sandbox.Timedout"));
}

#[test]
fn every_failure_to_start_has_a_clear_message() {
    let p = project();
    let cases: &[(&[&str], &str)] = &[
        (&["invoke", "Nope"], "function `Nope` not found"),
        (
            &["invoke", "Hello", "--event", "events/bad.json"],
            "is not valid JSON",
        ),
        (
            &["invoke", "Hello", "--event", "missing.json"],
            "cannot read event file",
        ),
        (
            &["invoke", "Hello", "--event-type", "nope"],
            "no sample event `nope`",
        ),
        (&["invoke", "Java"], "runtime `java21` cannot run locally"),
        (
            &["invoke", "Hello", "--python", "/nonexistent/python3"],
            "`/nonexistent/python3` was not found",
        ),
        (&["invoke"], "name the function to invoke"),
        (
            &["invoke", "Hello", "--template", "nope.yaml"],
            "cannot read",
        ),
        (
            &["invoke", "Hello", "--env", "NOEQUALS"],
            "expected KEY=VALUE",
        ),
    ];
    for (args, message) in cases {
        let out = lambda_ls(&p, args, &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: expected {message:?} in {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let empty = Project::new(&[]);
    let out = lambda_ls(&empty, &["invoke", "X"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no template.yaml"));
}

#[test]
fn credentials_reach_the_function_only_when_enabled_and_never_the_logs() {
    let p = project();
    let secret = "SECRETKEYVALUE-do-not-print";
    let host = [
        ("AWS_ACCESS_KEY_ID", "AKIAHOSTKEY"),
        ("AWS_SECRET_ACCESS_KEY", secret),
    ];
    let out = lambda_ls(&p, &["invoke", "Hello"], &host);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["key"], Value::Null);
    let out = lambda_ls(&p, &["invoke", "Hello", "--aws-credentials"], &host);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["key"], "AKIAHOSTKEY");
    assert!(!text(&out.stderr).contains(secret));
}

#[test]
fn env_files_and_overrides() {
    let p = project();
    p.write(".env", b"EXTRA=\"from file\"\nGREETING=overridden\n");
    let out = lambda_ls(
        &p,
        &[
            "invoke",
            "Hello",
            "--env-file",
            ".env",
            "--env",
            "EXTRA=x=y",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["greeting"], "overridden");
    assert_eq!(v["extra"], "x=y");
}

#[test]
fn event_and_env_files_outside_the_project_are_never_read() {
    let p = project();
    let outside = Project::new(&[
        ("secret.env", "EXTRA=leaked\n"),
        ("event.json", "{\"fail\": true}"),
    ]);
    // A symbolic link inside the project that points out of it counts as outside too.
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.file("secret.env"), p.file("linked.env")).expect("symlink");
    let escape = format!(
        "../{}/secret.env",
        outside
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
    );
    let absolute_event = outside.file("event.json");
    let cases: Vec<Vec<String>> = vec![
        vec!["--env-file".into(), escape],
        vec![
            "--env-file".into(),
            outside.file("secret.env").display().to_string(),
        ],
        vec!["--event".into(), absolute_event.display().to_string()],
        #[cfg(unix)]
        vec!["--env-file".into(), "linked.env".into()],
    ];
    for extra in cases {
        let mut args = vec!["invoke", "Hello"];
        args.extend(extra.iter().map(String::as_str));
        let out = lambda_ls(&p, &args, &[]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains("is not read"), "{extra:?}: {err}");
        assert!(!text(&out.stdout).contains("leaked"), "{extra:?}");
        assert!(
            !err.contains("invoking"),
            "{extra:?}: nothing may run: {err}"
        );
    }
    // The same files inside the project are read.
    p.write("ok.env", b"EXTRA=inside\n");
    let out = lambda_ls(&p, &["invoke", "Hello", "--env-file", "ok.env"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["extra"], "inside");
}

#[test]
fn repeat_reuses_the_warm_instance() {
    let p = project();
    let out = lambda_ls(
        &p,
        &["invoke", "Hello", "--repeat", "5", "--event-type", "s3-put"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("Init Duration").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("REPORT RequestId").count(), 5);
    assert!(stderr.contains("5 invokes: first"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["source"], "aws:s3");
}

#[test]
fn events_list_and_show() {
    let p = project();
    let out = lambda_ls(&p, &["events", "list"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let listing = text(&out.stdout);
    let types: Vec<&str> = listing
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(types.len() >= 40, "{} types", types.len());
    for t in [
        "apigateway-rest",
        "apigateway-http",
        "alb",
        "function-url",
        "s3-put",
        "sqs",
        "sns",
        "dynamodb-stream",
        "kinesis",
        "eventbridge",
        "schedule",
        "cloudwatch-logs",
        "cognito-pre-signup",
        "alexa-skill",
        "kafka",
        "mq-rabbitmq",
        "documentdb",
        "iot",
    ] {
        assert!(types.contains(&t), "{t} missing");
    }
    assert!(
        listing.contains("events/fail.json"),
        "the project's event files are listed: {listing}"
    );
    let out = lambda_ls(&p, &["events", "show", "sqs"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["Records"][0]["eventSource"], "aws:sqs");
    let out = lambda_ls(&p, &["events", "show", "sqss"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `sqs`?"));
}

#[test]
fn serverless_yml_and_inline_code() {
    let p = Project::new(&[
        (
            "serverless.yml",
            "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n  environment:\n    STAGE: dev\nfunctions:\n  hello:\n    handler: src/handler.hello\n    events:\n      - httpApi: GET /hello\n",
        ),
        (
            "src/handler.py",
            "import os\ndef hello(event, context):\n    return {'stage': os.environ['STAGE'], 'route': event.get('routeKey'), 'timeout': os.environ['AWS_LAMBDA_FUNCTION_TIMEOUT'], 'memory': context.memory_limit_in_mb}\n",
        ),
        (
            "inline.yaml",
            "Resources:\n  Inline:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: |\n          exports.handler = async (event) => ({ inline: true, got: event });\n",
        ),
    ]);
    let out = lambda_ls(&p, &["invoke", "hello"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    // Serverless defaults: 6 s and 1024 MB; the provider's environment; the httpApi sample.
    assert_eq!(
        v,
        json!({"stage": "dev", "route": "$default", "timeout": "6", "memory": "1024"})
    );
    let out = lambda_ls(&p, &["invoke", "--template", "inline.yaml"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v, json!({"inline": true, "got": {}}));
}

#[test]
fn built_functions_run_their_sam_build_output() {
    let template = "Transform: AWS::Serverless-2016-10-31
Resources:
  Ts:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: src
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [app.ts]
";
    let p = Project::new(&[
        ("template.yaml", template),
        (
            "src/app.ts",
            "export const handler = async (): Promise<string> => 'source';\n",
        ),
    ]);
    let out = lambda_ls(&p, &["invoke", "Ts"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the TypeScript source cannot run as is"
    );
    assert!(
        text(&out.stderr).contains("run `sam build` first"),
        "{}",
        text(&out.stderr)
    );
    p.write(
        ".aws-sam/build/Ts/app.js",
        b"exports.handler = async () => 'built';\n",
    );
    let out = lambda_ls(&p, &["invoke", "Ts"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "\"built\"");
    assert!(text(&out.stderr).contains("running the build output"));
}
