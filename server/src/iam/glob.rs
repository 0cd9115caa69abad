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
    wild_match(a, s, fold)
}

/// Wildcard matching without allocation (the usual star-backtracking walk).
fn wild_match(p: &str, s: &str, fold: bool) -> bool {
    let p: &[u8] = p.as_bytes();
    let s: &[u8] = s.as_bytes();
    // The placeholder is three bytes in UTF-8; treat its first byte as `*` and skip the other two.
    let ph = {
        let mut b = [0u8; 4];
        PLACEHOLDER.encode_utf8(&mut b);
        b
    };
    let is_star = |i: usize| {
        p[i] == b'*'
            || (p[i] == ph[0] && p.get(i + 1) == Some(&ph[1]) && p.get(i + 2) == Some(&ph[2]))
    };
    let star_len = |i: usize| if p[i] == b'*' { 1 } else { 3 };
    let eq = |a: u8, b: u8| a == b || (fold && a.eq_ignore_ascii_case(&b));
    let (mut pi, mut si) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && is_star(pi) {
            pi += star_len(pi);
            back = Some((pi, si));
        } else if pi < p.len() && (p[pi] == b'?' || eq(p[pi], s[si])) {
            // `?` stands for one character: skip a whole UTF-8 sequence.
            if p[pi] == b'?' {
                si += utf8_len(s[si]);
            } else {
                si += 1;
            }
            pi += 1;
        } else if let Some((bp, bs)) = back {
            pi = bp;
            let next = bs + utf8_len(s[bs]);
            si = next;
            back = Some((bp, next));
        } else {
            return false;
        }
    }
    while pi < p.len() && is_star(pi) {
        pi += star_len(pi);
    }
    pi == p.len()
}

fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
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
        assert!(matches("*Object*", "GetObjectAcl", false));
        assert!(!matches("*Object", "GetObjectAcl", false));
        assert!(matches("a*b*c", "axxbyyc", false));
        assert!(!matches("a*b*c", "axxbyy", false));
        assert!(matches("s3:*", "s3:", false));
        assert!(matches("?", "é", false));
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
