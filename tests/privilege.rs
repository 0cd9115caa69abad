//! Least privilege from code, end to end: diagnostics on SDK calls over a real LSP conversation, the quick
//! fix that grants the action, hover, live updates when the template changes, `check` on code a template
//! references, and `lambda-ls policy suggest`.

mod support;

use serde_json::{json, Value};
use support::{find, run, Lsp, Project};

const APP: &str = "import os\nimport boto3\n\ns3 = boto3.client(\"s3\")\n\n\ndef handler(event, context):\n    s3.put_object(Bucket=os.environ[\"BUCKET\"], Key=\"k\", Body=b\"\")\n    return s3.get_object(Bucket=os.environ[\"BUCKET\"], Key=\"k\")\n";

fn template(policy: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Uploads:\n    Type: AWS::S3::Bucket\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Environment:\n        Variables:\n          BUCKET: !Ref Uploads\n      Policies:\n        - {policy}:\n            BucketName: !Ref Uploads\n"
    )
}

fn privilege(diags: &[Value]) -> Vec<Value> {
    diags
        .iter()
        .filter(|d| d["code"] == "privilege/not-allowed")
        .cloned()
        .collect()
}

#[test]
fn missing_permission_on_a_call_with_fix_hover_and_live_update() {
    let read_only = template("S3ReadPolicy");
    let project = Project::new(&[("template.yaml", &read_only), ("app.py", APP)]);
    let app = project.uri("app.py");
    let tpl = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&app, "python", 1, APP);
    let diags = privilege(&lsp.diagnostics(&app, 1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(
        d["message"],
        "`s3:PutObject` is not allowed for function `Fn` (template.yaml:5)"
    );
    let (line, col) = find(APP, "put_object");
    assert_eq!(d["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(d["severity"], 2);
    // The related location is the function in the template.
    assert_eq!(d["relatedInformation"][0]["location"]["uri"], tpl);

    // The quick fix adds the SAM policy template that grants it, on the bucket the code names.
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": app}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("codeAction");
    let fix = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("S3WritePolicy"))
            })
        })
        .expect("grant fix")
        .clone();
    let edits = fix["edit"]["changes"][tpl.as_str()]
        .as_array()
        .expect("edits in the template")
        .clone();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0]["newText"],
        "\n        - S3WritePolicy:\n            BucketName: !Ref Uploads"
    );

    // Hover on the call: the action and the function's verdict.
    let (hl, hc) = find(APP, "get_object");
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": app}, "position": {"line": hl, "character": hc + 2}}),
        )
        .expect("hover");
    let md = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(md.contains("`s3:GetObject`"), "{md}");
    assert!(
        md.contains("function `Fn` (template.yaml:5): `s3:GetObject` allowed"),
        "{md}"
    );

    // Applying the fix in the template clears the diagnostic in the code, live.
    let insert_at = read_only.find("BucketName: !Ref Uploads\n").expect("at")
        + "BucketName: !Ref Uploads".len();
    let fixed = format!(
        "{}{}{}",
        &read_only[..insert_at],
        edits[0]["newText"].as_str().unwrap_or(""),
        &read_only[insert_at..]
    );
    lsp.open(&tpl, "yaml", 1, &read_only);
    lsp.change_full(&tpl, 2, &fixed);
    lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == app.as_str()
            && p["diagnostics"]
                .as_array()
                .is_some_and(|a| !a.iter().any(|d| d["code"] == "privilege/not-allowed"))
    });
    // And back: a template that takes the permission away brings it back.
    lsp.change_full(&tpl, 3, &read_only);
    lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == app.as_str()
            && p["diagnostics"]
                .as_array()
                .is_some_and(|a| a.iter().any(|d| d["code"] == "privilege/not-allowed"))
    });
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn wildcard_hint_in_the_template_narrows_to_the_code() {
    let tpl = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: index.handler\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action:\n                - dynamodb:*\n              Resource: '*'\n";
    let code = "import { DynamoDBClient } from \"@aws-sdk/client-dynamodb\";\nimport { DynamoDBDocumentClient, GetCommand, QueryCommand } from \"@aws-sdk/lib-dynamodb\";\nconst ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const handler = async (e) => {\n  await ddb.send(new GetCommand({ TableName: \"t\", Key: {} }));\n  return ddb.send(new QueryCommand({ TableName: \"t\" }));\n};\n";
    let project = Project::new(&[("template.yaml", tpl), ("index.mjs", code)]);
    let uri = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "yaml", 1, tpl);
    let diags = lsp.diagnostics(&uri, 1);
    let d = diags
        .iter()
        .find(|d| d["code"] == "privilege/broader-than-used")
        .expect("hint")
        .clone();
    assert_eq!(
        d["message"],
        "grants `dynamodb:*` but the code of function `Fn` uses only GetItem, Query"
    );
    assert_eq!(d["severity"], 4);
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("codeAction");
    let fix = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["title"].as_str().is_some_and(|t| t.starts_with("Narrow")))
        })
        .expect("narrow fix");
    assert_eq!(
        fix["edit"]["changes"][uri.as_str()][0]["newText"],
        "dynamodb:GetItem\n                - dynamodb:Query"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

fn findings(dir: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn check_reports_code_that_a_template_references() {
    let tpl = template("S3ReadPolicy");
    let project = Project::new(&[
        ("template.yaml", &tpl),
        ("app.py", APP),
        (
            "unrelated.py",
            "import boto3\nboto3.client('sqs').send_message(QueueUrl='q', MessageBody='m')\n",
        ),
    ]);
    for args in [&["template.yaml"][..], &["."][..], &["app.py"][..]] {
        let f = findings(project.path(), args);
        let on_code: Vec<&Value> = f
            .iter()
            .filter(|f| f["rule"] == "privilege/not-allowed")
            .collect();
        assert_eq!(on_code.len(), 1, "{args:?}: {f:?}");
        assert_eq!(on_code[0]["path"], "app.py");
        assert_eq!(on_code[0]["start"]["line"], 8);
    }
}

#[test]
fn unknown_roles_give_no_findings() {
    // A role by ARN, a customer managed policy, and a variable in serverless.yml: nothing is reported.
    let by_arn = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Role: arn:aws:iam::123456789012:role/app\n";
    let customer = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Policies:\n        - arn:aws:iam::123456789012:policy/app\n";
    let admin = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Policies:\n        - AdministratorAccess\n";
    for tpl in [by_arn, customer, admin] {
        let project = Project::new(&[("template.yaml", tpl), ("app.py", APP)]);
        let f = findings(project.path(), &["."]);
        assert!(
            !f.iter().any(|f| f["rule"]
                .as_str()
                .is_some_and(|r| r.starts_with("privilege/"))),
            "{tpl}: {f:?}"
        );
    }
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\n  iam:\n    role:\n      statements: ${file(./iam.yml)}\nfunctions:\n  up:\n    handler: app.handler\n";
    let project = Project::new(&[("serverless.yml", sls), ("app.py", APP)]);
    let f = findings(project.path(), &["."]);
    assert!(
        !f.iter().any(|f| f["rule"] == "privilege/not-allowed"),
        "{f:?}"
    );
}

#[test]
fn serverless_and_go_functions() {
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: sqs:SendMessage\n          Resource: '*'\nfunctions:\n  send:\n    handler: handler.send\n";
    let js = "const { SQSClient, SendMessageCommand } = require(\"@aws-sdk/client-sqs\");\nconst { SNSClient, PublishCommand } = require(\"@aws-sdk/client-sns\");\nconst sqs = new SQSClient({});\nconst sns = new SNSClient({});\nmodule.exports.send = async () => {\n  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: \"x\" }));\n  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC, Message: \"x\" }));\n};\n";
    let project = Project::new(&[("serverless.yml", sls), ("handler.js", js)]);
    let f = findings(project.path(), &["serverless.yml"]);
    let msgs: Vec<&str> = f
        .iter()
        .filter(|f| f["rule"] == "privilege/not-allowed")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        msgs,
        vec!["`sns:Publish` is not allowed for function `send` (serverless.yml:12)"]
    );

    let tpl = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n  Fn:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildMethod: go1.x\n    Properties:\n      CodeUri: fn/\n      Handler: bootstrap\n      Runtime: provided.al2023\n      Environment:\n        Variables:\n          TABLE: !Ref Table\n      Policies:\n        - DynamoDBReadPolicy:\n            TableName: !Ref Table\n";
    let main = "package main\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\t\"github.com/aws/aws-lambda-go/lambda\"\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n\t\"github.com/aws/aws-sdk-go-v2/service/dynamodb\"\n)\n\nfunc handle(ctx context.Context) error {\n\tcfg, _ := config.LoadDefaultConfig(ctx)\n\tdb := dynamodb.NewFromConfig(cfg)\n\t_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(os.Getenv(\"TABLE\"))})\n\treturn err\n}\n\nfunc main() { lambda.Start(handle) }\n";
    let project = Project::new(&[
        ("template.yaml", tpl),
        ("fn/main.go", main),
        ("fn/go.mod", "module example.com/fn\n\ngo 1.23\n"),
    ]);
    let f = findings(project.path(), &["template.yaml"]);
    let hits: Vec<&Value> = f
        .iter()
        .filter(|f| f["rule"] == "privilege/not-allowed")
        .collect();
    assert_eq!(hits.len(), 1, "{f:?}");
    assert_eq!(hits[0]["path"], "fn/main.go");
    assert_eq!(
        hits[0]["message"],
        "`dynamodb:PutItem` is not allowed for function `Fn` (template.yaml:5)"
    );
}

#[test]
fn imported_helpers_count_for_the_function_that_uses_them() {
    let tpl = "Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Runtime: python3.13\n      Handler: a.handler\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Runtime: python3.13\n      Handler: b.handler\n      Policies:\n        - SQSSendMessagePolicy:\n            QueueName: q\n";
    let a = "from lib.aws import upload\n\ndef handler(event, context):\n    upload()\n";
    let b = "from lib.aws import notify\n\ndef handler(event, context):\n    notify()\n";
    let lib = "import boto3\n\ns3 = boto3.client(\"s3\")\nsqs = boto3.client(\"sqs\")\n\ndef upload():\n    s3.put_object(Bucket=\"b\", Key=\"k\")\n\ndef notify():\n    sqs.send_message(QueueUrl=\"q\", MessageBody=\"m\")\n";
    let project = Project::new(&[
        ("template.yaml", tpl),
        ("src/a.py", a),
        ("src/b.py", b),
        ("src/lib/__init__.py", ""),
        ("src/lib/aws.py", lib),
    ]);
    let f = findings(project.path(), &["template.yaml"]);
    let msgs: Vec<String> = f
        .iter()
        .filter(|f| f["rule"] == "privilege/not-allowed")
        .map(|f| {
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap_or(""),
                f["start"]["line"],
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec!["src/lib/aws.py:7 `s3:PutObject` is not allowed for function `A` (template.yaml:3)"]
    );
}

#[test]
fn policy_suggest_prints_json_and_sam_forms() {
    let tpl = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Uploads:\n    Type: AWS::S3::Bucket\n  Orders:\n    Type: AWS::DynamoDB::Table\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Environment:\n        Variables:\n          BUCKET: !Ref Uploads\n          TABLE: !Ref Orders\n";
    let code = "import os\nimport boto3\n\ns3 = boto3.client(\"s3\")\ntable = boto3.resource(\"dynamodb\").Table(os.environ[\"TABLE\"])\n\ndef handler(event, context):\n    s3.put_object(Bucket=os.environ[\"BUCKET\"], Key=\"k\")\n    table.query(KeyConditionExpression=\"x\")\n    boto3.client(\"sns\").publish(TopicArn=\"arn:aws:sns:us-east-1:123456789012:t\", Message=\"m\")\n";
    let project = Project::new(&[("template.yaml", tpl), ("app.py", code)]);
    let out = run(
        project.path(),
        &["policy", "suggest", "Fn", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json policy");
    assert_eq!(doc["Version"], "2012-10-17");
    let stmts = doc["Statement"].as_array().expect("statements");
    let by_action = |a: &str| {
        stmts
            .iter()
            .find(|s| s["Action"] == a)
            .unwrap_or_else(|| panic!("no {a} in {doc}"))
            .clone()
    };
    assert_eq!(
        by_action("s3:PutObject")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::${Uploads}/*"})
    );
    assert_eq!(
        by_action("dynamodb:Query")["Resource"],
        json!({"Fn::GetAtt": ["Orders", "Arn"]})
    );
    assert_eq!(
        by_action("sns:Publish")["Resource"],
        "arn:aws:sns:us-east-1:123456789012:t"
    );
    let out = run(
        project.path(),
        &["policy", "suggest", "Fn", "--format", "sam"],
    );
    let sam = String::from_utf8_lossy(&out.stdout);
    assert!(sam.starts_with("Policies:\n"), "{sam}");
    assert!(
        sam.contains("  - DynamoDBReadPolicy:\n      TableName: !Ref Orders\n"),
        "{sam}"
    );
    assert!(
        sam.contains("  - S3WritePolicy:\n      BucketName: !Ref Uploads\n"),
        "{sam}"
    );
    assert!(sam.contains("Action: sns:Publish"), "{sam}");
    assert!(!sam.contains("Action: s3:PutObject"), "{sam}");
    // A serverless.yml function gets the provider role's statements, not SAM's list.
    let sls = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\nfunctions:\n  fn:\n    handler: app.handler\n";
    let sls_project = Project::new(&[("serverless.yml", sls), ("app.py", code)]);
    let out = run(
        sls_project.path(),
        &["policy", "suggest", "fn", "--format", "sam"],
    );
    let native = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        native.starts_with("provider:\n  iam:\n    role:\n      statements:\n"),
        "{native}"
    );
    assert!(
        native.contains(
            "          Action: [dynamodb:Query, s3:PutObject]\n          Resource: \"*\"\n"
        ),
        "{native}"
    );
    assert!(native.contains("          Action: sns:Publish\n          Resource: \"arn:aws:sns:us-east-1:123456789012:t\"\n"), "{native}");
    assert!(!native.contains("Policies:"), "{native}");
    let missing = run(project.path(), &["policy", "suggest", "Nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("functions: Fn"));
}

#[test]
fn serverless_go_functions_are_found_through_the_makefile() {
    // `handler: bin/add` names a binary; the Makefile builds it from one file of a folder whose other
    // file is another function's: each function is checked against its own file only.
    let sls = "service: notes\nprovider:\n  name: aws\n  runtime: go1.x\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: dynamodb:GetItem\n          Resource: '*'\nfunctions:\n  add:\n    handler: bin/add\n  read:\n    handler: bin/read\n  other:\n    handler: bin/other\n";
    let makefile = "build:\n\tenv GOOS=linux go build -ldflags=\"-s -w\" -o bin/add notes/add.go\n\tenv GOOS=linux go build -ldflags=\"-s -w\" -o bin/read notes/read.go\n";
    let add = "package main\n\nimport (\n\t\"github.com/aws/aws-lambda-go/lambda\"\n\t\"github.com/aws/aws-sdk-go/aws\"\n\t\"github.com/aws/aws-sdk-go/aws/session\"\n\t\"github.com/aws/aws-sdk-go/service/dynamodb\"\n)\n\nfunc handle() error {\n\tsvc := dynamodb.New(session.Must(session.NewSession()))\n\t_, err := svc.PutItem(&dynamodb.PutItemInput{TableName: aws.String(\"notes\")})\n\treturn err\n}\n\nfunc main() { lambda.Start(handle) }\n";
    let read = add.replace("PutItem", "GetItem");
    let project = Project::new(&[
        ("serverless.yml", sls),
        ("Makefile", makefile),
        ("notes/add.go", add),
        ("notes/read.go", &read),
    ]);
    let f = findings(project.path(), &["serverless.yml"]);
    let hits: Vec<(&str, &str)> = f
        .iter()
        .filter(|f| f["rule"] == "privilege/not-allowed")
        .filter_map(|f| Some((f["path"].as_str()?, f["message"].as_str()?)))
        .collect();
    assert_eq!(
        hits,
        vec![(
            "notes/add.go",
            "`dynamodb:PutItem` is not allowed for function `add` (serverless.yml:12)"
        )]
    );
    let out = run(
        project.path(),
        &["policy", "suggest", "read", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let policy: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(policy["Statement"][0]["Action"], "dynamodb:GetItem");
}
