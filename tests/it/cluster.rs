//! `plantrack serve` on the embedded cluster, as a person runs it: first start, reuse, a second
//! command alongside, clean stop on SIGTERM, and recovery after a crash.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{Serve, Served, own_cluster_command, postmaster_pid};

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

fn serve(data_dir: &Path) -> Served {
    Serve::on_own_cluster(data_dir).start()
}

/// SIGTERM, and a clean exit within 60 s.
fn stop(served: Served) {
    let status = served.terminate();
    assert!(status.success(), "serve exited with {status}");
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
    let out = own_cluster_command(&dir)
        .args(["seed", example])
        .output()
        .unwrap();
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
    stop(first);
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
    stop(second);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn serve_recovers_from_a_crash_that_left_a_stale_pid_file() {
    let dir = test_dir("crash");
    let out = own_cluster_command(&dir).arg("migrate").output().unwrap();
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
    stop(again);
    std::fs::remove_dir_all(&dir).unwrap();
}
