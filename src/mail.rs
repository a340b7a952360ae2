//! Mail to the people who need to act: officials when an analyst submits a year's drafts,
//! analysts when an official sends one of their figures back or publishes it.
//!
//! Handlers never wait for mail. They hand a small [`Notice`] (ids, not addresses) to a
//! bounded queue; one background task, started with the server, finds who should hear of it
//! (users with an address, each in their own language), writes the mails from the catalogues
//! and sends them over plain SMTP, each within [`SEND_TIMEOUT`]. A full queue, a database that
//! cannot be read or a mail server that refuses or stalls costs a warning in the log and that
//! mail, never a request. Without `--smtp-url` there is no queue and no task at all.
//!
//! Only `smtp://` is supported (no TLS, no password): plantrack hands its mail to a relay on a
//! trusted network, typically the machine's own mail server, which delivers it onwards.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::PgPool;
use tokio::sync::mpsc;

use crate::config::Config;
use crate::i18n::{Lang, t, tn};
use crate::store::mail::{self as store, FigureNames, Recipient};

/// Notices waiting to be mailed; beyond this, new ones are logged and dropped.
pub const QUEUE_LEN: usize = 256;
/// The longest one mail may take to hand over (connecting included).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest finding a notice's recipients and names may take.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long mails still queued at shutdown get to go out.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);
/// The port of `smtp://host` without one.
const SMTP_PORT: u16 = 25;

/// Where mail goes out and whom it says it is from.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp: SmtpUrl,
    pub from: Mailbox,
}

/// The sender when `--mail-from` is not given: `plantrack <noreply@HOST>`, HOST being the
/// public address's host, else `localhost`.
pub fn default_from(public_url: Option<&str>) -> Mailbox {
    let host = public_url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_owned))
        .filter(|h| !h.starts_with('['))
        .unwrap_or_else(|| "localhost".to_owned());
    format!("plantrack <noreply@{host}>")
        .parse()
        .unwrap_or_else(|_| {
            "plantrack <noreply@localhost>"
                .parse()
                .expect("a valid mailbox")
        })
}

/// `smtp://HOST[:PORT][/HELO-NAME]`: a mail relay spoken to in plain SMTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    /// The name plantrack gives in `EHLO` (default: `localhost`).
    pub hello: Option<String>,
}

impl FromStr for SmtpUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<SmtpUrl, String> {
        const EXPECTED: &str = "expected smtp://HOST[:PORT], e.g. smtp://127.0.0.1:25";
        let url = url::Url::parse(s.trim()).map_err(|e| format!("not a URL ({e}); {EXPECTED}"))?;
        match url.scheme() {
            "smtp" => {}
            "smtps" => {
                return Err(format!(
                    "smtps:// (TLS) is not supported; {EXPECTED}, a relay on a trusted network \
                     such as this machine's own mail server"
                ));
            }
            other => return Err(format!("{other}:// is not an SMTP address; {EXPECTED}")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "a user name or password is not supported (plain SMTP would send it \
                 unencrypted); {EXPECTED}, a relay that accepts mail from this host"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "options after ? or # (such as ?tls=) are not supported; {EXPECTED}"
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("no host given; {EXPECTED}"))?;
        // An IPv6 address comes bracketed, as a URL writes it; the socket wants it bare.
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = url.port().unwrap_or(SMTP_PORT);
        if port == 0 {
            return Err(format!("port 0 is not a port to send to; {EXPECTED}"));
        }
        let hello = Some(url.path().trim_matches('/'))
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        Ok(SmtpUrl { host, port, hello })
    }
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "smtp://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "smtp://{}:{}", self.host, self.port)
        }
    }
}

/// A figure as a notice names it: what it belongs to, its year, who entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureRef {
    pub indicator_id: Option<i64>,
    pub programme_id: Option<i64>,
    pub year: i32,
    pub entered_by: Option<i64>,
}

/// Something that happened which someone should hear of.
#[derive(Debug, Clone)]
pub enum Notice {
    /// An analyst saved drafts (the yearly form, a confirmed upload): to every official with
    /// an address but the analyst, once per submission.
    Submitted {
        plan_id: i64,
        by: i64,
        years: BTreeSet<i32>,
        count: usize,
    },
    /// An official sent a figure back: to the analyst who entered it, with the comment.
    SentBack {
        plan_id: i64,
        by: i64,
        figure: FigureRef,
        comment: String,
    },
    /// An official published figures (one, or a year's): to each analyst who entered some of
    /// them, one mail listing theirs.
    Published {
        plan_id: i64,
        by: i64,
        figures: Vec<FigureRef>,
    },
}

/// The queue's sending end, in the site's state when mail is configured.
#[derive(Clone)]
pub struct Mailer {
    queue: mpsc::Sender<Notice>,
}

impl Mailer {
    /// The queue and the task that empties it, when `config` names a mail server.
    pub fn start(pool: PgPool, config: &Config) -> Option<(Mailer, tokio::task::JoinHandle<()>)> {
        let mail = config.mail.clone()?;
        let (queue, receiver) = mpsc::channel(QUEUE_LEN);
        let mut transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(mail.smtp.host.clone())
                .port(mail.smtp.port)
                .timeout(Some(SEND_TIMEOUT));
        if let Some(name) = &mail.smtp.hello {
            transport = transport.hello_name(ClientId::Domain(name.clone()));
        }
        let worker = Worker {
            pool,
            transport: transport.build(),
            from: mail.from,
            base_url: config.base_url(),
        };
        tracing::info!(smtp = %mail.smtp, "mail goes out through {}", mail.smtp);
        Some((Mailer { queue }, tokio::spawn(worker.run(receiver))))
    }

    /// Queues `notice` without waiting; a full queue drops it with a warning.
    pub fn notify(&self, notice: Notice) {
        if let Err(e) = self.queue.try_send(notice) {
            let why = match e {
                mpsc::error::TrySendError::Full(_) => "the mail queue is full",
                mpsc::error::TrySendError::Closed(_) => "mail sending has stopped",
            };
            tracing::warn!("{why}: a notice was dropped");
        }
    }
}

/// At shutdown, once the server (and with it the queue's sending end) is gone: lets the task
/// send what is still queued, for at most [`DRAIN_TIMEOUT`], then stops it.
pub async fn drain(task: tokio::task::JoinHandle<()>) {
    let abort = task.abort_handle();
    if tokio::time::timeout(DRAIN_TIMEOUT, task).await.is_err() {
        abort.abort();
        tracing::warn!("mail still queued at shutdown was not sent");
    }
}

struct Worker {
    pool: PgPool,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base_url: String,
}

/// One mail, written in its recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub to: Mailbox,
    pub subject: String,
    pub body: String,
}

impl Worker {
    async fn run(self, mut receiver: mpsc::Receiver<Notice>) {
        while let Some(notice) = receiver.recv().await {
            let letters = match tokio::time::timeout(LOOKUP_TIMEOUT, self.letters(&notice)).await {
                Ok(Ok(letters)) => letters,
                Ok(Err(e)) => {
                    tracing::warn!("cannot find whom to mail ({e}): {notice:?} dropped");
                    continue;
                }
                Err(_) => {
                    tracing::warn!("finding whom to mail took too long: {notice:?} dropped");
                    continue;
                }
            };
            for letter in letters {
                self.send(letter).await;
            }
        }
    }

    async fn send(&self, letter: Letter) {
        let to = letter.to.email.to_string();
        // A unique id at the sender's domain (not the builder's `localhost`).
        let id = format!(
            "<{}@{}>",
            tower_sessions::session::Id::default(),
            self.from.email.domain()
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(letter.to)
            .subject(letter.subject)
            .message_id(Some(id))
            .header(AutoSubmitted)
            .header(ContentType::TEXT_PLAIN)
            .body(letter.body);
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(to, "cannot write the mail: {e}");
                return;
            }
        };
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_)) => tracing::info!(to, "mail sent"),
            Ok(Err(e)) => tracing::warn!(to, "mail not sent: {e}"),
            Err(_) => tracing::warn!(to, "mail not sent: no answer within {SEND_TIMEOUT:?}"),
        }
    }

    /// The mails a notice gives, each to someone with an address, in their language.
    async fn letters(&self, notice: &Notice) -> sqlx::Result<Vec<Letter>> {
        let mut conn = self.pool.acquire().await?;
        let base = &self.base_url;
        match notice {
            Notice::Submitted {
                plan_id,
                by,
                years,
                count,
            } => {
                let Some(plan) = store::plan(&mut conn, *plan_id).await? else {
                    return Ok(Vec::new());
                };
                let name = store::name_of(&mut conn, *by).await?.unwrap_or_default();
                let submitted = Submitted {
                    plan: &plan,
                    by: &name,
                    years,
                    count: *count,
                };
                let officials = store::reviewers(&mut conn).await?;
                Ok(officials
                    .iter()
                    .filter(|r| r.app_user_id != *by)
                    .filter_map(|r| letter(r, |lang| submitted.write(lang, base)))
                    .collect())
            }
            Notice::SentBack {
                plan_id,
                by,
                figure,
                comment,
            } => {
                let (Some(plan), Some(author)) =
                    (store::plan(&mut conn, *plan_id).await?, figure.entered_by)
                else {
                    return Ok(Vec::new());
                };
                let Some(to) = store::recipient(&mut conn, author).await? else {
                    return Ok(Vec::new());
                };
                let Some(names) = store::figure(&mut conn, figure).await? else {
                    return Ok(Vec::new());
                };
                let by = store::name_of(&mut conn, *by).await?;
                let sent_back = SentBack {
                    plan: &plan,
                    by: by.as_deref().unwrap_or(""),
                    figure: &names,
                    year: figure.year,
                    comment,
                };
                Ok(letter(&to, |lang| sent_back.write(lang, base))
                    .into_iter()
                    .collect())
            }
            Notice::Published {
                plan_id,
                by,
                figures,
            } => {
                let Some(plan) = store::plan(&mut conn, *plan_id).await? else {
                    return Ok(Vec::new());
                };
                let by = store::name_of(&mut conn, *by).await?;
                let authors: BTreeSet<i64> = figures.iter().filter_map(|f| f.entered_by).collect();
                let mut letters = Vec::new();
                for author in authors {
                    let Some(to) = store::recipient(&mut conn, author).await? else {
                        continue;
                    };
                    let mut theirs = Vec::new();
                    for f in figures.iter().filter(|f| f.entered_by == Some(author)) {
                        if let Some(names) = store::figure(&mut conn, f).await? {
                            theirs.push((names, f.year));
                        }
                    }
                    if theirs.is_empty() {
                        continue;
                    }
                    let published = Published {
                        plan: &plan,
                        by: by.as_deref().unwrap_or(""),
                        figures: &theirs,
                    };
                    letters.extend(letter(&to, |lang| published.write(lang, base)));
                }
                Ok(letters)
            }
        }
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office replies are not sent back.
#[derive(Clone, Copy)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// A mail to `to` in their language, if their address makes a mailbox.
fn letter(to: &Recipient, write: impl FnOnce(Lang) -> (String, String)) -> Option<Letter> {
    let lang = to.language();
    let mailbox = match to.mailbox() {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(user = %to.username, "cannot mail {}: {e}", to.email);
            return None;
        }
    };
    let (subject, body) = write(lang);
    Some(Letter {
        to: mailbox,
        subject,
        body,
    })
}

/// The closing lines of every mail.
fn signed(lines: Vec<String>) -> String {
    let mut body = lines.join("\n");
    body.push_str("\n\n-- \n");
    body.push_str(&t("mail-footer"));
    body.push('\n');
    body
}

/// The years as a list (`2024, 2025`).
fn years_text(years: &BTreeSet<i32>) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(if Lang::current().is_zh() { "、" } else { ", " })
}

struct Submitted<'a> {
    plan: &'a store::PlanNames,
    by: &'a str,
    years: &'a BTreeSet<i32>,
    count: usize,
}

impl Submitted<'_> {
    fn write(&self, lang: Lang, base: &str) -> (String, String) {
        lang.scope_sync(|| {
            let plan = lang.pick(&self.plan.title_zh, &self.plan.title_en);
            let years = years_text(self.years);
            let link = match self.years.iter().collect::<Vec<_>>()[..] {
                [year] => format!("{base}/plans/{}/review?year={year}", self.plan.slug),
                _ => format!("{base}/plans/{}/review", self.plan.slug),
            };
            let args: [(&str, &dyn fmt::Display); 4] = [
                ("plan", &plan),
                ("years", &years),
                ("count", &self.count),
                ("name", &self.by),
            ];
            let subject = tn("mail-submitted-subject", &args);
            let body = signed(vec![
                tn("mail-submitted-body", &args),
                String::new(),
                tn("mail-submitted-link", &[("link", &link)]),
            ]);
            (subject, body)
        })
    }
}

struct SentBack<'a> {
    plan: &'a store::PlanNames,
    by: &'a str,
    figure: &'a FigureNames,
    year: i32,
    comment: &'a str,
}

impl SentBack<'_> {
    fn write(&self, lang: Lang, base: &str) -> (String, String) {
        lang.scope_sync(|| {
            let plan = lang.pick(&self.plan.title_zh, &self.plan.title_en);
            let figure = lang.pick(&self.figure.name_zh, &self.figure.name_en);
            let link = format!("{base}/plans/{}/entry/{}", self.plan.slug, self.year);
            let args: [(&str, &dyn fmt::Display); 4] = [
                ("plan", &plan),
                ("figure", &figure),
                ("year", &self.year),
                ("name", &self.by),
            ];
            let subject = tn("mail-sent-back-subject", &args);
            let quoted: Vec<String> = self.comment.lines().map(|l| format!("> {l}")).collect();
            let body = signed(vec![
                tn("mail-sent-back-body", &args),
                String::new(),
                quoted.join("\n"),
                String::new(),
                tn("mail-sent-back-link", &[("link", &link)]),
            ]);
            (subject, body)
        })
    }
}

struct Published<'a> {
    plan: &'a store::PlanNames,
    by: &'a str,
    figures: &'a [(FigureNames, i32)],
}

impl Published<'_> {
    fn write(&self, lang: Lang, base: &str) -> (String, String) {
        lang.scope_sync(|| {
            let plan = lang.pick(&self.plan.title_zh, &self.plan.title_en);
            let count = self.figures.len();
            let args: [(&str, &dyn fmt::Display); 3] =
                [("plan", &plan), ("count", &count), ("name", &self.by)];
            let subject = tn("mail-published-subject", &args);
            let mut lines = vec![tn("mail-published-body", &args), String::new()];
            for (names, year) in self.figures {
                let figure = lang.pick(&names.name_zh, &names.name_en);
                let link = format!("{base}/plans/{}/{}", self.plan.slug, names.page);
                lines.push(tn(
                    "mail-published-item",
                    &[("figure", &figure), ("year", year), ("link", &link)],
                ));
            }
            (subject, signed(lines))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_name_a_host_and_a_port() {
        let url: SmtpUrl = "smtp://mail.example.org".parse().unwrap();
        assert_eq!((url.host.as_str(), url.port), ("mail.example.org", 25));
        let url: SmtpUrl = "smtp://127.0.0.1:2525/plans.example.org".parse().unwrap();
        assert_eq!(url.port, 2525);
        assert_eq!(url.hello.as_deref(), Some("plans.example.org"));
        let url: SmtpUrl = "smtp://[::1]:2525".parse().unwrap();
        assert_eq!(url.host, "::1");
        assert_eq!(url.to_string(), "smtp://[::1]:2525");
    }

    #[test]
    fn what_cannot_be_sent_as_configured_is_refused_with_the_reason() {
        for (url, says) in [
            ("smtps://mail.example.org", "not supported"),
            ("http://mail.example.org", "not an SMTP address"),
            ("smtp://user:secret@mail.example.org", "password"),
            ("smtp://mail.example.org?tls=required", "tls"),
            ("mail.example.org:25", "expected smtp://"),
            ("smtp://mail.example.org:0", "port 0"),
            ("smtp://", "expected smtp://"),
        ] {
            let e = url.parse::<SmtpUrl>().unwrap_err();
            assert!(e.contains(says), "{url}: {e}");
        }
    }

    #[test]
    fn the_sender_defaults_to_the_public_host() {
        assert_eq!(
            default_from(Some("https://plans.example.org/")).to_string(),
            "plantrack <noreply@plans.example.org>"
        );
        assert_eq!(
            default_from(None).to_string(),
            "plantrack <noreply@localhost>"
        );
    }

    fn plan() -> store::PlanNames {
        store::PlanNames {
            slug: "cq".into(),
            title_zh: "重庆规划".into(),
            title_en: "Chongqing plan".into(),
        }
    }

    #[test]
    fn a_submission_mail_is_in_the_readers_language_with_a_link_to_the_years_queue() {
        let plan = plan();
        let years = BTreeSet::from([2025]);
        let submitted = Submitted {
            plan: &plan,
            by: "Li Wei",
            years: &years,
            count: 3,
        };
        let (subject, body) = submitted.write(Lang::Zh, "https://p.example");
        assert!(subject.contains("重庆规划"), "{subject}");
        assert!(subject.contains("2025"), "{subject}");
        assert!(
            body.contains("https://p.example/plans/cq/review?year=2025"),
            "{body}"
        );
        assert!(body.contains("Li Wei"), "{body}");
        let (subject, _) = submitted.write(Lang::En, "https://p.example");
        assert!(subject.contains("Chongqing plan"), "{subject}");
        assert!(subject.contains("3 figures"), "{subject}");
    }

    #[test]
    fn a_send_back_mail_quotes_the_comment_and_links_the_years_form() {
        let plan = plan();
        let figure = FigureNames {
            name_zh: "研发投入强度".into(),
            name_en: "R&D intensity".into(),
            page: "indicators/rd".into(),
        };
        let sent_back = SentBack {
            plan: &plan,
            by: "Wang",
            figure: &figure,
            year: 2025,
            comment: "Check the unit.\nIt looks ten times too large.",
        };
        let (subject, body) = sent_back.write(Lang::En, "http://x");
        assert!(subject.contains("R&D intensity"), "{subject}");
        assert!(
            body.contains("> Check the unit.\n> It looks ten times"),
            "{body}"
        );
        assert!(body.contains("http://x/plans/cq/entry/2025"), "{body}");
    }
}
