//! The server: the protocol's life cycle (initialize, shutdown, exit), the state every handler
//! shares, and the dispatch of requests and notifications to the feature modules.
//!
//! Threads: one reads messages ([`super::transport`]), one writes them, one validates
//! ([`super::diagnostics::worker`]), one runs Schematron after it; this one answers requests
//! in order. Every handler runs
//! under `catch_unwind`: a defect answers `-32603` (internal error) and the server goes on.

use super::diagnostics::{path_of, Scheduler};
use super::documents::Documents;
use super::index::FileIndex;
use super::position::LineMap;
use super::settings::Settings;
use super::transport::{self, Incoming};
use super::workspace::{self, Workspace};
use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types::{notification::Notification as _, Url};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// The state the request handlers and the diagnostics worker share.
pub struct Shared {
    documents: Mutex<Documents>,
    workspace: RwLock<Workspace>,
    /// The diagnostics last published, per document (hover and code actions read them).
    published: Mutex<HashMap<Url, Vec<lsp_types::Diagnostic>>>,
    /// The version of each open document that its index in the workspace was built from.
    indexed: Mutex<HashMap<Url, i32>>,
    /// Documents waiting for diagnostics.
    pub scheduler: Scheduler,
    /// The document waiting for its Schematron step.
    pub schematron: super::diagnostics::SchematronSlot,
    /// The schema assistants (completion, glosses), one per schema.
    pub assistants: super::schema::Assistants,
    out: Mutex<Sender<String>>,
    debounce: Mutex<Duration>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A request's failure: a JSON-RPC error code and message.
pub type Failure = (i32, String);

/// `-32602`: the parameters are wrong.
pub fn invalid_params(message: impl Into<String>) -> Failure {
    (lsp_server::ErrorCode::InvalidParams as i32, message.into())
}

impl Shared {
    fn new(out: Sender<String>, ws: Workspace) -> Shared {
        let debounce = ws.settings.debounce();
        Shared {
            documents: Mutex::new(Documents::default()),
            workspace: RwLock::new(ws),
            published: Mutex::new(HashMap::new()),
            indexed: Mutex::new(HashMap::new()),
            scheduler: Scheduler::default(),
            schematron: Default::default(),
            assistants: Default::default(),
            out: Mutex::new(out),
            debounce: Mutex::new(debounce),
        }
    }

    /// The workspace, for reading.
    pub fn workspace(&self) -> RwLockReadGuard<'_, Workspace> {
        self.workspace.read().unwrap_or_else(|p| p.into_inner())
    }

    fn workspace_mut(&self) -> RwLockWriteGuard<'_, Workspace> {
        self.workspace.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The debounce delay in force.
    pub fn debounce(&self) -> Duration {
        *lock(&self.debounce)
    }

    /// Sends a message to the client.
    pub fn send(&self, m: Message) {
        let _ = lock(&self.out).send(transport::to_json(&m));
    }

    /// Says something in the client's log (`window/logMessage`).
    pub fn log(&self, message: &str) {
        self.send(Message::Notification(Notification::new(
            lsp_types::notification::LogMessage::METHOD.into(),
            lsp_types::LogMessageParams {
                typ: lsp_types::MessageType::WARNING,
                message: message.into(),
            },
        )));
    }

    /// Version, text and line map of an open document.
    pub fn snapshot(&self, uri: &Url) -> Option<(i32, Arc<String>, LineMap)> {
        let docs = lock(&self.documents);
        let d = docs.get(uri)?;
        Some((d.version, Arc::clone(&d.text), d.lines.clone()))
    }

    /// The version of an open document.
    pub fn version(&self, uri: &Url) -> Option<i32> {
        lock(&self.documents).get(uri).map(|d| d.version)
    }

    /// The text of a document: the editor's buffer when open, else the file.
    pub fn text(&self, uri: &Url) -> Option<(Arc<String>, LineMap)> {
        if let Some((_, t, l)) = self.snapshot(uri) {
            return Some((t, l));
        }
        let text = workspace::read_text(&uri.to_file_path().ok()?)?;
        let lines = LineMap::new(&text);
        Some((Arc::new(text), lines))
    }

    /// The URIs of the open documents.
    pub fn open_uris(&self) -> Vec<Url> {
        lock(&self.documents).uris()
    }

    /// The text of the document at `path` when the editor has it open.
    pub fn open_text(&self, path: &Path) -> Option<String> {
        let uri = Url::from_file_path(path).ok()?;
        lock(&self.documents).get(&uri).map(|d| d.text.to_string())
    }

    /// Publishes a document's diagnostics and keeps them.
    pub fn publish(&self, uri: &Url, version: i32, diagnostics: Vec<lsp_types::Diagnostic>) {
        lock(&self.published).insert(uri.clone(), diagnostics.clone());
        self.send(Message::Notification(Notification::new(
            lsp_types::notification::PublishDiagnostics::METHOD.into(),
            lsp_types::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics,
                version: Some(version),
            },
        )));
    }

    /// The diagnostics last published for a document.
    pub fn published(&self, uri: &Url) -> Vec<lsp_types::Diagnostic> {
        lock(&self.published).get(uri).cloned().unwrap_or_default()
    }

    /// Stores the index of an open document built from `version`, unless the document has
    /// moved on; when what other files see of it changed, the other open documents are
    /// validated again.
    pub fn store_index(&self, uri: &Url, path: &Path, version: i32, ix: FileIndex) {
        if self.version(uri) != Some(version) {
            return;
        }
        let changed = self.workspace_mut().set_file(path.to_path_buf(), ix);
        lock(&self.indexed).insert(uri.clone(), version);
        if changed {
            let is_register = self.workspace().is_register(path);
            if is_register {
                self.workspace_mut()
                    .reload_registers(&|p| self.open_text(p));
            }
            self.schedule_others(uri);
        }
    }

    /// Validates every open document but `except` again.
    fn schedule_others(&self, except: &Url) {
        for u in lock(&self.documents).uris() {
            if &u != except {
                self.scheduler.schedule(u);
            }
        }
    }

    /// The index of a document as it is now: an open document's is brought up to date first.
    pub fn index(&self, uri: &Url) -> Option<Arc<FileIndex>> {
        let path = path_of(uri);
        if let Some((version, text, _)) = self.snapshot(uri) {
            let current = lock(&self.indexed).get(uri) == Some(&version);
            if !current {
                let (registers, limits) = {
                    let ws = self.workspace();
                    (ws.registers.clone(), ws.options.config.limits)
                };
                let ix = FileIndex::build(&text, &path, &registers, &limits);
                self.store_index(uri, &path, version, ix);
            }
        }
        if let Some(ix) = self.workspace().file(&path) {
            return Some(Arc::clone(ix));
        }
        // a file outside the workspace: indexed for this request only
        let text = workspace::read_text(&path)?;
        let ws = self.workspace();
        Some(Arc::new(FileIndex::build(
            &text,
            &path,
            &ws.registers,
            &ws.options.config.limits,
        )))
    }

    fn reload(&self, settings: Settings) {
        let roots = self.workspace().roots.clone();
        let ws = Workspace::load(roots, settings, &|p| self.open_text(p));
        *lock(&self.debounce) = ws.settings.debounce();
        for p in &ws.problems {
            self.log(&format!("teikit: {p}"));
        }
        *self.workspace_mut() = ws;
        self.assistants.clear();
        lock(&self.indexed).clear();
        self.schedule_others(&Url::parse("teikit:none").expect("a URL"));
    }
}

/// Where the protocol stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// Runs the server over `input` and `output` until `exit` or the end of the input; returns
/// the exit status (0 after `shutdown`, else 1).
pub fn serve(
    settings: Settings,
    input: impl BufRead + Send + 'static,
    output: impl Write + Send + 'static,
) -> i32 {
    let (in_tx, in_rx) = std::sync::mpsc::sync_channel::<Incoming>(64);
    let (out_tx, out_rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut input = input;
        loop {
            let m = transport::read(&mut input);
            let end = matches!(m, Incoming::End);
            if in_tx.send(m).is_err() || end {
                break;
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let mut output = output;
        for json in out_rx {
            if json.is_empty() {
                break;
            }
            if transport::write(&mut output, &json).is_err() {
                break;
            }
        }
    });
    let mut phase = Phase::Uninitialized;
    let mut shared: Option<Arc<Shared>> = None;
    let mut worker = None;
    let mut status = 1;
    let send = |json: String| {
        let _ = out_tx.send(json);
    };
    let respond = |r: Response| send(transport::to_json(&Message::Response(r)));
    for incoming in in_rx.iter() {
        let msg = match incoming {
            Incoming::End => break,
            Incoming::Invalid(answer) => {
                send(answer);
                continue;
            }
            Incoming::Message(m) => m,
        };
        match msg {
            Message::Request(req) => match phase {
                Phase::Uninitialized if req.method == "initialize" => {
                    let (s, result) = initialize(&req, settings.clone(), out_tx.clone());
                    let s = Arc::new(s);
                    for p in &s.workspace().problems {
                        s.log(&format!("teikit: {p}"));
                    }
                    let w = Arc::clone(&s);
                    let sw = Arc::clone(&s);
                    worker = Some((
                        std::thread::spawn(move || super::diagnostics::worker(&w)),
                        std::thread::spawn(move || super::diagnostics::schematron_worker(&sw)),
                    ));
                    shared = Some(s);
                    respond(Response::new_ok(req.id, result));
                    phase = Phase::Running;
                }
                Phase::Uninitialized => respond(Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".into(),
                )),
                Phase::ShutDown => respond(Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::InvalidRequest as i32,
                    "the server is shut down: only `exit` is expected".into(),
                )),
                Phase::Running if req.method == "shutdown" => {
                    respond(Response::new_ok(req.id, serde_json::Value::Null));
                    phase = Phase::ShutDown;
                }
                Phase::Running if req.method == "initialize" => respond(Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::InvalidRequest as i32,
                    "initialize was sent twice".into(),
                )),
                Phase::Running => {
                    if let Some(s) = &shared {
                        respond(request(s, req));
                    }
                }
            },
            Message::Notification(n) => {
                if n.method == "exit" {
                    status = if phase == Phase::ShutDown { 0 } else { 1 };
                    break;
                }
                if let (Phase::Running, Some(s)) = (phase, &shared) {
                    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        notification(s, n)
                    }));
                    if run.is_err() {
                        s.log("teikit: a notification could not be handled (a defect: please report it)");
                    }
                }
            }
            Message::Response(_) => {} // answers to our registrations
        }
    }
    if let Some(s) = &shared {
        s.scheduler.stop();
        s.schematron.stop();
    }
    if let Some((w, _schematron)) = worker {
        // a Schematron run may take seconds on a large file: it is not waited for
        let _ = w.join();
    }
    drop(shared);
    let _ = out_tx.send(String::new()); // the writer stops at the empty message
    let _ = writer.join();
    status
}

/// The workspace folders of `initialize`.
fn roots(params: &lsp_types::InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
            roots.push(p);
        } else if let Some(p) = &params.root_path {
            roots.push(PathBuf::from(p));
        }
    }
    roots.iter().map(|r| workspace::normalise(r)).collect()
}

fn initialize(req: &Request, cli: Settings, out: Sender<String>) -> (Shared, serde_json::Value) {
    let params: lsp_types::InitializeParams =
        serde_json::from_value(req.params.clone()).unwrap_or_default();
    let mut problems = Vec::new();
    let settings = match params.initialization_options.as_ref() {
        Some(v) => cli.merged(v).unwrap_or_else(|e| {
            problems.push(e);
            cli.clone()
        }),
        None => cli,
    };
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let mut ws = Workspace::load(roots(&params), settings, &|_| None);
    ws.problems.extend(problems);
    let shared = Shared::new(out, ws);
    if watch {
        let watchers: Vec<lsp_types::FileSystemWatcher> = [
            "**/*.xml",
            "**/teikit.toml",
            "**/*.rng",
            "**/*.rnc",
            "**/*.sch",
        ]
        .iter()
        .map(|g| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(g.to_string()),
            kind: None,
        })
        .collect();
        let reg = lsp_types::Registration {
            id: "teikit-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(
                lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers },
            )
            .ok(),
        };
        shared.send(Message::Request(Request::new(
            RequestId::from("teikit-watch".to_string()),
            "client/registerCapability".into(),
            lsp_types::RegistrationParams {
                registrations: vec![reg],
            },
        )));
    }
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(lsp_types::ServerInfo {
            name: "teikit".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    (shared, serde_json::to_value(result).unwrap_or_default())
}

/// What the server can do.
pub fn capabilities() -> lsp_types::ServerCapabilities {
    use lsp_types::*;
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..Default::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["#", "\"", "'", "<", " ", ":"].map(String::from).to_vec()),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn parse<P: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<P, Failure> {
    serde_json::from_value(v).map_err(|e| invalid_params(format!("invalid parameters: {e}")))
}

fn to_value<R: serde::Serialize>(r: Result<R, Failure>) -> Result<serde_json::Value, Failure> {
    r.map(|r| serde_json::to_value(r).unwrap_or_default())
}

/// Answers one request.
fn request(s: &Shared, req: Request) -> Response {
    let id = req.id.clone();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(s, req)));
    match run {
        Ok(Ok(v)) => Response::new_ok(id, v),
        Ok(Err((code, message))) => Response::new_err(id, code, message),
        Err(_) => Response::new_err(
            id,
            lsp_server::ErrorCode::InternalError as i32,
            "internal error (a defect: please report it)".into(),
        ),
    }
}

fn dispatch(s: &Shared, req: Request) -> Result<serde_json::Value, Failure> {
    use super::{actions, completion, hover, navigation, symbols};
    let p = req.params;
    match req.method.as_str() {
        "textDocument/completion" => to_value(completion::complete(s, parse(p)?)),
        "textDocument/hover" => to_value(hover::hover(s, parse(p)?)),
        "textDocument/definition" => to_value(navigation::definition(s, parse(p)?)),
        "textDocument/references" => to_value(navigation::references(s, parse(p)?)),
        "textDocument/prepareRename" => to_value(navigation::prepare_rename(s, parse(p)?)),
        "textDocument/rename" => to_value(navigation::rename(s, parse(p)?)),
        "textDocument/documentSymbol" => to_value(symbols::document_symbols(s, parse(p)?)),
        "textDocument/codeAction" => to_value(actions::code_actions(s, parse(p)?)),
        other => Err((
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("unknown method `{other}`"),
        )),
    }
}

/// Handles one notification (unknown ones are ignored, as the protocol asks).
fn notification(s: &Shared, n: Notification) {
    use lsp_types::*;
    match n.method.as_str() {
        "textDocument/didOpen" => {
            if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                let d = p.text_document;
                lock(&s.documents).open(d.uri.clone(), d.version, d.text);
                s.scheduler.schedule(d.uri);
            }
        }
        "textDocument/didChange" => {
            if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                let d = p.text_document;
                if lock(&s.documents).change(&d.uri, d.version, p.content_changes) {
                    s.scheduler.schedule(d.uri);
                }
            }
        }
        "textDocument/didSave" => {
            if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                s.scheduler.schedule(p.text_document.uri);
            }
        }
        "textDocument/didClose" => {
            if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                let uri = p.text_document.uri;
                lock(&s.documents).close(&uri);
                lock(&s.indexed).remove(&uri);
                lock(&s.published).remove(&uri);
                s.send(Message::Notification(Notification::new(
                    notification::PublishDiagnostics::METHOD.into(),
                    PublishDiagnosticsParams {
                        uri: uri.clone(),
                        diagnostics: vec![],
                        version: None,
                    },
                )));
                // what the others see of it is the file again (the buffer may have been dropped)
                file_changed(s, &path_of(&uri));
            }
        }
        "workspace/didChangeConfiguration" => {
            if let Ok(p) = serde_json::from_value::<DidChangeConfigurationParams>(n.params) {
                let current = s.workspace().settings.clone();
                match current.merged(&p.settings) {
                    Ok(new) if new != current => s.reload(new),
                    Ok(_) => {}
                    Err(e) => s.log(&format!("teikit: {e}")),
                }
            }
        }
        "workspace/didChangeWatchedFiles" => {
            if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) {
                let paths: Vec<PathBuf> = p
                    .changes
                    .iter()
                    .filter_map(|c| c.uri.to_file_path().ok())
                    .map(|p| workspace::normalise(&p))
                    .collect();
                let setup = paths.iter().any(|p| {
                    p.file_name().is_some_and(|n| n == "teikit.toml")
                        || p.extension()
                            .is_some_and(|e| e == "rng" || e == "rnc" || e == "sch")
                });
                if setup {
                    let settings = s.workspace().settings.clone();
                    s.reload(settings);
                } else {
                    for p in &paths {
                        file_changed(s, p);
                    }
                }
            }
        }
        _ => {}
    }
}

/// A file changed on disk (or was deleted): the index follows, unless the editor has it open
/// (its buffer wins); the open documents are validated again when others see a difference.
fn file_changed(s: &Shared, path: &Path) {
    if s.open_text(path).is_some() {
        return;
    }
    let (changed, is_register) = {
        let text = workspace::read_text(path);
        let mut ws = s.workspace_mut();
        let is_register = ws.is_register(path);
        let changed = match text {
            Some(t) if ws.contains(path) => {
                let ix = FileIndex::build(&t, path, &ws.registers, &ws.options.config.limits);
                ws.set_file(path.to_path_buf(), ix)
            }
            Some(_) => false,
            None => ws.remove_file(path),
        };
        (changed, is_register)
    };
    if is_register {
        s.workspace_mut().reload_registers(&|p| s.open_text(p));
    }
    if changed || is_register {
        s.schedule_others(&Url::parse("teikit:none").expect("a URL"));
    }
}
