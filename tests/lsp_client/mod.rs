//! A minimal LSP client for the tests: spawns `teikit lsp`, frames messages, collects what the
//! server sends (on a thread) and matches it against partial expectations.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Whether `actual` has everything `expected` has (objects: each key; arrays: each expected
/// element matches some actual element, `[]` only an empty array, `["$exact", …]` the same
/// elements in order; a string starting with
/// `~` is contained in the actual string; other values: equal).
pub fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) if e.starts_with('~') => a.contains(&e[1..]),
        (Value::Array(e), Value::Array(a)) if e.is_empty() => a.is_empty(),
        (Value::Array(e), Value::Array(a)) if e.first() == Some(&Value::from("$exact")) => {
            e.len() - 1 == a.len() && e[1..].iter().zip(a).all(|(ev, av)| matches(ev, av))
        }
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| matches(v, av))),
        (Value::Array(e), Value::Array(a)) => e.iter().all(|ev| a.iter().any(|av| matches(ev, av))),
        _ => expected == actual,
    }
}

/// A running server.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    received: Vec<Value>,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some(v) = l.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts `teikit lsp` on the workspace `root` and initializes it.
    pub fn start(root: &Path, options: Option<Value>) -> Client {
        Self::start_with(root, options, &[])
    }

    /// As [`Client::start`], with command-line arguments.
    pub fn start_with(root: &Path, options: Option<Value>, args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_teikit"))
            .arg("lsp")
            .args(args)
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("teikit lsp starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut c = Client {
            child,
            stdin,
            incoming: rx,
            received: Vec::new(),
        };
        let uri = format!("file://{}", root.display());
        let mut params = serde_json::json!({
            "processId": null,
            "rootUri": uri,
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
            "workspaceFolders": [{"uri": uri, "name": "workspace"}],
        });
        if let Some(o) = options {
            params["initializationOptions"] = o;
        }
        c.send(&serde_json::json!({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": params}));
        c.wait_for(
            &serde_json::json!({"id": "init"}),
            Duration::from_secs(60),
            "initialize",
        );
        c.send(&serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        c
    }

    /// Sends a message.
    pub fn send(&mut self, m: &Value) {
        let body = m.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// Sends bytes as they are.
    pub fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads its input");
        stdin.flush().unwrap();
    }

    /// Waits for a message matching `expected` (among those received already, or to come).
    pub fn wait_for(&mut self, expected: &Value, timeout: Duration, what: &str) -> Value {
        if let Some(m) = self.received.iter().find(|m| matches(expected, m)) {
            return m.clone();
        }
        let until = Instant::now() + timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) => {
                    self.received.push(m.clone());
                    if matches(expected, &m) {
                        return m;
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    let got: Vec<String> = self
                        .received
                        .iter()
                        .map(|m| {
                            let s = m.to_string();
                            s.chars().take(600).collect()
                        })
                        .collect();
                    panic!(
                        "{what}: no message matching {expected}\nreceived:\n{}",
                        got.join("\n")
                    );
                }
            }
        }
    }

    /// Waits until `n` messages matching `expected` were received (counting those received
    /// already); returns the last.
    pub fn wait_count(
        &mut self,
        expected: &Value,
        n: usize,
        timeout: Duration,
        what: &str,
    ) -> Value {
        let until = Instant::now() + timeout;
        loop {
            let seen: Vec<&Value> = self
                .received
                .iter()
                .filter(|m| matches(expected, m))
                .collect();
            if seen.len() >= n {
                return seen[n - 1].clone();
            }
            let left = until.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) => self.received.push(m),
                Err(_) => panic!("{what}: fewer than {n} messages matching {expected}"),
            }
        }
    }

    /// Everything received so far.
    pub fn received(&mut self) -> &[Value] {
        while let Ok(m) = self.incoming.try_recv() {
            self.received.push(m);
        }
        &self.received
    }

    /// Forgets what was received (a long run keeps memory flat).
    pub fn forget(&mut self) {
        while self.incoming.try_recv().is_ok() {}
        self.received.clear();
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Asks for `shutdown`, says `exit`, and returns the exit status.
    pub fn finish(mut self) -> Option<i32> {
        self.send(&serde_json::json!({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"}));
        self.wait_for(
            &serde_json::json!({"id": "bye", "result": null}),
            Duration::from_secs(60),
            "shutdown",
        );
        self.send(&serde_json::json!({"jsonrpc": "2.0", "method": "exit"}));
        drop(self.stdin.take());
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s.code();
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
