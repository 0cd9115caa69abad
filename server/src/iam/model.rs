//! A typed view of policy statements over the value tree: each element with its key and value node, and
//! element values resolved to strings (unknown parts as placeholders).

use super::resolve::{self, Dialect, Resolved};
use crate::syntax::{Key, Value};

/// An element that comes in a positive and a `Not` form (`Action`/`NotAction`, …).
#[derive(Clone, Copy, Debug)]
pub struct Elem<'a> {
    pub key: &'a Key,
    pub value: &'a Value,
    pub not: bool,
}

impl<'a> Elem<'a> {
    /// Every item with its resolved text; items that are not strings (or `AWS::NoValue`) are left out.
    pub fn strings(&self, dialect: Dialect) -> Vec<(&'a Value, Resolved)> {
        self.value
            .one_or_many()
            .into_iter()
            .filter_map(|v| resolve::string(v, dialect).map(|r| (v, r)))
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct Stmt<'a> {
    pub index: usize,
    pub node: &'a Value,
    pub sid: Option<(&'a Key, &'a Value)>,
    pub effect: Option<(&'a Key, &'a Value)>,
    pub action: Option<Elem<'a>>,
    pub resource: Option<Elem<'a>>,
    pub principal: Option<Elem<'a>>,
    pub condition: Option<(&'a Key, &'a Value)>,
}

fn elem<'a>(node: &'a Value, pos: &str, neg: &str) -> Option<Elem<'a>> {
    node.get_entry(pos)
        .map(|(key, value)| Elem {
            key,
            value,
            not: false,
        })
        .or_else(|| {
            node.get_entry(neg).map(|(key, value)| Elem {
                key,
                value,
                not: true,
            })
        })
}

impl<'a> Stmt<'a> {
    pub fn new(index: usize, node: &'a Value) -> Stmt<'a> {
        Stmt {
            index,
            node,
            sid: node.get_entry("Sid"),
            effect: node.get_entry("Effect"),
            action: elem(node, "Action", "NotAction"),
            resource: elem(node, "Resource", "NotResource"),
            principal: elem(node, "Principal", "NotPrincipal"),
            condition: node.get_entry("Condition"),
        }
    }

    pub fn effect_str(&self) -> Option<&'a str> {
        self.effect.and_then(|(_, v)| v.as_str())
    }

    pub fn allow(&self) -> bool {
        self.effect_str() == Some("Allow")
    }

    pub fn deny(&self) -> bool {
        self.effect_str() == Some("Deny")
    }

    /// Whether the statement has a non-empty `Condition` block.
    pub fn conditional(&self) -> bool {
        self.condition.is_some_and(|(_, c)| match c.as_map() {
            Some(m) => !m.is_empty(),
            None => true,
        })
    }

    /// The written actions (positive `Action` only), resolved.
    pub fn actions(&self, dialect: Dialect) -> Vec<(&'a Value, Resolved)> {
        match self.action {
            Some(e) if !e.not => e.strings(dialect),
            _ => Vec::new(),
        }
    }

    pub fn resources(&self, dialect: Dialect) -> Vec<(&'a Value, Resolved)> {
        match self.resource {
            Some(e) if !e.not => e.strings(dialect),
            _ => Vec::new(),
        }
    }

    /// Condition entries: (operator key, key name key, value node).
    pub fn condition_entries(&self) -> Vec<(&'a Key, &'a Key, &'a Value)> {
        let mut out = Vec::new();
        if let Some((_, c)) = self.condition {
            for (op, block) in c.as_map().unwrap_or_default() {
                for (k, v) in block.as_map().unwrap_or_default() {
                    out.push((op, k, v));
                }
            }
        }
        out
    }

    /// Whether the condition uses one of these keys (case-insensitive) under any operator.
    pub fn has_condition_key(&self, keys: &[&str]) -> bool {
        self.condition_entries()
            .iter()
            .any(|(_, k, _)| keys.iter().any(|want| k.text.eq_ignore_ascii_case(want)))
    }
}

pub fn statements<'a>(nodes: &[&'a Value]) -> Vec<Stmt<'a>> {
    nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_map().is_some())
        .map(|(i, n)| Stmt::new(i, n))
        .collect()
}
