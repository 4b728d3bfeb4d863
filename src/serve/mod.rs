//! `khojaly serve`: a release over HTTP on the loopback address, read-only: its files, and
//! OAI-PMH 2.0 at `/oai` for harvesters (`oai`).
//!
//! tiny_http reads each connection on a thread of its own and hands complete requests to a pool
//! of workers here, so a slow client holds its own connection only. Requests are bounded: a
//! target of at most 8 KiB, a form body of at most 64 KiB; only GET and HEAD (and POST at
//! `/oai`, as the protocol allows) are answered. Files are served only from inside the release
//! (no `..`, no absolute path, no link followed: the same containment as reading `data/`).

pub mod oai;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::load::paths::contained_file;

/// The longest request target answered.
pub const MAX_TARGET: usize = 8 * 1024;
/// The largest form body answered (an OAI-PMH POST).
pub const MAX_BODY: u64 = 64 * 1024;
/// Requests answered at once.
pub const WORKERS: usize = 8;

/// A release being served.
pub struct Service {
    root: PathBuf,
    repository: oai::Repository,
    base_url: String,
}

/// Binds 127.0.0.1:`port` (0 picks a free port) for the release at `root`; returns the server
/// and the port it listens on.
pub fn bind(root: &Path, port: u16, admin_email: &str) -> Result<(Server, Arc<Service>, u16)> {
    let repository = oai::Repository::open(root, admin_email)?;
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .context("the server has no IP address")?;
    let service = Arc::new(Service {
        root: root.to_path_buf(),
        repository,
        base_url: format!("http://127.0.0.1:{port}/oai"),
    });
    Ok((server, service, port))
}

/// Answers requests until the process ends, `WORKERS` at a time.
pub fn run(server: Server, service: Arc<Service>) {
    let server = Arc::new(server);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, service) = (Arc::clone(&server), Arc::clone(&service));
            std::thread::spawn(move || {
                // A failed request ends that request only.
                while let Ok(request) = server.recv() {
                    let _ = service.answer(request);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
}

impl Service {
    fn answer(&self, mut request: Request) -> std::io::Result<()> {
        let target = request.url().to_string();
        if target.len() > MAX_TARGET {
            return request.respond(text(414, "request target too long\n"));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let method = request.method().clone();
        if path == "/oai" {
            let form = match method {
                Method::Get | Method::Head => query,
                Method::Post => {
                    let mut body = String::new();
                    let read = request
                        .as_reader()
                        .take(MAX_BODY + 1)
                        .read_to_string(&mut body);
                    if read.is_err() || body.len() as u64 > MAX_BODY {
                        return request.respond(text(413, "the form is too large or not UTF-8\n"));
                    }
                    body
                }
                _ => return request.respond(text(405, "GET, HEAD or POST only\n")),
            };
            let Some(args) = form_pairs(&form) else {
                return request.respond(text(400, "the arguments are not percent-encoded UTF-8\n"));
            };
            return match self.repository.answer(&args, &self.base_url, &now()) {
                Ok(body) => request.respond(with_type(
                    Response::from_data(body),
                    "text/xml; charset=utf-8",
                )),
                Err(_) => request.respond(text(500, "the release could not be read\n")),
            };
        }
        if method != Method::Get && method != Method::Head {
            return request.respond(text(405, "GET only\n"));
        }
        if path == "/" {
            let redirect = with_header(Response::empty(302), "Location", "/site/index.html");
            return request.respond(redirect);
        }
        let file = percent_decode(path.trim_start_matches('/'), false)
            .and_then(|rel| contained_file(&self.root, &rel).ok())
            .map(|(_, p)| p);
        match file.and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
            Some((p, body)) => {
                request.respond(with_type(Response::from_data(body), content_type(&p)))
            }
            None => request.respond(text(404, "not found\n")),
        }
    }
}

/// `r` with the header `name: value` (names and values here are ASCII constants of ours, which
/// tiny_http always accepts; one it refused would be left out, never a panic).
fn with_header<R: Read>(r: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => r.with_header(h),
        Err(()) => r,
    }
}

fn with_type<R: Read>(r: Response<R>, content_type: &str) -> Response<R> {
    let r = with_header(r, "Content-Type", content_type);
    with_header(r, "X-Content-Type-Options", "nosniff")
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(
        Response::from_string(body).with_status_code(StatusCode(status)),
        "text/plain; charset=utf-8",
    )
}

/// The current time as the protocol writes it (UTC, seconds).
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i32::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    let (y, m, d) = crate::model::edtf::ymd_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The name-value pairs of a query string or form body (`+` is a space, `%XX` a byte), in
/// order; None when a pair does not decode to UTF-8.
fn form_pairs(s: &str) -> Option<Vec<(String, String)>> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" | "jsonld" => "application/json",
        "xml" => "text/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" | "txt" | "md" | "cff" | "bib" | "ris" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%XX` sequences decoded (and `+` as a space in a form); None when the result is not UTF-8 or
/// a sequence is broken.
fn percent_decode(s: &str, form: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(if form && b == b'+' { b' ' } else { b });
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::{form_pairs, percent_decode};

    #[test]
    fn percent_sequences_decode_or_refuse() {
        assert_eq!(percent_decode("a%20b", false).as_deref(), Some("a b"));
        assert_eq!(percent_decode("%2e%2e/x", false).as_deref(), Some("../x"));
        assert_eq!(percent_decode("%zz", false), None);
        assert_eq!(percent_decode("%e", false), None);
        assert_eq!(percent_decode("a+b", true).as_deref(), Some("a b"));
    }

    #[test]
    fn form_pairs_keep_order_and_repeats() {
        let pairs =
            form_pairs("verb=Identify&verb=Identify&set=kind%3Atestimony").expect("decodes");
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[2], ("set".into(), "kind:testimony".into()));
        assert!(form_pairs("verb=%ff").is_none());
    }
}
