//! Ruby: top-level methods and class methods of modules and classes (`Module::Class.method`).

use super::{header, matches, node_text, query, Def, DefKind, Facts, Param, ParamKind};
use crate::syntax::Lang;
use std::sync::OnceLock;
use tree_sitter::{Node, Query, Tree};

static QUERY: OnceLock<Option<Query>> = OnceLock::new();
const SOURCE: &str = include_str!("../../../../grammars/ruby/handlers.scm");

pub fn extract(tree: &Tree, text: &str) -> Facts {
    let mut facts = Facts::default();
    let Some(q) = query(&QUERY, Lang::Ruby, SOURCE) else {
        return facts;
    };
    for m in matches(q, tree, text) {
        let Some(name) = m.get("name") else { continue };
        let (node, singleton_def) = match (m.get("method"), m.get("singleton")) {
            (Some(n), _) => (n, false),
            (None, Some(n)) => (n, true),
            _ => continue,
        };
        let Some((scope, in_singleton_class)) = scope_of(node, text) else {
            continue;
        };
        let mut def = Def::new(
            node_text(name, text).to_string(),
            DefKind::Method,
            name.byte_range(),
            node.byte_range(),
        );
        def.scope = scope;
        // `def self.x` and `class << self; def x` define class methods; plain `def x` at the top level
        // defines a private method of Object, which the runtime can call too.
        def.singleton = singleton_def || in_singleton_class;
        def.params = Some(
            node.child_by_field_name("parameters")
                .map(|p| params(p, text))
                .unwrap_or_default(),
        );
        def.signature = header(node, text);
        facts.defs.push(def);
    }
    facts
}

/// The module/class chain around a method, and whether it sits in `class << self`. `None` when the
/// method is nested in another method or block (not callable by the runtime by name).
fn scope_of(node: Node, text: &str) -> Option<(Vec<String>, bool)> {
    let mut scope = Vec::new();
    let mut singleton_class = false;
    let mut cur = node.parent();
    while let Some(n) = cur {
        match n.kind() {
            "class" | "module" => {
                let name = n
                    .child_by_field_name("name")
                    .map(|c| node_text(c, text))
                    .unwrap_or("");
                // Walking outwards, each enclosing name goes in front; `class A::B` names two levels.
                for (i, part) in name.split("::").filter(|p| !p.is_empty()).enumerate() {
                    scope.insert(i, part.to_string());
                }
            }
            "singleton_class" => singleton_class = true,
            "method" | "singleton_method" | "block" | "do_block" | "lambda" => return None,
            _ => {}
        }
        cur = n.parent();
    }
    Some((scope, singleton_class))
}

fn params(list: Node, text: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let mut c = list.walk();
    for p in list.named_children(&mut c) {
        let name = p
            .child_by_field_name("name")
            .map(|n| node_text(n, text).to_string())
            .unwrap_or_else(|| node_text(p, text).to_string());
        let (kind, default) = match p.kind() {
            "identifier" => (ParamKind::Positional, false),
            "optional_parameter" => (ParamKind::Positional, true),
            "keyword_parameter" => (ParamKind::Keyword, p.child_by_field_name("value").is_some()),
            "splat_parameter" => (ParamKind::Rest, false),
            "hash_splat_parameter" | "hash_splat_nil" => (ParamKind::KwRest, false),
            "block_parameter" => (ParamKind::Block, false),
            "forward_parameter" => (ParamKind::Rest, false),
            _ => (ParamKind::Positional, false),
        };
        out.push(Param {
            name,
            kind,
            default,
            ty: None,
        });
    }
    out
}

/// Why calling the method as `handler(event: e, context: c)` fails, if it does.
pub fn signature_problem(params: &[Param]) -> Option<String> {
    if let Some(p) = params
        .iter()
        .find(|p| p.kind == ParamKind::Positional && !p.default)
    {
        return Some(format!(
            "it takes the positional argument `{}`, but the Ruby runtime passes keyword arguments: define \
             it as `(event:, context:)`",
            p.name
        ));
    }
    let forwards = params.iter().any(|p| p.name == "...");
    let kwrest = params
        .iter()
        .any(|p| p.kind == ParamKind::KwRest && p.name != "**nil");
    for wanted in ["event", "context"] {
        let has = params
            .iter()
            .any(|p| p.kind == ParamKind::Keyword && p.name == wanted);
        if !has && !kwrest && !forwards {
            return Some(format!(
                "it does not accept the keyword argument `{wanted}:` that the Ruby runtime passes \
                 (`ArgumentError: unknown keyword`); define it as `(event:, context:)`"
            ));
        }
    }
    if let Some(p) = params.iter().find(|p| {
        p.kind == ParamKind::Keyword && !p.default && p.name != "event" && p.name != "context"
    }) {
        return Some(format!(
            "it requires the keyword argument `{}:` that the runtime never passes (`ArgumentError: missing \
             keyword`)",
            p.name
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "require 'json'\n\
        def lambda_handler(event:, context:)\nend\n\
        module M\n  class C\n    def self.process(event:, context: nil, **rest)\n    end\n\
            class << self\n      def other(a, b = 1)\n      end\n    end\n\
            def instance(event:, context:)\n    end\n  end\nend\n\
        class M::D\n  def self.x(event:, context:); end\nend\n";

    #[test]
    fn methods_with_scopes() {
        let f = crate::handler::code::extract(Lang::Ruby, SRC);
        let find = |scope: &[&str], name: &str| {
            f.defs
                .iter()
                .find(|d| d.name == name && d.scope == scope)
                .unwrap_or_else(|| panic!("{scope:?} {name}: {:#?}", f.defs))
                .clone()
        };
        assert!(!find(&[], "lambda_handler").singleton);
        assert!(find(&["M", "C"], "process").singleton);
        assert!(find(&["M", "C"], "other").singleton);
        assert!(!find(&["M", "C"], "instance").singleton);
        assert!(find(&["M", "D"], "x").singleton);
    }

    #[test]
    fn keyword_signatures() {
        let f = crate::handler::code::extract(Lang::Ruby, SRC);
        let sig = |name: &str| {
            signature_problem(
                f.defs
                    .iter()
                    .find(|d| d.name == name)
                    .and_then(|d| d.params.as_deref())
                    .unwrap_or(&[]),
            )
        };
        assert_eq!(sig("lambda_handler"), None);
        assert_eq!(sig("process"), None);
        assert!(sig("other").is_some_and(|m| m.contains("positional")));
        for (src, ok) in [
            ("def h(event:, context:); end", true),
            ("def h(**kw); end", true),
            ("def h(event:, **); end", true),
            ("def h(event:, context:, extra: 1); end", true),
            ("def h(event, context); end", false),
            ("def h(event:); end", false),
            ("def h(event:, context:, extra:); end", false),
        ] {
            let f = crate::handler::code::extract(Lang::Ruby, src);
            let p = signature_problem(f.defs[0].params.as_deref().unwrap_or(&[]));
            assert_eq!(p.is_none(), ok, "{src}: {p:?}");
        }
    }
}
