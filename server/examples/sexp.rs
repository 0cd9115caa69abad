fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = if args[1] == "json" {
        lambda_ls::syntax::Lang::Json
    } else {
        lambda_ls::syntax::Lang::Yaml
    };
    let text = std::fs::read_to_string(&args[2]).unwrap();
    let tree = lambda_ls::syntax::parse(lang, &text, None).unwrap();
    println!("{}", tree.root_node().to_sexp());
    let doc = lambda_ls::syntax::build_value(lang, &tree, &text);
    for f in &doc.findings {
        println!("{:?} {:?} {}", f.rule, f.span, f.message);
    }
    println!(
        "{:#?}",
        doc.value
            .map(|v| v.kind)
            .map(|k| format!("{k:?}").chars().take(600).collect::<String>())
    );
}
