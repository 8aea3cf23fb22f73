//! `trellisc lsp`, spoken to as an editor does: JSON-RPC over the
//! process's standard input and output, on copies of the example schemas.

mod common;
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// A running server.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications that arrived while waiting for a response.
    pending: Vec<Value>,
}

fn read_message(reader: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(root, &[])
    }

    /// Starts the server with these environment variables set.
    fn start_with(root: &Path, env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .arg("lsp")
            .envs(env.iter().copied())
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start trellisc lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
            pending: Vec::new(),
        };
        let uri = format!("file://{}", root.display());
        let result = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": uri, "capabilities": {} }),
        );
        assert!(
            result["capabilities"]["definitionProvider"].as_bool().unwrap_or(false),
            "{result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    /// The diagnostics published for `path` after the last change (waits
    /// for them).
    fn diagnostics_for(&mut self, path: &Path) -> Vec<Value> {
        let uri = uri(path);
        let mut found = None;
        for message in std::mem::take(&mut self.pending) {
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri {
                found = Some(message);
            }
        }
        if found.is_none() {
            loop {
                let message = self.receive();
                if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri {
                    found = Some(message);
                    break;
                }
                self.pending.push(message);
            }
        }
        // Later messages of the same burst may follow: take the newest.
        while let Ok(message) = self.messages.recv_timeout(Duration::from_millis(200)) {
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri {
                found = Some(message);
            } else {
                self.pending.push(message);
            }
        }
        found.map_or_else(Vec::new, |m| {
            m["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
        })
    }

    fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "trellis", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(path), "version": 2 }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn at(&mut self, method: &str, path: &Path, line: usize, character: usize) -> Value {
        self.request(
            method,
            json!({ "textDocument": { "uri": uri(path) }, "position": { "line": line, "character": character } }),
        )
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "the server exits cleanly: {status:?}");
    }
}

/// Runs trellisc in `dir` with these environment variables; it must
/// succeed.
fn trellisc_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("trellisc");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A copy of an example schema in a fresh directory.
fn copy_example(name: &str, label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-lsp-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for file in common::files_in(&common::root().join("examples").join(name), "trellis") {
        std::fs::copy(&file, dir.join(file.file_name().expect("name"))).expect("copy");
    }
    dir
}

/// The labels of a completion answer.
fn labels_of(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect()
}

/// Line and column (UTF-16, here ASCII) of the first `needle` in `text`.
fn find(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle:?} in the text"));
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, column)
}

#[test]
fn the_language_features_on_an_example() {
    let dir = copy_example("shop", "features");
    let orders = dir.join("orders.trellis");
    let text = std::fs::read_to_string(&orders).expect("read");
    let mut client = Client::start(&dir);

    // Diagnostics: the example is clean, for every file of the schema.
    client.open(&orders, &text);
    assert_eq!(client.diagnostics_for(&orders), Vec::<Value>::new());

    // Go to definition: `references customers` leads to customers.trellis.
    let (line, column) = find(&text, "references customers");
    let location = client.at(
        "textDocument/definition",
        &orders,
        line,
        column + "references ".len() + 2,
    );
    assert_eq!(location["uri"], uri(&dir.join("customers.trellis")), "{location}");
    let customers = std::fs::read_to_string(dir.join("customers.trellis")).expect("read");
    let (declared, _) = find(&customers, "table customers");
    assert_eq!(location["range"]["start"]["line"], json!(declared), "{location}");

    // Hover on a column: its whole definition.
    let (line, column) = find(&text, "customer_id         bigint");
    let hover = client.at("textDocument/hover", &orders, line, column + 2);
    let shown = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        shown.contains("customer_id         bigint not null references customers (id)"),
        "{shown}"
    );
    // Hover on a table name: the doc comment.
    let (line, column) = find(&text, "references customers");
    let hover = client.at("textDocument/hover", &orders, line, column + "references ".len() + 1);
    let shown = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(shown.contains("table customers"), "{shown}");

    // Completion of tables after `references`, and of their columns.
    let edited = text.replacen("references customers (id)", "references ", 1);
    client.change(&orders, &edited);
    let (line, column) = find(&edited, "references  on delete");
    let items = client.at("textDocument/completion", &orders, line, column + "references ".len());
    let labels = labels_of(&items);
    assert!(
        labels.contains(&"customers") && labels.contains(&"orders"),
        "{labels:?}"
    );
    let edited = text.replacen("references customers (id)", "references customers (", 1);
    client.change(&orders, &edited);
    let (line, column) = find(&edited, "references customers (");
    let items = client.at(
        "textDocument/completion",
        &orders,
        line,
        column + "references customers (".len(),
    );
    let labels = labels_of(&items);
    assert!(labels.contains(&"id") && labels.contains(&"email"), "{labels:?}");

    // Symbols of the document.
    client.change(&orders, &text);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri(&orders) } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"orders") && names.contains(&"order_items"), "{names:?}");

    // Formatting: nothing to do on a formatted file; an edit otherwise,
    // whose text is what `trellisc fmt` writes.
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri(&orders) }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, json!([]));
    let messy = text.replacen("  customer_id         bigint", "customer_id bigint", 1);
    client.change(&orders, &messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri(&orders) }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"].as_str(), Some(text.as_str()));
    client.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_are_published_for_the_whole_schema() {
    let dir = copy_example("shop", "errors");
    let orders = dir.join("orders.trellis");
    let customers = dir.join("customers.trellis");
    let text = std::fs::read_to_string(&customers).expect("read");
    let mut client = Client::start(&dir);
    // Renaming a table in one file breaks the references in another.
    let broken = text.replacen("table customers {", "table clients {", 1);
    client.open(&customers, &broken);
    let in_customers = client.diagnostics_for(&customers);
    let in_orders = client.diagnostics_for(&orders);
    assert!(
        in_orders.iter().any(|d| d["code"] == "E0201" && d["severity"] == 1),
        "{in_orders:?} / {in_customers:?}"
    );
    let orders_text = std::fs::read_to_string(&orders).expect("read");
    let (line, _) = find(&orders_text, "references customers");
    assert!(
        in_orders.iter().any(|d| d["range"]["start"]["line"] == json!(line)),
        "{in_orders:?}"
    );
    // A syntax error in the open file, at its place.
    let (line, _) = find(&broken, "table clients {");
    let syntax = broken.replacen("table clients {", "table clients {\n  id bigint nott null", 1);
    client.change(&customers, &syntax);
    let found = client.diagnostics_for(&customers);
    assert!(
        found
            .iter()
            .any(|d| d["code"] == "E0001" && d["range"]["start"]["line"] == json!(line + 1)),
        "{found:?}"
    );
    // Fixed again: the diagnostics go away everywhere.
    client.change(&customers, &text);
    assert_eq!(client.diagnostics_for(&customers), Vec::<Value>::new());
    assert_eq!(client.diagnostics_for(&orders), Vec::<Value>::new());
    client.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// In a project with revisions, what the next revision would do shows at
/// each changed declaration.
#[test]
fn the_next_revision_shows_while_editing() {
    let dir = std::env::temp_dir().join(format!("trellis-lsp-{}-impact", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let run = |args: &[&str]| trellisc_in(&dir, &[], args);
    run(&["init"]);
    let schema = "table invoices {\n  id bigint primary key\n  legacy text\n  total numeric(12,2) not null\n}\n";
    let file = dir.join("schema/app.trellis");
    std::fs::write(&file, schema).expect("write");
    run(&["revision", "-m", "Base"]);

    let mut client = Client::start(&dir);
    client.open(&file, schema);
    assert_eq!(client.diagnostics_for(&file), Vec::<Value>::new());
    let edited = "table invoices {\n  id bigint primary key\n  total numeric(14,2) not null\n\n  index invoices_total (total)\n}\n";
    client.change(&file, edited);
    let found = client.diagnostics_for(&file);
    let messages: Vec<&str> = found.iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("next revision: drop column invoices.legacy") && m.contains("destructive")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("index invoices_total")),
        "{messages:?}"
    );
    assert!(found.iter().all(|d| d["code"] == "next-revision"), "{found:?}");
    assert!(
        found.iter().any(|d| d["severity"] == 2),
        "destructive and risky changes are warnings: {found:?}"
    );
    client.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn domains_are_types_to_the_language_server() {
    let dir = std::env::temp_dir().join(format!("trellis-lsp-{}-domains", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let types = dir.join("types.trellis");
    std::fs::write(
        &types,
        "/// A year a film can come out in.\ndomain year as integer check (value >= 1901)\n",
    )
    .expect("write");
    let films = dir.join("films.trellis");
    let text = "table films {\n  id           bigint primary key\n  release_year year\n}\n";
    std::fs::write(&films, text).expect("write");
    let mut client = Client::start(&dir);
    client.open(&films, text);
    assert_eq!(client.diagnostics_for(&films), Vec::<Value>::new());

    // Definition and hover on the column's type.
    let (line, column) = find(text, "year\n");
    let location = client.at("textDocument/definition", &films, line, column + 1);
    assert_eq!(location["uri"], uri(&types), "{location}");
    let hover = client.at("textDocument/hover", &films, line, column + 1);
    let shown = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        shown.contains("domain year as integer check (value >= 1901)"),
        "{shown}"
    );
    assert!(shown.contains("A year a film can come out in."), "{shown}");

    // Completion of types offers the domain.
    let edited = text.replacen("release_year year", "release_year ", 1);
    client.change(&films, &edited);
    let (line, column) = find(&edited, "release_year \n");
    let items = client.at("textDocument/completion", &films, line, column + "release_year ".len());
    let labels = labels_of(&items);
    assert!(labels.contains(&"year") && labels.contains(&"text"), "{labels:?}");
    client.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn composite_and_range_types_are_types_to_the_language_server() {
    let dir = std::env::temp_dir().join(format!("trellis-lsp-{}-types", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let types = dir.join("types.trellis");
    std::fs::write(
        &types,
        "/// A postal address.\ntype address as (street text collate \"C\", city text)\n\n\
         /// Hours of the day.\ntype hours as range (subtype = double precision, subtype_diff = float8mi)\n",
    )
    .expect("write");
    let shops = dir.join("shops.trellis");
    let text = "table shops {\n  id      bigint primary key\n  home    address\n  open    hours\n  shifts  hours_multirange\n}\n";
    std::fs::write(&shops, text).expect("write");
    let mut client = Client::start(&dir);
    client.open(&shops, text);
    assert_eq!(client.diagnostics_for(&shops), Vec::<Value>::new());

    for (word, shown_as, doc) in [
        (
            "address\n",
            "type address as (street text collate \"C\", city text)",
            "A postal address.",
        ),
        (
            "hours\n",
            "type hours as range (subtype = double precision, subtype_diff = float8mi)",
            "Hours of the day.",
        ),
        // The multirange type PostgreSQL makes with the range leads to it.
        (
            "hours_multirange\n",
            "its multirange type: hours_multirange",
            "Hours of the day.",
        ),
    ] {
        let (line, column) = find(text, word);
        let location = client.at("textDocument/definition", &shops, line, column + 1);
        assert_eq!(location["uri"], uri(&types), "{word}: {location}");
        let hover = client.at("textDocument/hover", &shops, line, column + 1);
        let shown = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(shown.contains(shown_as) && shown.contains(doc), "{word}: {shown}");
    }

    // Completion of types offers both.
    let edited = text.replacen("home    address", "home    ", 1);
    client.change(&shops, &edited);
    let (line, column) = find(&edited, "home    \n");
    let items = client.at("textDocument/completion", &shops, line, column + "home    ".len());
    let labels = labels_of(&items);
    assert!(labels.contains(&"address") && labels.contains(&"hours"), "{labels:?}");
    client.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// With the project's database variable set, the next revision's marks say
/// how big the tables they touch are there (read once, in the background).
#[test]
fn the_next_revision_says_the_sizes_of_the_database() {
    let dir = std::env::temp_dir().join(format!("trellis-lsp-{}-sizes", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let url = support::pg::server().database();
    let run = |args: &[&str]| trellisc_in(&dir, &[("TRELLIS_DATABASE_URL", url.as_str())], args);
    run(&["init"]);
    let schema = "table invoices {\n  id bigint primary key\n  total numeric(12,2) not null\n}\n";
    let file = dir.join("schema/app.trellis");
    std::fs::write(&file, schema).expect("write");
    run(&["revision", "-m", "Base"]);
    run(&["upgrade"]);
    support::pg::server()
        .psql(
            &url,
            "INSERT INTO invoices SELECT g, g FROM generate_series(1, 1000) g; ANALYZE invoices;",
        )
        .expect("rows");

    let mut client = Client::start_with(&dir, &[("TRELLIS_DATABASE_URL", url.as_str())]);
    client.open(&file, schema);
    let edited = "table invoices {\n  id bigint primary key\n  total numeric(12,2) not null\n\n  index invoices_total (total)\n}\n";
    // The first analysis starts reading the sizes; a later one has them.
    let mut messages = Vec::new();
    for attempt in 0..50 {
        let text = if attempt % 2 == 0 {
            edited.to_string()
        } else {
            format!("{edited}\n")
        };
        client.change(&file, &text);
        messages = client
            .diagnostics_for(&file)
            .iter()
            .filter_map(|d| d["message"].as_str().map(str::to_string))
            .collect();
        if messages.iter().any(|m| m.contains("in the database")) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        messages.iter().any(|m| m.contains("index invoices_total")
            && m.contains("(in the database: invoices: about 1,000 rows, ")
            && m.contains("SHARE (blocks writes) for a time proportional to the table")),
        "{messages:?}"
    );
    client.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
