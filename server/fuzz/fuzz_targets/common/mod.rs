//! What every analysis target does with one file: parse it as the named kind, run every check and the
//! editor features at a few offsets, and assert that findings stay inside the text.

// Each target uses the part of the project it fuzzes.
#![allow(dead_code)]

use lambda_ls::config::Config;
use lambda_ls::ide;
use lambda_ls::syntax::{self, Lang, Value, ValueKind};
use lambda_ls::workspace::{self, Env, Files};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A project both sides of the config ↔ code links can resolve against: functions in every runtime whose
/// handlers point at the fuzzed code files, with grants the least-privilege checks compare calls with.
pub const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Table:
    Type: AWS::DynamoDB::Table
  Py:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          BUCKET: !Ref Bucket
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - Statement:
            - Effect: Allow
              Action: dynamodb:*
              Resource: !GetAtt Table.Arn
  Node:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: index.handler
      Runtime: nodejs20.x
      Policies: [AmazonS3ReadOnlyAccess]
  Ts:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: handler.main
      Runtime: nodejs20.x
      Metadata:
        BuildMethod: esbuild
  Go:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: bootstrap
      Runtime: provided.al2023
  Rb:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.Handler.process
      Runtime: ruby3.3
  Java:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: example.App::handleRequest
      Runtime: java21
";

pub const PYTHON: &str = "import boto3\nimport os\ns3 = boto3.client('s3')\ndef handler(event, context):\n    s3.put_object(Bucket=os.environ['BUCKET'], Key='k', Body=b'')\n    return boto3.resource('dynamodb').Table('t').get_item(Key={})\n";

pub const ROOT: &str = "/fuzz";

/// The project's files as editor buffers, so nothing is read from disk.
pub fn files(overlays: &[(&str, &str)]) -> Files {
    let files = Files::new();
    files.set_roots(vec![PathBuf::from(ROOT)]);
    for (name, text) in overlays {
        files.set_overlay(Path::new(ROOT).join(name), Arc::from(*text));
    }
    files
}

pub fn exercise(name: &str, text: &str, files: &Files) {
    let config = Config::default();
    let env = Env {
        config: &config,
        files,
    };
    let path = Path::new(ROOT).join(name);
    files.set_overlay(path.clone(), Arc::from(text));
    let parsed = workspace::parse(&path, Arc::from(text), None);
    for f in workspace::analyze(&parsed, &env) {
        assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{} {:?}",
            f.rule,
            f.span
        );
        assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "{}",
            f.rule
        );
        for fix in &f.fixes {
            for edit in &fix.edits {
                if edit.path.is_none() || edit.path.as_deref() == Some(path.as_path()) {
                    assert!(
                        edit.span.end <= text.len(),
                        "fix of {} outside the text",
                        f.rule
                    );
                }
            }
        }
    }
    for offset in [0, text.len() / 3, text.len() / 2, text.len()] {
        let _ = ide::completion(&parsed, offset, &env);
        let _ = ide::hover(&parsed, offset, &env);
        let _ = ide::definition(&parsed, offset, &env);
        let _ = ide::references(&parsed, offset, &env);
    }
    let _ = ide::symbols(&parsed, &env);
    let _ = ide::code_lenses(&parsed, &env);
}

/// Any text as an IAM policy, standalone and inline in a template: the policy checks, completion and
/// hover never panic, and findings stay inside the text.
pub fn policy(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let files = files(&[]);
    match selector % 4 {
        // Raw text: the sniffer decides whether it is a policy at all.
        0 => exercise("policy.json", body, &files),
        // A statement list, so the grammar checks see the fuzzed elements.
        1 => exercise(
            "policy.json",
            &format!("{{\"Version\": \"2012-10-17\", \"Statement\": {body}"),
            &files,
        ),
        2 => exercise(
            "trust.json",
            &format!("{{\"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {body}"),
            &files,
        ),
        // Inline in a template, as YAML block text under a PolicyDocument.
        _ => {
            let indented: String = body.lines().map(|l| format!("          {l}\n")).collect();
            let text = format!(
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n{indented}"
            );
            exercise("template.yaml", &text, &files);
        }
    }
}

/// Any text as a CloudFormation/SAM template or a serverless.yml, next to real handler code: the function
/// models, template and function checks, least-privilege grants and the editor features never panic.
pub fn models(data: &[u8]) {
    const NAMES: &[&str] = &["template.yaml", "template.json", "serverless.yml"];
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let name = NAMES[selector as usize % NAMES.len()];
    let files = files(&[("app.py", PYTHON)]);
    // Half of the inputs get a header that makes the sniffer take them as ours.
    let text = match ((selector / 8) % 2, name) {
        (0, "template.yaml") => format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n{body}"
        ),
        (0, "serverless.yml") => format!("service: fuzz\nprovider:\n  name: aws\n{body}"),
        _ => body.to_string(),
    };
    exercise(name, &text, &files);
}

/// Any text as handler code in every supported language, inside a project whose template points at it:
/// handler resolution, signature checks, SDK call detection and the least-privilege checks never panic.
pub fn code(data: &[u8]) {
    const NAMES: &[&str] = &[
        "app.py",
        "index.mjs",
        "index.js",
        "handler.ts",
        "main.go",
        "app.rb",
        "App.java",
    ];
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let name = NAMES[selector as usize % NAMES.len()];
    let files = files(&[("template.yaml", TEMPLATE)]);
    exercise(name, body, &files);
}

/// Any bytes as JSON and as YAML: parsing and building the value tree never panic, and every span lies
/// on character boundaries inside the text.
pub fn value_tree(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for lang in [Lang::Json, Lang::Yaml] {
        let doc = syntax::parse_value(lang, text);
        for f in &doc.findings {
            assert!(f.span.end <= text.len() && f.span.start <= f.span.end);
        }
        if let Some(v) = &doc.value {
            check_spans(v, text);
            let _ = v.to_json();
            for offset in [0, text.len() / 2, text.len()] {
                let _ = v.nodes_at(offset);
            }
        }
    }
}

fn check_spans(v: &Value, text: &str) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        assert!(
            v.span.start <= v.span.end && v.span.end <= text.len(),
            "span {:?} of {}",
            v.span,
            text.len()
        );
        assert!(text.is_char_boundary(v.span.start) && text.is_char_boundary(v.span.end));
        match &v.kind {
            ValueKind::Map(entries) => {
                for (k, child) in entries {
                    assert!(k.span.end <= text.len() && text.is_char_boundary(k.span.start));
                    stack.push(child);
                }
            }
            ValueKind::Seq(items) => stack.extend(items.iter()),
            ValueKind::Intrinsic { arg, .. } => stack.push(arg),
            _ => {}
        }
    }
}

/// The direct YAML reader against the tree-sitter path: when the reader answers, its value tree and
/// findings are exactly what the tree-sitter path builds.
pub fn yaml_readers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (direct, reference) = syntax::yaml_both_ways(text);
    if let Some(direct) = direct {
        // Compared as printed: `.nan` must equal itself.
        assert_eq!(
            format!("{:?}", direct.value),
            format!("{:?}", reference.value),
            "value tree of {text:?}"
        );
        assert_eq!(direct.findings, reference.findings, "findings of {text:?}");
    }
}
