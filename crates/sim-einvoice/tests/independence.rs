//! The simulators are a second opinion of the providers only while they owe nothing to the
//! clients: `hoadon-sim-einvoice` must not depend on `hoadon-einvoice` in any way.

use std::process::Command;

const FORBIDDEN: &str = "hoadon-einvoice";

#[test]
fn manifest_names_no_client() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    for (n, line) in manifest.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("").trim();
        assert!(
            !code.starts_with(FORBIDDEN) && !code.contains(&format!("\"{FORBIDDEN}\"")) && !code.contains("../einvoice\""),
            "Cargo.toml line {}: {line}",
            n + 1
        );
    }
}

#[test]
fn cargo_metadata_lists_no_client() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path", concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")])
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "hoadon-sim-einvoice")
        .expect("the simulator package in the metadata");
    let deps = package["dependencies"].as_array().unwrap();
    assert!(!deps.is_empty());
    for dep in deps {
        // Normal, dev and build dependencies all appear here, each with its "kind".
        assert_ne!(dep["name"], FORBIDDEN, "{FORBIDDEN} is a {} dependency", dep["kind"]);
        assert!(!dep["path"].as_str().unwrap_or("").ends_with("/crates/einvoice"), "{dep}");
    }
}

#[test]
fn sources_use_no_client() {
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains("hoadon_einvoice::"), "{} uses the client", path.display());
            }
        }
    }
}
