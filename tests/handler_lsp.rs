//! Handler ↔ code in the editor, end to end over stdio: go to the code from a `Handler`, back from the
//! code to the functions that run it, `Handler` completion and hover, "▶ Invoke" lenses on referenced
//! handlers only, and template diagnostics that follow edits of the code (open buffers and disk).

mod support;

use serde_json::{json, Value};
use support::{find, Lsp, Project};

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello_world/
      Handler: app.lambda_handler
      Runtime: python3.13
  AdminFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello_world/
      Handler: app.lambda_handler
      Runtime: python3.13
";

const CODE: &str = "import json


def helper(x):
    return x


def lambda_handler(event, context):
    return {\"statusCode\": 200, \"body\": json.dumps(helper(event))}
";

fn pos(text: &str, needle: &str, extra: usize) -> Value {
    let (line, col) = find(text, needle);
    json!({"line": line, "character": col + extra})
}

fn handler_codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.starts_with("handler/"))
        .map(str::to_string)
        .collect()
}

fn start(project: &Project) -> Lsp {
    let mut lsp = Lsp::start();
    lsp.initialize_with(project.path(), false, json!({"diagnosticsDelayMs": 20}));
    lsp
}

#[test]
fn definition_goes_from_the_handler_value_to_the_function() {
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", CODE)]);
    let mut lsp = start(&project);
    let uri = project.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let result = lsp
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": pos(TEMPLATE, "app.lambda_handler", 6)}),
        )
        .expect("definition");
    let locs = result.as_array().expect("locations");
    assert_eq!(locs.len(), 1, "{result:#}");
    assert_eq!(locs[0]["uri"], project.uri("hello_world/app.py"));
    let (line, col) = find(CODE, "lambda_handler");
    assert_eq!(
        locs[0]["range"],
        json!({"start": {"line": line, "character": col},
               "end": {"line": line, "character": col + "lambda_handler".len()}})
    );
    // Elsewhere in the template there is nothing to go to.
    let none = lsp
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": pos(TEMPLATE, "python3.13", 2)}),
        )
        .expect("definition");
    assert_eq!(none, Value::Null);
}

#[test]
fn definition_goes_from_the_handler_in_code_to_the_function_resources() {
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", CODE)]);
    let mut lsp = start(&project);
    let code_uri = project.uri("hello_world/app.py");
    lsp.open(&code_uri, "python", 1, CODE);
    let result = lsp
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": code_uri}, "position": pos(CODE, "lambda_handler", 1)}),
        )
        .expect("definition");
    let mut got: Vec<(String, Value)> = result
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap_or("").to_string(),
                l["range"]["start"].clone(),
            )
        })
        .collect();
    got.sort_by_key(|(_, start)| start["line"].as_u64());
    let key = |name: &str| {
        let (line, col) = find(TEMPLATE, &format!("  {name}:"));
        json!({"line": line, "character": col + 2})
    };
    let t = project.uri("template.yaml");
    assert_eq!(
        got,
        vec![(t.clone(), key("HelloFunction")), (t, key("AdminFunction"))]
    );
}

#[test]
fn references_go_from_the_function_to_every_function_resource_using_it() {
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", CODE)]);
    let mut lsp = start(&project);
    let code_uri = project.uri("hello_world/app.py");
    lsp.open(&code_uri, "python", 1, CODE);
    let result = lsp
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": code_uri}, "position": pos(CODE, "lambda_handler", 3),
                   "context": {"includeDeclaration": false}}),
        )
        .expect("references");
    let mut lines: Vec<u64> = result
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            assert_eq!(l["uri"], project.uri("template.yaml"));
            l["range"]["start"]["line"].as_u64().unwrap_or(0)
        })
        .collect();
    lines.sort();
    let first = find(TEMPLATE, "app.lambda_handler").0 as u64;
    let second = TEMPLATE
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("app.lambda_handler"))
        .nth(1)
        .map(|(i, _)| i as u64);
    assert_eq!(lines, vec![first, second.unwrap_or(0)]);
    // A function no config names has no references.
    let none = lsp
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": code_uri}, "position": pos(CODE, "def helper", 5),
                   "context": {"includeDeclaration": false}}),
        )
        .expect("references");
    assert_eq!(none, Value::Null);
}

#[test]
fn invoke_lenses_sit_on_referenced_handlers_only() {
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", CODE)]);
    let mut lsp = start(&project);
    let code_uri = project.uri("hello_world/app.py");
    lsp.open(&code_uri, "python", 1, CODE);
    let result = lsp
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": code_uri}}),
        )
        .expect("codeLens");
    let lenses = result.as_array().expect("lenses");
    // Two functions use the handler: each gets "▶ Invoke" and "Invoke with event…", named.
    assert_eq!(lenses.len(), 4, "{result:#}");
    let (line, _) = find(CODE, "def lambda_handler");
    let template = project.file("template.yaml");
    for lens in lenses {
        assert_eq!(
            lens["range"]["start"]["line"], line,
            "not on `helper`: {lens:#}"
        );
        let cmd = lens["command"]["command"].as_str().unwrap_or("");
        assert!(
            cmd == "lambda-ls.invoke" || cmd == "lambda-ls.invokeWithEvent",
            "{cmd}"
        );
        let arg = &lens["command"]["arguments"][0];
        assert_eq!(arg["config"], template.to_string_lossy().as_ref());
        assert!(arg["function"] == "HelloFunction" || arg["function"] == "AdminFunction");
    }
    let titles: Vec<&str> = lenses
        .iter()
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    assert!(titles.contains(&"▶ Invoke HelloFunction"), "{titles:?}");
    assert!(
        titles.contains(&"Invoke with event… AdminFunction"),
        "{titles:?}"
    );
}

#[test]
fn handler_values_complete_from_the_code_under_codeuri() {
    let typing = TEMPLATE.replacen("Handler: app.lambda_handler", "Handler: app.", 1);
    let project = Project::new(&[
        ("template.yaml", &typing),
        ("hello_world/app.py", CODE),
        (
            "hello_world/tasks/jobs.py",
            "def run(event, context):\n    pass\n\ndef _private(event, context):\n    pass\n",
        ),
        (
            "other/elsewhere.py",
            "def not_under_codeuri(event, context):\n    pass\n",
        ),
    ]);
    let mut lsp = start(&project);
    let uri = project.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, &typing);
    let at = pos(&typing, "app.\n", 4);
    let result = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .expect("completion");
    let items = result["items"].as_array().expect("items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"app.lambda_handler"), "{labels:?}");
    assert!(labels.contains(&"tasks/jobs.run"), "{labels:?}");
    assert!(labels.contains(&"app.helper"), "{labels:?}");
    assert!(!labels
        .iter()
        .any(|l| l.contains("_private") || l.contains("not_under_codeuri")));
    let sort = |label: &str| {
        items
            .iter()
            .find(|i| i["label"] == label)
            .and_then(|i| i["sortText"].as_str())
            .unwrap_or("")
            .to_string()
    };
    assert!(
        sort("app.lambda_handler") < sort("app.helper"),
        "handlers with (event, context) first"
    );
    let item = items
        .iter()
        .find(|i| i["label"] == "app.lambda_handler")
        .expect("item");
    let (line, col) = find(&typing, "app.\n");
    assert_eq!(
        item["textEdit"]["range"],
        json!({"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 4}})
    );
    assert_eq!(item["detail"], "def lambda_handler(event, context)");
}

#[test]
fn hover_on_a_handler_shows_the_file_and_signature() {
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", CODE)]);
    let mut lsp = start(&project);
    let uri = project.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(TEMPLATE, "app.lambda_handler", 2)}),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(md.contains("hello_world/app.py"), "{md}");
    assert!(md.contains("line 8"), "{md}");
    assert!(
        md.contains("```python\ndef lambda_handler(event, context)\n```"),
        "{md}"
    );
}

#[test]
fn renaming_the_handler_in_code_turns_the_template_red_and_back() {
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", CODE)]);
    let mut lsp = start(&project);
    let t_uri = project.uri("template.yaml");
    let c_uri = project.uri("hello_world/app.py");
    lsp.open(&t_uri, "yaml", 1, TEMPLATE);
    lsp.open(&c_uri, "python", 1, CODE);
    let first = lsp.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == t_uri);
    assert!(handler_codes(&first).is_empty(), "{first:#}");
    let _ = lsp.drain();

    // Rename `lambda_handler` to `handle` in the open (unsaved) code buffer.
    let (line, col) = find(CODE, "lambda_handler");
    let end = (line as u32, (col + "lambda_handler".len()) as u32);
    lsp.change(&c_uri, 2, (line as u32, col as u32), end, "handle");
    let red = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == t_uri && !handler_codes(p).is_empty()
    });
    let diags = red["diagnostics"].as_array().cloned().unwrap_or_default();
    let missing: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "handler/symbol-not-found")
        .collect();
    assert_eq!(missing.len(), 2, "both functions use it: {red:#}");
    let (hline, hcol) = find(TEMPLATE, "app.lambda_handler");
    assert_eq!(
        missing[0]["range"]["start"],
        json!({"line": hline, "character": hcol})
    );
    assert!(
        missing[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("did you mean `app.handle`?"),
        "{:#}",
        missing[0]
    );
    let _ = lsp.drain();

    // Rename it back: the template turns clean without being touched.
    let end = (line as u32, (col + "handle".len()) as u32);
    lsp.change(&c_uri, 3, (line as u32, col as u32), end, "lambda_handler");
    let clean = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == t_uri && handler_codes(p).is_empty()
    });
    assert_eq!(clean["version"], 1);
}

#[test]
fn an_async_handler_points_into_the_code_with_related_information() {
    let code = CODE.replace("def lambda_handler", "async def lambda_handler");
    let project = Project::new(&[("template.yaml", TEMPLATE), ("hello_world/app.py", &code)]);
    let mut lsp = start(&project);
    let uri = project.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let diags = lsp.diagnostics(&uri, 1);
    let d = diags
        .iter()
        .find(|d| d["code"] == "handler/python-async")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let related = &d["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], project.uri("hello_world/app.py"));
    let (line, col) = find(&code, "lambda_handler");
    assert_eq!(
        related["range"]["start"],
        json!({"line": line, "character": col})
    );
}

#[test]
fn a_file_created_on_disk_clears_the_template_after_a_watched_files_notification() {
    let project = Project::new(&[("template.yaml", TEMPLATE)]);
    let mut lsp = start(&project);
    let uri = project.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let diags = lsp.diagnostics(&uri, 1);
    assert!(
        diags.iter().any(|d| d["code"] == "handler/file-not-found"),
        "{diags:#?}"
    );
    let _ = lsp.drain();
    project.write("hello_world/app.py", CODE.as_bytes());
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": project.uri("hello_world/app.py"), "type": 1}]}),
    );
    let clean = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && handler_codes(p).is_empty()
    });
    assert_eq!(clean["version"], 1);
    // The lenses see the new file too (the project index was invalidated).
    let code_uri = project.uri("hello_world/app.py");
    lsp.open(&code_uri, "python", 1, CODE);
    let lenses = lsp
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": code_uri}}),
        )
        .expect("codeLens");
    assert_eq!(lenses.as_array().map(|a| a.len()), Some(4), "{lenses:#}");
}

#[test]
fn definition_works_for_serverless_node_and_sam_go() {
    let sls = "service: shop\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  list:\n    handler: src/orders.list\n";
    let orders = "import { db } from './db.mjs';\n\nexport async function list(event) {\n  return db.all();\n}\n";
    let tpl = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildMethod: go1.x\n    Properties:\n      CodeUri: api/\n      Handler: bootstrap\n      Runtime: provided.al2023\n";
    let main = "package main\n\nimport \"github.com/aws/aws-lambda-go/lambda\"\n\nfunc serve() error {\n\treturn nil\n}\n\nfunc main() {\n\tlambda.Start(serve)\n}\n";
    let project = Project::new(&[
        ("serverless.yml", sls),
        ("src/orders.mjs", orders),
        ("template.yaml", tpl),
        ("api/main.go", main),
    ]);
    let mut lsp = start(&project);
    for (config, lang, text, needle, code, target) in [
        (
            "serverless.yml",
            "yaml",
            sls,
            "src/orders.list",
            "src/orders.mjs",
            ("list(", orders),
        ),
        (
            "template.yaml",
            "yaml",
            tpl,
            "bootstrap",
            "api/main.go",
            ("serve()", main),
        ),
    ] {
        let uri = project.uri(config);
        lsp.open(&uri, lang, 1, text);
        let result = lsp
            .request(
                "textDocument/definition",
                json!({"textDocument": {"uri": uri}, "position": pos(text, needle, 3)}),
            )
            .expect("definition");
        assert_eq!(result[0]["uri"], project.uri(code), "{config}: {result:#}");
        let (line, col) = find(target.1, target.0);
        assert_eq!(
            result[0]["range"]["start"],
            json!({"line": line, "character": col}),
            "{config}"
        );
        let diags = lsp.diagnostics(&uri, 1);
        assert!(
            diags
                .iter()
                .all(|d| !d["code"].as_str().unwrap_or("").starts_with("handler/")),
            "{diags:#?}"
        );
    }
}

#[test]
fn quick_fixes_rename_the_handler_and_edit_package_json() {
    let tpl = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: index.hander\n      Runtime: nodejs18.x\n";
    let code = "import { x } from './x.js';\nexport const handler = async (event) => x(event);\n";
    let pkg = "{\n  \"name\": \"shop\"\n}\n";
    let project = Project::new(&[
        ("template.yaml", tpl),
        ("src/index.js", code),
        ("src/package.json", pkg),
        ("src/x.js", "export const x = (e) => e;\n"),
    ]);
    let mut lsp = start(&project);
    let uri = project.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, tpl);
    let diags = lsp.diagnostics(&uri, 1);
    let missing = diags
        .iter()
        .find(|d| d["code"] == "handler/symbol-not-found")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": missing["range"],
                   "context": {"diagnostics": [missing]}}),
        )
        .expect("codeAction");
    let rename = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"] == "Change the handler to `index.handler`")
        .unwrap_or_else(|| panic!("{actions:#}"));
    let (line, col) = find(tpl, "index.hander");
    assert_eq!(
        rename["edit"]["changes"][&uri][0],
        json!({"range": {"start": {"line": line, "character": col},
                         "end": {"line": line, "character": col + "index.hander".len()}},
               "newText": "index.handler"})
    );

    // After the rename, the module system is the remaining problem, fixed in package.json.
    let fixed = tpl.replace("index.hander", "index.handler");
    lsp.change_full(&uri, 2, &fixed);
    let diags = lsp.diagnostics(&uri, 2);
    let module = diags
        .iter()
        .find(|d| d["code"] == "handler/node-module-system")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(module["severity"], 1, "an error on nodejs18.x");
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": module["range"],
                   "context": {"diagnostics": [module]}}),
        )
        .expect("codeAction");
    let add_type = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap_or("")
                .contains("\"type\": \"module\"")
        })
        .unwrap_or_else(|| panic!("{actions:#}"));
    let edit = &add_type["edit"]["changes"][project.uri("src/package.json")][0];
    assert_eq!(edit["range"]["start"], json!({"line": 0, "character": 1}));
    assert_eq!(edit["newText"], "\n  \"type\": \"module\",");
}
