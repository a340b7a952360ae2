//! The site in a real browser: headless Chromium driven through chromedriver over the W3C
//! WebDriver protocol, with a small client of our own.
//!
//! These tests need Chromium and chromedriver (`apt-get install chromium chromium-driver`) and
//! axe-core (`npm ci --prefix browser`); without them they fail and say so, they never skip.
//! Screenshots (and the printed PDFs) are written to `target/screenshots/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use plantrack::domain::plan::Role;
use serde_json::{Value, json};

use crate::harness::{DEFAULT_PLAN, Http, TestDb, free_port, seed};

/// The interface languages every page is checked in (each set with `/language?set=…`).
const LANGUAGES: &[&str] = &["en", "zh"];

/// The widths every page is photographed at: a small phone and a desktop screen.
const WIDTHS: &[u32] = &[375, 1280];

/// What axe checks: WCAG 2.0 and 2.1, levels A and AA.
const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// Best-practice rules axe checks besides the WCAG tags: two landmarks of one kind need names
/// that tell them apart (a section and the table's scroll region inside it, say).
const AXE_RULES: &[&str] = &["landmark-unique"];

const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-US",
    "--hide-scrollbars",
];

/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

const INSTALL_BROWSER: &str = "the browser tests need Chromium and chromedriver: \
     install them with `apt-get install chromium chromium-driver`";

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn chromium() -> PathBuf {
    on_path(&["chromium", "chromium-browser"])
        .unwrap_or_else(|| panic!("Chromium not found on PATH; {INSTALL_BROWSER}"))
}

fn chromedriver() -> PathBuf {
    on_path(&["chromedriver"])
        .unwrap_or_else(|| panic!("chromedriver not found on PATH; {INSTALL_BROWSER}"))
}

/// axe-core's script, as `npm ci --prefix browser` installs it.
fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing ({}: {e}); install it with `npm ci --prefix browser`",
            path.display()
        )
    })
}

/// `target/screenshots/` (under the target directory these tests were built in).
pub fn screenshot_dir() -> PathBuf {
    // The test binary is target/<profile>/deps/it-<hash>.
    let exe = std::env::current_exe().unwrap();
    let target = exe
        .ancestors()
        .nth(3)
        .expect("the test binary lies in the target directory")
        .to_path_buf();
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// chromedriver in a process group of its own, so the browsers it starts end with it.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        use std::os::unix::process::CommandExt;
        let binary = chromedriver();
        // Fail early and clearly when Chromium is missing too.
        chromium();
        let port = free_port();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {}: {e}; {INSTALL_BROWSER}", binary.display())
            });
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(mut http) = Http::connect(port) {
                let reply = http.send("GET", "/status", None, None);
                if reply.status == 200 {
                    return driver;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and every Chromium process it started.
        let group = -(self.child.id() as i32);
        unsafe {
            libc::kill(group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// One browser session. Dropping it closes the browser and ends chromedriver, also when a
/// test fails.
struct Browser {
    http: Http,
    session: String,
    base: String,
    // Dropped last: the session is deleted first, then the processes are killed.
    _driver: Driver,
}

impl Browser {
    /// Starts chromedriver and Chromium for the site at `base` (`http://127.0.0.1:PORT`).
    fn start(base: &str) -> Browser {
        let driver = Driver::start();
        let mut http = Http::connect(driver.port)
            .expect("chromedriver accepts connections")
            .with_read_timeout(Duration::from_secs(120));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": CHROMIUM_ARGS,
                "prefs": {"intl.accept_languages": "en-US,en"},
            },
        }}});
        let reply = http.send_body(
            "POST",
            "/session",
            None,
            Some(("application/json", &capabilities.to_string())),
        );
        let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        let Some(session) = answer["value"]["sessionId"].as_str() else {
            panic!(
                "chromedriver could not start Chromium ({} {}); {INSTALL_BROWSER}",
                reply.status, reply.body
            );
        };
        let mut browser = Browser {
            session: session.to_owned(),
            http,
            base: base.to_owned(),
            _driver: driver,
        };
        browser.command(
            "POST",
            "/timeouts",
            json!({"script": 60_000, "pageLoad": 60_000, "implicit": 0}),
        );
        browser
    }

    /// Sends one WebDriver command of this session and returns its `value`.
    fn command(&mut self, method: &str, path: &str, body: Value) -> Value {
        self.try_command(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path} failed: {e}"))
    }

    fn try_command(&mut self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("/session/{}{path}", self.session);
        let text = body.to_string();
        let typed = (method == "POST").then_some(("application/json", text.as_str()));
        let reply = self.http.send_body(method, &url, None, typed);
        let answer: Value = serde_json::from_str(&reply.body)
            .map_err(|_| format!("{} {}", reply.status, reply.body))?;
        if reply.status != 200 {
            return Err(format!(
                "({}) {} {}",
                reply.status, answer["value"]["error"], answer["value"]["message"]
            ));
        }
        Ok(answer["value"].clone())
    }

    /// Clicks a button or link that loads another page, and waits until that page is loaded.
    fn click_to_next_page(&mut self, element: &Value) {
        self.execute("window.plantrackPageBefore = true;", json!([]));
        self.click(element);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let loaded = self.try_command(
                "POST",
                "/execute/sync",
                json!({"script": "return document.readyState === 'complete' && !window.plantrackPageBefore;", "args": []}),
            );
            if loaded == Ok(json!(true)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page loaded within 30 s of the click ({loaded:?})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens a path of the site and waits for the page to load.
    fn open(&mut self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.command("POST", "/url", json!({ "url": url }));
    }

    /// The path (and query) of the page shown.
    fn path(&mut self) -> String {
        let url = self.command("GET", "/url", Value::Null);
        let url = url.as_str().unwrap();
        url.strip_prefix(&self.base).unwrap_or(url).to_owned()
    }

    /// Runs `script` as the body of a function in the page; `arguments` are `args`.
    fn execute(&mut self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
    }

    fn execute_async(&mut self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/async",
            json!({"script": script, "args": args}),
        )
    }

    /// Every element matching an XPath expression.
    fn find_all(&mut self, xpath: &str) -> Vec<Value> {
        let found = self.command(
            "POST",
            "/elements",
            json!({"using": "xpath", "value": xpath}),
        );
        found.as_array().cloned().unwrap_or_default()
    }

    /// The one element matching an XPath expression.
    fn find(&mut self, xpath: &str) -> Value {
        let mut all = self.find_all(xpath);
        assert_eq!(
            all.len(),
            1,
            "expected one element for {xpath} on {}, found {}",
            self.path(),
            all.len()
        );
        all.remove(0)
    }

    fn css(&mut self, selector: &str) -> Vec<Value> {
        let found = self.command(
            "POST",
            "/elements",
            json!({"using": "css selector", "value": selector}),
        );
        found.as_array().cloned().unwrap_or_default()
    }

    fn element_id(element: &Value) -> String {
        element[ELEMENT].as_str().expect("an element").to_owned()
    }

    fn click(&mut self, element: &Value) {
        let id = Self::element_id(element);
        self.command("POST", &format!("/element/{id}/click"), json!({}));
    }

    /// Clears a text input and types `text` into it as a person would.
    fn type_into(&mut self, element: &Value, text: &str) {
        let id = Self::element_id(element);
        self.command("POST", &format!("/element/{id}/clear"), json!({}));
        self.command(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        );
    }

    fn text(&mut self, element: &Value) -> String {
        let id = Self::element_id(element);
        let text = self.command("GET", &format!("/element/{id}/text"), Value::Null);
        text.as_str().unwrap_or_default().to_owned()
    }

    fn attribute(&mut self, element: &Value, name: &str) -> Option<String> {
        let id = Self::element_id(element);
        let value = self.command(
            "GET",
            &format!("/element/{id}/attribute/{name}"),
            Value::Null,
        );
        value.as_str().map(str::to_owned)
    }

    fn property(&mut self, element: &Value, name: &str) -> Value {
        let id = Self::element_id(element);
        self.command(
            "GET",
            &format!("/element/{id}/property/{name}"),
            Value::Null,
        )
    }

    /// The input whose `<label>` reads `label` (after trimming and joining white space):
    /// found as a person finds it, through the label's text, never the input's name.
    fn input_labelled(&mut self, label: &str) -> Value {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(label));
        let label_el = self.find(&xpath);
        let target = self
            .attribute(&label_el, "for")
            .unwrap_or_else(|| panic!("the label {label:?} names no input"));
        self.find(&format!("//*[@id={}]", xpath_literal(&target)))
    }

    /// The text of the elements an element's `aria-describedby` points at.
    fn description(&mut self, element: &Value) -> String {
        self.execute(
            "const ids = (arguments[0].getAttribute('aria-describedby') || '').split(/\\s+/);
             return ids.filter(Boolean).map(id => {
               const e = document.getElementById(id);
               return e ? e.textContent.replace(/\\s+/g, ' ').trim() : '(missing #' + id + ')';
             }).join(' | ');",
            json!([element]),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Signs in through the login form.
    fn sign_in(&mut self, name: &str, password: &str) {
        self.open("/login");
        // Found by what they are for, so that signing in works in every language.
        let user = self.find("//input[@autocomplete='username']");
        self.type_into(&user, name);
        let pass = self.find("//input[@autocomplete='current-password']");
        self.type_into(&pass, password);
        let button = self.find("//main//button[@type='submit']");
        self.click_to_next_page(&button);
        assert!(
            !self.path().starts_with("/login"),
            "signing in as {name} stayed on the login page"
        );
    }

    fn sign_out(&mut self) {
        let button = self.find("//header//form[@action='/logout']//button");
        self.click_to_next_page(&button);
        let signed_out = self
            .find_all("//header//form[@action='/logout']")
            .is_empty();
        assert!(signed_out, "still signed in after signing out");
    }

    /// Chooses the interface language the way a reader does, and checks the page says so.
    fn use_language(&mut self, lang: &str) {
        self.open(&format!("/language?set={lang}&next=/"));
        let page_lang = self.execute("return document.documentElement.lang;", json!([]));
        assert!(
            page_lang.as_str().unwrap_or_default().starts_with(lang),
            "the page's language is {page_lang}, expected {lang}"
        );
    }

    /// Presses the Tab key.
    fn press_tab(&mut self) {
        self.command(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": "\u{E004}"}, {"type": "keyUp", "value": "\u{E004}"}
            ]}]}),
        );
    }

    /// What axe-core cannot see: the skip link comes first and shows when focused, focus is
    /// visible, the landmarks are there and headings go down one level at a time. Call it on a
    /// freshly loaded page (it moves the focus).
    fn structure_report(&mut self, what: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let found = self.execute(
            "const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
                 .filter(h => h.getClientRects().length > 0)
                 .map(h => [Number(h.tagName[1]), h.textContent.replace(/\\s+/g, ' ').trim()]);
             const count = s => document.querySelectorAll(s).length;
             return {levels, main: count('main'), header: count('body > header'),
                     nav: count('nav'), footer: count('body > footer')};",
            json!([]),
        );
        let levels = found["levels"].as_array().cloned().unwrap_or_default();
        let h1s = levels.iter().filter(|l| l[0] == json!(1)).count();
        if h1s != 1 {
            problems.push(format!("{what}: {h1s} visible h1 headings, expected one"));
        }
        let mut previous = 0;
        for l in &levels {
            let level = l[0].as_i64().unwrap_or(0);
            if level > previous + 1 {
                problems.push(format!(
                    "{what}: heading level {level} ({}) follows level {previous}",
                    l[1]
                ));
            }
            previous = level;
        }
        for (landmark, n) in [("main", 1), ("header", 1), ("footer", 1)] {
            if found[landmark] != json!(n) {
                problems.push(format!(
                    "{what}: {} <{landmark}> landmarks, expected {n}",
                    found[landmark]
                ));
            }
        }
        if found["nav"].as_i64().unwrap_or(0) < 1 {
            problems.push(format!("{what}: no <nav> landmark"));
        }
        // Every message at a field is tied to its field, and every field marked invalid says why.
        let untied = self.execute(
            "const described = id => [...document.querySelectorAll('[aria-describedby]')]
                 .some(e => e.getAttribute('aria-describedby').split(/\\s+/).includes(id));
             const bad = [];
             for (const m of document.querySelectorAll('.field-error')) {
               if (!m.id || !described(m.id)) bad.push('message ' + (m.id || m.textContent.trim()) + ' is tied to no field');
             }
             for (const f of document.querySelectorAll('[aria-invalid=true]')) {
               const ids = (f.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
               if (!ids.some(id => { const e = document.getElementById(id); return e && e.textContent.trim(); }))
                 bad.push('invalid field #' + f.id + ' describes no message');
             }
             return bad;",
            json!([]),
        );
        for problem in untied.as_array().into_iter().flatten() {
            problems.push(format!("{what}: {}", problem.as_str().unwrap_or_default()));
        }
        // The first Tab lands on the skip link, which then shows and leads to the main content.
        self.press_tab();
        let focus = |browser: &mut Browser| {
            browser.execute(
                "const e = document.activeElement; const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                 return {tag: e.tagName.toLowerCase(), cls: e.className, href: e.getAttribute('href') || '',
                         outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                         onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth,
                         target: !!document.getElementById((e.getAttribute('href') || '#').slice(1))};",
                json!([]),
            )
        };
        let first = focus(self);
        if first["cls"] != json!("skip") || first["href"] != json!("#main") {
            problems.push(format!(
                "{what}: the first Tab goes to {first}, not to the skip link"
            ));
        } else {
            if first["onScreen"] != json!(true) {
                problems.push(format!("{what}: the focused skip link stays off screen"));
            }
            if first["target"] != json!(true) {
                problems.push(format!("{what}: the skip link leads nowhere"));
            }
        }
        for _ in 0..2 {
            let f = focus(self);
            if f["outline"] != json!(true) {
                problems.push(format!("{what}: no visible focus ring on {f}"));
            }
            self.press_tab();
        }
        self.execute("document.activeElement.blur();", json!([]));
        problems
    }

    /// Every violation axe-core finds on the page shown (rule, impact, help and the selector
    /// of each element), or `None`.
    fn accessibility_report(&mut self, axe: &str, what: &str) -> Option<String> {
        // WebDriver runs scripts outside the page's Content-Security-Policy, which allows none.
        let defined = self.execute(&format!("{axe}\n;return typeof axe;"), json!([]));
        assert_eq!(
            defined,
            json!("object"),
            "axe-core did not load into {what}"
        );
        let result = self.execute_async(
            "const done = arguments[arguments.length - 1];
             const rules = Object.fromEntries(arguments[1].map(id => [id, {enabled: true}]));
             axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, rules, resultTypes: ['violations']})
               .then(r => done({violations: r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''}))
               }))}))
               .catch(e => done({error: String(e)}));",
            json!([AXE_TAGS, AXE_RULES]),
        );
        if let Some(e) = result.get("error") {
            panic!("axe-core failed on {what}: {e}");
        }
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        if violations.is_empty() {
            return None;
        }
        let mut report = format!(
            "{} accessibility violation(s) on {what}:\n",
            violations.len()
        );
        for v in &violations {
            report.push_str(&format!(
                "- {} ({}): {} <{}>\n",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or_default(),
                v["helpUrl"].as_str().unwrap_or_default(),
            ));
            for n in v["nodes"].as_array().into_iter().flatten() {
                report.push_str(&format!(
                    "    at {}\n      {}\n",
                    n["target"].as_str().unwrap_or_default(),
                    n["summary"]
                        .as_str()
                        .unwrap_or_default()
                        .replace('\n', "\n      "),
                ));
            }
        }
        Some(report)
    }

    /// Sets the viewport to `width` CSS pixels and the page's whole height. (A window cannot
    /// be made narrower than 500 pixels, so the size is emulated through the DevTools protocol.)
    fn fit_window(&mut self, width: u32) {
        self.set_viewport(width, 900);
        let height = self
            .execute(
                "return Math.ceil(document.documentElement.scrollHeight);",
                json!([]),
            )
            .as_u64()
            .unwrap_or(900)
            .clamp(200, 16_000) as u32;
        self.set_viewport(width, height);
    }

    fn set_viewport(&mut self, width: u32, height: u32) {
        self.command(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setDeviceMetricsOverride",
                   "params": {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}}),
        );
    }

    /// How far the page is wider than the viewport (0 when nothing sticks out sideways).
    fn sideways_overflow(&mut self) -> (i64, String) {
        let found = self.execute(
            "const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
             let culprit = '';
             if (over > 0) {
               for (const e of document.querySelectorAll('body *')) {
                 const r = e.getBoundingClientRect();
                 if (r.right > document.documentElement.clientWidth + 1) {
                   let inScroller = false;
                   for (let p = e.parentElement; p; p = p.parentElement) {
                     const o = getComputedStyle(p).overflowX;
                     if (o === 'auto' || o === 'scroll' || o === 'hidden') { inScroller = true; break; }
                   }
                   if (!inScroller) { culprit = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''); break; }
                 }
               }
             }
             return [over, culprit];",
            json!([]),
        );
        (
            found[0].as_i64().unwrap_or(0),
            found[1].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// Saves a PNG of the page shown, `width` pixels wide and as tall as the page.
    fn screenshot(&mut self, name: &str, width: u32) -> PathBuf {
        self.fit_window(width);
        let data = self.command("GET", "/screenshot", Value::Null);
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("a screenshot"))
            .expect("a base64 screenshot");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        let path = screenshot_dir().join(format!("{name}-{width}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// The page printed by Chromium on A4, as PDF.
    fn print_a4(&mut self) -> Vec<u8> {
        let data = self.command(
            "POST",
            "/print",
            json!({
                "page": {"width": 21.0, "height": 29.7},
                "margin": {"top": 1.5, "bottom": 1.5, "left": 1.5, "right": 1.5},
                "background": true,
            }),
        );
        base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("a PDF"))
            .expect("a base64 PDF")
    }

    /// Switches the page's CSS media type (`print` or `screen`) through the DevTools protocol.
    fn emulate_media(&mut self, media: &str) {
        self.command(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": media}}),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let url = format!("/session/{}", self.session);
        let _ = self.http.send_body("DELETE", &url, None, None);
    }
}

/// The number of pages of a PDF as Chromium writes it (page objects are not compressed).
fn count_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

/// An XPath string literal for any text.
fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// Serves the test database's site on a loopback port for the length of the test.
async fn serve(db: &TestDb) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = db.app();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://127.0.0.1:{port}")
}

/// Runs the blocking browser steps away from the runtime that serves the site, and passes a
/// failure on as the test's.
async fn in_browser<F>(steps: F)
where
    F: FnOnce() + Send + 'static,
{
    if let Err(e) = tokio::task::spawn_blocking(steps).await {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// The indicator the browser tests revise.
const INDICATOR: &str = "rd-intensity";
const INDICATOR_NAME: &str = "R&D expenditure as a share of regional GDP";
const YEAR: i32 = 2024;

/// A plan judged by time progress, and its indicator whose target is in words only.
const CHINA_PLAN: &str = "china-outline-2021-2025";
const TEXT_INDICATOR: &str = "gdp-growth";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_in_every_language_and_fits_a_phone() {
    let db = TestDb::seeded().await;
    // A draft waiting for review, entered by someone else than the reviewer.
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let indicator_id: i64 = sqlx::query_scalar(
        "select indicator_id from indicator join plan using (plan_id) where is_default and code = $1",
    )
    .bind(INDICATOR)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let entry = format!("/plans/{DEFAULT_PLAN}/entry/{YEAR}");
    let form = analyst.get(&entry).await;
    let token_field = format!("token.i{indicator_id}");
    let token = form
        .html()
        .select(&scraper::Selector::parse(&format!("input[name=\"{token_field}\"]")).unwrap())
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_owned))
        .expect("the row's version token");
    let saved = analyst
        .post(
            &entry,
            &[
                (&format!("value.i{indicator_id}"), "2.57"),
                (
                    &format!("source.i{indicator_id}"),
                    "Chongqing S&T funding bulletin 2024",
                ),
                (&token_field, &token),
            ],
        )
        .await;
    assert_eq!(
        saved.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        saved.body
    );
    // The national outline (targets of every kind) with a verdict on its target in words
    // waiting for review, so the verdict form and the indicator page list one.
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    let mut official = db.signed_in("oli", Role::Official).await;
    let verdict = format!("/plans/{CHINA_PLAN}/indicators/{TEXT_INDICATOR}/verdict");
    official.get(&verdict).await;
    let saved = official
        .post(
            &verdict,
            &[
                ("year", "2023"),
                ("status", "on_schedule"),
                (
                    "reason",
                    "Growth of 5.2 % was within the range set for 2023.",
                ),
            ],
        )
        .await;
    assert_eq!(
        saved.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        saved.body
    );
    let password = db.user("adm", Role::Admin).await;
    // An upload kept for the admin's confirmation, with a value far from its history, so that
    // the preview (warning column, folded unchanged rows) is checked too.
    let mut admin = crate::harness::Client::new(db.app());
    admin.login("adm", &password).await;
    let upload = format!("/plans/{DEFAULT_PLAN}/data/upload");
    admin
        .get(&format!("/plans/{DEFAULT_PLAN}/entry/upload"))
        .await;
    let file = [
        "plan,indicator,name_en,name_zh,year,kind,value,unit,state,source,note".to_owned(),
        format!("{DEFAULT_PLAN},rd-intensity,,,2023,actual,2.45,%,published,x,"),
        format!("{DEFAULT_PLAN},tech-contract-turnover,,,2025,actual,10120.5,,draft,Bulletin,"),
    ]
    .join("\r\n");
    let preview = admin
        .post_file(&upload, "figures.csv", file.as_bytes())
        .await;
    assert_eq!(
        preview.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        preview.body
    );
    let preview = preview.location;
    let base = serve(&db).await;

    in_browser(move || {
        let axe = axe_source();
        let mut browser = Browser::start(&base);
        let public = [
            ("overview", "/".to_owned()),
            (
                "indicator",
                format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}"),
            ),
            (
                "programme",
                format!("/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories"),
            ),
            ("methodology", "/methodology".to_owned()),
            ("login", "/login".to_owned()),
            ("plans", "/plans".to_owned()),
            ("data", format!("/plans/{DEFAULT_PLAN}/data")),
            ("api-docs", "/api/docs".to_owned()),
            ("assessment", format!("/plans/{DEFAULT_PLAN}/assessment")),
            // Results of every kind, and a refused search with its message at the box.
            ("search", "/search?q=%E5%AE%9E%E9%AA%8C%E5%AE%A4".to_owned()),
            ("search-refused", format!("/search?q={}", "x".repeat(101))),
            // The table narrowed by status, with the active filter shown.
            ("overview-filtered", format!("/plans/{DEFAULT_PLAN}?status=not_available&sort=status")),
            // A time-progress plan: its statuses, a cumulative target and a target in words.
            ("overview-time-progress", format!("/plans/{CHINA_PLAN}")),
            (
                "indicator-cumulative",
                format!("/plans/{CHINA_PLAN}/indicators/energy-intensity-reduction"),
            ),
            (
                "indicator-text-target",
                format!("/plans/{CHINA_PLAN}/indicators/{TEXT_INDICATOR}"),
            ),
        ];
        let signed_in = [
            ("entry", entry.clone()),
            ("entry-upload", format!("/plans/{DEFAULT_PLAN}/entry/upload")),
            ("upload-preview", preview.clone()),
            ("review", format!("/plans/{DEFAULT_PLAN}/review")),
            ("audit", "/audit".to_owned()),
            ("users", "/admin/users".to_owned()),
            // With the history of its figures and the way to revise one.
            (
                "indicator-signed-in",
                format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}"),
            ),
            (
                "revise",
                format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}/revise/2023"),
            ),
            // Programme items and the final assessment, with their forms.
            (
                "programme-signed-in",
                format!("/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories"),
            ),
            (
                "item-new",
                format!("/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories/items/new"),
            ),
            (
                "item-status",
                format!(
                    "/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories/items/life-health-sciences/status"
                ),
            ),
            ("assessment-signed-in", format!("/plans/{DEFAULT_PLAN}/assessment")),
            (
                "assessment-edit",
                format!("/plans/{DEFAULT_PLAN}/assessment/{INDICATOR}/edit"),
            ),
            // Plan definitions: the list, a plan's page, a new plan and an indicator's form.
            ("plan-admin", "/admin/plans".to_owned()),
            ("plan-definition", format!("/admin/plans/{DEFAULT_PLAN}")),
            ("plan-new", "/admin/plans/new".to_owned()),
            (
                "indicator-definition",
                format!("/admin/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}"),
            ),
            (
                "indicator-new",
                format!("/admin/plans/{DEFAULT_PLAN}/indicators/new"),
            ),
            // An official's verdict on a target in words: the form, and the draft listed.
            ("verdict", verdict.clone()),
            (
                "indicator-text-target-signed-in",
                format!("/plans/{CHINA_PLAN}/indicators/{TEXT_INDICATOR}"),
            ),
            ("review-verdicts", format!("/plans/{CHINA_PLAN}/review")),
            // The annual reports: the list, a year's page to print and the officials' words.
            ("reports", format!("/plans/{CHINA_PLAN}/reports")),
            ("report", format!("/plans/{CHINA_PLAN}/reports/2023?format=html")),
            ("report-edit", format!("/plans/{CHINA_PLAN}/reports/2023/edit")),
        ];
        let mut failures = Vec::new();
        // At each width: axe-core, a screenshot, and nothing wider than the screen.
        let mut check = |browser: &mut Browser, name: &str, lang: &str| {
            failures.extend(browser.structure_report(&format!("{name} ({lang})")));
            for &width in WIDTHS {
                browser.screenshot(&format!("{name}-{lang}"), width);
                let what = format!("{name} ({lang}, {} px, {})", width, browser.path());
                failures.extend(browser.accessibility_report(&axe, &what));
                let (over, culprit) = browser.sideways_overflow();
                if over > 0 {
                    failures.push(format!(
                        "{what} is {over} px wider than the screen (first element sticking out: {culprit})"
                    ));
                }
                // A chart shows whole, its target included, without scrolling inside its box.
                let clipped = browser.execute(
                    "const vw = document.documentElement.clientWidth; const bad = [];
                     for (const svg of document.querySelectorAll('figure.chart svg')) {
                       for (const e of [svg, ...svg.querySelectorAll('.target-point')]) {
                         const r = e.getBoundingClientRect();
                         if (r.width === 0 || r.left < 0 || r.right > vw + 0.5) bad.push(e.tagName + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
                       }
                       const f = svg.closest('figure');
                       if (f.scrollWidth > f.clientWidth + 1) bad.push('the figure scrolls');
                     }
                     return bad;",
                    json!([]),
                );
                for bad in clipped.as_array().into_iter().flatten() {
                    failures.push(format!("{what}: a chart does not fit the screen ({bad})"));
                }
            }
            // WCAG's reflow width: 320 CSS pixels, still without sideways scrolling.
            browser.fit_window(320);
            let (over, culprit) = browser.sideways_overflow();
            if over > 0 {
                failures.push(format!(
                    "{name} ({lang}) is {over} px wider than a 320 px screen (first element sticking out: {culprit})"
                ));
            }
        };
        for &lang in LANGUAGES {
            browser.open("/");
            browser.use_language(lang);
            for (name, path) in &public {
                browser.open(path);
                check(&mut browser, name, lang);
            }
            // Sign-in refused.
            browser.open("/login");
            let user = browser.find("//input[@autocomplete='username']");
            browser.type_into(&user, "adm");
            let pass = browser.find("//input[@autocomplete='current-password']");
            browser.type_into(&pass, "not-the-password");
            let button = browser.find("//main//button[@type='submit']");
            browser.click_to_next_page(&button);
            assert_eq!(browser.css("[role=alert]").len(), 1, "the refusal is shown");
            check(&mut browser, "login-errors", lang);
            browser.sign_in("adm", &password);
            for (name, path) in &signed_in {
                browser.open(path);
                check(&mut browser, name, lang);
            }
            // The annual update form refused: a message at the field and a summary.
            browser.open(&entry);
            let first = browser.css("form#entry-form input[type=text]")[0].clone();
            browser.type_into(&first, "not a number");
            let save = browser.find("//form[@id='entry-form']//button[@type='submit']");
            browser.click_to_next_page(&save);
            assert_eq!(
                browser.css(".error-summary").len(),
                1,
                "the refused form shows its summary"
            );
            check(&mut browser, "entry-errors", lang);
            // Adding a user with nothing filled in: a message at each field.
            browser.open("/admin/users");
            let add = browser.find("//form[@action='/admin/users']//button[@type='submit']");
            browser.click_to_next_page(&add);
            assert!(
                browser.css(".field-error").len() >= 2,
                "the refused user form shows its messages"
            );
            check(&mut browser, "users-errors", lang);
            browser.sign_out();
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yearly_cycle_in_a_browser_analyst_enters_official_publishes_public_sees() {
    let db = TestDb::seeded().await;
    let analyst_password = db.user("ana", Role::Analyst).await;
    let official_password = db.user("oli", Role::Official).await;
    let base = serve(&db).await;
    let pool = db.pool.clone();

    in_browser(move || {
        let mut browser = Browser::start(&base);
        let indicator_page = format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}");
        let published_2024 = format!("//table//tr[th[normalize-space(.)='{YEAR}']]/td[1]");

        // Before: nothing published for the year.
        browser.open(&indicator_page);
        let cell = browser.find(&published_2024);
        assert_eq!(browser.text(&cell).trim(), "", "no figure for {YEAR} yet");

        // The analyst fills the annual update form by its labels.
        browser.sign_in("ana", &analyst_password);
        browser.open(&format!("/plans/{DEFAULT_PLAN}/entry/{YEAR}"));
        let value_label = format!("{INDICATOR_NAME}: Value for {YEAR} (%)");
        let source_label = format!("{INDICATOR_NAME}: Source");
        let value = browser.input_labelled(&value_label);
        browser.type_into(&value, "257");
        let source = browser.input_labelled(&source_label);
        browser.type_into(&source, "Chongqing S&T funding bulletin 2024");
        let save = browser.find("//form[@id='entry-form']//button[@type='submit']");
        browser.click_to_next_page(&save);

        // Refused: the message is at the field, tied to it, and what was typed is kept.
        let value = browser.input_labelled(&value_label);
        assert_eq!(
            browser.attribute(&value, "aria-invalid").as_deref(),
            Some("true"),
            "the refused value is marked invalid"
        );
        let said = browser.description(&value);
        assert!(
            said.contains("100"),
            "the field's description explains the refusal: {said:?}"
        );
        // The message is shown right under the field, not only announced.
        let placed = browser.execute(
            "const input = arguments[0];
             const message = document.getElementById(input.id + '-error');
             if (!message) return 'no message';
             const a = input.getBoundingClientRect(), b = message.getBoundingClientRect();
             return b.height > 0 && b.top >= a.bottom && b.top - a.bottom < 40 ? 'under the field' : 'elsewhere';",
            json!([value]),
        );
        assert_eq!(placed, json!("under the field"));
        assert_eq!(browser.property(&value, "value"), json!("257"));
        let source = browser.input_labelled(&source_label);
        assert_eq!(
            browser.property(&source, "value"),
            json!("Chongqing S&T funding bulletin 2024")
        );
        let summary_links = browser.find_all("//*[contains(@class,'error-summary')]//a");
        assert!(!summary_links.is_empty(), "a summary links to the field");

        // Corrected and saved as a draft.
        browser.type_into(&value, "2.57");
        let save = browser.find("//form[@id='entry-form']//button[@type='submit']");
        browser.click_to_next_page(&save);
        assert!(
            browser.css(".error-summary").is_empty(),
            "the corrected form is accepted"
        );
        assert_eq!(
            browser.css("[role=status]").len(),
            1,
            "a notice says what was saved"
        );
        browser.sign_out();

        // Still not public.
        browser.open(&indicator_page);
        let cell = browser.find(&published_2024);
        assert_eq!(browser.text(&cell).trim(), "", "a draft is not public");

        // An official publishes it on the review page.
        browser.sign_in("oli", &official_password);
        browser.open(&format!("/plans/{DEFAULT_PLAN}/review"));
        let row = format!("//tr[th//a[normalize-space(.)='{INDICATOR_NAME}']]");
        let draft = browser.find(&format!("{row}/td[1]"));
        assert_eq!(browser.text(&draft).trim(), "2.57");
        let publish = browser.find(&format!("{row}//button[normalize-space(.)='Publish']"));
        browser.click_to_next_page(&publish);
        assert!(
            browser.find_all(&row).is_empty(),
            "the published draft leaves the review page"
        );
        browser.sign_out();

        // The public page (signed out) shows the new figure.
        browser.open(&indicator_page);
        let cell = browser.find(&published_2024);
        assert_eq!(browser.text(&cell).trim(), "2.57");
    })
    .await;

    let state: String = sqlx::query_scalar(
        "select state::text from observation join indicator using (indicator_id)
          where code = $1 and year = $2 and kind = 'actual'",
    )
    .bind(INDICATOR)
    .bind(YEAR)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(state, "published");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annual_report_prints_on_a4_with_its_charts_and_its_table_header_on_each_page() {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    let password = db.user("oli", Role::Official).await;
    let base = serve(&db).await;

    in_browser(move || {
        let mut browser = Browser::start(&base);
        browser.sign_in("oli", &password);
        browser.open(&format!("/plans/{CHINA_PLAN}/reports/2023?format=html"));
        browser.set_viewport(680, 1000);
        browser.emulate_media("print");
        let seen = browser.execute(
            "const style = s => getComputedStyle(document.querySelector(s));
             const visible = s => [...document.querySelectorAll(s)].some(e => e.getClientRects().length > 0);
             const charts = [...document.querySelectorAll('figure.report-chart img')];
             return {officials: style('.report-officials').display,
                     head: style('table.report-indicators thead').display,
                     method: style('.report-method').breakBefore,
                     nav: visible('header nav'), forms: visible('form'),
                     charts: charts.length,
                     drawn: charts.filter(i => i.complete && i.naturalWidth > 0 && i.getClientRects().length > 0).length};",
            json!([]),
        );
        assert_eq!(seen["officials"], json!("none"), "the officials' panel printed");
        assert_eq!(seen["head"], json!("table-header-group"), "{seen}");
        assert_eq!(seen["method"], json!("page"), "{seen}");
        assert_eq!(seen["nav"], json!(false), "navigation printed");
        assert_eq!(seen["forms"], json!(false), "a form printed");
        assert!(seen["charts"].as_u64().unwrap() > 0, "{seen}");
        assert_eq!(seen["drawn"], seen["charts"], "a chart is not drawn: {seen}");
        let (over, culprit) = browser.sideways_overflow();
        assert_eq!(over, 0, "the report is wider than an A4 page ({culprit})");
        browser.emulate_media("");
        let pdf = browser.print_a4();
        let pages = count_pages(&pdf);
        assert!((2..=16).contains(&pages), "the report prints on {pages} pages");
        std::fs::write(screenshot_dir().join("report-en-print.pdf"), &pdf).unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_and_an_indicator_print_on_a4_without_navigation_or_forms() {
    let db = TestDb::seeded().await;
    let base = serve(&db).await;

    in_browser(move || {
        let mut browser = Browser::start(&base);
        for (name, path) in [
            ("overview", "/".to_owned()),
            (
                "indicator",
                format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}"),
            ),
        ] {
            browser.open(&path);
            // A4 less 15 mm margins is 180 mm wide: 680 CSS pixels.
            browser.set_viewport(680, 1000);
            browser.emulate_media("print");
            let shown = browser.execute(
                "const visible = s => [...document.querySelectorAll(s)].some(e => e.getClientRects().length > 0);
                 return {nav: visible('header nav'), forms: visible('form'), skip: visible('.skip'),
                         chart: visible('figure.chart svg'), table: visible('main table'),
                         footer: visible('footer.site')};",
                json!([]),
            );
            assert_eq!(shown["nav"], json!(false), "{name}: navigation printed");
            assert_eq!(shown["forms"], json!(false), "{name}: a form printed");
            assert_eq!(shown["table"], json!(true), "{name}: its table not printed");
            if name == "indicator" {
                assert_eq!(shown["chart"], json!(true), "{name}: its chart not printed");
            }
            let (over, culprit) = browser.sideways_overflow();
            assert_eq!(over, 0, "{name}: wider than an A4 page ({culprit})");
            browser.emulate_media("");
            let pdf = browser.print_a4();
            assert!(pdf.starts_with(b"%PDF-"), "{name}: not a PDF");
            let pages = count_pages(&pdf);
            assert!(
                (1..=4).contains(&pages),
                "{name} prints on {pages} A4 pages, expected at most 4"
            );
            let path = screenshot_dir().join(format!("{name}-en-print.pdf"));
            std::fs::write(&path, &pdf).unwrap();
            // Pictures of the pages, to look at, where poppler's pdftoppm is installed.
            if let Some(pdftoppm) = on_path(&["pdftoppm"]) {
                for page in 1..=9 {
                    let old = screenshot_dir().join(format!("{name}-en-print-{page}.png"));
                    let _ = std::fs::remove_file(old);
                }
                let _ = Command::new(pdftoppm)
                    .args(["-r", "72", "-png"])
                    .arg(&path)
                    .arg(screenshot_dir().join(format!("{name}-en-print")))
                    .status();
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accessibility_checks_report_each_problem_with_its_rule_and_place() {
    let db = TestDb::seeded().await;
    let base = serve(&db).await;

    in_browser(move || {
        let axe = axe_source();
        let mut browser = Browser::start(&base);
        browser.open("/login");
        // Break the page as a careless template change would: an input without its label.
        browser.execute(
            "document.querySelector('label[for=password]').remove();",
            json!([]),
        );
        let report = browser
            .accessibility_report(&axe, "the broken login page")
            .expect("axe finds the unlabelled input");
        assert!(report.contains("- label (critical)"), "{report}");
        assert!(report.contains("#password"), "{report}");

        // Two landmarks of one name: the year table's scroll region named like its section.
        browser.open(&format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}"));
        assert!(
            browser
                .accessibility_report(&axe, "the indicator page")
                .is_none(),
            "the indicator page passes before it is broken"
        );
        browser.execute(
            "document.querySelector('.table-wrap[role=region]:has(table.years)')
               .setAttribute('aria-labelledby', 'years-h');",
            json!([]),
        );
        let report = browser
            .accessibility_report(&axe, "the broken indicator page")
            .expect("axe finds the two landmarks of one name");
        assert!(report.contains("- landmark-unique"), "{report}");

        // And what axe cannot see: a message tied to no field, no skip link, a skipped level.
        browser.open("/login");
        browser.execute(
            "document.querySelector('.skip').remove();
             const m = document.createElement('p');
             m.className = 'field-error'; m.id = 'loose-error'; m.textContent = 'Wrong';
             document.querySelector('main').append(m);
             const h = document.createElement('h4'); h.textContent = 'Too deep';
             document.querySelector('main').append(h);",
            json!([]),
        );
        let problems = browser.structure_report("the broken login page").join("\n");
        assert!(
            problems.contains("loose-error is tied to no field"),
            "{problems}"
        );
        assert!(problems.contains("not to the skip link"), "{problems}");
        assert!(
            problems.contains("heading level 4 (\"Too deep\")"),
            "{problems}"
        );
    })
    .await;
}

/// The stylesheet's screen rules reach the screen and its print rules stay on paper (a print
/// block once left unclosed swallowed every rule after it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screen_styles_show_on_screen_and_the_print_styles_only_on_paper() {
    let db = TestDb::seeded().await;
    let password = db.user("adm", Role::Admin).await;
    let base = serve(&db).await;

    in_browser(move || {
        let mut browser = Browser::start(&base);
        browser.set_viewport(1280, 900);
        let verdicts = "return [...document.querySelectorAll('td.verdict')].map(td => {
               const s = getComputedStyle(td);
               return [td.className, s.color, s.fontWeight];
             });";

        // The final assessment: each result in its colour, bold, on screen…
        browser.open(&format!("/plans/{DEFAULT_PLAN}/assessment"));
        let shown = browser.execute(verdicts, json!([]));
        let shown = shown.as_array().expect("the results");
        let colour_of = |class: &str| match class {
            "verdict verdict-achieved" => "rgb(27, 110, 60)",
            "verdict verdict-not_achieved" => "rgb(164, 22, 26)",
            _ => "rgb(77, 85, 96)",
        };
        assert!(
            shown.iter().any(|v| v[0] == "verdict verdict-achieved"),
            "the seeded plan has an achieved result: {shown:?}"
        );
        for v in shown {
            let class = v[0].as_str().unwrap_or_default();
            assert_eq!(
                (v[1].as_str(), v[2].as_str()),
                (Some(colour_of(class)), Some("700")),
                "{class}: colour and weight on screen"
            );
        }
        // …and black on paper.
        browser.emulate_media("print");
        let printed = browser.execute(verdicts, json!([]));
        for v in printed.as_array().expect("the results") {
            assert_eq!(v[1], json!("rgb(0, 0, 0)"), "{}: colour in print", v[0]);
        }
        browser.emulate_media("");

        // A link styled as a button has the button's frame and no underline.
        browser.sign_in("adm", &password);
        browser.open("/admin/plans");
        let button = browser.execute(
            "const s = getComputedStyle(document.querySelector('main a.button'));
             return [s.display, s.borderTopStyle, s.borderTopWidth, s.borderTopColor,
                     s.textDecorationLine, s.paddingLeft];",
            json!([]),
        );
        assert_eq!(
            button,
            json!([
                "inline-block",
                "solid",
                "2px",
                "rgb(11, 92, 173)",
                "none",
                "16px"
            ]),
            "a.button on screen"
        );

        // The yearly form: the commentary box spans its row, not the value column.
        browser.open(&format!("/plans/{DEFAULT_PLAN}/entry/{YEAR}"));
        let widths = browser.execute(
            "const wide = document.querySelector('.entry-fields .field-wide');
             const row = wide.closest('.entry-fields');
             const value = row.querySelector('input[type=text]');
             return [row.getBoundingClientRect().width, wide.getBoundingClientRect().width,
                     wide.querySelector('textarea').getBoundingClientRect().width,
                     value.getBoundingClientRect().width];",
            json!([]),
        );
        let [row, wide, textarea, value] =
            [0, 1, 2, 3].map(|i| widths[i].as_f64().expect("a width"));
        assert!(
            (row - wide).abs() < 1.0 && (row - textarea).abs() < 1.0,
            "the commentary box spans its row ({row} px): field {wide} px, box {textarea} px"
        );
        assert!(
            textarea > 2.5 * value,
            "the commentary box ({textarea} px) is wider than the value column ({value} px)"
        );
    })
    .await;
}

/// The indicator whose tenfold figure the attention test enters, and its published 2024 value.
const TENFOLD_INDICATOR: &str = "tech-contract-turnover";
const TENFOLD_YEAR: i32 = 2025;

/// Issue 13, first "Done when": in both languages (English at 1280 px, Chinese at 375 px) an
/// official follows a status count to the table narrowed to it; an analyst enters a tenfold
/// value, is warned at the field and confirms it; the official sees the warning, the previous
/// year, the change and the commentary on the review page, and a send-back without a comment
/// is refused at the comment field (422) on the review page's address; the indicator's chart
/// shows its target at 375 px without sideways scrolling.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_follow_status_links_and_analysts_confirm_a_tenfold_value_in_both_languages() {
    let db = TestDb::seeded().await;
    let analyst_password = db.user("ana", Role::Analyst).await;
    let official_password = db.user("oli", Role::Official).await;
    let indicator = crate::harness::indicator_id(&db.pool, TENFOLD_INDICATOR).await;
    let base = serve(&db).await;
    let pool = db.pool.clone();
    let runtime = tokio::runtime::Handle::current();

    in_browser(move || {
        let mut browser = Browser::start(&base);
        let mut failures: Vec<String> = Vec::new();
        // The status of the response the page shown came with.
        let status = |browser: &mut Browser| {
            browser.execute(
                "const n = performance.getEntriesByType('navigation')[0];
                 return n ? n.responseStatus : 0;",
                json!([]),
            )
        };
        let key = format!("i{indicator}");
        // Tenfold the published 974.24 of 2024, a different figure in each language (the
        // second replaces the first's draft) and the change in % each gives.
        let rounds = [
            ("en", 1280, "10120.5", "+938.8%", "Includes the new Western China technology exchange."),
            ("zh", 375, "9742.4", "+900.0%", "含新设西部技术交易中心的成交额。"),
        ];
        for (lang, width, value, change, commentary) in rounds {
            browser.open("/");
            browser.use_language(lang);
            browser.set_viewport(width, 900);
            let at = format!("({lang}, {width} px)");

            // 1. The official follows a status count to the table narrowed to that status.
            browser.sign_in("oli", &official_password);
            browser.open(&format!("/plans/{DEFAULT_PLAN}"));
            // The lagging indicators when there are any, else the first status that has some.
            let mut links = browser.css(
                "ul.counts :is(.count-limited_progress, .count-deterioration, .count-lagging, .count-not_achieved) a",
            );
            if links.is_empty() {
                links = browser.css("ul.counts li a");
            }
            assert!(!links.is_empty(), "{at} the overview's counts link nowhere");
            let link = links[0].clone();
            let counted = browser.execute(
                "const a = arguments[0]; const s = a.querySelector('.status');
                 const label = [...s.childNodes].filter(n => !(n.classList && n.classList.contains('symbol')))
                   .map(n => n.textContent).join('').replace(/\\s+/g, ' ').trim();
                 return {code: a.closest('li').className.replace(/^count-/, ''),
                         count: Number(a.querySelector('strong').textContent.trim()), label};",
                json!([link]),
            );
            let code = counted["code"].as_str().unwrap_or_default().to_owned();
            let count = counted["count"].as_u64().unwrap_or(0);
            let label = counted["label"].as_str().unwrap_or_default().to_owned();
            assert!(
                !code.is_empty() && count > 0 && !label.is_empty(),
                "{at} the first status link: {counted}"
            );
            browser.click_to_next_page(&link);
            let narrowed = browser.path();
            assert!(
                narrowed.contains(&format!("status={code}")),
                "{at} the {code} link led to {narrowed}"
            );
            let rows = browser.execute(
                "return [...document.querySelectorAll('main table.indicators tbody tr')].map(tr =>
                   [tr.id, tr.dataset.status || '',
                    [...tr.querySelectorAll('.status')].map(s => s.className).join(' ')]);",
                json!([]),
            );
            let rows = rows.as_array().cloned().unwrap_or_default();
            assert_eq!(
                rows.len() as u64,
                count,
                "{at} the table narrowed to {code} shows {rows:?}, the count said {count}"
            );
            for r in &rows {
                assert!(
                    r[1] == json!(code)
                        && r[2]
                            .as_str()
                            .unwrap_or_default()
                            .split_whitespace()
                            .any(|c| c == format!("status-{code}")),
                    "{at} a row of the table narrowed to {code} has another status badge: {r}"
                );
            }
            let said = browser.css("p.table-active");
            assert_eq!(said.len(), 1, "{at} the narrowed table does not say so");
            let said = browser.text(&said[0]);
            assert!(
                said.contains(&label),
                "{at} the narrowed table says {said:?}, not its status {label:?}"
            );
            browser.sign_out();

            // 2. The analyst enters a tenfold value, is warned at the field and confirms it.
            browser.sign_in("ana", &analyst_password);
            let entry = format!("/plans/{DEFAULT_PLAN}/entry/{TENFOLD_YEAR}");
            browser.open(&entry);
            let input = browser.find(&format!("//input[@id='value-{key}']"));
            browser.type_into(&input, value);
            let source = browser.find(&format!("//input[@id='source-{key}']"));
            browser.type_into(&source, "Chongqing technology market statistics 2025");
            let comment_box = browser.find(&format!("//textarea[@id='commentary-{key}']"));
            browser.type_into(&comment_box, commentary);
            let save = browser.find("//button[@id='save-bottom']");
            browser.click_to_next_page(&save);
            if status(&mut browser) != json!(422) {
                failures.push(format!(
                    "{at} the unconfirmed tenfold value answered {}, expected 422",
                    status(&mut browser)
                ));
            }
            assert_eq!(browser.path(), entry, "{at} the warned form's address");
            let input = browser.find(&format!("//input[@id='value-{key}']"));
            assert_eq!(browser.property(&input, "value"), json!(value), "{at} value kept");
            let warned = browser.execute(
                "const input = arguments[0];
                 const m = document.getElementById(input.id + '-error');
                 if (!m) return null;
                 const a = input.getBoundingClientRect(), b = m.getBoundingClientRect();
                 return {text: m.textContent.replace(/\\s+/g, ' ').trim(),
                         described: (input.getAttribute('aria-describedby') || '').split(/\\s+/).includes(m.id),
                         under: b.height > 0 && b.top >= a.bottom - 1 && b.top - a.bottom < 60};",
                json!([input]),
            );
            assert!(
                warned["text"].as_str().is_some_and(|t| !t.is_empty())
                    && warned["described"] == json!(true)
                    && warned["under"] == json!(true),
                "{at} no warning at the value field: {warned}"
            );
            let tick = browser.css(&format!("input[name^='checked.'][name$='.{key}']"));
            assert_eq!(tick.len(), 1, "{at} no \"I checked this value\" box");
            let tick = tick[0].clone();
            assert_eq!(browser.property(&tick, "checked"), json!(false));
            let stored: Option<(f64, bool)> = runtime.block_on(
                sqlx::query_as(
                    "select value::float8, value_checked from observation
                      where indicator_id = $1 and year = $2 and kind = 'actual'",
                )
                .bind(indicator)
                .bind(TENFOLD_YEAR)
                .fetch_optional(&pool),
            )
            .unwrap();
            assert!(
                stored.is_none_or(|(v, _)| v.to_string() != value),
                "{at} the unconfirmed value was stored: {stored:?}"
            );
            browser.click(&tick);
            let save = browser.find("//button[@id='save-bottom']");
            browser.click_to_next_page(&save);
            assert!(
                browser.css(".error-summary").is_empty(),
                "{at} the confirmed value is refused again"
            );
            assert!(
                browser.path().starts_with(&format!("{entry}?saved=")),
                "{at} after confirming: {}",
                browser.path()
            );
            let stored: (f64, bool, String) = runtime
                .block_on(
                    sqlx::query_as(
                        "select value::float8, value_checked, state::text from observation
                          where indicator_id = $1 and year = $2 and kind = 'actual'",
                    )
                    .bind(indicator)
                    .bind(TENFOLD_YEAR)
                    .fetch_one(&pool),
                )
                .unwrap();
            assert_eq!(
                (stored.0.to_string(), stored.1, stored.2.as_str()),
                (value.to_owned(), true, "draft"),
                "{at} the confirmed draft as stored (value, value_checked, state)"
            );
            browser.sign_out();

            // 3. The official judges it on the review page and sends it back without a comment.
            browser.sign_in("oli", &official_password);
            let review = format!("/plans/{DEFAULT_PLAN}/review");
            browser.open(&review);
            let row_css = format!(
                "table.review tr[id^='draft-']:has(th a[href$='/indicators/{TENFOLD_INDICATOR}'])"
            );
            let row = browser.css(&row_css);
            assert_eq!(row.len(), 1, "{at} the draft's row on the review page");
            let row_id = browser.attribute(&row[0], "id").unwrap_or_default();
            let cells = browser.execute(
                "const row = document.getElementById(arguments[0]);
                 const text = s => { const e = row.querySelector(s); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null; };
                 return {warning: text('td.draft-value p.plausibility-warning'), previous: text('td.previous-year'),
                         change: text('td.change'), commentary: text('.commentary-text')};",
                json!([row_id]),
            );
            assert!(
                cells["warning"].as_str().is_some_and(|w| !w.is_empty()),
                "{at} the review page shows no warning: {cells}"
            );
            let previous = cells["previous"].as_str().unwrap_or_default();
            assert!(
                previous.contains("974.24") && previous.contains("2024"),
                "{at} the previous year on the review page: {cells}"
            );
            assert!(
                cells["change"].as_str().unwrap_or_default().contains(change),
                "{at} the change on the review page, expected {change}: {cells}"
            );
            assert_eq!(
                cells["commentary"],
                json!(commentary),
                "{at} the commentary on the review page"
            );
            let send_back = browser.find(&format!(
                "//tr[@id='{row_id}']//form[contains(@class,'send-back')]//button[@type='submit']"
            ));
            browser.click_to_next_page(&send_back);
            let answered = status(&mut browser);
            if answered != json!(422) {
                failures.push(format!(
                    "{at} a send-back without a comment answered {answered}, expected 422"
                ));
            }
            let address = browser.path();
            if address.split(['?', '#']).next() != Some(review.as_str()) {
                failures.push(format!(
                    "{at} after a send-back without a comment the address is {address}, not the review page {review}"
                ));
            }
            let draft = row_id.trim_start_matches("draft-");
            let at_field = browser.execute(
                "const box = document.getElementById('comment-' + arguments[0]);
                 if (!box) return {box: false};
                 const m = document.getElementById(box.id + '-error');
                 const rect = m ? m.getBoundingClientRect() : null;
                 return {box: true, message: m ? m.textContent.replace(/\\s+/g, ' ').trim() : null,
                         visible: !!rect && rect.height > 0,
                         beside: !!m && m.closest('form') === box.closest('form'),
                         invalid: box.getAttribute('aria-invalid'),
                         described: (box.getAttribute('aria-describedby') || '').split(/\\s+/).includes(box.id + '-error'),
                         notices: document.querySelectorAll('.notice').length};",
                json!([draft]),
            );
            assert!(
                at_field["message"].as_str().is_some_and(|m| !m.is_empty())
                    && at_field["visible"] == json!(true)
                    && at_field["beside"] == json!(true)
                    && at_field["invalid"] == json!("true")
                    && at_field["described"] == json!(true),
                "{at} the send-back without a comment has no message at its comment field: {at_field}"
            );
            assert_eq!(
                at_field["notices"],
                json!(0),
                "{at} the refused send-back shows a notice box"
            );

            // 4. The indicator's chart shows its target at 375 px, and the page does not
            //    scroll sideways (at the round's width too).
            browser.open(&format!("/plans/{DEFAULT_PLAN}/indicators/{INDICATOR}"));
            let mut chart_widths = vec![375];
            if width != 375 {
                chart_widths.push(width);
            }
            for w in chart_widths {
                browser.set_viewport(w, 900);
                let fit = browser.execute(
                    "const vw = window.innerWidth; const bad = [];
                     const points = [...document.querySelectorAll('figure.chart path.target-point')];
                     if (points.length === 0) bad.push('no target point');
                     for (const p of points) {
                       const f = p.closest('figure').getBoundingClientRect();
                       const svg = p.closest('svg').getBoundingClientRect();
                       const r = p.getBoundingClientRect();
                       const inside = b => r.left >= b.left - 0.5 && r.right <= b.right + 0.5;
                       if (r.width === 0 || r.left < 0 || r.right > vw + 0.5 || !inside(f) || !inside(svg))
                         bad.push('target point at ' + Math.round(r.left) + '..' + Math.round(r.right)
                           + ', chart ' + Math.round(svg.left) + '..' + Math.round(svg.right)
                           + ', figure ' + Math.round(f.left) + '..' + Math.round(f.right));
                     }
                     const sw = document.documentElement.scrollWidth;
                     if (sw > vw) bad.push('the page is ' + sw + ' px wide in a ' + vw + ' px window');
                     return bad;",
                    json!([]),
                );
                for bad in fit.as_array().into_iter().flatten() {
                    failures.push(format!(
                        "({lang}, {w} px) the chart of {INDICATOR}: {}",
                        bad.as_str().unwrap_or_default()
                    ));
                }
            }
            browser.set_viewport(width, 900);
            browser.sign_out();
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    })
    .await;
}
