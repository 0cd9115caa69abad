//! The Go sources of a serverless.yml function. Its `handler` names the built executable (`bin/create`),
//! not code, so the service's Makefile says what it is built from: `go build … -o bin/create
//! todos/create.go` (only those files) or `-o bin/create ./create` (that package's folder). A handler no
//! Makefile rule builds, or a rule using make variables, stays unresolved.

use crate::function::model::{FunctionConfig, Source};
use crate::workspace::FileSource;
use std::path::{Path, PathBuf};

/// What one `go build` builds.
#[derive(Debug, PartialEq)]
pub enum Built {
    /// `go build a.go b.go`: exactly these files.
    Files(Vec<PathBuf>),
    /// `go build ./pkg`: every non-test `.go` file of that folder.
    Package(PathBuf),
}

/// `go build` flags that take a value as the next word.
const VALUE_FLAGS: &[&str] = &[
    "-o",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-tags",
    "-mod",
    "-modfile",
    "-p",
    "-pkgdir",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-overlay",
    "-pgo",
    "-exec",
    "-gccgoflags",
    "-toolexec",
    "-covermode",
    "-coverpkg",
];

/// The sources of `f` when it is a Go function of a serverless.yml (in `config`).
pub fn serverless_sources(
    config: &Path,
    f: &FunctionConfig,
    files: &dyn FileSource,
) -> Option<Built> {
    if f.source != Source::Serverless {
        return None;
    }
    let runtime = f.runtime_id()?;
    if runtime != "go1.x" && !runtime.starts_with("provided") {
        return None;
    }
    let dir = config.parent()?;
    let handler = f.handler_str()?.trim();
    let makefile = ["Makefile", "makefile", "GNUmakefile"]
        .iter()
        .find_map(|n| files.read(&dir.join(n)))?;
    let built = builds(&makefile, handler)?;
    Some(match built {
        Built::Files(list) => Built::Files(list.into_iter().map(|p| dir.join(p)).collect()),
        Built::Package(p) => Built::Package(dir.join(p)),
    })
}

/// The `go build` of `makefile` whose output is `output`, relative to the Makefile's folder.
pub fn builds(makefile: &str, output: &str) -> Option<Built> {
    let want = clean(output);
    let joined = makefile.replace("\\\r\n", " ").replace("\\\n", " ");
    for line in joined.lines() {
        for command in line.split(['&', ';', '|']) {
            let words = split_words(command);
            let Some(start) = words
                .windows(2)
                .position(|w| w[0] == "go" && w[1] == "build")
            else {
                continue;
            };
            let mut out = None;
            let mut args = Vec::new();
            let mut rest = words[start + 2..].iter();
            while let Some(w) = rest.next() {
                if let Some(flag) = w.strip_prefix('-') {
                    let name = format!("-{}", flag.trim_start_matches('-'));
                    if name.contains('=') {
                        if let Some(v) = name.strip_prefix("-o=") {
                            out = Some(v.to_string());
                        }
                        continue;
                    }
                    if VALUE_FLAGS.contains(&name.as_str()) {
                        let v = rest.next();
                        if name == "-o" {
                            out = v.cloned();
                        }
                    }
                    continue;
                }
                args.push(w.clone());
            }
            if out.as_deref().map(clean) != Some(want.clone()) {
                continue;
            }
            if args.iter().any(|a| a.contains('$')) {
                return None;
            }
            if !args.is_empty() && args.iter().all(|a| a.ends_with(".go")) {
                return Some(Built::Files(
                    args.iter().map(|a| PathBuf::from(clean(a))).collect(),
                ));
            }
            return match args.as_slice() {
                [] => Some(Built::Package(PathBuf::new())),
                [pkg] if pkg.starts_with('.') => Some(Built::Package(PathBuf::from(clean(pkg)))),
                _ => None,
            };
        }
    }
    None
}

fn clean(p: &str) -> String {
    let mut s = p.trim();
    while let Some(r) = s.strip_prefix("./") {
        s = r;
    }
    if s == "." {
        return String::new();
    }
    s.trim_end_matches('/').to_string()
}

/// Shell words, with single and double quotes grouping (`-ldflags="-s -w"` is one word).
fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAKEFILE: &str = "build:\n\tenv GOOS=linux go build -ldflags=\"-s -w\" -o bin/add notes/add.go\n\
        \tenv GOOS=linux go build -trimpath -ldflags \"-s -w\" -o ./bin/remove notes/remove.go notes/shared.go\n\
        \tcd cmd && go build -o ../bin/x .\n\
        \tgo build \\\n\t  -o bin/feed ./feed\n\
        \tgo build -o bin/$(NAME) $(SRC)\n";

    #[test]
    fn files_packages_and_continuations() {
        assert_eq!(
            builds(MAKEFILE, "bin/add"),
            Some(Built::Files(vec![PathBuf::from("notes/add.go")]))
        );
        assert_eq!(
            builds(MAKEFILE, "./bin/remove"),
            Some(Built::Files(vec![
                PathBuf::from("notes/remove.go"),
                PathBuf::from("notes/shared.go")
            ]))
        );
        assert_eq!(
            builds(MAKEFILE, "bin/feed"),
            Some(Built::Package(PathBuf::from("feed")))
        );
    }

    #[test]
    fn unknown_outputs_and_variables_stay_unresolved() {
        assert_eq!(builds(MAKEFILE, "bin/missing"), None);
        assert_eq!(builds(MAKEFILE, "bin/$(NAME)"), None);
        assert_eq!(builds("build:\n\tgo test ./...\n", "bin/add"), None);
    }
}
