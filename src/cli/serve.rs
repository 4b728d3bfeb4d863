//! `khojaly serve [RELEASE]`: serves a release directory on 127.0.0.1, for people who prefer a
//! URL to opening `site/index.html` from disk.
//!
//! Read-only and local: it binds only the loopback address, answers GET and HEAD, one request
//! at a time, and serves only regular files inside the release directory (no `..`, no absolute
//! paths, no links followed: the same containment as reading `data/`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use super::output::{errln, outln};
use crate::load::paths::contained_file;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release directory (default: the only release under dist/).
    pub release: Option<PathBuf>,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let dir = match &args.release {
        Some(d) => d.clone(),
        None => match only_release(Path::new("dist")) {
            Some(d) => d,
            None => {
                errln!("error: no release given, and dist/ does not hold exactly one release")?;
                errln!("help: khojaly serve dist/khojaly-documentary-corpus-VERSION")?;
                return Ok(Outcome::Problems);
            }
        },
    };
    if !dir.join("site").join("index.html").is_file() {
        errln!("error: {} has no site/index.html", dir.display())?;
        errln!("help: give a release directory written by `khojaly release`")?;
        return Ok(Outcome::Problems);
    }
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    let port = listener.local_addr()?.port();
    outln!(
        "serving {} at http://127.0.0.1:{port}/site/index.html (Ctrl+C stops)",
        dir.display()
    )?;
    // A failed connection or request ends that request only.
    for s in listener.incoming().flatten() {
        let _ = answer(&dir, s);
    }
    Ok(Outcome::Clean)
}

fn only_release(dist: &Path) -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = std::fs::read_dir(dist)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("site").join("index.html").is_file())
        .collect();
    match dirs.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
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
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "csv" | "txt" | "md" | "cff" | "bib" | "ris" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%XX` sequences decoded; None when the result is not UTF-8 or a sequence is broken.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn answer(root: &Path, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            true,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == "/" {
        out.write_all(
            b"HTTP/1.1 302 Found\r\nLocation: /site/index.html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    }
    let file = percent_decode(path.trim_start_matches('/'))
        .and_then(|rel| contained_file(root, &rel).ok())
        .map(|(_, p)| p);
    match file.and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
        Some((p, body)) => respond(&mut out, "200 OK", content_type(&p), &body, method == "GET"),
        None => respond(
            &mut out,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "GET",
        ),
    }
}

fn respond(
    out: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if with_body {
        out.write_all(body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_sequences_decode_or_refuse() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%2e%2e/x").as_deref(), Some("../x"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%e"), None);
    }
}
