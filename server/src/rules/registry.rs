//! Every rule of every family, in one list. A family adds its `RULES` slice here.

use super::Rule;

fn families() -> [&'static [&'static Rule]; 7] {
    [
        crate::syntax::RULES,
        crate::iam::rules(),
        crate::function::RULES,
        crate::template::RULES,
        crate::suppress::RULES,
        crate::handler::RULES,
        crate::privilege::RULES,
    ]
}

/// All rules, sorted by id.
pub fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = families().into_iter().flatten().copied().collect();
    rules.sort_by_key(|r| r.id);
    rules
}

pub fn find(id: &str) -> Option<&'static Rule> {
    families()
        .into_iter()
        .flatten()
        .copied()
        .find(|r| r.id == id)
}
