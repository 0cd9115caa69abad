//! Both lens sources end to end: "▶ Invoke" above a handler in a code file (from the handler index) and
//! above the function resource in the template run the same function through `lambda-ls.invoke`.

mod support;

use serde_json::json;
use support::{find, Lsp, Project};

const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: orders
";
const APP: &str = "def handler(event, context):\n    return {'from': 'orders', 'event': event}\n";

#[test]
fn code_file_and_template_lenses_both_invoke() {
    let p = Project::new(&[("template.yaml", TEMPLATE), ("orders/app.py", APP)]);
    let mut lsp =
        Lsp::start_with_env(&[("LAMBDA_LS_CACHE_DIR", &p.file(".cache").to_string_lossy())]);
    lsp.initialize(p.path(), true);
    let code_uri = p.uri("orders/app.py");
    let tpl_uri = p.uri("template.yaml");
    lsp.open(&tpl_uri, "yaml", 1, TEMPLATE);
    lsp.open(&code_uri, "python", 1, APP);
    let mut invoked = Vec::new();
    for (uri, text, needle) in [(&code_uri, APP, "handler"), (&tpl_uri, TEMPLATE, "Orders")] {
        let lenses = lsp
            .request(
                "textDocument/codeLens",
                json!({"textDocument": {"uri": uri}}),
            )
            .expect("codeLens");
        let lenses = lenses.as_array().cloned().unwrap_or_default();
        let invoke = lenses
            .iter()
            .find(|l| l["command"]["command"] == "lambda-ls.invoke")
            .unwrap_or_else(|| panic!("no invoke lens in {uri}: {lenses:#?}"));
        assert!(lenses
            .iter()
            .any(|l| l["command"]["command"] == "lambda-ls.invokeWithEvent"));
        let (line, _) = find(text, needle);
        assert_eq!(invoke["range"]["start"]["line"], json!(line));
        let result = lsp
            .request(
                "workspace/executeCommand",
                json!({"command": "lambda-ls.invoke", "arguments": invoke["command"]["arguments"]}),
            )
            .expect("invoke");
        assert_eq!(result["status"], "success", "{result:#}");
        invoked.push(result["payload"].clone());
    }
    assert_eq!(invoked[0], invoked[1]);
    assert_eq!(invoked[0]["from"], "orders");
    assert!(lsp.shutdown_exit().success());
}
