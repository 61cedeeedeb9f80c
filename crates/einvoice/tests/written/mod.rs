//! A request written out by hand in a test (`METHOD /path`, headers one a line, a blank line,
//! the body) and its whole comparison with the request a client builds, shared by the
//! expected-payload tests of every provider.
#![allow(dead_code)]

use hoadon_einvoice::HttpRequest;

/// A request as a test writes it: `METHOD /path`, headers one a line, a blank line, the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub fn written(text: &str) -> Written {
    let (head, body) = text.split_once("\n\n").expect("a blank line before the body");
    let mut lines = head.lines();
    let (method, path) = lines.next().unwrap().split_once(' ').unwrap();
    let headers = lines.map(|l| l.split_once(": ").unwrap()).map(|(n, v)| (n.to_string(), v.to_string())).collect();
    Written { method: method.into(), path: path.trim_start_matches('/').into(), headers, body: body.to_string() }
}

pub fn built(r: &HttpRequest) -> Written {
    Written {
        method: r.method.into(),
        path: r.path.clone(),
        headers: r.headers.iter().map(|(n, v)| (n.to_string(), v.clone())).collect(),
        body: r.body.clone(),
    }
}

#[track_caller]
pub fn same(name: &str, client: &HttpRequest, expected: &Written) {
    let got = built(client);
    assert_eq!((&got.method, &got.path), (&expected.method, &expected.path), "{name}: request line");
    assert_eq!(got.headers, expected.headers, "{name}: headers");
    if got.body != expected.body {
        let at = got.body.chars().zip(expected.body.chars()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(60);
        let show = |s: &str| s.chars().skip(from).take(160).collect::<String>();
        panic!("{name}: body differs at character {at}\n client: …{}\n typed:  …{}", show(&got.body), show(&expected.body));
    }
}
