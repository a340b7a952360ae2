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

/// The server's budgets for slow clients and shutdown (see `plantrack::config::Limits`).
#[derive(clap::Args)]
struct LimitArgs {
    /// Seconds a request's header may take to arrive; also how long an idle kept-alive
    /// connection stays open.
    #[arg(long, env = "PLANTRACK_HEADER_TIMEOUT", value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a request body may send nothing before it is refused with 408.
    #[arg(long, env = "PLANTRACK_BODY_TIMEOUT", value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
    /// Seconds a request may take in all (a file upload: --upload-timeout).
    #[arg(long, env = "PLANTRACK_REQUEST_TIMEOUT", value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// Seconds a request carrying a file may take in all.
    #[arg(long, env = "PLANTRACK_UPLOAD_TIMEOUT", value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    upload_timeout: u64,
    /// Seconds requests in flight get to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "PLANTRACK_SHUTDOWN_GRACE", value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3600))]
    shutdown_grace: u64,
    /// Connections served at once; more wait to be accepted.
    #[arg(long, env = "PLANTRACK_MAX_CONNECTIONS", value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
}

impl From<LimitArgs> for plantrack::config::Limits {
    fn from(a: LimitArgs) -> Self {
        use std::time::Duration;
        plantrack::config::Limits {
            header_read: Duration::from_secs(a.header_timeout),
            body_idle: Duration::from_secs(a.body_timeout),
            request: Duration::from_secs(a.request_timeout),
            upload_request: Duration::from_secs(a.upload_timeout),
            shutdown_grace: Duration::from_secs(a.shutdown_grace),
            max_connections: usize::try_from(a.max_connections).unwrap_or(usize::MAX),
        }
    }
}

/// Where mail to officials and analysts goes (see `plantrack::mail`).
#[derive(clap::Args)]
struct MailArgs {
    /// The mail server to send through, as smtp://HOST[:PORT] (plain SMTP, no TLS: a relay on
    /// a trusted network). Without it nothing is mailed.
    #[arg(long, env = "PLANTRACK_SMTP_URL", value_name = "URL")]
    smtp_url: Option<plantrack::mail::SmtpUrl>,
    /// The sender of the mails, e.g. "Plan office <plans@example.org>" (default:
    /// plantrack <noreply@HOST>, HOST from --public-url, else localhost).
    #[arg(long, env = "PLANTRACK_MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<lettre::message::Mailbox>,
}

impl MailArgs {
    fn config(self, public_url: Option<&str>) -> Option<plantrack::mail::MailConfig> {
        let smtp = self.smtp_url?;
        let from = self
            .mail_from
            .unwrap_or_else(|| plantrack::mail::default_from(public_url));
        Some(plantrack::mail::MailConfig { smtp, from })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PLANTRACK_ADDR", default_value = Config::DEFAULT_ADDR)]
        addr: SocketAddr,
        /// The address readers use, when behind a proxy; `https://…` makes the session cookie Secure.
        #[arg(long, env = "PLANTRACK_PUBLIC_URL")]
        public_url: Option<String>,
        /// The time zone pages show times in: an offset such as +08:00, or Asia/Shanghai.
        #[arg(long, env = "PLANTRACK_TIME_ZONE", default_value = plantrack::i18n::TimeZone::DEFAULT)]
        time_zone: plantrack::i18n::TimeZone,
        /// Where fonts for chart images (PNG) are looked for; one with Chinese glyphs is preferred.
        #[arg(long, env = "PLANTRACK_FONT_DIR", default_value = Config::DEFAULT_FONT_DIR)]
        font_dir: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load plan definitions and figures from seed files (idempotent).
    Seed {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write the whole database (figures, history, users) to FILE with pg_dump.
    Backup { file: PathBuf },
    /// Restore a backup into a new data directory (or an empty database).
    Restore { file: PathBuf },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check a CSV, XLSX or JSON file of figures and save its new and changed figures as
    /// drafts (nothing is saved if any row is refused). A JSON export of a plan the database
    /// does not hold creates the plan.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The plan the rows are for (by default the one the file names).
        #[arg(long, value_name = "SLUG")]
        plan: Option<String>,
        /// Check and report every row, but save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Save values that look far from what is expected (more than 50 % from the previous
        /// published year, or outside the indicator's plausible bounds); without it such a file
        /// is refused with the values listed.
        #[arg(long)]
        accept_warnings: bool,
    },
    /// Write every figure of a plan, drafts included, as CSV, XLSX or JSON.
    Export {
        /// The plan (by default the one shown at the site's root).
        #[arg(long, value_name = "SLUG")]
        plan: Option<String>,
        #[arg(long, value_parser = ["csv", "xlsx", "json"])]
        format: String,
        /// Where to write the file (by default standard output).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a plan's annual monitoring report for a year (the final assessment for its last
    /// year) as a Word document or a page to print, from published figures and words only.
    Report {
        /// The plan (by default the one shown at the site's root).
        #[arg(long, value_name = "SLUG")]
        plan: Option<String>,
        /// A year of the plan, up to this year.
        #[arg(long)]
        year: i32,
        #[arg(long, value_parser = ["docx", "html"], default_value = "docx")]
        format: String,
        /// The report's language.
        #[arg(long, value_parser = ["zh", "en"], default_value = "zh")]
        lang: String,
        /// Where to write the file (by default {plan}-report-{year}-{lang}.{format} here).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The time zone the report's dates are written in.
        #[arg(long, env = "PLANTRACK_TIME_ZONE", default_value = plantrack::i18n::TimeZone::DEFAULT)]
        time_zone: plantrack::i18n::TimeZone,
        /// Where fonts for the charts are looked for; one with Chinese glyphs is preferred.
        #[arg(long, env = "PLANTRACK_FONT_DIR", default_value = Config::DEFAULT_FONT_DIR)]
        font_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; the password is asked for, or read from standard input.
    Add {
        name: String,
        #[arg(long, value_parser = ["official", "analyst", "admin"])]
        role: String,
        /// The person's full name, shown on pages.
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
        /// Where mail to them goes (drafts to review, figures sent back or published).
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
        /// The language of their mails until they first sign in; after that, the one they
        /// sign in with.
        #[arg(long, value_parser = ["en", "zh"])]
        language: Option<String>,
    },
    /// List accounts.
    List,
    /// Disable an account: it can no longer sign in and its sessions end; its history stays.
    Disable { name: String },
    /// Set a new password for an account (asked for, or read from standard input); the
    /// account's sessions end.
    Password {
        name: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// A new password: typed twice at a prompt that does not echo, or one line of stdin.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Password again: ")?;
    anyhow::ensure!(
        first == again,
        "the two passwords differ; nothing was changed"
    );
    Ok(first)
}

async fn export(
    config: &Config,
    plan: Option<&str>,
    format: &str,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let format = plantrack::opendata::FileFormat::from_extension(format)
        .ok_or_else(|| anyhow::anyhow!("unknown format {format}"))?;
    let bytes = plantrack::transfer::export(config, plan, format).await?;
    match output {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
            Ok(())
        }
    }
}

async fn report(
    config: &Config,
    plan: Option<&str>,
    year: i32,
    format: &str,
    lang: &str,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    let lang = plantrack::i18n::Lang::from_tag(lang)
        .ok_or_else(|| anyhow::anyhow!("unknown language {lang}"))?;
    let html = format == "html";
    let (bytes, name) = plantrack::transfer::report(config, plan, year, html, lang).await?;
    let path = output.unwrap_or_else(|| PathBuf::from(format!("{name}.{format}")));
    std::fs::write(&path, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
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
        Command::Serve {
            addr,
            public_url,
            time_zone,
            font_dir,
            limits,
            mail,
        } => {
            config.mail = mail.config(public_url.as_deref());
            config.addr = addr;
            config.public_url = public_url;
            config.time_zone = time_zone;
            config.font_dir = font_dir;
            config.limits = limits.into();
            if config.public_url.is_none() && config.addr.ip().is_unspecified() {
                tracing::warn!(
                    "listening on {} without --public-url: links in the feed will name that address; \
                     set --public-url to the address readers use",
                    config.addr
                );
            }
            plantrack::serve(config).await
        }
        Command::User(UserCommand::Add {
            name,
            role,
            display_name,
            password_stdin,
            email,
            language,
        }) => match read_password(password_stdin) {
            Ok(password) => {
                let new = plantrack::users::NewAccount {
                    name: &name,
                    role: &role,
                    display_name: &display_name,
                    password: &password,
                    email: email.as_deref(),
                    language: language
                        .as_deref()
                        .and_then(plantrack::i18n::Lang::from_tag),
                };
                plantrack::users::add(&config, new)
                    .await
                    .map(|()| println!("added {name} ({role})"))
            }
            Err(e) => Err(e),
        },
        Command::Backup { file } => plantrack::backup::backup(&config, &file)
            .await
            .map(|()| println!("backed up to {}", file.display())),
        Command::Restore { file } => plantrack::backup::restore(&config, &file)
            .await
            .map(|()| println!("restored {}", file.display())),
        Command::User(UserCommand::List) => plantrack::users::list(&config).await.map(|users| {
            for u in users {
                let state = if u.disabled { "disabled" } else { "active" };
                let email = u.email.as_deref().unwrap_or("");
                println!(
                    "{}\t{}\t{}\t{}\t{email}",
                    u.username, u.role, state, u.display_name
                );
            }
        }),
        Command::User(UserCommand::Disable { name }) => plantrack::users::disable(&config, &name)
            .await
            .map(|ended| println!("disabled {name}; {ended} session(s) ended")),
        Command::User(UserCommand::Password {
            name,
            password_stdin,
        }) => match read_password(password_stdin) {
            Ok(password) => plantrack::users::password(&config, &name, &password)
                .await
                .map(|ended| println!("changed the password of {name}; {ended} session(s) ended")),
            Err(e) => Err(e),
        },
        Command::Migrate => plantrack::migrate(&config)
            .await
            .map(|()| println!("the database schema is up to date")),
        Command::Import {
            file,
            plan,
            dry_run,
            accept_warnings,
        } => {
            let mode = plantrack::transfer::ImportMode {
                dry_run,
                accept_warnings,
            };
            plantrack::transfer::import(&config, &file, plan.as_deref(), mode)
                .await
                .map(|report| println!("{report}"))
        }
        Command::Export {
            plan,
            format,
            output,
        } => export(&config, plan.as_deref(), &format, output.as_deref()).await,
        Command::Report {
            plan,
            year,
            format,
            lang,
            output,
            time_zone,
            font_dir,
        } => {
            config.time_zone = time_zone;
            config.font_dir = font_dir;
            report(&config, plan.as_deref(), year, &format, &lang, output).await
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_without_limit_flags_uses_the_documented_limits() {
        let cli = Cli::try_parse_from(["plantrack", "serve"]).unwrap();
        let Command::Serve { limits, .. } = cli.command else {
            panic!("not serve")
        };
        assert_eq!(
            plantrack::config::Limits::from(limits),
            plantrack::config::Limits::default()
        );
        let cli = Cli::try_parse_from(["plantrack", "serve", "--header-timeout", "3"]).unwrap();
        let Command::Serve { limits, .. } = cli.command else {
            panic!("not serve")
        };
        let limits = plantrack::config::Limits::from(limits);
        assert_eq!(limits.header_read, std::time::Duration::from_secs(3));
        assert!(Cli::try_parse_from(["plantrack", "serve", "--max-connections", "0"]).is_err());
    }

    #[test]
    fn mail_is_off_unless_a_server_is_given_and_the_sender_has_a_default() {
        let mail = |args: &[&str]| {
            let cli = Cli::try_parse_from(args).unwrap();
            let Command::Serve {
                mail, public_url, ..
            } = cli.command
            else {
                panic!("not serve")
            };
            mail.config(public_url.as_deref())
        };
        assert!(mail(&["plantrack", "serve"]).is_none());
        let config = mail(&[
            "plantrack",
            "serve",
            "--smtp-url",
            "smtp://127.0.0.1:2525",
            "--public-url",
            "https://plans.example.org",
        ])
        .unwrap();
        assert_eq!(config.smtp.port, 2525);
        assert_eq!(
            config.from.to_string(),
            "plantrack <noreply@plans.example.org>"
        );
        let config = mail(&[
            "plantrack",
            "serve",
            "--smtp-url",
            "smtp://mail.example.org",
            "--mail-from",
            "Plan office <plans@example.org>",
        ])
        .unwrap();
        assert_eq!(config.from.email.to_string(), "plans@example.org");
        let refused = Cli::try_parse_from(["plantrack", "serve", "--smtp-url", "smtps://x"]);
        assert!(refused.is_err());
    }
}
