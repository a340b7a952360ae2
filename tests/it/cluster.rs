//! `plantrack serve` on the embedded cluster, as a person runs it: first start, reuse, a second
//! command alongside, clean stop on SIGTERM, and recovery after a crash.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{free_port, postmaster_pid};

fn plantrack(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plantrack"));
    cmd.env_remove("DATABASE_URL")
        .env("PLANTRACK_DATA_DIR", data_dir)
        .env("RUST_LOG", "plantrack=info");
    cmd
}

/// A minimal HTTP/1.1 GET, so the test talks to the real socket.
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, response))
}

struct Served {
    child: Child,
    port: u16,
}

fn serve(data_dir: &Path) -> Served {
    let port = free_port();
    let child = plantrack(data_dir)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut served = Served { child, port };
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some((200, _)) = http_get(port, "/healthz") {
            return served;
        }
        if let Some(status) = served.child.try_wait().unwrap() {
            panic!("plantrack serve exited early: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "plantrack serve did not answer within 90 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Served {
    fn terminate(mut self) {
        // SAFETY: plain kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "serve exited with {status}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop within 60 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn plans(port: u16) -> usize {
    let (status, body) = http_get(port, "/api/v1/plans").unwrap();
    assert_eq!(status, 200);
    body.matches("\"slug\"").count()
}

fn test_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("plantrack-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn serve_creates_reuses_and_stops_its_own_cluster() {
    let dir = test_dir("serve");

    // First start: a new cluster, the default plan loaded, the overview with 13 indicators.
    let first = serve(&dir);
    let (status, page) = http_get(first.port, "/").unwrap();
    assert_eq!(status, 200);
    assert_eq!(page.matches("<tr id=\"indicator-").count(), 13);
    assert_eq!(plans(first.port), 1);
    let pid = postmaster_pid(&dir).expect("the cluster runs");

    // Another command while serve runs uses the same cluster rather than starting its own.
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/example-district-2021-2025.toml"
    );
    let out = plantrack(&dir).args(["seed", example]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("example-district-2021-2025"));
    assert_eq!(
        postmaster_pid(&dir),
        Some(pid),
        "serve's cluster is still the one running"
    );
    // The site hears of the change (LISTEN/NOTIFY) and shows the new plan within a second.
    let seeded = Instant::now();
    while plans(first.port) != 2 {
        assert!(
            seeded.elapsed() < Duration::from_secs(1),
            "the new plan did not show within a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    // SIGTERM stops the site and the cluster cleanly.
    first.terminate();
    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "the cluster was stopped"
    );
    // SAFETY: kill(2) with signal 0 only checks that the process exists.
    assert_ne!(
        unsafe { libc::kill(pid, 0) },
        0,
        "the postmaster has exited"
    );

    // Second start: the same data, nothing loaded again.
    let second = serve(&dir);
    assert_eq!(plans(second.port), 2);
    second.terminate();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn serve_recovers_from_a_crash_that_left_a_stale_pid_file() {
    let dir = test_dir("crash");
    let out = plantrack(&dir).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "a short command stops the cluster it started"
    );

    let served = serve(&dir);
    let pid = postmaster_pid(&dir).unwrap();
    // A crash: the site and its database killed outright, the pid file left behind.
    drop(served);
    // SAFETY: kill(2) on the postmaster's pid read from its own pid file.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while unsafe { libc::kill(pid, 0) } == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(dir.join("postgres/postmaster.pid").exists());

    let again = serve(&dir);
    assert_eq!(plans(again.port), 1);
    again.terminate();
    std::fs::remove_dir_all(&dir).unwrap();
}
