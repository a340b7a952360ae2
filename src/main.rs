use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

use plantrack::config::Config;

/// Tracks government development plans: indicators, targets, yearly figures and programmes.
#[derive(Parser)]
#[command(name = "plantrack", version)]
struct Cli {
    /// Where the embedded PostgreSQL cluster lives (used when DATABASE_URL is not set).
    #[arg(long, env = "PLANTRACK_DATA_DIR", default_value = Config::DEFAULT_DATA_DIR, global = true)]
    data_dir: PathBuf,
    /// An existing PostgreSQL server to use instead of the embedded cluster.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PLANTRACK_ADDR", default_value = Config::DEFAULT_ADDR)]
        addr: SocketAddr,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load plan definitions and figures from seed files (idempotent).
    Seed {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("plantrack=info,warn")),
        )
        .init();
    let cli = Cli::parse();
    let mut config = Config {
        data_dir: cli.data_dir,
        database_url: cli.database_url,
        ..Config::default()
    };
    let result = match cli.command {
        Command::Serve { addr } => {
            config.addr = addr;
            plantrack::serve(config).await
        }
        Command::Migrate => plantrack::migrate(&config)
            .await
            .map(|()| println!("the database schema is up to date")),
        Command::Seed { files } => plantrack::seed(&config, &files).await.map(|reports| {
            for report in reports {
                println!("{report}");
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plantrack: {e:#}");
            ExitCode::FAILURE
        }
    }
}
