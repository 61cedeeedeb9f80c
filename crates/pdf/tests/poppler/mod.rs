//! Reading generated PDFs back with poppler-utils, the tools a person would use to check
//! that the text in a PDF is really the text (not shapes that look like it).
//!
//! A missing tool fails the test with the package to install: skipping would let a broken
//! font embedding pass unnoticed on a machine without poppler.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{tool}` ({e}): the PDF tests need poppler-utils \
             (Debian/Ubuntu: `apt-get install -y poppler-utils`)"
        )
    });
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

/// Where the PDFs and pictures of a test run are kept for a person to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pdf-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    let path = artifacts_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The text of each page as `pdftotext -layout` extracts it (UTF-8): a form's label and its
/// value share a line there, as they do on paper, where the reading-order mode would take
/// the column of labels and the column of values apart.
pub fn pages_text(pdf: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The text in the order it was drawn (`pdftotext -raw`): a name wrapped inside its table
/// cell comes out whole there, where the layout mode interleaves it with the next cells.
pub fn raw_text(pdf: &Path) -> String {
    run("pdftotext", &["-raw", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// All the text with every run of whitespace made one space, so that a phrase wrapped over
/// two lines is still found.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdfinfo` fields: pages and page size in points.
pub fn page_count(pdf: &Path) -> usize {
    info_field(pdf, "Pages").parse().unwrap()
}

/// Width and height of the first page, in points.
pub fn page_size(pdf: &Path) -> (f32, f32) {
    let size = info_field(pdf, "Page size");
    let mut parts = size.split_whitespace();
    let w = parts.next().unwrap().parse().unwrap();
    parts.next(); // "x"
    let h = parts.next().unwrap().parse().unwrap();
    (w, h)
}

fn info_field(pdf: &Path, name: &str) -> String {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':')))
        .unwrap_or_else(|| panic!("pdfinfo has no {name}: {info}"))
        .trim()
        .to_string()
}

/// `pdffonts` rows: (name, embedded, subset).
pub fn fonts(pdf: &Path) -> Vec<(String, bool, bool)> {
    let out = run("pdffonts", &[pdf.to_str().unwrap()]);
    out.lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let n = cols.len();
            // name type [encoding words…] emb sub uni object ID
            (cols[0].to_string(), cols[n - 5] == "yes", cols[n - 4] == "yes")
        })
        .collect()
}

/// Renders pages `first..=last` at 80 dpi; returns the PNG paths.
pub fn png(pdf: &Path, name: &str, pages: &[usize]) -> Vec<PathBuf> {
    pages
        .iter()
        .map(|&p| {
            let prefix = artifacts_dir().join(format!("{name}-p{p}"));
            let page = p.to_string();
            run(
                "pdftoppm",
                &["-r", "80", "-png", "-singlefile", "-f", &page, "-l", &page, pdf.to_str().unwrap(), prefix.to_str().unwrap()],
            );
            prefix.with_extension("png")
        })
        .collect()
}
