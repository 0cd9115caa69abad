//! The function checks on whole files, in process: Globals and provider merging, limits, environment,
//! packaging, schema validation, events and the permissions they need, and unknown values that must
//! never be wrong.

use crate::config::Config;
use crate::date::Date;
use crate::rules::{Finding, Severity};
use crate::workspace::{analyze, parse, Env, Files};
use std::path::Path;
use std::sync::Arc;

fn check_as_of(name: &str, text: &str, as_of: &str) -> Vec<(String, Severity, String, String)> {
    let file = parse(
        Path::new(&format!("/nonexistent/{name}")),
        Arc::from(text),
        None,
    );
    let config = Config {
        as_of: Date::parse(as_of),
        ..Config::default()
    };
    let files = Files::new();
    let env = Env {
        config: &config,
        files: &files,
    };
    analyze(&file, &env)
        .into_iter()
        .filter(|f| f.rule.starts_with("function/") || f.rule.starts_with("template/"))
        .filter(|f| !f.rule.starts_with("function/handler") || f.rule == "function/handler-format")
        .map(|f: Finding| {
            let at = text.get(f.span.clone()).unwrap_or("").to_string();
            (f.rule.to_string(), f.severity, at, f.message)
        })
        .collect()
}

fn check(name: &str, text: &str) -> Vec<(String, Severity, String, String)> {
    check_as_of(name, text, "2026-11-27")
}

fn rules(found: &[(String, Severity, String, String)]) -> Vec<&str> {
    found.iter().map(|f| f.0.as_str()).collect()
}

const SAM: &str = "Transform: AWS::Serverless-2016-10-31\n";

fn sam(body: &str) -> String {
    format!("{SAM}{body}")
}

#[test]
fn globals_are_merged_into_every_function() {
    let t = sam("Globals:\n  Function:\n    Runtime: nodejs20.x\n    Timeout: 60\n    Layers:\n      - arn:aws:lambda:us-east-1:123456789012:layer:a:1\n      - arn:aws:lambda:us-east-1:123456789012:layer:b:1\n      - arn:aws:lambda:us-east-1:123456789012:layer:c:1\n    Environment:\n      Variables:\n        AWS_REGION: x\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      InlineCode: 'exports.handler = async () => 1'\n      Layers:\n        - arn:aws:lambda:us-east-1:123456789012:layer:d:1\n        - arn:aws:lambda:us-east-1:123456789012:layer:e:1\n        - arn:aws:lambda:us-east-1:123456789012:layer:f:1\n      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /, Method: get}\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      InlineCode: 'exports.handler = async () => 1'\n");
    let found = check("template.yaml", &t);
    let r = rules(&found);
    // The shared runtime is judged once, where it is written.
    assert_eq!(
        r.iter()
            .filter(|r| **r == "function/deprecated-runtime")
            .count(),
        1,
        "{found:?}"
    );
    // A's timeout comes from Globals and A has a REST API event.
    assert!(
        found
            .iter()
            .any(|f| f.0 == "function/api-timeout" && f.3.contains("`A`")),
        "{found:?}"
    );
    // 3 layers from Globals + 3 of A's own.
    let layers = found
        .iter()
        .find(|f| f.0 == "function/layers")
        .expect("layers");
    assert!(layers.3.contains("gets 6"), "{layers:?}");
    assert!(
        layers.2.contains("layer:f:1") && !layers.2.contains("layer:d:1"),
        "{layers:?}"
    );
    // The reserved key in Globals is reported where it is written, once.
    assert_eq!(
        r.iter()
            .filter(|r| **r == "function/reserved-env-key")
            .count(),
        1,
        "{found:?}"
    );
    // B gets Handler and Runtime from Globals: nothing missing.
    assert!(!r.contains(&"function/package-type"), "{found:?}");
}

#[test]
fn lifecycle_follows_the_configured_date() {
    let t = sam("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: x\n");
    assert!(check_as_of("template.yaml", &t, "2026-01-01")
        .iter()
        .all(|f| !f.0.contains("runtime")));
    let dep = check_as_of("template.yaml", &t, "2026-11-27");
    assert!(
        rules(&dep).contains(&"function/deprecated-runtime"),
        "{dep:?}"
    );
    let blocked = check_as_of("template.yaml", &t, "2027-02-02");
    let f = blocked
        .iter()
        .find(|f| f.0 == "function/runtime-create-blocked")
        .expect("create blocked");
    assert_eq!(f.1, Severity::Error);
    assert!(
        f.3.contains("2027-02-01") && f.3.contains("nodejs24.x"),
        "{f:?}"
    );
    let gone = check_as_of("template.yaml", &t, "2027-03-04");
    assert!(
        rules(&gone).contains(&"function/runtime-update-blocked"),
        "{gone:?}"
    );
}

#[test]
fn limits_come_from_the_data() {
    let f = |props: &str| {
        check(
            "template.yaml",
            &sam(&format!("Parameters:\n  T: {{Type: Number}}\nConditions:\n  C: !Equals [a, b]\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: x\n{props}")),
        )
    };
    // Raised to 1,800 s in November 2026.
    assert!(
        f("      Timeout: 1200\n").is_empty(),
        "{:?}",
        f("      Timeout: 1200\n")
    );
    assert!(rules(&f("      Timeout: 2000\n")).contains(&"function/timeout"));
    assert!(f("      Timeout: 5000\n      CapacityProviderConfig:\n        LambdaManagedInstancesCapacityProviderConfig:\n          CapacityProviderArn: arn:aws:lambda:us-east-1:123456789012:capacity-provider:x\n").iter().all(|x| x.0 != "function/timeout"));
    let mem = f("      MemorySize: 20000\n");
    let m = mem
        .iter()
        .find(|x| x.0 == "function/memory-size")
        .expect("memory");
    assert_eq!(
        m.1,
        Severity::Warning,
        "above the standard maximum, within the API's"
    );
    assert_eq!(
        f("      MemorySize: 40000\n")
            .iter()
            .find(|x| x.0 == "function/memory-size")
            .map(|x| x.1),
        Some(Severity::Error)
    );
    assert!(rules(&f("      EphemeralStorage:\n        Size: 20000\n"))
        .contains(&"function/ephemeral-storage"));
    assert!(rules(&f("      ReservedConcurrentExecutions: -1\n"))
        .contains(&"function/reserved-concurrency"));
    assert!(rules(&f("      FunctionName: a-very-long-name-that-goes-on-and-on-and-on-past-the-sixty-four-limit\n")).contains(&"function/function-name"));
    assert!(rules(&f("      Architectures: [x86_64, arm64]\n")).contains(&"function/architectures"));
    // Intrinsics and parameters are unknown, never wrong.
    assert!(f("      Timeout: !Ref T\n      MemorySize: !If [C, 128, 99999]\n      Architectures: !Ref A\n").is_empty());
}

#[test]
fn environment_keys_size_and_reserved_names() {
    let t = sam("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: x\n      Environment:\n        Variables:\n          1BAD: x\n          A: x\n          TZ: UTC\n          GOOD_NAME: !Ref P\n");
    let found = check("template.yaml", &t);
    let keys: Vec<(&str, &str)> = found.iter().map(|f| (f.0.as_str(), f.2.as_str())).collect();
    assert!(keys.contains(&("function/env-key", "1BAD")), "{found:?}");
    assert!(
        keys.contains(&("function/env-key", "A")),
        "the pattern is anchored: {found:?}"
    );
    assert!(
        keys.contains(&("function/reserved-env-key", "TZ")),
        "{found:?}"
    );
    assert!(!keys.iter().any(|k| k.1 == "GOOD_NAME"), "{found:?}");
}

#[test]
fn package_type_rules() {
    let image = sam("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n      Handler: app.handler\n    Metadata:\n      DockerContext: .\n      Dockerfile: Dockerfile\n");
    let found = check("template.yaml", &image);
    assert_eq!(
        found
            .iter()
            .filter(|f| f.0 == "function/package-type")
            .count(),
        1,
        "{found:?}"
    );
    let zip = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/r\n      Code: {ZipFile: x}\n      Runtime: python3.13\n";
    let found = check("template.yaml", zip);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "function/package-type" && f.3.contains("`Handler`")),
        "{found:?}"
    );
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\nfunctions:\n  a:\n    handler: app.handler\n    image: repo:tag\n  b:\n    events: []\n";
    let found = check("serverless.yml", sls);
    assert_eq!(
        found
            .iter()
            .filter(|f| f.0 == "function/package-type")
            .count(),
        2,
        "{found:?}"
    );
}

#[test]
fn schema_validation_with_did_you_mean_and_lenient_values() {
    let t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Code: ./src\n      MemmorySize: 512\n      TracingConfig: {Mode: Activ}\n      Timeout: '30'\n";
    let found = check("template.yaml", t);
    let unknown = found
        .iter()
        .find(|f| f.0 == "function/unknown-property")
        .expect("unknown");
    assert_eq!(unknown.2, "MemmorySize");
    assert!(
        unknown.3.contains("did you mean `MemorySize`"),
        "{unknown:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.0 == "function/invalid-property" && f.2 == "Activ"),
        "{found:?}"
    );
    let missing = found
        .iter()
        .find(|f| f.0 == "function/missing-property")
        .expect("Role");
    assert!(
        missing.3.contains("`Role`") && !missing.3.contains("`Code`"),
        "{missing:?}"
    );
    // A local `Code` path (for `cloudformation package`) and a numeric string are fine.
    assert!(
        !found
            .iter()
            .any(|f| f.2.contains("./src") || f.2.contains("'30'")),
        "{found:?}"
    );
}

#[test]
fn sam_events_types_and_properties() {
    let t = sam("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: x\n      Events:\n        One:\n          Type: Sqs\n          Properties: {Queue: arn:aws:sqs:us-east-1:123456789012:q}\n        Two:\n          Type: SQS\n          Properties: {BatchSize: 5}\n        Three:\n          Type: HttpApi\n          PayloadFormatVersion: '2.0'\n");
    let found = check("template.yaml", &t);
    let ty = found
        .iter()
        .find(|f| f.0 == "function/unknown-event-type")
        .expect("type");
    assert!(ty.3.contains("did you mean `SQS`"), "{ty:?}");
    assert!(
        found
            .iter()
            .any(|f| f.0 == "function/missing-property" && f.3.contains("`Queue`")),
        "{found:?}"
    );
    let misplaced = found
        .iter()
        .find(|f| f.2 == "PayloadFormatVersion")
        .expect("misplaced");
    assert_eq!(misplaced.1, Severity::Warning);
    assert!(
        misplaced.3.contains("belongs under `Properties`"),
        "{misplaced:?}"
    );
}

#[test]
fn sqs_visibility_against_the_function_timeout() {
    let t = sam("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q2:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: !Ref V\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: x\n      Timeout: 45\n      Events:\n        One:\n          Type: SQS\n          Properties: {Queue: !GetAtt Q.Arn}\n        Two:\n          Type: SQS\n          Properties: {Queue: !GetAtt Q2.Arn}\n");
    let found = check("template.yaml", &t);
    let v: Vec<_> = found
        .iter()
        .filter(|f| f.0 == "function/sqs-visibility-timeout")
        .collect();
    assert_eq!(v.len(), 1, "{found:?}");
    assert!(
        v[0].3.contains("30 s (the default)") && v[0].3.contains("45 s"),
        "{v:?}"
    );
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\n  timeout: 120\nfunctions:\n  a:\n    handler: app.handler\n    events:\n      - sqs:\n          arn: !GetAtt Jobs.Arn\nresources:\n  Resources:\n    Jobs:\n      Type: AWS::SQS::Queue\n      Properties:\n        VisibilityTimeout: 60\n";
    let found = check("serverless.yml", sls);
    assert!(
        rules(&found).contains(&"function/sqs-visibility-timeout"),
        "{found:?}"
    );
}

const ROLE: &str = "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n";

fn cfn_with_role(role_extra: &str, rest: &str) -> String {
    format!("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  SomePolicyArn: {{Type: String}}\nResources:\n{ROLE}{role_extra}  Q:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code: {{ZipFile: x}}\n{rest}")
}

#[test]
fn event_source_and_log_permissions_of_roles_in_the_template() {
    let esm = "  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !GetAtt Fn.Arn\n      EventSourceArn: !GetAtt Q.Arn\n";
    let bare = check("template.yaml", &cfn_with_role("", esm));
    let r = rules(&bare);
    assert!(r.contains(&"function/event-source-permissions"), "{bare:?}");
    assert!(r.contains(&"function/no-log-permissions"), "{bare:?}");
    let managed = check(
        "template.yaml",
        &cfn_with_role("      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole']\n", esm),
    );
    assert!(managed.is_empty(), "{managed:?}");
    let attached = check(
        "template.yaml",
        &cfn_with_role(
            "  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: p\n      Roles: [!Ref Role]\n      PolicyDocument: {Statement: [{Effect: Allow, Action: ['sqs:*', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*'}]}\n",
            esm,
        ),
    );
    assert!(attached.is_empty(), "{attached:?}");
    // An unknown managed policy might grant anything: no finding.
    let unknown = check(
        "template.yaml",
        &cfn_with_role("      ManagedPolicyArns: [!Ref SomePolicyArn]\n", esm),
    );
    assert!(unknown.is_empty(), "{unknown:?}");
    // A SAM function without `Role` gets SAM's role, which has what its events need.
    let t = sam("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: x\n      Events:\n        One:\n          Type: SQS\n          Properties: {Queue: !GetAtt Q.Arn}\n");
    assert!(check("template.yaml", &t).is_empty());
}

#[test]
fn serverless_variables_are_never_wrong() {
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: ${opt:runtime, 'python3.13'}\n  memorySize: ${self:custom.memory}\n  timeout: '${env:TIMEOUT}'\n  environment:\n    TABLE: ${self:service}-${sls:stage}\n    ${self:custom.key}: x\nfunctions:\n  a:\n    handler: app.handler\n    architecture: ${self:custom.arch}\n    layers: ${self:custom.layers}\n    events: ${file(events.yml)}\n  b:\n    handler: ${self:custom.handler}\n    events:\n      - http: ${self:custom.http}\n      - sqs:\n          arn: ${self:custom.queueArn}\n          batchSize: ${self:custom.batch}\ncustom:\n  memory: 512\n";
    let found = check("serverless.yml", sls);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn serverless_events_follow_the_validation_mode_and_plugins() {
    let base = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\nfunctions:\n  a:\n    handler: app.handler\n    events:\n      - htp:\n          path: /\n          method: get\n";
    let found = check("serverless.yml", base);
    let ev = found
        .iter()
        .find(|f| f.0 == "function/unknown-event-type")
        .expect("event");
    assert_eq!(ev.1, Severity::Warning);
    assert!(ev.3.contains("did you mean `http`"), "{ev:?}");
    let strict = format!("configValidationMode: error\n{base}");
    let found = check("serverless.yml", &strict);
    assert_eq!(
        found
            .iter()
            .find(|f| f.0 == "function/unknown-event-type")
            .map(|f| f.1),
        Some(Severity::Error)
    );
    let plugins = format!("plugins:\n  - serverless-some-plugin\n{base}");
    let found = check("serverless.yml", &plugins);
    assert_eq!(
        found
            .iter()
            .find(|f| f.0 == "function/unknown-event-type")
            .map(|f| f.1),
        Some(Severity::Hint)
    );
    // Other clouds' services have no Lambda functions.
    let google = "service: s\nprovider:\n  name: google\n  runtime: nodejs8\nfunctions:\n  a:\n    handler: http\n    events:\n      - http: path\n";
    assert!(check("serverless.yml", google).is_empty());
}

#[test]
fn references_to_nothing() {
    let t = sam("Parameters:\n  Stage: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Condition: IsProdd\n    DependsOn: [Missing]\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: x\n      Role: !GetAtt Stage.Arn\n      Environment:\n        Variables:\n          R: !GetAtt ARole.Arn\n          S: !Sub ['${X}-${AWS::Region}-${Stage}', {X: !Ref AWS::StackName}]\n          T: !Ref A.Alias\n          U: !GetAtt A.Arnn\nOutputs:\n  Role:\n    Value: !GetAtt ARole.Arn\n");
    let found = check("template.yaml", &t);
    let refs: Vec<(&str, &str)> = found
        .iter()
        .filter(|f| f.0.starts_with("template/"))
        .map(|f| (f.0.as_str(), f.2.as_str()))
        .collect();
    assert!(
        refs.contains(&("template/unknown-reference", "IsProdd")),
        "{found:?}"
    );
    assert!(
        refs.contains(&("template/unknown-reference", "Missing")),
        "{found:?}"
    );
    assert!(
        refs.contains(&("template/unknown-reference", "Stage")),
        "GetAtt of a parameter: {found:?}"
    );
    assert!(
        refs.contains(&("template/unknown-attribute", "Arnn")),
        "{found:?}"
    );
    // SAM's generated role and alias, local Sub variables and pseudo parameters are defined.
    assert_eq!(refs.len(), 4, "{found:?}");
    // Another transform may define anything.
    let macro_t = "Transform: [AWS::Serverless-2016-10-31, MyMacro]\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Ref Nothing\n";
    assert!(check("template.yaml", macro_t).is_empty());
}

#[test]
fn event_source_mapping_settings() {
    let t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n  S:\n    Type: AWS::Kinesis::Stream\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Code: {ZipFile: x}\n  Fifo:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Q.Arn\n      FunctionName: !Ref Fn\n      BatchSize: 15\n      StartingPosition: LATEST\n  Stream:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt S.Arn\n      FunctionName: !Ref Fn\n";
    let found = check("template.yaml", t);
    let esm: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "function/event-source-mapping")
        .map(|f| f.3.as_str())
        .collect();
    assert_eq!(esm.len(), 3, "{found:?}");
    assert!(esm.iter().any(|m| m.contains("FIFO")), "{esm:?}");
    assert!(
        esm.iter().any(|m| m.contains("only for streams")),
        "{esm:?}"
    );
    assert!(
        esm.iter().any(|m| m.contains("needs `StartingPosition`")),
        "{esm:?}"
    );
}

#[test]
fn serverless_custom_role_without_log_permissions() {
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\n  iam:\n    role: WorkerRole\nfunctions:\n  a:\n    handler: app.handler\nresources:\n  Resources:\n    WorkerRole:\n      Type: AWS::IAM::Role\n      Properties:\n        AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n        Policies:\n          - PolicyName: p\n            PolicyDocument: {Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}\n";
    let found = check("serverless.yml", sls);
    assert!(
        rules(&found).contains(&"function/no-log-permissions"),
        "{found:?}"
    );
    let ok = sls.replace("'s3:GetObject'", "['s3:GetObject', 'logs:*']");
    assert!(check("serverless.yml", &ok).is_empty());
}

#[test]
fn serverless_plugins_may_rewrite_runtimes() {
    let sls = "service: s\nplugins:\n  - serverless-rust\nprovider:\n  name: aws\n  runtime: rust\nfunctions:\n  a:\n    handler: hello\n";
    let found = check("serverless.yml", sls);
    let rt = found
        .iter()
        .find(|f| f.0 == "function/unknown-runtime")
        .expect("runtime");
    assert_eq!(rt.1, Severity::Warning, "{rt:?}");
    let plain = sls.replace("plugins:\n  - serverless-rust\n", "");
    let found = check("serverless.yml", &plain);
    assert_eq!(
        found
            .iter()
            .find(|f| f.0 == "function/unknown-runtime")
            .map(|f| f.1),
        Some(Severity::Error)
    );
}

/// Every editor feature at every offset of half-typed and odd documents: answers or nothing, never a
/// panic.
#[test]
fn editor_features_anywhere_in_any_document() {
    use crate::ide;
    let docs: &[(&str, &str)] = &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: pyt\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    DependsOn: [Q\n    Properties:\n      Events:\n        E:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.\n      Environment:\n        Variables:\n          A: !Sub '${Q.Arn}-${\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {VisibilityTimeout: !Ref }\n# Grüße 🚀\n"),
        ("template.json", "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": {\"Runtime\": \"py\", \"Role\": {\"Fn::GetAtt\": [\"R\", \"A\"]}, \"Mem"),
        ("serverless.yml", "service: s\nprovider:\n  name: aws\n  runtime: no\nfunctions:\n  a:\n    handler: h.h\n    events:\n      - sqs:\n          arn: !GetAtt Q.Arn\n          bat\n      - ht\nresources:\n  Resources:\n    Q: {Type: AWS::SQS::Queue}\n"),
    ];
    let config = Config::default();
    let files = Files::new();
    let env = Env {
        config: &config,
        files: &files,
    };
    for (name, text) in docs {
        let file = parse(
            Path::new(&format!("/nonexistent/{name}")),
            Arc::from(*text),
            None,
        );
        for offset in 0..=text.len() + 1 {
            let _ = ide::completion(&file, offset, &env);
            let _ = ide::hover(&file, offset, &env);
            let _ = ide::definition(&file, offset, &env);
            let _ = ide::references(&file, offset, &env);
        }
        let _ = ide::symbols(&file, &env);
        let _ = analyze(&file, &env);
    }
}
