//! C#: namespaces, classes and methods, for navigating to .NET handlers. There is no C# grammar in the
//! binary, so this is a small scanner over tokens (comments, strings and preprocessor lines skipped) that
//! tracks braces. It feeds navigation only: no finding is ever based on it.

use super::{Def, DefKind, Facts};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq)]
enum Tok<'a> {
    Ident(&'a str, Span),
    Punct(char, usize),
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if line_start && c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        line_start = false;
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == b'"'
            || ((c == b'@' || c == b'$') && matches!(b.get(i + 1), Some(b'"' | b'@' | b'$')))
        {
            i = skip_string(b, i);
            continue;
        }
        if c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != b'\'' && b[i] != b'\n' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'@' || c >= 0x80 {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            if let Some(word) = text.get(start..i) {
                out.push(Tok::Ident(word.trim_start_matches('@'), start..i));
            }
            continue;
        }
        out.push(Tok::Punct(c as char, i));
        i += 1;
    }
    out
}

/// Skips a string literal starting at `i` (regular, verbatim `@"…"`, interpolated `$"…"`, raw `"""…"""`).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    let mut verbatim = false;
    while i < b.len() && (b[i] == b'@' || b[i] == b'$') {
        verbatim |= b[i] == b'@';
        i += 1;
    }
    let quotes = b[i..].iter().take_while(|&&c| c == b'"').count();
    if quotes >= 3 {
        i += quotes;
        while i < b.len() {
            if b[i..].iter().take_while(|&&c| c == b'"').count() >= quotes {
                return i + quotes;
            }
            i += 1;
        }
        return i;
    }
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' if !verbatim => i += 2,
            b'"' if verbatim && b.get(i + 1) == Some(&b'"') => i += 2,
            b'"' => return i + 1,
            b'\n' if !verbatim => return i,
            _ => i += 1,
        }
    }
    i
}

const NOT_METHODS: &[&str] = &[
    "if", "while", "for", "foreach", "switch", "using", "lock", "catch", "return", "new", "nameof",
    "typeof", "sizeof", "default", "base", "this", "when", "await", "throw", "fixed", "checked",
];

enum Scope {
    Namespace(Vec<String>),
    Type(String),
    Block,
}

pub fn extract(text: &str) -> Facts {
    let toks = tokens(text);
    let mut facts = Facts::default();
    let mut stack: Vec<Scope> = Vec::new();
    let mut file_namespace: Vec<String> = Vec::new();
    let mut pending_namespace: Option<Vec<String>> = None;
    let mut pending_type: Option<(String, Span, usize)> = None;
    let mut i = 0;
    let scope_names = |stack: &[Scope], file_ns: &[String]| -> Vec<String> {
        let mut out = file_ns.to_vec();
        for s in stack {
            match s {
                Scope::Namespace(n) => out.extend(n.iter().cloned()),
                Scope::Type(t) => out.push(t.clone()),
                Scope::Block => {}
            }
        }
        out
    };
    while i < toks.len() {
        match &toks[i] {
            Tok::Ident("namespace", _) => {
                let mut parts = Vec::new();
                let mut j = i + 1;
                while let Some(Tok::Ident(p, _)) = toks.get(j) {
                    parts.push(p.to_string());
                    j += 1;
                    if matches!(toks.get(j), Some(Tok::Punct('.', _))) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                match toks.get(j) {
                    Some(Tok::Punct(';', _)) => file_namespace = parts,
                    _ => pending_namespace = Some(parts),
                }
                i = j;
                continue;
            }
            Tok::Ident(kw @ ("class" | "struct" | "record" | "interface"), span) => {
                // `record class X`, `record struct X`.
                let mut j = i + 1;
                if *kw == "record" {
                    if let Some(Tok::Ident("class" | "struct", _)) = toks.get(j) {
                        j += 1;
                    }
                }
                if let Some(Tok::Ident(name, name_span)) = toks.get(j) {
                    let in_type_or_ns = !matches!(stack.last(), Some(Scope::Block));
                    if in_type_or_ns && !matches!(*name, "where") {
                        pending_type = Some((name.to_string(), name_span.clone(), span.start));
                    }
                    j += 1;
                }
                // A `class` constraint (`where T : class {`) names no type: its brace is handled below.
                i = j;
                continue;
            }
            Tok::Punct('{', _) => {
                if let Some(ns) = pending_namespace.take() {
                    stack.push(Scope::Namespace(ns));
                } else if let Some((name, name_span, start)) = pending_type.take() {
                    let mut def = Def::new(name.clone(), DefKind::Class, name_span, start..start);
                    def.scope = scope_names(&stack, &file_namespace);
                    def.signature = line_of(text, start);
                    facts.defs.push(def);
                    stack.push(Scope::Type(name));
                } else {
                    stack.push(Scope::Block);
                }
            }
            Tok::Punct('}', _) => {
                stack.pop();
            }
            Tok::Punct(';', _) => {
                // `record Point(int X, int Y);` declares a type without a body.
                pending_type = None;
            }
            Tok::Ident(name, span) if matches!(stack.last(), Some(Scope::Type(_))) => {
                if let Some(params_at) = method_params_start(&toks, i) {
                    let prev_is_type = i > 0
                        && matches!(
                            &toks[i - 1],
                            Tok::Ident(p, _) if !matches!(*p, "new" | "return" | "await" | "throw")
                        )
                        || matches!(
                            toks.get(i.wrapping_sub(1)),
                            Some(Tok::Punct('>' | ']' | '?', _))
                        );
                    let constructor =
                        matches!(stack.last(), Some(Scope::Type(t)) if t.as_str() == *name);
                    if prev_is_type && !constructor && !NOT_METHODS.contains(name) {
                        if let Some(after) = close_paren(&toks, params_at) {
                            let body = matches!(
                                toks.get(after),
                                Some(Tok::Punct('{' | '=' | ';', _)) | Some(Tok::Ident("where", _))
                            );
                            if body {
                                let mut def = Def::new(
                                    name.to_string(),
                                    DefKind::Method,
                                    span.clone(),
                                    span.start..span.start,
                                );
                                def.scope = scope_names(&stack, &file_namespace);
                                def.signature = line_of(text, span.start);
                                facts.defs.push(def);
                                i = after;
                                continue;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    facts
}

/// When `toks[i]` is a name followed by `(` (possibly after generic arguments), the index of that `(`.
fn method_params_start(toks: &[Tok], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if matches!(toks.get(j), Some(Tok::Punct('<', _))) {
        let mut depth = 0;
        while let Some(t) = toks.get(j) {
            match t {
                Tok::Punct('<', _) => depth += 1,
                Tok::Punct('>', _) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Tok::Punct('{' | '}' | ';' | '(', _) => return None,
                _ => {}
            }
            j += 1;
        }
        j += 1;
    }
    matches!(toks.get(j), Some(Tok::Punct('(', _))).then_some(j)
}

/// The token after the `)` matching the `(` at `open`.
fn close_paren(toks: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(', _) => depth += 1,
            Tok::Punct(')', _) => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            Tok::Punct('{' | '}' | ';', _) => return None,
            _ => {}
        }
    }
    None
}

fn line_of(text: &str, at: usize) -> String {
    let start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text
        .get(start..)
        .and_then(|t| t.lines().next())
        .unwrap_or("");
    line.trim()
        .trim_end_matches('{')
        .trim_end()
        .chars()
        .take(160)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_classes_and_methods() {
        let src = "[assembly: LambdaSerializer(typeof(X))]\n\
            namespace HelloWorld;\n\
            // class Commented { void Nope() {} }\n\
            public class Function {\n\
                private static readonly string s = \"class Fake { void F() {} }\";\n\
                public Function() { }\n\
                public async Task<APIGatewayProxyResponse> FunctionHandler(APIGatewayProxyRequest req, ILambdaContext context) { if (x) { Call(); } return default; }\n\
                public class Inner { public void Go<T>(T x) where T : class {} }\n\
                public string Arrow(int a) => a.ToString();\n\
            }\n";
        let f = extract(src);
        let names: Vec<(Vec<String>, String, DefKind)> = f
            .defs
            .iter()
            .map(|d| (d.scope.clone(), d.name.clone(), d.kind))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names,
            vec![
                (s(&["HelloWorld"]), "Function".into(), DefKind::Class),
                (
                    s(&["HelloWorld", "Function"]),
                    "FunctionHandler".into(),
                    DefKind::Method
                ),
                (
                    s(&["HelloWorld", "Function"]),
                    "Inner".into(),
                    DefKind::Class
                ),
                (
                    s(&["HelloWorld", "Function", "Inner"]),
                    "Go".into(),
                    DefKind::Method
                ),
                (
                    s(&["HelloWorld", "Function"]),
                    "Arrow".into(),
                    DefKind::Method
                ),
            ]
        );
        let h = &f.defs[1];
        assert_eq!(&src[h.name_span.clone()], "FunctionHandler");
    }

    #[test]
    fn block_namespaces() {
        let f = extract("namespace A.B {\n  namespace C {\n    class D { void M() {} }\n  }\n}\n");
        let m = f.defs.iter().find(|d| d.name == "M").expect("M");
        assert_eq!(m.scope, ["A", "B", "C", "D"]);
    }
}
