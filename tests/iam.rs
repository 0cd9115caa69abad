//! IAM policy intelligence end to end: completion, hover and quick fixes through the real language server,
//! and template-wide checks through `lambda-ls check`.

mod support;

use serde_json::{json, Value};
use support::{run, Lsp, Project};

/// Line and UTF-16 column of byte offset `at` (the texts here are ASCII).
fn position(text: &str, at: usize) -> Value {
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col = at - before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    json!({"line": line, "character": col})
}

fn labels(resp: &Value) -> Vec<String> {
    let items = resp["items"]
        .as_array()
        .or_else(|| resp.as_array())
        .cloned()
        .unwrap_or_default();
    items
        .iter()
        .filter_map(|i| i["label"].as_str().map(String::from))
        .collect()
}

fn item<'a>(resp: &'a Value, label: &str) -> &'a Value {
    resp["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == label))
        .unwrap_or_else(|| panic!("no item {label} in {resp:#}"))
}

fn complete(lsp: &mut Lsp, uri: &str, text: &str, at: usize) -> Value {
    lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(text, at)}),
    )
    .expect("completion answers")
}

#[test]
fn completes_actions_in_half_typed_json() {
    // Typing at the end of the file: the string and the brackets are still open.
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:Get";
    let project = Project::new(&[("policy.json", text)]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "json", 1, text);
    let resp = complete(&mut lsp, &uri, text, text.len());
    let got = labels(&resp);
    assert!(got.contains(&"s3:GetObject".to_string()), "{got:?}");
    assert!(
        got.iter()
            .all(|l| l.to_ascii_lowercase().starts_with("s3:get") || l == "s3:*"),
        "{got:?}"
    );
    let obj = item(&resp, "s3:GetObject");
    assert_eq!(obj["detail"], "Read");
    let doc = obj["documentation"]["value"].as_str().unwrap_or_default();
    assert!(doc.contains("object"), "{doc}");
    // The edit replaces the typed word inside the quotes, not the quote.
    let edit = &obj["textEdit"];
    assert_eq!(edit["newText"], "s3:GetObject");
    let last_line = text.lines().last().unwrap_or_default();
    assert_eq!(
        edit["range"]["start"]["character"].as_u64(),
        last_line.find("s3:Get").map(|c| c as u64)
    );
    // A wildcard with its count is offered too.
    assert!(got.contains(&"s3:Get*".to_string()), "{got:?}");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn completes_in_yaml_templates_keys_prefixes_and_arn_snippets() {
    let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action: s3:GetObject\n                Resource: !Sub \n              - Effect: Allow\n                Action: dynam\n                Condi\n";
    let project = Project::new(&[("template.yaml", text)]);
    let uri = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "yaml", 1, text);
    // An action, unquoted, with the cursor inside the word.
    let at = text.find("s3:GetObject").expect("action") + "s3:GetObj".len();
    let got = labels(&complete(&mut lsp, &uri, text, at));
    assert!(got.contains(&"s3:GetObjectAcl".to_string()), "{got:?}");
    assert!(!got.contains(&"s3:GetBucketPolicy".to_string()), "{got:?}");
    // A service prefix.
    let at = text.find("dynam").expect("prefix") + "dynam".len();
    let got = labels(&complete(&mut lsp, &uri, text, at));
    assert!(got.contains(&"dynamodb:".to_string()), "{got:?}");
    // A statement element.
    let at = text.find("Condi").expect("key") + "Condi".len();
    let got = labels(&complete(&mut lsp, &uri, text, at));
    assert_eq!(got, vec!["Condition".to_string()]);
    // ARN snippets for the statement's actions inside `!Sub` use pseudo parameters.
    let at = text.find("!Sub ").expect("sub") + "!Sub ".len();
    let resp = complete(&mut lsp, &uri, text, at);
    let snippet = resp["items"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|i| i["label"] == "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
        })
        .unwrap_or_else(|| panic!("object ARN snippet in {resp:#}"));
    assert_eq!(snippet["insertTextFormat"], 2, "a snippet");
    let new_text = snippet["textEdit"]["newText"].as_str().unwrap_or_default();
    assert!(
        new_text.starts_with("arn:\\${AWS::Partition\\}:s3:::${1:BucketName}"),
        "{new_text}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn hovers_actions_wildcards_keys_and_arns() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": [\"lambda:InvokeFunction\", \"sqs:Receive*\"],\n    \"Resource\": \"arn:aws:s3:::bucket/key\",\n    \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}\n  }]\n}\n";
    let project = Project::new(&[("policy.json", text)]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "json", 1, text);
    let mut hover = |needle: &str| -> String {
        let at = text.find(needle).expect("needle") + 2;
        let r = lsp
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": position(text, at)}),
            )
            .expect("hover answers");
        r["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let h = hover("lambda:InvokeFunction");
    assert!(h.contains("**lambda:InvokeFunction**"), "{h}");
    assert!(h.contains("Write") && h.contains("`function`"), "{h}");
    let h = hover("sqs:Receive*");
    assert!(
        h.contains("grants 1 action") && h.contains("sqs:ReceiveMessage"),
        "{h}"
    );
    let h = hover("aws:SourceAccount");
    assert!(
        h.contains("String") && h.contains("global condition key"),
        "{h}"
    );
    let h = hover("arn:aws:s3:::bucket/key");
    assert!(h.contains("s3 object"), "{h}");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn misspelt_action_gets_a_did_you_mean_code_action() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItems\", \"Resource\": \"*\"}]\n}\n";
    let project = Project::new(&[("policy.json", text)]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "json", 1, text);
    let diags = lsp.diagnostics(&uri, 1);
    let d = diags
        .iter()
        .find(|d| d["code"] == "iam/unknown-action")
        .unwrap_or_else(|| panic!("unknown-action in {diags:#?}"));
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("did you mean `dynamodb:GetItem`"),
        "{d}"
    );
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("code actions");
    let first = &actions[0];
    assert_eq!(first["title"], "Change to `dynamodb:GetItem`");
    assert_eq!(first["isPreferred"], true);
    let edit = &first["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "\"dynamodb:GetItem\"");
    // Applying it clears the finding.
    let fixed = text.replace("dynamodb:GetItems", "dynamodb:GetItem");
    lsp.change_full(&uri, 2, &fixed);
    let diags = lsp.diagnostics(&uri, 2);
    assert!(
        diags.iter().all(|d| d["code"] != "iam/unknown-action"),
        "{diags:#?}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

fn rules_in(out: &std::process::Output) -> Vec<(String, String, u64)> {
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn sam_template_policies_intrinsics_and_role_trust() {
    let template = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: 'def handler(e, c): pass'
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - DynamoDBCrudPolicy: {TableNam: !Ref Table}
        - Statement:
            - Effect: Allow
              Action: [s3:GetObject, 'sqs:SendMesage']
              Resource: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'
            - Effect: Allow
              Action: dynamodb:Query
              Resource: [!GetAtt Table.Arn, !Join ['', [!GetAtt Table.Arn, '/index/*']]]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: 'def handler(e, c): pass'}
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Plain
      Principal: sns.amazonaws.com
"#;
    let p = Project::new(&[("template.yaml", template)]);
    let out = run(
        p.path(),
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "template.yaml",
        ],
    );
    let got = rules_in(&out);
    let has = |rule: &str, line: u64| got.iter().any(|(r, _, l)| r == rule && *l == line);
    assert!(has("iam/unknown-action", 19), "{got:#?}");
    assert!(has("iam/sam-policy-template", 16), "{got:#?}");
    assert!(has("iam/function-role-trust", 38), "{got:#?}");
    assert!(has("iam/confused-deputy", 45), "{got:#?}");
    // Intrinsics are unknown, never wrong: no ARN or resource findings on them.
    assert!(
        !got.iter()
            .any(|(r, _, l)| (*l == 20 || *l == 23) && r.starts_with("iam/")),
        "{got:#?}"
    );
}

#[test]
fn serverless_statements_and_json_policy_strings_are_checked() {
    let sls = "service: orders\nprovider:\n  name: aws\n  runtime: python3.13\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: dynamodb:PutItems\n          Resource: 'arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/${self:service}-orders'\nfunctions:\n  create:\n    handler: handler.create\n";
    let p = Project::new(&[("serverless.yml", sls)]);
    let out = run(
        p.path(),
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "serverless.yml",
        ],
    );
    let got = rules_in(&out);
    assert!(
        got.iter()
            .any(|(r, _, l)| r == "iam/unknown-action" && *l == 9),
        "{got:#?}"
    );
    assert!(
        !got.iter().any(|(_, _, l)| *l == 10),
        "variables are unknown, not wrong: {got:#?}"
    );

    let tpl = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: |\n        {\n          \"Version\": \"2012-10-17\",\n          \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]\n        }\n";
    let p = Project::new(&[("template.yaml", tpl)]);
    let out = run(
        p.path(),
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "template.yaml",
        ],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = doc["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "iam/unknown-action"))
        .unwrap_or_else(|| panic!("unknown-action in {doc:#}"));
    // The span points at the action inside the block scalar.
    let line8 = tpl.lines().nth(7).unwrap_or_default();
    assert_eq!(f["start"]["line"], 8);
    assert_eq!(
        f["start"]["column"].as_u64(),
        line8.find("\"s3:GetObjekt\"").map(|c| c as u64 + 1)
    );
}
