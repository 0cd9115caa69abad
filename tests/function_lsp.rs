//! Function configuration and template navigation through the real server over stdio: completion of
//! runtimes and properties, hovers, go-to-definition and references of logical ids, document symbols, and
//! quick fixes, exactly as an editor sees them.

mod support;

use serde_json::{json, Value};
use support::{find, Lsp, Project};

fn pos(text: &str, needle: &str, extra: usize) -> Value {
    let (line, col) = find(text, needle);
    json!({"line": line, "character": col + extra})
}

fn open(text: &str) -> (Project, Lsp, String) {
    let project = Project::new(&[("template.yaml", text)]);
    let uri = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "yaml", 1, text);
    (project, lsp, uri)
}

fn items(result: &Value) -> Vec<Value> {
    match result {
        Value::Array(a) => a.clone(),
        Value::Object(_) => result["items"].as_array().cloned().unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[test]
fn completes_runtime_values_newest_first_with_their_lifecycle() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: py\n";
    let (_p, mut lsp, uri) = open(text);
    let result = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "Runtime: py", 11)}),
        )
        .expect("completion");
    let list = items(&result);
    let mut sorted = list.clone();
    sorted.sort_by_key(|i| i["sortText"].as_str().unwrap_or("").to_string());
    let labels: Vec<&str> = sorted.iter().filter_map(|i| i["label"].as_str()).collect();
    let at = |id: &str| labels.iter().position(|l| *l == id).unwrap_or(usize::MAX);
    assert!(at("python3.14") < at("python3.13"), "{labels:?}");
    assert!(at("python3.13") < at("python3.12"), "{labels:?}");
    assert!(
        at("nodejs24.x") < at("python2.7"),
        "retired runtimes come last: {labels:?}"
    );
    let py312 = sorted
        .iter()
        .find(|i| i["label"] == "python3.12")
        .expect("python3.12");
    assert!(
        py312["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2028-10-31")),
        "{py312}"
    );
    let py27 = sorted
        .iter()
        .find(|i| i["label"] == "python2.7")
        .expect("python2.7");
    assert_eq!(
        py27["tags"],
        json!([1]),
        "retired runtimes are marked deprecated"
    );
    // The edit replaces the word being typed.
    let (line, col) = find(text, "Runtime: py");
    assert_eq!(
        py312["textEdit"]["range"]["start"],
        json!({"line": line, "character": col + 9})
    );
    assert_eq!(py312["textEdit"]["newText"], "python3.12");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn completes_property_names_from_the_schema() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Mem\n";
    let (_p, mut lsp, uri) = open(text);
    let result = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "      Mem", 9)}),
        )
        .expect("completion");
    let list = items(&result);
    let mem = list
        .iter()
        .find(|i| i["label"] == "MemorySize")
        .expect("MemorySize offered");
    assert_eq!(mem["textEdit"]["newText"], "MemorySize: ");
    let doc = mem["documentation"]["value"].as_str().unwrap_or("");
    assert!(doc.contains("10,240"), "the Lambda limit is shown: {doc}");
    assert!(
        !list.iter().any(|i| i["label"] == "Runtime"),
        "present keys are not offered again"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn completes_event_types_and_event_properties() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Events:\n        Jobs:\n          Type: SQ\n          Properties:\n            Bat\n";
    let (_p, mut lsp, uri) = open(text);
    let types = items(
        &lsp.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "Type: SQ", 8)}),
        )
        .expect("completion"),
    );
    let labels: Vec<&str> = types.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels.contains(&"SQS") && labels.contains(&"HttpApi"),
        "{labels:?}"
    );
    let text = text.replace("Type: SQ\n", "Type: SQS\n");
    lsp.change_full(&uri, 2, &text);
    let props = items(
        &lsp.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(&text, "            Bat", 15)}),
        )
        .expect("completion"),
    );
    let labels: Vec<&str> = props.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels.contains(&"BatchSize") && labels.contains(&"Queue"),
        "{labels:?}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn hover_on_a_runtime_shows_its_lifecycle_and_successor() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.12\n      MemorySize: 512\n";
    let (_p, mut lsp, uri) = open(text);
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "python3.12", 3)}),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(md.contains("2028-10-31"), "{md}");
    assert!(md.contains("2029-01-10"), "{md}");
    assert!(md.contains("Successor: `python3.14`"), "{md}");
    let (line, col) = find(text, "python3.12");
    assert_eq!(
        hover["range"]["start"],
        json!({"line": line, "character": col})
    );
    // A property: its constraint and Lambda's limit.
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "MemorySize", 2)}),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(md.contains("**MemorySize**"), "{md}");
    assert!(md.contains("128–10,240 MB"), "{md}");
    assert!(md.contains("32,768"), "{md}");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

const NAV: &str = "Transform: AWS::Serverless-2016-10-31\nParameters:\n  Stage:\n    Type: String\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    DependsOn: Queue\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Environment:\n        Variables:\n          URL: !Ref Queue\n          ARN: !GetAtt Queue.Arn\n          NAME: !Sub '${Queue.QueueName}-${Stage}'\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n";

#[test]
fn go_to_definition_and_references_of_logical_ids() {
    let (_p, mut lsp, uri) = open(NAV);
    let def = lsp
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": pos(NAV, "!Ref Queue", 7)}),
        )
        .expect("definition");
    let loc = if def.is_array() { def[0].clone() } else { def };
    assert_eq!(loc["uri"], uri.as_str());
    let (line, col) = find(NAV, "Queue:\n    Type: AWS::SQS::Queue");
    assert_eq!(
        loc["range"]["start"],
        json!({"line": line, "character": col})
    );
    // From inside a Sub string, too.
    let def = lsp
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": pos(NAV, "${Stage}", 3)}),
        )
        .expect("definition");
    let loc = if def.is_array() { def[0].clone() } else { def };
    let (line, _) = find(NAV, "  Stage:");
    assert_eq!(loc["range"]["start"]["line"], line);
    // References from the definition: the declaration, DependsOn, Ref, GetAtt (twice), Sub.
    let refs = lsp
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": pos(NAV, "Queue:\n    Type", 1), "context": {"includeDeclaration": true}}),
        )
        .expect("references");
    assert_eq!(refs.as_array().map(Vec::len), Some(6), "{refs}");
    // Hover on a reference names what it points at.
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(NAV, "!Ref Queue", 7)}),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        md.contains("**Queue** (resource · `AWS::SQS::Queue`)"),
        "{md}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn completes_logical_ids_and_attributes_in_intrinsics() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Stage:\n    Type: String\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Queue.Q\n      TopicName: !Ref \n";
    let (_p, mut lsp, uri) = open(text);
    let attrs = items(
        &lsp.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "Queue.Q", 7)}),
        )
        .expect("completion"),
    );
    let labels: Vec<&str> = attrs.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels.contains(&"QueueName") && labels.contains(&"QueueUrl"),
        "{labels:?}"
    );
    let ids = items(
        &lsp.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(text, "!Ref \n", 5)}),
        )
        .expect("completion"),
    );
    let labels: Vec<&str> = ids.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels.contains(&"Queue") && labels.contains(&"Stage"),
        "{labels:?}"
    );
    assert!(labels.contains(&"AWS::Region"), "{labels:?}");
    assert!(
        !labels.contains(&"Topic"),
        "not the resource being edited: {labels:?}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn document_symbols_outline_functions_events_and_roles() {
    let (_p, mut lsp, uri) = open(NAV);
    let symbols = lsp
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("symbols");
    let resources = symbols
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "Resources"))
        .expect("Resources section");
    let fn_symbol = resources["children"]
        .as_array()
        .and_then(|c| c.iter().find(|s| s["name"] == "Fn"))
        .expect("function symbol");
    assert_eq!(fn_symbol["kind"], 12, "a function");
    assert_eq!(fn_symbol["detail"], "AWS::Serverless::Function");
    assert_eq!(fn_symbol["children"][0]["name"], "Jobs");
    assert_eq!(fn_symbol["children"][0]["detail"], "SQS");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn a_reference_to_nothing_is_a_diagnostic_with_a_fix() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Queu.QueueName\n";
    let (_p, mut lsp, uri) = open(text);
    let diags = lsp.diagnostics(&uri, 1);
    let d = diags
        .iter()
        .find(|d| d["code"] == "template/unknown-reference")
        .expect("unknown reference")
        .clone();
    let (line, col) = find(text, "Queu.");
    assert_eq!(d["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": col + 4})
    );
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("codeAction");
    assert_eq!(actions[0]["title"], "Change to `Queue`");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn quick_fix_moves_a_deprecated_runtime_to_its_successor() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs16.x\n      InlineCode: 'exports.handler = async () => 1'\n";
    let (_p, mut lsp, uri) = open(text);
    let diags = lsp.diagnostics(&uri, 1);
    // Judged against today: deprecated, create-blocked or update-blocked, all with the successor fix.
    let d = diags
        .iter()
        .find(|d| {
            d["code"].as_str().is_some_and(|c| {
                matches!(
                    c,
                    "function/deprecated-runtime"
                        | "function/runtime-create-blocked"
                        | "function/runtime-update-blocked"
                )
            })
        })
        .expect("lifecycle diagnostic")
        .clone();
    assert_eq!(d["tags"], json!([2]), "shown as deprecated");
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("codeAction");
    assert_eq!(actions[0]["title"], "Change to `nodejs24.x`");
    let edit = &actions[0]["edit"]["changes"][uri.as_str()][0];
    assert_eq!(edit["newText"], "nodejs24.x");
    let (line, col) = find(text, "nodejs16.x");
    assert_eq!(
        edit["range"]["start"],
        json!({"line": line, "character": col})
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}
