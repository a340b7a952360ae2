//! An Atom feed (RFC 4287) of a plan's newly published figures, written with every text and
//! attribute escaped.

use chrono::{DateTime, SecondsFormat, Utc};

pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub updated: DateTime<Utc>,
    /// The feed's own address.
    pub self_link: String,
    /// The page the feed is about.
    pub alternate_link: String,
    pub entries: Vec<Entry>,
}

pub struct Entry {
    /// Stable: the same figure at the same version always has the same id.
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    pub link: String,
    pub summary: String,
}

/// Escapes text for XML content and attribute values; drops characters XML cannot hold.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed {
    pub fn to_xml(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        x.push_str(&format!("  <id>{}</id>\n", escape(&self.id)));
        x.push_str(&format!("  <title>{}</title>\n", escape(&self.title)));
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&self.subtitle)
        ));
        x.push_str(&format!("  <updated>{}</updated>\n", time(&self.updated)));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(&self.self_link)
        ));
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&self.alternate_link)
        ));
        x.push_str("  <author><name>plantrack</name></author>\n");
        for e in &self.entries {
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
            x.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
            x.push_str(&format!("    <updated>{}</updated>\n", time(&e.updated)));
            x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(&e.link)
            ));
            x.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                escape(&e.summary)
            ));
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("R&D <b>\"x\"</b> it's\u{7}"),
            "R&amp;D &lt;b&gt;&quot;x&quot;&lt;/b&gt; it&apos;s"
        );
    }

    #[test]
    fn a_feed_has_its_required_elements() {
        let t = DateTime::parse_from_rfc3339("2026-05-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let feed = Feed {
            id: "urn:x".into(),
            title: "T & T".into(),
            subtitle: String::new(),
            updated: t,
            self_link: "http://h/f.atom".into(),
            alternate_link: "http://h/".into(),
            entries: vec![Entry {
                id: "urn:x:1".into(),
                title: "a < b".into(),
                updated: t,
                link: "http://h/i?a=1&b=2".into(),
                summary: String::new(),
            }],
        };
        let xml = feed.to_xml();
        assert!(xml.contains("<title>T &amp; T</title>"));
        assert!(xml.contains("<updated>2026-05-01T08:00:00Z</updated>"));
        assert!(xml.contains("href=\"http://h/i?a=1&amp;b=2\""));
        assert!(xml.contains("<title>a &lt; b</title>"));
    }
}
