//! The boundaries ARCHITECTURE.md states, read from `cargo metadata`: the desktop shell goes
//! through `hoadon-core` only (the simulators beside it for demo mode), no crate but the shell
//! uses Tauri, and the simulators owe nothing to the clients they stand in for.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use serde_json::Value;

/// The workspace as cargo resolved it: package names by id, and each package's dependencies
/// (name, whether only a dev-dependency).
struct Graph {
    members: BTreeSet<String>,
    deps: HashMap<String, Vec<(String, bool)>>,
}

fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("-vV").output().expect("rustc -vV runs");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc names its host").trim().to_owned()
}

fn graph() -> Graph {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host(), "--manifest-path", manifest])
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let members = meta["workspace_members"].as_array().unwrap().iter().map(|id| names[id.as_str().unwrap()].to_owned()).collect();
    let mut deps = HashMap::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let of: Vec<(String, bool)> = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let dev_only = d["dep_kinds"].as_array().unwrap().iter().all(|k| k["kind"] == "dev");
                (names[d["pkg"].as_str().unwrap()].to_owned(), dev_only)
            })
            .collect();
        deps.insert(names[node["id"].as_str().unwrap()].to_owned(), of);
    }
    Graph { members, deps }
}

impl Graph {
    fn direct(&self, package: &str) -> Vec<&str> {
        self.deps.get(package).unwrap_or_else(|| panic!("{package} in the metadata")).iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Every crate `package` builds with (its dev-dependencies too), and theirs but for
    /// their dev-dependencies; each with the path from `package` that reaches it.
    fn reachable(&self, package: &str) -> HashMap<String, String> {
        let mut seen = HashMap::new();
        let mut stack = vec![(package.to_owned(), package.to_owned(), true)];
        while let Some((name, path, top)) = stack.pop() {
            for (dep, dev_only) in self.deps.get(&name).map(Vec::as_slice).unwrap_or_default() {
                if (*dev_only && !top) || seen.contains_key(dep) {
                    continue;
                }
                let through = format!("{path} → {dep}");
                seen.insert(dep.clone(), through.clone());
                stack.push((dep.clone(), through, false));
            }
        }
        seen
    }
}

fn is_tauri(name: &str) -> bool {
    name == "tauri" || name.starts_with("tauri-")
}

#[test]
fn the_shell_goes_through_the_core_and_the_simulators_only() {
    let graph = graph();
    let allowed = ["hoadon-core", "hoadon-sim-einvoice", "hoadon-sim-registry", "hoadon-sim-moit"];
    let direct = graph.direct("hoadon-app");
    assert!(direct.contains(&"hoadon-core") && direct.contains(&"tauri"), "{direct:?}");
    let wrong: Vec<_> = direct.iter().filter(|d| graph.members.contains(**d) && !allowed.contains(d)).collect();
    assert!(wrong.is_empty(), "hoadon-app (src-tauri) depends on {wrong:?}; only {allowed:?} among the workspace crates");
}

#[test]
fn no_crate_but_the_shell_uses_tauri() {
    let graph = graph();
    let mut tauri: Vec<_> = graph.reachable("hoadon-core").into_iter().filter(|(name, _)| is_tauri(name)).collect();
    tauri.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| a.0.cmp(&b.0)));
    assert!(tauri.is_empty(), "hoadon-core depends on Tauri: {}", tauri.iter().map(|(_, path)| path.as_str()).collect::<Vec<_>>().join(", "));
    for member in graph.members.iter().filter(|m| *m != "hoadon-app") {
        let tauri: Vec<_> = graph.direct(member).into_iter().filter(|d| is_tauri(d)).collect();
        assert!(tauri.is_empty(), "{member} depends on {tauri:?}; Tauri belongs in src-tauri only");
    }
}

#[test]
fn the_simulators_owe_nothing_to_the_clients() {
    let graph = graph();
    for sim in ["hoadon-sim-einvoice", "hoadon-sim-registry", "hoadon-sim-moit"] {
        assert!(graph.members.contains(sim), "{sim} in the workspace");
        let reached = graph.reachable(sim);
        for client in ["hoadon-einvoice", "hoadon-lookup"] {
            assert!(!reached.contains_key(client), "{sim} depends on {client}: {}", reached[client]);
        }
    }
}

/// The shell's source, command module by command module.
fn shell_commands() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src-tauri/src/commands");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// The parameters of each `#[tauri::command]` function, as written.
fn command_parameters(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("#[tauri::command]") {
        rest = &rest[at..];
        let open = rest.find("fn ").unwrap();
        let name_end = open + rest[open..].find('(').unwrap();
        let name = rest[open + 3..name_end].trim().to_owned();
        let close = name_end + rest[name_end..].find(") ->").or_else(|| rest[name_end..].find(") {")).unwrap();
        out.push((name, rest[name_end + 1..close].to_owned()));
        rest = &rest[close..];
    }
    out
}

#[test]
fn no_window_command_takes_a_file_path() {
    let mut seen = 0;
    for (file, source) in shell_commands() {
        for (name, params) in command_parameters(&source) {
            seen += 1;
            // Parameter names only (generic arguments hold commas, but never a colon first).
            let names = params.split(',').filter_map(|p| p.split_once(':').map(|(n, _)| n.trim().to_lowercase()));
            for param in names {
                let is_path = param.contains("path") || ["file", "dir", "folder"].iter().any(|w| param == *w || param.ends_with(&format!("_{w}")));
                assert!(!is_path, "{file}: command {name}({params}) takes a file path from the window; open the dialog in Rust (src-tauri/src/file_dialog.rs)");
            }
        }
    }
    assert!(seen > 30, "only {seen} commands found: the reader above no longer matches the shell");
}

#[test]
fn the_window_holds_no_plugin_permission() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src-tauri/capabilities/default.json");
    let capability: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let permissions: Vec<&str> = capability["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(permissions, ["core:default"], "dialogs and the PDF viewer are opened from Rust; the window needs no plugin");
}
