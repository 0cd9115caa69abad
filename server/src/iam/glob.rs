//! IAM wildcard patterns (`*`, `?`) and the questions asked of them: does a pattern match a name, do two
//! patterns share a match, does one pattern cover another. ARN templates from the catalog compile to the
//! same tokens, their `${Variable}` parts becoming "one or more characters".
//!
//! Unknown parts of a value (an unresolved `!Ref`, a Serverless variable) are written as
//! [`PLACEHOLDER`] and behave like `*`: what the tool cannot know never makes a match fail.

/// Stands for a part of a string the tool cannot know (a private-use character no policy contains).
pub const PLACEHOLDER: char = '\u{E000}';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Char(char),
    Any,
    /// Any character except `/` (ARN template variables that name one path segment).
    NotSlash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    One(Class),
    Many(Class),
}

fn class_meets(a: Class, b: Class, fold: bool) -> bool {
    match (a, b) {
        (Class::Char(x), Class::Char(y)) => x == y || (fold && x.eq_ignore_ascii_case(&y)),
        (Class::Char(c), Class::NotSlash) | (Class::NotSlash, Class::Char(c)) => c != '/',
        _ => true,
    }
}

/// Tokens of a policy pattern: `*` any run, `?` one character, the placeholder any run.
pub fn pattern(s: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let t = match c {
            '*' | PLACEHOLDER => Tok::Many(Class::Any),
            '?' => Tok::One(Class::Any),
            c => Tok::One(Class::Char(c)),
        };
        // `**` is `*`.
        if t == Tok::Many(Class::Any) && out.last() == Some(&t) {
            continue;
        }
        out.push(t);
    }
    out
}

/// Tokens of a literal string (no wildcards).
pub fn literal(s: &str) -> Vec<Tok> {
    s.chars().map(|c| Tok::One(Class::Char(c))).collect()
}

/// Whether some string is matched by both token lists. `fold` compares letters case-insensitively.
pub fn intersects(a: &[Tok], b: &[Tok], fold: bool) -> bool {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut seen = vec![false; (n + 1) * w];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if seen[i * w + j] {
            continue;
        }
        seen[i * w + j] = true;
        if i == n && j == m {
            return true;
        }
        let mut push = |i: usize, j: usize| {
            if !seen[i * w + j] {
                stack.push((i, j));
            }
        };
        if let Some(Tok::Many(_)) = a.get(i) {
            push(i + 1, j);
        }
        if let Some(Tok::Many(_)) = b.get(j) {
            push(i, j + 1);
        }
        if let (Some(&ta), Some(&tb)) = (a.get(i), b.get(j)) {
            let (ca, ra) = split(ta);
            let (cb, rb) = split(tb);
            if class_meets(ca, cb, fold) {
                match (ra, rb) {
                    (false, false) => push(i + 1, j + 1),
                    (true, false) => push(i, j + 1),
                    (false, true) => push(i + 1, j),
                    (true, true) => {}
                }
            }
        }
    }
    false
}

fn split(t: Tok) -> (Class, bool) {
    match t {
        Tok::One(c) => (c, false),
        Tok::Many(c) => (c, true),
    }
}

/// Whether pattern `a` matches the literal `s`.
pub fn matches(a: &str, s: &str, fold: bool) -> bool {
    // Fast paths for the common shapes.
    if a == "*" {
        return true;
    }
    if !a.contains(['*', '?', PLACEHOLDER]) {
        return if fold {
            a.eq_ignore_ascii_case(s)
        } else {
            a == s
        };
    }
    intersects(&pattern(a), &literal(s), fold)
}

/// Whether every string matched by `b` is matched by `a` (sound: `true` is always right; a few exotic
/// pairs that do cover each other answer `false`). A wildcard in `b` can only be covered by one in `a`.
pub fn covers(a: &str, b: &str, fold: bool) -> bool {
    if a == "*" {
        return true;
    }
    let ta = pattern(a);
    let tb = pattern(b);
    let (n, m) = (ta.len(), tb.len());
    let w = m + 1;
    let mut seen = vec![false; (n + 1) * w];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if seen[i * w + j] {
            continue;
        }
        seen[i * w + j] = true;
        if i == n && j == m {
            return true;
        }
        let mut push = |i: usize, j: usize| {
            if !seen[i * w + j] {
                stack.push((i, j));
            }
        };
        // `a`'s star may match nothing.
        if let Some(Tok::Many(_)) = ta.get(i) {
            push(i + 1, j);
        }
        match (ta.get(i), tb.get(j)) {
            (Some(Tok::Many(_)), Some(_)) => push(i, j + 1),
            (Some(Tok::One(Class::Any)), Some(Tok::One(_))) => push(i + 1, j + 1),
            (Some(Tok::One(Class::Char(x))), Some(Tok::One(Class::Char(y))))
                if class_meets(Class::Char(*x), Class::Char(*y), fold) =>
            {
                push(i + 1, j + 1)
            }
            _ => {}
        }
    }
    false
}

pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', PLACEHOLDER])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(matches("s3:Get*", "s3:GetObject", true));
        assert!(matches("s3:get*", "s3:GetObject", true));
        assert!(!matches("s3:get*", "s3:GetObject", false));
        assert!(matches("s3:?etObject", "s3:GetObject", false));
        assert!(!matches("s3:Put*", "s3:GetObject", true));
        assert!(matches("*", "", false));
        assert!(matches("a\u{E000}c", "abbbc", false));
    }

    #[test]
    fn intersection() {
        assert!(intersects(&pattern("arn:*:b"), &pattern("arn:a*"), false));
        assert!(!intersects(&pattern("abc"), &pattern("abd"), false));
        let var = [Tok::One(Class::NotSlash), Tok::Many(Class::NotSlash)];
        assert!(intersects(&pattern("*"), &var, false));
        assert!(!intersects(&pattern("a/b"), &var, false));
        assert!(!intersects(&pattern(""), &var, false));
    }

    #[test]
    fn covering() {
        assert!(covers("s3:*", "s3:Get*", true));
        assert!(covers("s3:Get*", "s3:GetObject", true));
        assert!(!covers("s3:Get*", "s3:*", true));
        assert!(!covers("s3:GetObject", "s3:Get*", true));
        assert!(covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", false));
        assert!(!covers("arn:aws:s3:::b/?", "arn:aws:s3:::b/*", false));
    }
}
