//! Compares the direct YAML reader with the tree-sitter path on every YAML file under the given folders:
//! how many files it reads directly, and the first differences (there must be none).
//! `cargo run --release --example yaml_compare -- DIR…` (`WHY=1` also lists the files left to tree-sitter).

use std::path::Path;
fn main() {
    let mut answered = 0;
    let mut total = 0;
    let mut bad = 0;
    for arg in std::env::args().skip(1) {
        let files: Vec<_> = walk(Path::new(&arg));
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            total += 1;
            let (d, s) = lambda_ls::syntax::yaml_both_ways(&text);
            if let Some(d) = d {
                answered += 1;
                if format!("{:?}", d.value) != format!("{:?}", s.value) || d.findings != s.findings
                {
                    bad += 1;
                    if bad <= 8 {
                        println!("MISMATCH {}", f.display());
                        diff(&text, d.value.as_ref(), s.value.as_ref());
                        if d.findings != s.findings {
                            println!(
                                "  findings direct {:?}\n  ts {:?}",
                                d.findings
                                    .iter()
                                    .map(|f| (f.rule, f.span.clone()))
                                    .collect::<Vec<_>>(),
                                s.findings
                                    .iter()
                                    .map(|f| (f.rule, f.span.clone()))
                                    .collect::<Vec<_>>()
                            );
                        }
                    }
                }
            } else if std::env::var("WHY").is_ok() {
                println!("bail {}", f.display());
            }
        }
    }
    println!("{total} files, {answered} answered directly, {bad} mismatches");
}
fn walk(p: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    if p.is_file() {
        out.push(p.to_path_buf());
        return out;
    }
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let q = e.path();
            if q.is_dir() {
                out.extend(walk(&q));
            } else if matches!(q.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                out.push(q);
            }
        }
    }
    out
}
fn diff(text: &str, a: Option<&lambda_ls::syntax::Value>, b: Option<&lambda_ls::syntax::Value>) {
    use lambda_ls::syntax::ValueKind::*;
    match (a, b) {
        (Some(a), Some(b)) => {
            if a.span != b.span {
                println!(
                    "  span direct {:?} {:?} ts {:?} {:?}",
                    a.span,
                    text.get(a.span.clone())
                        .map(|s| s.chars().take(60).collect::<String>()),
                    b.span,
                    text.get(b.span.clone())
                        .map(|s| s.chars().take(60).collect::<String>())
                );
                return;
            }
            match (&a.kind, &b.kind) {
                (Map(x), Map(y)) => {
                    if x.len() != y.len() {
                        println!("  map len {} vs {} at {:?}", x.len(), y.len(), a.span);
                        return;
                    }
                    for ((ka, va), (kb, vb)) in x.iter().zip(y) {
                        if ka != kb {
                            println!("  key {:?} vs {:?}", ka, kb);
                            return;
                        }
                        if va != vb {
                            return diff(text, Some(va), Some(vb));
                        }
                    }
                }
                (Seq(x), Seq(y)) => {
                    if x.len() != y.len() {
                        println!("  seq len {} vs {} at {:?}", x.len(), y.len(), a.span);
                        return;
                    }
                    for (va, vb) in x.iter().zip(y) {
                        if va != vb {
                            return diff(text, Some(va), Some(vb));
                        }
                    }
                }
                (
                    Intrinsic {
                        name: n1,
                        name_span: s1,
                        arg: a1,
                    },
                    Intrinsic {
                        name: n2,
                        name_span: s2,
                        arg: a2,
                    },
                ) => {
                    if n1 != n2 || s1 != s2 {
                        println!("  intrinsic {n1} {s1:?} vs {n2} {s2:?}");
                        return;
                    }
                    diff(text, Some(a1), Some(a2))
                }
                (x, y) => println!(
                    "  kind {:?} vs {:?} at {:?} {:?}",
                    x,
                    y,
                    a.span,
                    text.get(a.span.clone())
                        .map(|s| s.chars().take(80).collect::<String>())
                ),
            }
        }
        (a, b) => println!(
            "  root {:?} vs {:?}",
            a.map(|v| v.span.clone()),
            b.map(|v| v.span.clone())
        ),
    }
}
