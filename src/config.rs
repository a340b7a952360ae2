//! Settings shared by every command: where the database is and where the site listens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::i18n::TimeZone;

#[derive(Debug, Clone)]
pub struct Config {
    /// The address `serve` listens on.
    pub addr: SocketAddr,
    /// Where the embedded PostgreSQL cluster lives when `database_url` is not set.
    pub data_dir: PathBuf,
    /// An existing PostgreSQL server to use instead of the embedded cluster.
    pub database_url: Option<String>,
    /// The address readers use, when it differs from `addr` (behind a proxy). An `https://`
    /// address makes the session cookie Secure.
    pub public_url: Option<String>,
    /// How long connections and requests may take, and how many connections are served at once.
    pub limits: Limits,
    /// The zone the pages show times in (history, review, audit): the plan's, China's by
    /// default. The feed and the API write UTC.
    pub time_zone: TimeZone,
    /// Where fonts for chart images are looked for (see [`crate::raster`]).
    pub font_dir: PathBuf,
    /// The mail server officials and analysts are told through; without it nothing is mailed.
    pub mail: Option<crate::mail::MailConfig>,
}

/// The server's budgets: a slow or silent client, or a flood of them, holds nothing for long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A request's header must arrive within this long; the same bound applies to a kept-alive
    /// connection waiting for its next request (the idle timeout).
    pub header_read: Duration,
    /// A request body that sends nothing for this long is refused with 408.
    pub body_idle: Duration,
    /// A request (body and answer) that takes longer is answered 408 (body still arriving) or
    /// 503 (the site was slow) instead.
    pub request: Duration,
    /// The same for requests that carry a file (spreadsheet and seed-file uploads).
    pub upload_request: Duration,
    /// On SIGINT or SIGTERM, connections get this long to finish before they are closed.
    pub shutdown_grace: Duration,
    /// Connections served at once; further ones wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            body_idle: Duration::from_secs(10),
            request: Duration::from_secs(30),
            upload_request: Duration::from_secs(120),
            shutdown_grace: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

impl Config {
    /// Whether the session cookie is only sent over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The address links on pages and in feeds are built from, without a trailing `/`: the
    /// configured public address, else the address the site listens on. Never the request's
    /// `Host` header, which any client can set.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }
}

impl Config {
    pub const DEFAULT_ADDR: &'static str = "127.0.0.1:8080";
    pub const DEFAULT_DATA_DIR: &'static str = "./data";
    pub const DEFAULT_FONT_DIR: &'static str = "/usr/share/fonts";
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: Self::DEFAULT_ADDR.parse().expect("a valid default address"),
            data_dir: PathBuf::from(Self::DEFAULT_DATA_DIR),
            database_url: None,
            public_url: None,
            limits: Limits::default(),
            time_zone: TimeZone::default(),
            font_dir: PathBuf::from(Self::DEFAULT_FONT_DIR),
            mail: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_from_the_public_address_else_the_listening_address() {
        let mut config = Config {
            addr: "127.0.0.1:8123".parse().unwrap(),
            ..Config::default()
        };
        assert_eq!(config.base_url(), "http://127.0.0.1:8123");
        config.addr = "[::1]:8123".parse().unwrap();
        assert_eq!(config.base_url(), "http://[::1]:8123");
        config.public_url = Some("https://plans.example.org/".into());
        assert_eq!(config.base_url(), "https://plans.example.org");
    }
}
