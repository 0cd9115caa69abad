use super::*;
use serde_json::json;

fn yaml(text: &str) -> (serde_json::Value, Vec<String>) {
    let doc = parse_value(Lang::Yaml, text);
    (
        doc.value.map(|v| v.to_json()).unwrap_or_default(),
        doc.findings
            .iter()
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect(),
    )
}

fn json_doc(text: &str) -> (serde_json::Value, Vec<String>) {
    let doc = parse_value(Lang::Json, text);
    (
        doc.value.map(|v| v.to_json()).unwrap_or_default(),
        doc.findings
            .iter()
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect(),
    )
}

#[test]
fn yaml_short_and_long_intrinsics() {
    let (v, errs) = yaml(
        "A: !Ref X\nB: !GetAtt R.Arn\nC: !Sub 'arn:${AWS::Partition}:s3:::b'\nD:\n  Fn::Join: ['', [a, !Ref B]]\nE: !GetAZs\nF: !If [C, !Ref A, !Ref 'AWS::NoValue']\nG: !Condition IsProd\n",
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(
        v,
        json!({
            "A": {"Ref": "X"},
            "B": {"Fn::GetAtt": "R.Arn"},
            "C": {"Fn::Sub": "arn:${AWS::Partition}:s3:::b"},
            "D": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
            "E": {"Fn::GetAZs": ""},
            "F": {"Fn::If": ["C", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
            "G": {"Condition": "IsProd"},
        })
    );
}

#[test]
fn yaml_scalars_anchors_and_merge_keys() {
    let (v, errs) = yaml(
        "base: &b\n  x: 1\n  y: two\nother: *b\nmerged:\n  <<: *b\n  y: 3\nlit: |\n  a\n  b\nfold: >-\n  a\n  b\nq: \"tab\\there\"\ns: 'it''s'\nn: ~\nt: true\nf: 1.5\nv: 2012-10-17\nempty:\n",
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(v["other"], json!({"x": 1.0, "y": "two"}));
    assert_eq!(v["merged"], json!({"y": 3.0, "x": 1.0}));
    assert_eq!(v["lit"], json!("a\nb\n"));
    assert_eq!(v["fold"], json!("a b"));
    assert_eq!(v["q"], json!("tab\there"));
    assert_eq!(v["s"], json!("it's"));
    assert_eq!(v["n"], json!(null));
    assert_eq!(v["t"], json!(true));
    assert_eq!(v["f"], json!(1.5));
    assert_eq!(v["v"], json!("2012-10-17"));
    assert_eq!(v["empty"], json!(null));
}

#[test]
fn duplicate_keys_are_reported_in_both_formats() {
    let (_, errs) = yaml("a: 1\nb: 2\na: 3\n");
    assert_eq!(errs, vec!["syntax/duplicate-key: duplicate key `a`"]);
    let (v, errs) = json_doc(r#"{"a": 1, "a": 2}"#);
    assert_eq!(errs, vec!["syntax/duplicate-key: duplicate key `a`"]);
    assert_eq!(v, json!({"a": 2.0}));
}

#[test]
fn json_intrinsics_and_escapes() {
    let (v, errs) = json_doc(
        r#"{"R": {"Fn::GetAtt": ["T", "Arn"]}, "S": "a\u00e9\ud83d\ude00\n", "C": {"Condition": "X"}}"#,
    );
    assert!(errs.is_empty());
    assert_eq!(v["R"], json!({"Fn::GetAtt": ["T", "Arn"]}));
    assert_eq!(v["S"], json!("aé😀\n"));
    let doc = parse_value(Lang::Json, r#"{"R": {"Fn::GetAtt": ["T", "Arn"]}}"#);
    let r = doc.value.as_ref().and_then(|v| v.get("R")).expect("R");
    assert!(r.is_intrinsic());
}

#[test]
fn truncated_json_still_gives_a_tree_and_one_error_at_the_end() {
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:Get"#;
    let (v, errs) = json_doc(text);
    assert_eq!(v["Statement"][0]["Action"], json!("s3:Get"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("end of file"));
}

#[test]
fn missing_comma_is_pointed_at() {
    let text = r#"{"a": 1 "b": 2}"#;
    let doc = parse_value(Lang::Json, text);
    assert_eq!(doc.findings.len(), 1);
    assert_eq!(doc.findings[0].span, 7..7);
    assert!(doc.findings[0].message.contains("expected `,`"));
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        text.push_str(&format!("{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = n;
    }
    let doc = parse_value(Lang::Yaml, &text);
    assert!(doc.findings.iter().any(|f| f.rule == "syntax/alias"));
    assert!(doc.value.map(|v| v.node_count()).unwrap_or(0) <= MAX_ALIAS_NODES * 2);
}

#[test]
fn deep_nesting_is_cut_off_without_overflow() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let doc = parse_value(Lang::Json, &text);
    assert!(doc.findings.iter().any(|f| f.rule == "syntax/too-deep"));
    let yaml_text = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let doc = parse_value(Lang::Yaml, &yaml_text);
    assert!(doc
        .findings
        .iter()
        .any(|f| f.rule == "syntax/too-deep" || f.rule == "syntax/parse-error"));
}

#[test]
fn nodes_at_finds_the_innermost_value() {
    let text = "Resources:\n  Fn:\n    Properties:\n      Runtime: python3.12\n";
    let doc = parse_value(Lang::Yaml, text);
    let root = doc.value.expect("value");
    let off = text.find("python").expect("offset") + 2;
    let nodes = root.nodes_at(off);
    let (path, v) = nodes.last().expect("node");
    assert_eq!(v.as_str(), Some("python3.12"));
    assert_eq!(
        path,
        &vec![
            PathSeg::Key("Resources".into()),
            PathSeg::Key("Fn".into()),
            PathSeg::Key("Properties".into()),
            PathSeg::Key("Runtime".into())
        ]
    );
}

#[test]
fn yaml_error_wrapping_the_whole_document_points_at_the_breaking_line() {
    let text = "a:\n  b: 1\n c: 2\n   d: [1, 2\n";
    let doc = parse_value(Lang::Yaml, text);
    let errs: Vec<_> = doc
        .findings
        .iter()
        .map(|f| (f.span.clone(), f.message.clone()))
        .collect();
    assert_eq!(errs.len(), 1, "{errs:?}");
    let line_of = |off: usize| text[..off].matches('\n').count();
    assert_eq!(line_of(errs[0].0.start), 2, "{errs:?}");
}

/// The direct reader answers for the shapes templates are made of, and then exactly as tree-sitter does.
#[test]
fn direct_yaml_reader_matches_tree_sitter() {
    let answered = [
        "a: 1\n",
        "a:\n  b: 1 # c\n  # own line\nd: [x, y: z, {k: v}]\n",
        "Key:\n- a\n-\n- - b\n  - c\nNext: !Ref X\n",
        "R: !If [C, !GetAtt A.Arn, !Ref 'AWS::NoValue']\nS: !Sub |\n  echo ${A}  \n\n",
        "Fn::If:\n  - C\n  - {\"Fn::GetAtt\": [\"A\", \"Arn\"]}\n",
        "s: 'it''s'\nd: \"\\u00e9\\t\"\nn: ~\nb: True\nf: -1.5e3\nh: 0x1F\no: 0o17\ni: +12\n",
        "k: |+\n  kept\n\n\nl: >-\n  folded\n  text\n\n  para\n",
        "dup: 1\ndup: 2\n",
        "---\n# only a comment after the marker\nA:\n  B:\n    - C: 1\n      D: 2\n",
        "A:\r\n  B: c # crlf\r\n",
        "é: ü\n\"quoted key\": x\n'single': y\n",
        "",
        "# nothing but a comment\n",
        "[a, b]\n",
        "scalar\n",
    ];
    for text in answered {
        let (direct, reference) = super::yaml_both_ways(text);
        let direct = direct.unwrap_or_else(|| panic!("not read directly: {text:?}"));
        assert_eq!(direct.value, reference.value, "{text:?}");
        assert_eq!(direct.findings, reference.findings, "{text:?}");
    }
    // Syntax errors, anchors, several documents, tabs as indentation: the tree-sitter path's job.
    let left = [
        "a: [1, 2\n",
        "a: \"open\n",
        "a: &x 1\nb: *x\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n",
        "a: 1\n---\nb: 2\n",
        "a:\n\tb: 1\n",
        "a: b: c\n",
        "a: 1\n  b: 2\n",
        "plain\n  continued\n",
        "%YAML 1.2\n---\na: 1\n",
        "a:\n  b: 1\n  \u{4}  c: 2\n",
        "a: x\u{85}y\n",
    ];
    for text in left {
        assert!(super::read_yaml(text).is_none(), "read directly: {text:?}");
    }
}

/// Comments found by the direct reader serve suppressions as the syntax tree's do.
#[test]
fn direct_reader_reports_comments_not_hashes_in_strings() {
    let text = "a: 'x # not a comment' # one\n# two\nb: c#d\n";
    let (_, comments) = super::read_yaml(text).expect("read directly");
    let found: Vec<&str> = comments.iter().map(|c| &text[c.clone()]).collect();
    assert_eq!(found, ["# one", "# two"]);
}
