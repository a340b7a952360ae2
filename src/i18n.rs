//! The interface in two languages: Simplified Chinese and English.
//!
//! Every piece of interface text lives in the Fluent catalogues `locales/en.ftl` and
//! `locales/zh.ftl`, compiled into the binary. The reader's language is chosen per request (an
//! explicit choice remembered in a cookie, else `Accept-Language`, else English) and kept in a
//! task-local for the length of the request, so templates and error messages read it without
//! every function passing it along.
//!
//! Numbers keep their exact stored digits, grouped by thousands with commas (`45,000`, `2.60`),
//! wherever they are compared or copied; only a headline on a Chinese page writes them in 万
//! and 亿 as the plan does (`4.5万家`, see `web::format::headline`). Dates are
//! `28 November 2026` in English and `2026年11月28日` in Chinese; times are shown in the site's
//! time zone ([`TimeZone`], China's by default) and say which it is ([`time`]). A label and
//! what follows it are joined by the language's own colon ([`labelled`]: `Share: …`, `比重：…`).

use std::fmt::Display;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The cookie that remembers a reader's explicit choice of language.
pub const COOKIE: &str = "plantrack_lang";

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The value of `<html lang>` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The short form used in the cookie and the switch's URL.
    pub fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    /// `zh`, `zh-CN`, `zh-Hans`, `en-GB`…: the language a tag asks for, if we have it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best of our languages for an `Accept-Language` header, by its quality values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    /// The language of the request being served (English outside a request).
    pub fn current() -> Lang {
        CURRENT.try_with(|l| *l).unwrap_or_default()
    }

    /// Runs `f` with this as the current language.
    pub async fn scope<F: Future>(self, f: F) -> F::Output {
        CURRENT.scope(self, f).await
    }

    /// Runs `f` with this as the current language, where nothing is awaited (a blocking task).
    pub fn scope_sync<R>(self, f: impl FnOnce() -> R) -> R {
        CURRENT.sync_scope(self, f)
    }

    /// Of a pair of texts from the data (names, titles), the one in this language; the other when
    /// this one is empty.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh if !zh.is_empty() => zh,
            Lang::En if !en.is_empty() => en,
            Lang::Zh => en,
            Lang::En => zh,
        }
    }

    /// A calendar date as a reader of this language writes it.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::En => d.format("%-d %B %Y").to_string(),
            Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        }
    }

    fn bundle(self) -> &'static Bundle {
        &CATALOGUES[self as usize]
    }
}

tokio::task_local! {
    static CURRENT: Lang;
    static ZONE: TimeZone;
}

/// The time zone the pages show times in: the plan's, by default China's (UTC+8).
///
/// A fixed offset from UTC: China keeps no daylight saving time, and the program carries no
/// time-zone database, so the names `Asia/Shanghai` (the default), `Asia/Chongqing` and `PRC`
/// stand for +08:00 (shown as 北京时间 on Chinese pages), `UTC` for +00:00, and any other zone
/// is given as its offset (`+08:00`, `-05:00`, `UTC+5:30`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeZone {
    offset: FixedOffset,
    /// Named as China's time, which Chinese readers know as 北京时间.
    beijing: bool,
}

impl TimeZone {
    /// The setting's default.
    pub const DEFAULT: &'static str = "Asia/Shanghai";

    /// China's time, UTC+8.
    pub fn beijing() -> TimeZone {
        TimeZone {
            offset: FixedOffset::east_opt(8 * 3600).expect("a valid offset"),
            beijing: true,
        }
    }

    pub fn offset(self) -> FixedOffset {
        self.offset
    }

    /// The zone of the request being served (the default outside a request).
    pub fn current() -> TimeZone {
        ZONE.try_with(|z| *z).unwrap_or_default()
    }

    /// Runs `f` with this as the zone times are shown in.
    pub async fn scope<F: Future>(self, f: F) -> F::Output {
        ZONE.scope(self, f).await
    }

    /// `+8`, `+5:30`, `−3:30`; empty for UTC itself.
    fn offset_text(self) -> String {
        let secs = self.offset.local_minus_utc();
        if secs == 0 {
            return String::new();
        }
        let sign = if secs < 0 { '−' } else { '+' };
        let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
        match m {
            0 => format!("{sign}{h}"),
            _ => format!("{sign}{h}:{m:02}"),
        }
    }

    /// A moment in this zone, written with `pattern` (a `chrono` format) and followed by the
    /// zone's name in the current language.
    fn show(self, at: &DateTime<Utc>, pattern: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(
            "time",
            FluentValue::from(at.with_timezone(&self.offset).format(pattern).to_string()),
        );
        args.set("offset", FluentValue::from(self.offset_text()));
        args.set(
            "zone",
            FluentValue::from(if self.beijing { "beijing" } else { "offset" }),
        );
        message(Lang::current(), "time-in-zone", Some(&args))
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone::beijing()
    }
}

impl FromStr for TimeZone {
    type Err = String;

    /// `Asia/Shanghai`, `UTC`, `+08:00`, `+0800`, `+8`, `UTC+8`, `-05:30`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let refused = || {
            format!(
                "unknown time zone {s:?}: give an offset from UTC such as +08:00 or -05:00, \
                 or Asia/Shanghai (zones with daylight saving time are not supported)"
            )
        };
        let s = s.trim();
        let name = s.to_ascii_lowercase();
        if matches!(name.as_str(), "asia/shanghai" | "asia/chongqing" | "prc") {
            return Ok(TimeZone::beijing());
        }
        let rest = name
            .strip_prefix("utc")
            .or_else(|| name.strip_prefix("gmt"))
            .or_else(|| name.strip_prefix("etc/utc"))
            .unwrap_or(&name);
        if name.is_empty() {
            return Err(refused());
        }
        if rest.is_empty() || rest == "z" {
            let utc = FixedOffset::east_opt(0).expect("a valid offset");
            return Ok(TimeZone {
                offset: utc,
                beijing: false,
            });
        }
        let (sign, digits) = match rest.as_bytes()[0] {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ => return Err(refused()),
        };
        let (h, m) = match digits.split_once(':') {
            Some((h, m)) => (h, m),
            None if digits.len() == 4 => digits.split_at(2),
            None => (digits, "0"),
        };
        let number = |t: &str| {
            (!t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<i32>().ok())
                .flatten()
        };
        let (Some(h), Some(m)) = (number(h), number(m)) else {
            return Err(refused());
        };
        if h > 14 || m >= 60 {
            return Err(refused());
        }
        let offset = FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(refused)?;
        Ok(TimeZone {
            offset,
            beijing: false,
        })
    }
}

/// A moment as a person reads it: date and time to the minute in the site's time zone, and
/// which zone that is: `2026-11-30 10:53 (UTC+8)`, `2026-11-30 10:53（北京时间）`. Machine-read
/// times (the Atom feed, the API) stay RFC 3339 in UTC.
pub fn time(at: &DateTime<Utc>) -> String {
    TimeZone::current().show(at, "%Y-%m-%d %H:%M")
}

/// The time of day alone, for a moment within the next hours: `10:53 (UTC+8)`.
pub fn clock(at: &DateTime<Utc>) -> String {
    TimeZone::current().show(at, "%H:%M")
}

/// The calendar day a moment falls on in the site's time zone (a figure published at 01:00
/// in Beijing is published that day, not the day before as in UTC).
pub fn local_date(at: &DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&TimeZone::current().offset).date_naive()
}

/// A label and what it labels, joined by the language's colon: `Share: enter a number`,
/// `比重：请输入数字`.
pub fn labelled(label: impl Display, text: impl Display) -> String {
    format!("{label}{}{text}", t("label-separator"))
}

type Bundle = FluentBundle<FluentResource>;

/// The catalogues, in the order of [`Lang`]'s variants.
pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../locales/en.ftl")),
    (Lang::Zh, include_str!("../locales/zh.ftl")),
];

static CATALOGUES: LazyLock<[Bundle; 2]> = LazyLock::new(|| SOURCES.map(|(l, s)| bundle(l, s)));

fn bundle(lang: Lang, source: &str) -> Bundle {
    let id: unic_langid::LanguageIdentifier = match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
    .parse()
    .expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The text goes into HTML in one direction; Unicode isolation marks would only get in the way.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("catalogue {}: {errors:?}", lang.key()));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("catalogue {}: {errors:?}", lang.key()));
    bundle
}

/// A message in the given language. A missing message shows its id (and is caught by the
/// catalogue tests), never a blank.
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = lang.bundle();
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::warn!(id, lang = lang.key(), "message missing from the catalogue");
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            id,
            lang = lang.key(),
            ?errors,
            "message formatted with errors"
        );
    }
    text.into_owned()
}

/// A message without arguments if the catalogue has it.
pub fn lookup(lang: Lang, id: &str) -> Option<String> {
    let bundle = lang.bundle();
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, None, &mut errors)
            .into_owned(),
    )
}

/// An argument: whole numbers go to Fluent as numbers, so that plural rules can select on them;
/// everything else, decimals included, as text, so that `2.60` keeps its digits.
fn arg(value: impl Display) -> FluentValue<'static> {
    let s = value.to_string();
    match s.parse::<i64>() {
        Ok(n) if n.to_string() == s => FluentValue::from(n),
        _ => FluentValue::from(s),
    }
}

/// A message in the current request's language.
pub fn t(id: &str) -> String {
    message(Lang::current(), id, None)
}

/// A message with one argument.
pub fn t1(id: &str, name: &str, value: impl Display) -> String {
    let mut args = FluentArgs::new();
    args.set(name.to_owned(), arg(value));
    message(Lang::current(), id, Some(&args))
}

/// A message with two arguments.
pub fn t2(id: &str, a: &str, va: impl Display, b: &str, vb: impl Display) -> String {
    let mut args = FluentArgs::new();
    args.set(a.to_owned(), arg(va));
    args.set(b.to_owned(), arg(vb));
    message(Lang::current(), id, Some(&args))
}

/// A message with any number of arguments.
pub fn tn(id: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(name.to_string(), arg(value));
    }
    message(Lang::current(), id, Some(&fluent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        let resource = FluentResource::try_new(source.to_owned()).expect("parses");
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_catalogues_hold_the_same_messages() {
        let en = ids(SOURCES[0].1);
        let zh = ids(SOURCES[1].1);
        assert!(!en.is_empty());
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(only_en.is_empty(), "missing from zh.ftl: {only_en:?}");
        assert!(only_zh.is_empty(), "missing from en.ftl: {only_zh:?}");
    }

    #[test]
    fn catalogues_parse_without_errors() {
        for (lang, source) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
                panic!("{}: {errors:?}", lang.key());
            }
        }
    }

    /// Every `t("id")`-style call in the templates and the code names a message that exists.
    #[test]
    fn every_message_used_exists() {
        let known = ids(SOURCES[0].1);
        let mut missing = BTreeSet::new();
        let mut used = 0;
        for dir in ["templates", "src"] {
            for path in files(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for call in ["t(\"", "t1(\"", "t2(\"", "tn(\""] {
                    for (i, _) in text.match_indices(call) {
                        let before = text[..i].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let rest = &text[i + call.len()..];
                        let id = &rest[..rest.find('"').unwrap_or(0)];
                        if id.is_empty() || id.contains(' ') {
                            continue;
                        }
                        used += 1;
                        // `t("status-" ~ code)`: a family of messages, of which one must exist.
                        let found = match id.strip_suffix('-') {
                            Some(_) => known.iter().any(|k| k.starts_with(id)),
                            None => known.contains(id),
                        };
                        if !found {
                            missing.insert(format!("{}: {id}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(used > 50, "only {used} uses found: is the scan broken?");
        assert!(missing.is_empty(), "messages missing: {missing:#?}");
    }

    fn files(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files(path));
            } else {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn accept_language_picks_the_best_we_have() {
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("fr-FR, en;q=0.5, zh;q=0.7"),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_accept_language("zh-Hant-TW"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("de, fr;q=0.8"), None);
        assert_eq!(Lang::from_accept_language("zh;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 8).unwrap();
        assert_eq!(Lang::En.date(d), "8 November 2026");
        assert_eq!(Lang::Zh.date(d), "2026年11月8日");
    }

    #[test]
    fn times_read_in_the_site_zone_and_say_which() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T02:53:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let beijing = TimeZone::default();
        assert_eq!(
            Lang::En.scope_sync(|| beijing.show(&at, "%Y-%m-%d %H:%M")),
            "2026-11-30 10:53 (UTC+8)"
        );
        assert_eq!(
            Lang::Zh.scope_sync(|| beijing.show(&at, "%Y-%m-%d %H:%M")),
            "2026-11-30 10:53（北京时间）"
        );
        let india: TimeZone = "+05:30".parse().unwrap();
        assert_eq!(
            Lang::Zh.scope_sync(|| india.show(&at, "%H:%M")),
            "08:23（UTC+5:30）"
        );
        let utc: TimeZone = "UTC".parse().unwrap();
        assert_eq!(
            Lang::En.scope_sync(|| utc.show(&at, "%H:%M")),
            "02:53 (UTC)"
        );
    }

    #[test]
    fn time_zones_parse_from_offsets_and_chinas_names() {
        let hours = |s: &str| {
            s.parse::<TimeZone>()
                .map(|z| z.offset().local_minus_utc() / 60)
        };
        assert_eq!("Asia/Shanghai".parse(), Ok(TimeZone::beijing()));
        assert_eq!("prc".parse(), Ok(TimeZone::beijing()));
        assert_eq!(hours("+08:00"), Ok(480));
        assert_eq!(hours("+0800"), Ok(480));
        assert_eq!(hours("UTC+8"), Ok(480));
        assert_eq!(hours("-05:30"), Ok(-330));
        assert_eq!(hours("UTC"), Ok(0));
        assert_eq!(hours("Etc/UTC"), Ok(0));
        assert!("Europe/Berlin".parse::<TimeZone>().is_err());
        assert!("+15:00".parse::<TimeZone>().is_err());
        assert!("+8:75".parse::<TimeZone>().is_err());
        assert!("".parse::<TimeZone>().is_err());
    }

    #[test]
    fn labels_take_the_languages_colon() {
        assert_eq!(
            Lang::En.scope_sync(|| labelled("Share", "enter a number")),
            "Share: enter a number"
        );
        assert_eq!(
            Lang::Zh.scope_sync(|| labelled("比重", "请输入数字")),
            "比重：请输入数字"
        );
    }

    #[test]
    fn plural_messages_select_on_numbers() {
        let mut one = FluentArgs::new();
        one.set("count", arg(1));
        let mut many = FluentArgs::new();
        many.set("count", arg(13));
        assert_eq!(
            message(Lang::En, "count-indicators", Some(&one)),
            "1 indicator"
        );
        assert_eq!(
            message(Lang::En, "count-indicators", Some(&many)),
            "13 indicators"
        );
        assert_eq!(
            message(Lang::Zh, "count-indicators", Some(&many)),
            "13项指标"
        );
    }

    #[test]
    fn arguments_keep_their_digits() {
        let mut args = FluentArgs::new();
        args.set("value", arg("2.60"));
        args.set("by", arg("007"));
        let text = message(Lang::En, "entry-stored-now", Some(&args));
        assert_eq!(text, "the stored value is now 2.60 (007).");
        let mut year = FluentArgs::new();
        year.set("year", arg(2024));
        assert_eq!(
            message(Lang::En, "entry-title", Some(&year)),
            "Enter figures for 2024"
        );
    }

    #[test]
    fn names_from_the_data_fall_back_to_the_other_language() {
        assert_eq!(Lang::Zh.pick("研发投入", "R&D"), "研发投入");
        assert_eq!(Lang::En.pick("研发投入", "R&D"), "R&D");
        assert_eq!(Lang::En.pick("研发投入", ""), "研发投入");
    }
}
