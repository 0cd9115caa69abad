//! Any bytes as JSON and as YAML: parsing and building the value tree never panic, and every span lies
//! on character boundaries inside the text.
#![no_main]

use lambda_ls::syntax::{self, Lang, Value, ValueKind};
use libfuzzer_sys::fuzz_target;

fn check_spans(v: &Value, text: &str) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        assert!(v.span.start <= v.span.end && v.span.end <= text.len(), "span {:?} of {}", v.span, text.len());
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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
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
});
