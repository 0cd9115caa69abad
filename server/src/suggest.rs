//! "Did you mean …?": the closest candidates to a misspelt word.

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return n.max(m);
    }
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// The candidates within a distance that scales with the word's length, best first (at most `limit`).
pub fn closest<'a, I>(word: &str, candidates: I, limit: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let max = (word.chars().count() / 3).clamp(1, 4);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| c.len().abs_diff(word.len()) <= max)
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= max)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        assert_eq!(distance("python3.12", "pyhton3.12"), 1);
        assert_eq!(
            closest("nodejs20", ["nodejs20.x", "nodejs22.x", "java21"], 2),
            vec!["nodejs20.x"]
        );
        assert!(closest("zzzz", ["nodejs20.x"], 2).is_empty());
    }
}
