//! Just enough HTTP/1.1 for the Runtime API: requests with a `Content-Length` or chunked body over
//! keep-alive connections, and small responses. Runtime clients are simple and local, so a full HTTP
//! stack would only cost build time and start-up.

use std::io;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Largest request head (request line and headers) we accept.
const MAX_HEAD: usize = 64 * 1024;

#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body was larger than the limit; `body` is empty and `body_len` says how large it was.
    pub too_large: bool,
    pub body_len: usize,
    /// The client asked to close the connection after this request.
    pub close: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads requests from one connection; bytes past one request stay buffered for the next.
pub struct Reader<R> {
    inner: R,
    buf: Vec<u8>,
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

impl<R: AsyncRead + Unpin> Reader<R> {
    pub fn new(inner: R) -> Self {
        Reader {
            inner,
            buf: Vec::with_capacity(8192),
        }
    }

    async fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.inner.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// The next request, or `None` when the client closed the connection between requests. Bodies over
    /// `limit` are read and dropped (up to `discard_limit`, past which the connection is an error), so the
    /// client still gets its answer.
    pub async fn next(
        &mut self,
        limit: usize,
        discard_limit: usize,
    ) -> io::Result<Option<Request>> {
        let (mut req, head_len) = loop {
            if let Some(parsed) = parse_head(&self.buf)? {
                break parsed;
            }
            if self.buf.len() > MAX_HEAD {
                return Err(bad("request head too large"));
            }
            if self.fill().await? == 0 {
                return if self.buf.is_empty() {
                    Ok(None)
                } else {
                    Err(bad("connection closed mid-request"))
                };
            }
        };
        self.buf.drain(..head_len);
        let chunked = req
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            self.read_chunked(&mut req, limit, discard_limit).await?;
        } else {
            let len = match req.header("content-length") {
                Some(v) => v
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| bad("bad content-length"))?,
                None => 0,
            };
            if len > discard_limit {
                return Err(bad("request body far too large"));
            }
            while self.buf.len() < len {
                if self.fill().await? == 0 {
                    return Err(bad("connection closed mid-body"));
                }
            }
            let body: Vec<u8> = self.buf.drain(..len).collect();
            req.body_len = len;
            if len > limit {
                req.too_large = true;
            } else {
                req.body = body;
            }
        }
        Ok(Some(req))
    }

    async fn read_chunked(
        &mut self,
        req: &mut Request,
        limit: usize,
        discard_limit: usize,
    ) -> io::Result<()> {
        loop {
            let line = self.read_line().await?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                // Trailers end with an empty line.
                loop {
                    let trailer = self.read_line().await?;
                    if trailer.is_empty() {
                        return Ok(());
                    }
                    if let Some((k, v)) = trailer.split_once(':') {
                        req.headers
                            .push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
            }
            req.body_len = req.body_len.saturating_add(size);
            if req.body_len > discard_limit {
                return Err(bad("request body far too large"));
            }
            while self.buf.len() < size + 2 {
                if self.fill().await? == 0 {
                    return Err(bad("connection closed mid-chunk"));
                }
            }
            if req.body_len > limit {
                req.too_large = true;
                req.body = Vec::new();
            } else {
                req.body.extend_from_slice(&self.buf[..size]);
            }
            self.buf.drain(..size + 2);
        }
    }

    async fn read_line(&mut self) -> io::Result<String> {
        loop {
            if let Some(pos) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..pos]).into_owned();
                self.buf.drain(..pos + 2);
                return Ok(line);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(bad("line too long"));
            }
            if self.fill().await? == 0 {
                return Err(bad("connection closed mid-line"));
            }
        }
    }
}

fn parse_head(buf: &[u8]) -> io::Result<Option<(Request, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => {
            let headers: Vec<(String, String)> = parsed
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_string(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let http10 = parsed.version == Some(0);
            let mut req = Request {
                method: parsed.method.unwrap_or("").to_string(),
                path: parsed.path.unwrap_or("").to_string(),
                headers,
                body: Vec::new(),
                too_large: false,
                body_len: 0,
                close: false,
            };
            let conn = req.header("connection").map(|v| v.to_ascii_lowercase());
            req.close = match conn.as_deref() {
                Some(v) if v.contains("close") => true,
                Some(v) if v.contains("keep-alive") => false,
                _ => http10,
            };
            Ok(Some((req, len)))
        }
        Ok(httparse::Status::Partial) => Ok(None),
        Err(e) => Err(bad(&format!("bad request: {e}"))),
    }
}

/// A complete response with a `Content-Length`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n");
    for (k, v) in headers {
        // Header values come from our own state; strip line breaks so none can split the response.
        let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8], limit: usize) -> Vec<Request> {
        let mut r = Reader::new(input);
        let mut out = Vec::new();
        while let Some(req) = r.next(limit, 1 << 20).await.expect("parse") {
            out.push(req);
        }
        out
    }

    #[tokio::test]
    async fn keep_alive_requests_with_lengths_and_chunks() {
        let input = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\n\r\nPOST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n";
        let reqs = read_all(input, 100).await;
        assert_eq!(reqs.len(), 3);
        assert_eq!(reqs[0].body, b"hello");
        assert_eq!(reqs[1].path, "/b");
        assert_eq!(reqs[2].body, b"abcde");
        assert_eq!(reqs[2].header("x-t"), Some("1"));
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_flagged_not_kept() {
        let input = b"POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
        let reqs = read_all(input, 4).await;
        assert!(reqs[0].too_large);
        assert_eq!(reqs[0].body_len, 10);
        assert!(reqs[0].body.is_empty());
    }

    #[test]
    fn header_values_cannot_split_a_response() {
        let r = response(200, &[("X", "a\r\nEvil: 1")], b"");
        let text = String::from_utf8(r).expect("utf8");
        assert!(!text.contains("\r\nEvil"));
    }
}
