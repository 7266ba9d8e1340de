//! JSON-RPC over a byte stream with LSP framing (`Content-Length` headers).
//!
//! Messages are `lsp_server::Message`s. Reading is done here rather than by `lsp-server`,
//! whose reader ends the connection on the first malformed message: the protocol wants a
//! `-32700` (parse error) or `-32600` (invalid request) answer and the server to go on.

use lsp_server::Message;
use std::io::{BufRead, Write};

/// The largest message body read (a bigger one is skipped and answered with an error).
pub const MAX_BODY: usize = 512 * 1024 * 1024;

/// What one read gave.
#[derive(Debug)]
pub enum Incoming {
    /// A message.
    Message(Message),
    /// Something that is no message: the error answer to send (JSON text).
    Invalid(String),
    /// The stream ended.
    End,
}

/// An error answer with a null id (the id could not be read).
fn error_json(code: i32, message: &str, id: Option<&serde_json::Value>) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.cloned().unwrap_or(serde_json::Value::Null),
        "error": {"code": code, "message": message},
    })
    .to_string()
}

/// Reads the next message.
pub fn read(r: &mut dyn BufRead) -> Incoming {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    let mut any_header = false;
    loop {
        line.clear();
        match r.read_line(&mut line) {
            Ok(0) => return Incoming::End,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                // not UTF-8: skip the line
                return Incoming::Invalid(error_json(
                    -32700,
                    "parse error: a header is not UTF-8",
                    None,
                ));
            }
            Err(_) => return Incoming::End,
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if any_header {
                break;
            }
            continue; // blank lines between messages
        }
        any_header = true;
        if let Some((name, value)) = l.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(n) = length else {
        return Incoming::Invalid(error_json(
            -32700,
            "parse error: a message without a valid Content-Length header",
            None,
        ));
    };
    if n > MAX_BODY {
        let mut left = n;
        let mut buf = [0u8; 8192];
        while left > 0 {
            match r.read(&mut buf[..left.min(8192)]) {
                Ok(0) | Err(_) => return Incoming::End,
                Ok(k) => left -= k,
            }
        }
        return Incoming::Invalid(error_json(
            -32600,
            &format!("invalid request: a message of {n} bytes (at most {MAX_BODY})"),
            None,
        ));
    }
    let mut body = vec![0u8; n];
    if r.read_exact(&mut body).is_err() {
        return Incoming::End;
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Incoming::Invalid(error_json(-32700, &format!("parse error: {e}"), None)),
    };
    let id = value.get("id").filter(|i| i.is_string() || i.is_number());
    let shaped = value.is_object()
        && value.get("method").is_none_or(|m| m.is_string())
        && (value.get("method").is_some() || value.get("id").is_some());
    if !shaped {
        return Incoming::Invalid(error_json(
            -32600,
            "invalid request: not a JSON-RPC request, notification or response",
            id,
        ));
    }
    match serde_json::from_value::<Message>(value.clone()) {
        Ok(m) => Incoming::Message(m),
        Err(e) => Incoming::Invalid(error_json(-32600, &format!("invalid request: {e}"), id)),
    }
}

/// Writes one message (JSON text) with its header.
pub fn write(w: &mut dyn Write, json: &str) -> std::io::Result<()> {
    write!(w, "Content-Length: {}\r\n\r\n{json}", json.len())?;
    w.flush()
}

/// A message as JSON text, as `lsp_server` frames it (with `"jsonrpc": "2.0"`).
pub fn to_json(m: &Message) -> String {
    let mut buf = Vec::new();
    if m.write(&mut buf).is_err() {
        return String::new();
    }
    // `Message::write` adds the header: keep the body
    let text = String::from_utf8_lossy(&buf);
    match text.find("\r\n\r\n") {
        Some(i) => text[i + 4..].to_string(),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_messages_are_answered_and_reading_goes_on() {
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
            "X-Other: 1\r\n\r\n".to_string(),
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
        ]
        .concat();
        let mut r = std::io::Cursor::new(input.into_bytes());
        assert!(matches!(read(&mut r), Incoming::Invalid(e) if e.contains("-32700")));
        assert!(
            matches!(read(&mut r), Incoming::Invalid(e) if e.contains("-32600") && e.contains("\"id\":7"))
        );
        assert!(matches!(read(&mut r), Incoming::Invalid(e) if e.contains("Content-Length")));
        assert!(
            matches!(read(&mut r), Incoming::Message(Message::Request(q)) if q.method == "shutdown")
        );
        assert!(matches!(read(&mut r), Incoming::End));
    }
}
