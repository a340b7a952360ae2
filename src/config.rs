//! Settings shared by every command: where the database is and where the site listens.

use std::net::SocketAddr;
use std::path::PathBuf;

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
}

impl Config {
    /// Whether the session cookie is only sent over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

impl Config {
    pub const DEFAULT_ADDR: &'static str = "127.0.0.1:8080";
    pub const DEFAULT_DATA_DIR: &'static str = "./data";
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: Self::DEFAULT_ADDR.parse().expect("a valid default address"),
            data_dir: PathBuf::from(Self::DEFAULT_DATA_DIR),
            database_url: None,
            public_url: None,
        }
    }
}
