//! The crate's import graph, read from the source files under `src/`, and
//! the test that it has no circle.
//!
//! Nodes are modules (one a file). An edge `a → b` is any path in `a` that
//! lands in `b`: `use` declarations (at any depth, groups and renames
//! included) and inline paths (`crate::x::f()`, `super::y::T`, a child
//! module's or an imported module's name). Paths are followed through
//! re-exports (`pub use`, `use` seen by children, `pub use m::*`) to the
//! module that defines the item. Comments, string literals and
//! `#[cfg(test)]` items are skipped. A module reaching an item of its own
//! ancestor (`super::Stats`) is how Rust nests code, not a dependency
//! between rooms, so edges into an ancestor are not kept.
//!
//! Two graphs are checked: between files, and between the top-level
//! modules (`domain`, `source`, `app`, …) with files collapsed into them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path from the crate root (`[]` is `lib.rs`).
type ModPath = Vec<String>;

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "crate".to_owned()
    } else {
        m.join("::")
    }
}

/// Source text as tokens: identifiers, `::`, single punctuation; literals
/// become `"`/`'` and comments vanish.
fn tokens(src: &str) -> Vec<String> {
    let b: Vec<char> = src.chars().collect();
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                i += if b[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push("\"".to_owned());
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 3;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1; // a lifetime: its name follows as an identifier
            }
            out.push("'".to_owned());
        } else if c.is_alphanumeric() || c == '_' {
            // A raw string (`r"…"`, `br#"…"#`) or a byte string starts like a word.
            let mut j = i;
            if c == 'b' && at(j + 1) == 'r' {
                j += 1;
            }
            if b[j] == 'r' && (at(j + 1) == '"' || at(j + 1) == '#') {
                let mut k = j + 1;
                let mut hashes = 0;
                while at(k) == '#' {
                    hashes += 1;
                    k += 1;
                }
                if at(k) == '"' {
                    k += 1;
                    'body: while k < b.len() {
                        if b[k] == '"' && (1..=hashes).all(|h| at(k + h) == '#') {
                            k += 1 + hashes;
                            break 'body;
                        }
                        k += 1;
                    }
                    i = k;
                    out.push("\"".to_owned());
                    continue;
                }
            }
            if c == 'b' && at(i + 1) == '"' {
                i += 1; // the string itself is read next round
                continue;
            }
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(b[start..i].iter().collect());
        } else if c == ':' && at(i + 1) == ':' {
            out.push("::".to_owned());
            i += 2;
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// One path a file names, as written (`crate::a::b`, `super::x`, `wire::f`).
#[derive(Clone, Debug)]
struct Written {
    segs: Vec<String>,
    /// From a `use` declaration: the local name it binds (`None` for a glob).
    binds: Option<String>,
    glob: bool,
}

/// What one file says: the paths it names, the modules it declares as
/// test-only, and the names it declares at its top level.
#[derive(Debug, Default)]
struct FileFacts {
    uses: Vec<Written>,
    inline: Vec<Vec<String>>,
    test_only_children: BTreeSet<String>,
    decls: BTreeSet<String>,
}

/// Index just past the item starting at `i`: its `;` or its closing `}`.
fn skip_item(t: &[String], mut i: usize) -> usize {
    let mut depth = 0i32;
    while i < t.len() {
        match t[i].as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" => depth -= 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            ";" if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// Index of the bracket closing the one at `open`.
fn closing(t: &[String], open: usize) -> usize {
    let mut depth = 0i32;
    for (k, tok) in t.iter().enumerate().skip(open) {
        match tok.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    t.len()
}

/// Parses a use tree at `i` under `prefix`, pushing its leaves.
fn use_tree(t: &[String], i: &mut usize, prefix: &[String], out: &mut Vec<Written>) {
    let mut segs = prefix.to_vec();
    if t.get(*i).map(String::as_str) == Some("::") {
        *i += 1;
    }
    loop {
        let Some(tok) = t.get(*i) else { return };
        match tok.as_str() {
            "{" => {
                *i += 1;
                while let Some(tok) = t.get(*i) {
                    match tok.as_str() {
                        "}" => {
                            *i += 1;
                            return;
                        }
                        "," => *i += 1,
                        _ => {
                            let before = *i;
                            use_tree(t, i, &segs, out);
                            if *i == before {
                                *i += 1;
                            }
                        }
                    }
                }
                return;
            }
            "*" => {
                *i += 1;
                out.push(Written {
                    segs,
                    binds: None,
                    glob: true,
                });
                return;
            }
            s if is_ident(s) => {
                segs.push(s.to_owned());
                *i += 1;
                if t.get(*i).map(String::as_str) == Some("::") {
                    *i += 1;
                    continue;
                }
                let mut name = s.to_owned();
                if t.get(*i).map(String::as_str) == Some("as") {
                    name = t.get(*i + 1).cloned().unwrap_or_default();
                    *i += 2;
                }
                if segs.last().map(String::as_str) == Some("self") {
                    segs.pop();
                    if name == "self" {
                        name = segs.last().cloned().unwrap_or_default();
                    }
                }
                out.push(Written {
                    segs,
                    binds: Some(name),
                    glob: false,
                });
                return;
            }
            _ => return,
        }
    }
}

const DECL_KEYWORDS: [&str; 8] = [
    "struct", "enum", "fn", "const", "static", "type", "trait", "union",
];

fn facts(src: &str) -> FileFacts {
    let t = tokens(src);
    let mut f = FileFacts::default();
    let mut depth = 0i32;
    let mut i = 0;
    while i < t.len() {
        let tok = t[i].as_str();
        match tok {
            "#" => {
                // An attribute: `#[…]` or `#![…]`.
                let mut j = i + 1;
                if t.get(j).map(String::as_str) == Some("!") {
                    j += 1;
                }
                if t.get(j).map(String::as_str) != Some("[") {
                    i += 1;
                    continue;
                }
                let end = closing(&t, j).min(t.len() - 1);
                let attr: Vec<&str> = t[j + 1..end].iter().map(String::as_str).collect();
                i = end + 1;
                if attr == ["cfg", "(", "test", ")"] {
                    // Skip further attributes, then the item they apply to.
                    while t.get(i).map(String::as_str) == Some("#") {
                        i = closing(&t, i + 1) + 1;
                    }
                    let mut k = i;
                    while matches!(
                        t.get(k).map(String::as_str),
                        Some("pub" | "(" | "crate" | "super" | ")")
                    ) {
                        k += 1;
                    }
                    if t.get(k).map(String::as_str) == Some("mod")
                        && t.get(k + 2).map(String::as_str) == Some(";")
                    {
                        f.test_only_children.insert(t[k + 1].clone());
                    }
                    i = skip_item(&t, i);
                }
            }
            "use" => {
                i += 1;
                use_tree(&t, &mut i, &[], &mut f.uses);
            }
            "{" => {
                depth += 1;
                i += 1;
            }
            "}" => {
                depth -= 1;
                i += 1;
            }
            "macro_rules" if depth == 0 => {
                if let Some(name) = t.get(i + 2) {
                    f.decls.insert(name.clone());
                }
                i += 1;
            }
            k if depth == 0 && DECL_KEYWORDS.contains(&k) => {
                if let Some(name) = t.get(i + 1).filter(|n| is_ident(n)) {
                    f.decls.insert(name.clone());
                }
                i += 1;
            }
            s if is_ident(s)
                && t.get(i + 1).map(String::as_str) == Some("::")
                && (i == 0 || t[i - 1] != "::") =>
            {
                let mut segs = vec![s.to_owned()];
                let mut j = i + 1;
                while t.get(j).map(String::as_str) == Some("::")
                    && t.get(j + 1).is_some_and(|n| is_ident(n))
                {
                    segs.push(t[j + 1].clone());
                    j += 2;
                }
                f.inline.push(segs);
                i = j;
            }
            _ => i += 1,
        }
    }
    f
}

/// The import graph of a crate's modules.
#[derive(Debug, Default)]
pub struct Graph {
    /// Every module that is compiled outside tests.
    modules: BTreeSet<ModPath>,
    facts: BTreeMap<ModPath, FileFacts>,
    /// Edges between modules, ancestors left out.
    pub edges: BTreeSet<(ModPath, ModPath)>,
}

impl Graph {
    /// Reads every `.rs` file under `src` (the binary's `main.rs` aside).
    pub fn read(src: &Path) -> std::io::Result<Graph> {
        let mut files = Vec::new();
        let mut stack = vec![src.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir)? {
                let p = e?.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let rel = p.strip_prefix(src).unwrap_or(&p);
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if rel != "main.rs" && !rel.starts_with("bin/") {
                        files.push((rel, std::fs::read_to_string(&p)?));
                    }
                }
            }
        }
        Ok(Graph::from_files(&files))
    }

    /// From `(path under src, text)` pairs, e.g. `("source/feed.rs", …)`.
    pub fn from_files(files: &[(String, String)]) -> Graph {
        let mut g = Graph::default();
        for (path, text) in files {
            let stem = path.trim_end_matches(".rs");
            let mut m: ModPath = stem.split('/').map(str::to_owned).collect();
            if matches!(m.last().map(String::as_str), Some("mod" | "lib")) {
                m.pop();
            }
            g.modules.insert(m.clone());
            g.facts.insert(m, facts(text));
        }
        // Modules declared `#[cfg(test)] mod x;` (and everything in them) are tests.
        let test_only: Vec<ModPath> = g
            .facts
            .iter()
            .flat_map(|(m, f)| {
                f.test_only_children.iter().map(move |c| {
                    let mut p = m.clone();
                    p.push(c.clone());
                    p
                })
            })
            .collect();
        g.modules
            .retain(|m| !test_only.iter().any(|t| m.starts_with(t)));
        g.facts
            .retain(|m, _| !test_only.iter().any(|t| m.starts_with(t)));
        let mut edges = BTreeSet::new();
        for (m, f) in &g.facts {
            for target in g.targets(m, f) {
                if !m.starts_with(&target) {
                    edges.insert((m.clone(), target));
                }
            }
        }
        g.edges = edges;
        g
    }

    /// The absolute path a written path stands for in module `m`, or
    /// `None` for another crate's path.
    fn absolute(
        &self,
        m: &ModPath,
        segs: &[String],
        aliases: &BTreeMap<String, ModPath>,
    ) -> Option<Vec<String>> {
        let (first, rest) = segs.split_first()?;
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => m.clone(),
            "super" => m[..m.len().saturating_sub(1)].to_vec(),
            name => {
                let mut child = m.clone();
                child.push(name.to_owned());
                if self.modules.contains(&child) {
                    child
                } else {
                    aliases.get(name)?.clone()
                }
            }
        };
        let mut rest = rest;
        while let Some((s, r)) = rest.split_first() {
            if s != "super" {
                break;
            }
            base.pop();
            rest = r;
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The module an absolute path lands in, through re-exports.
    fn resolve(&self, abs: &[String], hops: usize) -> ModPath {
        let mut cur: ModPath = Vec::new();
        let mut k = 0;
        while k < abs.len() {
            let mut next = cur.clone();
            next.push(abs[k].clone());
            if !self.modules.contains(&next) {
                break;
            }
            cur = next;
            k += 1;
        }
        let (Some(name), Some(f)) = (abs.get(k), self.facts.get(&cur)) else {
            return cur;
        };
        if hops > 8 || f.decls.contains(name) {
            return cur;
        }
        let empty = BTreeMap::new();
        for u in &f.uses {
            let Some(target) = self.absolute(&cur, &u.segs, &empty) else {
                continue;
            };
            if u.binds.as_deref() == Some(name.as_str()) {
                let mut path = target;
                path.extend(abs[k + 1..].iter().cloned());
                return self.resolve(&path, hops + 1);
            }
            if u.glob {
                let glob_mod = self.resolve(&target, hops + 1);
                if glob_mod != cur
                    && self
                        .facts
                        .get(&glob_mod)
                        .is_some_and(|g| g.decls.contains(name))
                {
                    let mut path = glob_mod;
                    path.extend(abs[k..].iter().cloned());
                    return self.resolve(&path, hops + 1);
                }
            }
        }
        cur
    }

    /// Every module the file of `m` reaches.
    fn targets(&self, m: &ModPath, f: &FileFacts) -> BTreeSet<ModPath> {
        let mut out = BTreeSet::new();
        let mut aliases = BTreeMap::new();
        for u in &f.uses {
            if let Some(abs) = self.absolute(m, &u.segs, &BTreeMap::new()) {
                let target = self.resolve(&abs, 0);
                if let Some(name) = &u.binds
                    && self.modules.contains(&abs)
                {
                    aliases.insert(name.clone(), abs.clone());
                }
                out.insert(target);
            }
        }
        for segs in &f.inline {
            if let Some(abs) = self.absolute(m, segs, &aliases) {
                out.insert(self.resolve(&abs, 0));
            }
        }
        out
    }

    /// The same graph with every module collapsed into its top-level one.
    pub fn top_level_edges(&self) -> BTreeSet<(ModPath, ModPath)> {
        self.edges
            .iter()
            .filter(|(a, b)| !a.is_empty() && !b.is_empty() && a[0] != b[0])
            .map(|(a, b)| (vec![a[0].clone()], vec![b[0].clone()]))
            .collect()
    }
}

/// The circles of a graph: its strongly connected sets of two or more
/// modules, each as its sorted names, with the edges inside it.
pub fn circles(edges: &BTreeSet<(ModPath, ModPath)>) -> Vec<(Vec<String>, Vec<String>)> {
    let mut next: BTreeMap<&ModPath, Vec<&ModPath>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
        next.entry(b).or_default();
    }
    let reach = |from: &ModPath| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &m in &next[n] {
                if seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&ModPath, BTreeSet<&ModPath>> =
        next.keys().map(|&n| (n, reach(n))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for (&n, r) in &reaches {
        if done.contains(n) || !r.contains(n) {
            continue;
        }
        let set: BTreeSet<&ModPath> = r
            .iter()
            .copied()
            .filter(|m| reaches[m].contains(n))
            .collect();
        done.extend(set.iter().copied());
        let names = set.iter().map(|m| show(m)).collect();
        let inside = edges
            .iter()
            .filter(|(a, b)| set.contains(a) && set.contains(b))
            .map(|(a, b)| format!("{} → {}", show(a), show(b)))
            .collect();
        out.push((names, inside));
    }
    out
}

/// Edges known to close a circle and being taken out, as `"from → to"`
/// between files or between top-level modules. The check runs without
/// them; one that is gone must leave this list.
const KNOWN_BACK_EDGES: &[&str] = &[];

fn edge_name((a, b): &(ModPath, ModPath)) -> String {
    format!("{} → {}", show(a), show(b))
}

/// The circles left in `edges` once the known back edges are taken out.
fn unknown_circles(known: &[&str], edges: &BTreeSet<(ModPath, ModPath)>) -> Vec<String> {
    let kept: BTreeSet<(ModPath, ModPath)> = edges
        .iter()
        .filter(|e| !known.contains(&edge_name(e).as_str()))
        .cloned()
        .collect();
    circles(&kept)
        .into_iter()
        .map(|(names, inside)| {
            format!(
                "import circle among {}:\n    {}",
                names.join(", "),
                inside.join("\n    ")
            )
        })
        .collect()
}

/// Known back edges that no graph has any more.
fn gone(known: &[&str], graphs: &[&BTreeSet<(ModPath, ModPath)>]) -> Vec<String> {
    known
        .iter()
        .filter(|k| !graphs.iter().any(|g| g.iter().any(|e| edge_name(e) == **k)))
        .map(|k| format!("`{k}` is gone: delete it from KNOWN_BACK_EDGES in src/import_graph.rs"))
        .collect()
}

#[test]
fn src_has_no_import_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = Graph::read(&src).expect("read src");
    assert!(
        g.modules.len() > 50,
        "found only {} modules",
        g.modules.len()
    );
    for e in &g.edges {
        println!("{}", edge_name(e));
    }
    let top = g.top_level_edges();
    let mut problems = unknown_circles(KNOWN_BACK_EDGES, &g.edges);
    problems.extend(unknown_circles(KNOWN_BACK_EDGES, &top));
    problems.extend(gone(KNOWN_BACK_EDGES, &[&g.edges, &top]));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_domain_and_the_app_are_pure_and_sources_leave_the_store_to_the_runtime() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = Graph::read(&src).expect("read src");
    let in_room = |m: &str, room: &str| m == room || m.starts_with(&format!("{room}::"));
    let wrong: Vec<String> = g
        .edges
        .iter()
        .filter(|(a, b)| {
            let (from, to) = (show(a), show(b));
            let domain_out = in_room(&from, "domain") && !in_room(&to, "domain");
            // `app` is state over the domain: no drawing, no I/O.
            let app_out = in_room(&from, "app")
                && ["ui", "store", "source", "runtime", "cli"]
                    .iter()
                    .any(|room| in_room(&to, room));
            let source_to_store = in_room(&from, "source") && in_room(&to, "store");
            domain_out || app_out || source_to_store
        })
        .map(edge_name)
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(files: &[(&str, &str)]) -> Graph {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        Graph::from_files(&files)
    }

    fn edges(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|(a, b)| format!("{} → {}", show(a), show(b)))
            .collect()
    }

    #[test]
    fn reads_uses_groups_inline_paths_and_reexports() {
        let g = graph(&[
            ("lib.rs", "pub mod a; pub mod b; pub mod c;"),
            (
                "a/mod.rs",
                "mod x; mod y; pub use y::Thing; use crate::b::{self, Z};",
            ),
            ("a/x.rs", "use super::Thing; fn f() { super::y::g(); }"),
            (
                "a/y.rs",
                "pub struct Thing; pub fn g() { b::h(); } use crate::b;",
            ),
            ("b.rs", "pub struct Z; pub fn h() {}"),
            ("c.rs", "use crate::a::Thing as T; fn k() { crate::b::h() }"),
        ]);
        assert_eq!(
            edges(&g),
            [
                "a → a::y",
                "a → b",
                "a::x → a::y",
                "a::y → b",
                "c → a::y",
                "c → b"
            ]
        );
        assert!(circles(&g.edges).is_empty());
    }

    #[test]
    fn finds_a_circle_and_names_its_edges() {
        let g = graph(&[
            ("lib.rs", "pub mod s;"),
            ("s/mod.rs", "pub mod feed; pub mod rt; pub mod http;"),
            (
                "s/feed.rs",
                "pub struct Batch; fn p() -> super::rt::Poller { todo!() }",
            ),
            (
                "s/rt.rs",
                "use super::{feed::Batch, http}; pub struct Poller;",
            ),
            ("s/http.rs", "pub struct Client;"),
        ]);
        let found = circles(&g.edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, ["s::feed", "s::rt"]);
        assert_eq!(found[0].1, ["s::feed → s::rt", "s::rt → s::feed"]);
        assert_eq!(unknown_circles(&[], &g.edges).len(), 1);
        assert!(unknown_circles(&["s::rt → s::feed"], &g.edges).is_empty());
        assert!(gone(&["s::rt → s::feed"], &[&g.edges]).is_empty());
        assert_eq!(
            gone(&["s::rt → s::http", "s::gone → s"], &[&g.edges]).len(),
            1
        );
    }

    #[test]
    fn ignores_comments_strings_tests_and_other_crates() {
        let g = graph(&[
            ("lib.rs", "pub mod a; pub mod b; #[cfg(test)] mod checks;"),
            (
                "a.rs",
                r##"
                // use crate::b::X;
                /* crate::b::X /* nested */ crate::b::Y */
                const S: &str = "crate::b::X";
                const R: &str = r#"crate::b::"X""#;
                const C: char = '"'; const D: char = '\''; fn l<'a>(x: &'a str) {}
                use std::fmt::Write;
                #[cfg(test)]
                mod tests { use crate::b::X; }
                #[cfg(test)]
                fn helper() { crate::b::f(); }
                "##,
            ),
            ("b.rs", "use crate::a; pub struct X;"),
            ("checks.rs", "use crate::a; use crate::b;"),
        ]);
        assert_eq!(edges(&g), ["b → a"]);
    }

    #[test]
    fn glob_reexports_lead_to_the_defining_module() {
        let g = graph(&[
            ("lib.rs", "pub mod d; pub mod u;"),
            ("d/mod.rs", "pub mod rec; pub use rec::*;"),
            ("d/rec.rs", "pub enum Record {}"),
            (
                "u.rs",
                "use crate::d::Record; fn f() -> crate::d::Other { todo!() }",
            ),
        ]);
        assert_eq!(edges(&g), ["d → d::rec", "u → d", "u → d::rec"]);
        let top = g.top_level_edges();
        assert_eq!(top.len(), 1);
    }
}
