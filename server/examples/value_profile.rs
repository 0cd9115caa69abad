//! Builds the value tree of a large template in a loop, for profilers.
#[path = "../benches/template.rs"]
mod template;

fn main() {
    let text = template::template(5_000);
    let tree = lambda_ls::syntax::parse(lambda_ls::syntax::Lang::Yaml, &text, None).expect("tree");
    let t = std::time::Instant::now();
    for _ in 0..300 {
        std::hint::black_box(lambda_ls::syntax::build_value(
            lambda_ls::syntax::Lang::Yaml,
            &tree,
            &text,
        ));
    }
    eprintln!(
        "{:.2} ms per value tree",
        t.elapsed().as_secs_f64() * 1000.0 / 300.0
    );
    let t = std::time::Instant::now();
    for _ in 0..50 {
        std::hint::black_box(lambda_ls::syntax::parse(
            lambda_ls::syntax::Lang::Yaml,
            &text,
            None,
        ));
    }
    eprintln!(
        "{:.2} ms per full parse",
        t.elapsed().as_secs_f64() * 1000.0 / 50.0
    );
    // A one-byte edit in the middle, then an incremental reparse.
    let mid = text.len() / 2;
    let mid = mid + text[mid..].find('\n').unwrap_or(0) + 5;
    let mut new_text = text.clone();
    new_text.insert(mid, 'x');
    let row = text[..mid].matches('\n').count();
    let col = mid - text[..mid].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let t = std::time::Instant::now();
    for _ in 0..50 {
        let mut old = tree.clone();
        old.edit(&tree_sitter::InputEdit {
            start_byte: mid,
            old_end_byte: mid,
            new_end_byte: mid + 1,
            start_position: tree_sitter::Point { row, column: col },
            old_end_position: tree_sitter::Point { row, column: col },
            new_end_position: tree_sitter::Point {
                row,
                column: col + 1,
            },
        });
        std::hint::black_box(lambda_ls::syntax::parse(
            lambda_ls::syntax::Lang::Yaml,
            &new_text,
            Some(&old),
        ));
    }
    eprintln!(
        "{:.2} ms per incremental parse (edit at {row}:{col}: {:?})",
        t.elapsed().as_secs_f64() * 1000.0 / 50.0,
        &text[mid - 5..mid + 10]
    );
}
