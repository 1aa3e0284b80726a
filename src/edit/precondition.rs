//! What a write to an existing feature is sent with to show that its author saw the
//! feature as it is now (OGC API - Features Part 4, optimistic locking): an ETag, a
//! last-modified instant, or — for a token made for clients that can send neither — none,
//! which the history records as a blind write.

use chrono::{DateTime, SubsecRound, Utc};

use crate::store::features::{Item, ItemTag};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// `If-Match`: the ETags the feature was read with (a list, or `*`).
    Match(String),
    /// `If-Unmodified-Since`: the feature's Last-Modified as read (whole seconds).
    UnmodifiedSince(DateTime<Utc>),
    /// Neither, from a token allowed blind writes (`parkland token create --blind-writes`).
    Blind,
}

impl Precondition {
    /// Whether the feature as it is now is the one the writer saw. An ETag names a row
    /// version in any representation (`ItemTag::same_state`); an HTTP date has whole
    /// seconds, so a change within the second of the writer's read passes unseen — the
    /// reason ETags are preferred (Part 4's timestamp class allows this, RFC 9110 13.1.4).
    pub fn holds(&self, now: &Item) -> bool {
        match self {
            Precondition::Match(tags) => tags.split(',').any(|t| t.trim() == "*" || ItemTag::parse(t).is_some_and(|given| given.same_state(&now.tag))),
            Precondition::UnmodifiedSince(at) => now.updated.trunc_subsecs(0) <= *at,
            Precondition::Blind => true,
        }
    }

    /// Whether the write is made without looking: recorded in the history. `If-Match: *`
    /// asks only that the feature exist, so it is as blind as no precondition.
    pub fn is_blind(&self) -> bool {
        match self {
            Precondition::Blind => true,
            Precondition::Match(tags) => tags.split(',').any(|t| t.trim() == "*"),
            Precondition::UnmodifiedSince(_) => false,
        }
    }

    /// What the writer sent, for a refusal.
    pub fn words(&self) -> String {
        match self {
            Precondition::Match(tags) if tags.len() > 120 => format!("your If-Match {}…", &tags[..tags.floor_char_boundary(120)]),
            Precondition::Match(tags) => format!("your If-Match {tags}"),
            Precondition::UnmodifiedSince(at) => format!("your If-Unmodified-Since {}", http_date(*at)),
            Precondition::Blind => "no precondition".into(),
        }
    }
}

/// An instant as an HTTP date (RFC 9110 5.6.7, IMF-fixdate), as Last-Modified carries it.
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// An HTTP date as a client sends it back; None when it is not one (the header is then
/// ignored, RFC 9110 13.1.4).
pub fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%a, %d %b %Y %H:%M:%S GMT").ok().map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(version: i32, updated: &str) -> Item {
        let json = r#"{"type":"Feature"}"#;
        let updated = DateTime::parse_from_rfc3339(updated).unwrap().with_timezone(&Utc);
        Item { json: json.to_string(), tag: ItemTag::of("plots", "7", version, updated, json), updated }
    }

    #[test]
    fn an_etag_matches_on_the_state_whatever_the_representation() {
        let now = item(7, "2026-12-08T01:02:03.456Z");
        let state = now.tag.state.clone();
        assert!(Precondition::Match(format!("\"{state}-ffff\"")).holds(&now), "another CRS's digest, same state");
        assert!(Precondition::Match(format!("\"6.1.00000000-abc\", \"{state}-0000\"")).holds(&now), "a list");
        let updated = now.updated;
        let neighbour = ItemTag::of("plots", "8", 7, updated, "{}");
        assert!(!Precondition::Match(neighbour.to_string()).holds(&now), "another plot of the same write");
        assert!(Precondition::Match("*".into()).holds(&now));
        let older = item(6, "2026-12-08T01:00:00Z").tag;
        assert!(!Precondition::Match(older.to_string()).holds(&now), "an older version");
        let again = item(7, "2026-12-09T00:00:00Z").tag;
        assert!(!Precondition::Match(again.to_string()).holds(&now), "version 7 of a feature deleted and made again");
        assert!(!Precondition::Match(format!("W/\"{state}-abc\"")).holds(&now), "a weak tag never matches");
        assert!(!Precondition::Match("\"abc\"".into()).holds(&now), "not one of ours");
        assert!(Precondition::Match("*".into()).is_blind() && !Precondition::Match(now.tag.to_string()).is_blind());
    }

    #[test]
    fn unmodified_since_compares_whole_seconds() {
        let now = item(3, "2026-12-08T01:02:03.456Z");
        let read = parse_http_date(&http_date(now.updated)).unwrap();
        assert_eq!(http_date(read), "Tue, 08 Dec 2026 01:02:03 GMT");
        assert!(Precondition::UnmodifiedSince(read).holds(&now));
        assert!(!Precondition::UnmodifiedSince(read - chrono::Duration::seconds(1)).holds(&now));
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
