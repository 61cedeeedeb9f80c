//! The clients carry a token, a client secret or an API key: never in clear text off this
//! computer, never resent where a redirect points, and no answer read without a size cap.

use std::time::Duration;

use hoadon_lookup::{LookupError, NbrsClient, NbrsPaths, NbrsSettings, Secret, TaxCode, VietQrClient, VietQrSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn code() -> TaxCode {
    TaxCode::parse("0109526016").unwrap()
}

fn nbrs(base: &str, token: &str) -> Result<NbrsClient, LookupError> {
    let paths = NbrsPaths::new("info/{mst}", "received", "latest", "detail");
    NbrsClient::new(NbrsSettings::new(base, token, "app", Secret::new("client-secret-1"), paths))
}

fn vietqr(base: &str) -> Result<VietQrClient, LookupError> {
    let mut settings = VietQrSettings::new(base);
    settings.api_key = Some(Secret::new("api-key-2"));
    VietQrClient::new(settings)
}

#[test]
fn http_only_to_this_computer() {
    for refused in ["http://127.evil.com", "http://localhost.evil.com", "http://10.0.0.1"] {
        assert!(vietqr(refused).is_err(), "{refused}");
        assert!(nbrs(refused, "https://gw.example/token").is_err(), "{refused}");
        assert!(nbrs("https://gw.example", &format!("{refused}/token")).is_err(), "{refused}");
    }
    for accepted in ["http://127.0.0.1:8080", "http://[::1]:9", "http://localhost:3000", "https://api.vietqr.io"] {
        assert!(vietqr(accepted).is_ok(), "{accepted}");
        assert!(nbrs(accepted, &format!("{accepted}/token")).is_ok(), "{accepted}");
    }
}

/// Reads one request (head and a short body) and answers `answer`; returns what was read.
async fn answer_once(listener: &TcpListener, answer: &[u8]) -> String {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap();
        seen.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&seen);
        let done = text.find("\r\n\r\n").is_some_and(|end| {
            let length = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            seen.len() >= end + 4 + length
        });
        if n == 0 || done {
            break;
        }
    }
    let _ = socket.write_all(answer).await;
    let _ = socket.shutdown().await;
    String::from_utf8_lossy(&seen).into_owned()
}

fn redirect(code: u16, to: u16) -> String {
    format!("HTTP/1.1 {code} Moved\r\nLocation: http://127.0.0.1:{to}/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

fn assert_redirect_error(result: Result<impl std::fmt::Debug, LookupError>) {
    match result {
        Err(e @ LookupError::Unreachable { .. }) => {
            let text = e.to_string();
            assert!(text.contains("chuyển hướng") && text.contains("127.0.0.1"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_credential_is_not_resent() {
    let first = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let second = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", first.local_addr().unwrap().port());
    let to = second.local_addr().unwrap().port();
    let tax_code = code();
    for status in [307, 308] {
        let answer = redirect(status, to);
        // The token request (client secret in the form or the Basic header).
        let client = nbrs(&url, &format!("{url}/token")).unwrap();
        let (seen, result) = tokio::join!(answer_once(&first, answer.as_bytes()), client.basic_info(&tax_code));
        assert!(seen.contains("POST /token"), "{seen}");
        assert_redirect_error(result);
        // The API key header.
        let client = vietqr(&url).unwrap();
        let (seen, result) = tokio::join!(answer_once(&first, answer.as_bytes()), client.business(&tax_code));
        assert!(seen.contains("api-key-2"), "{seen}");
        assert_redirect_error(result);
        // Nothing connected where the redirect pointed (reqwest follows before it returns).
        assert!(tokio::time::timeout(Duration::from_millis(50), second.accept()).await.is_err(), "followed");
    }
}

#[tokio::test]
async fn an_answer_past_the_cap_is_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let server = async {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        // No Content-Length: the cap must hold while streaming.
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").await;
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..34 {
            if socket.write_all(&chunk).await.is_err() {
                break;
            }
        }
    };
    let client = vietqr(&url).unwrap();
    let tax_code = code();
    let (_, result) = tokio::join!(server, client.business(&tax_code));
    match result {
        Err(e @ LookupError::Malformed { .. }) => assert!(e.to_string().contains("32 MiB"), "{e}"),
        other => panic!("{other:?}"),
    }
}
