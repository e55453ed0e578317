//! Events of a learning community (the seed's Steps 4 and 5): kinds, modes, statuses, and the
//! event form.

use crate::text_enum;

text_enum!(
    /// What kind of gathering an event is.
    EventKind {
        Meeting = "meeting",
        Workshop = "workshop",
        SiteVisit = "site-visit",
        StudyTour = "study-tour",
        Webinar = "webinar",
        SideEvent = "side-event",
        Debrief = "debrief",
    }
);

text_enum!(
    /// In person, online, or both.
    EventMode {
        InPerson = "in-person",
        Virtual = "virtual",
        Hybrid = "hybrid",
    }
);

text_enum!(
    /// Where an event stands.
    EventStatus {
        Planned = "planned",
        Confirmed = "confirmed",
        Held = "held",
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// Attendance taken at an event.
    Attendance {
        Present = "present",
        Remote = "remote",
        Absent = "absent",
    }
);

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::validate::{self, FieldErrors, Validated};

/// The most people an event can hold (a sanity bound, not a policy).
pub const MAX_CAPACITY: i64 = 100_000;

/// An event as the form sends it: every field a string, times typed as local
/// `YYYY-MM-DDTHH:MM` in the event's time zone.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub mode: String,
    pub starts_at: String,
    pub ends_at: String,
    pub venue: String,
    pub city: String,
    pub state_code: String,
    pub online_link: String,
    pub host_organization_id: String,
    pub scheduled_around: String,
    pub status: String,
    pub capacity: String,
    /// Dots each member may place when voting on topic proposals (default 3).
    pub dots_per_member: String,
    /// When topic voting closes, local time; empty = when the event starts.
    pub voting_closes_at: String,
}

/// A parsed event: times in UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    pub description: Option<String>,
    pub kind: EventKind,
    pub mode: EventMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub state_code: Option<String>,
    pub online_link: Option<String>,
    pub host_organization_id: Option<i64>,
    pub scheduled_around: Option<String>,
    pub status: EventStatus,
    pub capacity: Option<i32>,
    pub dots_per_member: i32,
    pub voting_closes_at: Option<DateTime<Utc>>,
}

/// Parses a local `YYYY-MM-DDTHH:MM` (seconds allowed; a space may replace the `T`) in `tz`.
/// A time skipped by a daylight-saving change is refused; an ambiguous one takes the earlier.
pub fn local_time<Tz: TimeZone>(v: &str, tz: &Tz) -> Option<DateTime<Utc>> {
    let v = v.trim().replace(' ', "T");
    let naive = NaiveDateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

/// The value a `datetime-local` input shows for a UTC time in `tz`.
pub fn local_input<Tz: TimeZone>(at: &DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.with_timezone(tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// An event cannot be recorded as held before it has started.
pub fn held_too_early(input: &EventInput, now: DateTime<Utc>) -> bool {
    input.status == EventStatus::Held && input.starts_at > now
}

fn is_web_link(v: &str) -> bool {
    (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > "https://".len()
        && !v.contains(char::is_whitespace)
}

impl EventForm {
    /// Parses the form; `tz` is the time zone the times were typed in, named `tz_name`.
    pub fn parse<Tz: TimeZone>(&self, tz: &Tz, tz_name: &str) -> Validated<EventInput> {
        let mut e = FieldErrors::new();
        let title = validate::required(&mut e, "title", &self.title, 200);
        let description = validate::optional(&mut e, "description", &self.description, 5000);
        let kind = validate::choice(&mut e, "kind", &self.kind, EventKind::parse);
        let mode = validate::choice(&mut e, "mode", &self.mode, EventMode::parse);
        let status = if self.status.trim().is_empty() {
            Some(EventStatus::Planned)
        } else {
            validate::choice(&mut e, "status", &self.status, EventStatus::parse)
        };
        let time = |e: &mut FieldErrors, field: &str, v: &str| {
            if v.trim().is_empty() {
                e.add(field, "error-required");
                None
            } else {
                let t = local_time(v, tz);
                if t.is_none() {
                    e.add(field, "events-error-datetime");
                }
                t
            }
        };
        let starts_at = time(&mut e, "starts_at", &self.starts_at);
        let ends_at = time(&mut e, "ends_at", &self.ends_at);
        if let (Some(s), Some(t)) = (starts_at, ends_at) {
            if t <= s {
                e.add("ends_at", "events-error-end-before-start");
            }
        }
        let venue = validate::optional(&mut e, "venue", &self.venue, 300);
        let city = validate::optional(&mut e, "city", &self.city, 120);
        let state_code = validate::optional_choice(&mut e, "state_code", &self.state_code, |s| {
            crate::directory::state_name(s).map(|_| s.to_owned())
        });
        let online_link = validate::optional(&mut e, "online_link", &self.online_link, 1000);
        if let Some(l) = &online_link {
            if !is_web_link(l) {
                e.add("online_link", "error-url");
            }
        }
        if mode == Some(EventMode::Virtual) && online_link.is_none() {
            e.add("online_link", "events-error-link-required");
        }
        if mode == Some(EventMode::InPerson) && venue.is_none() && city.is_none() {
            e.add("venue", "events-error-place-required");
        }
        let host_organization_id = match self.host_organization_id.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    e.add("host_organization_id", "error-invalid-choice");
                    None
                }
            },
        };
        let scheduled_around =
            validate::optional(&mut e, "scheduled_around", &self.scheduled_around, 300);
        let capacity = match self.capacity.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) if (1..=MAX_CAPACITY).contains(&n) => i32::try_from(n).ok(),
                _ => {
                    e.add("capacity", "events-error-capacity");
                    None
                }
            },
        };
        let dots_per_member = match self.dots_per_member.trim() {
            "" => 3,
            v => match v.parse::<i32>() {
                Ok(n) if (1..=20).contains(&n) => n,
                _ => {
                    e.add("dots_per_member", "events-error-dots");
                    3
                }
            },
        };
        let voting_closes_at = match self.voting_closes_at.trim() {
            "" => None,
            v => {
                let t = local_time(v, tz);
                match (t, starts_at) {
                    (None, _) => e.add("voting_closes_at", "events-error-datetime"),
                    (Some(t), Some(s)) if t > s => {
                        e.add("voting_closes_at", "events-error-voting-after-start")
                    }
                    _ => {}
                }
                t
            }
        };
        match (kind, mode, status, starts_at, ends_at, e.is_empty()) {
            (Some(kind), Some(mode), Some(status), Some(starts_at), Some(ends_at), true) => {
                Ok(EventInput {
                    title,
                    description,
                    kind,
                    mode,
                    starts_at,
                    ends_at,
                    time_zone: tz_name.to_owned(),
                    venue,
                    city,
                    state_code,
                    online_link,
                    host_organization_id,
                    scheduled_around,
                    status,
                    capacity,
                    dots_per_member,
                    voting_closes_at,
                })
            }
            _ => Err(e),
        }
    }
}

// ---- certificates -----------------------------------------------------------------------------

/// Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or retyped survives.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate's verification code from 10 random bytes: 16 characters in four groups,
/// e.g. `7K3M-Q9PX-2D4R-VW8T` (80 bits: not guessable).
pub fn certificate_code(bytes: [u8; 10]) -> String {
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let idx = usize::try_from((bits >> (75 - 5 * i)) & 31).unwrap_or(0);
        out.push(char::from(CROCKFORD[idx]));
    }
    out
}

/// Normalizes a typed code to the stored form (upper case, grouped by four), forgiving lower
/// case, missing dashes, spaces, and the look-alikes O→0, I/L→1. `None` when it cannot be one.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut chars = String::with_capacity(16);
    for ch in input.chars() {
        let ch = match ch.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !CROCKFORD.contains(&u8::try_from(u32::from(ch)).unwrap_or(b'U')) {
            return None;
        }
        chars.push(ch);
    }
    if chars.len() != 16 {
        return None;
    }
    let mut out = String::with_capacity(19);
    for (i, ch) in chars.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ch);
    }
    Some(out)
}

// ---- iCalendar (RFC 5545) ---------------------------------------------------------------------

/// One event as a calendar shows it. Never put an online link here: feeds travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique, e.g. `event-12@tejido.example.org`.
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    /// The event's page.
    pub url: Option<String>,
    pub status: EventStatus,
}

fn ics_time(t: &DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).
pub fn ics_escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(ch);
        used += n;
    }
    out.push_str("\r\n");
}

/// A VCALENDAR with the given events, times in UTC (so no VTIMEZONE is needed).
pub fn ics_calendar(name: &str, stamp: &DateTime<Utc>, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Tejido//Eventos//ES");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", ics_escape(name)));
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", ics_escape(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{}", ics_time(stamp)));
        push_line(&mut out, &format!("DTSTART:{}", ics_time(&e.starts_at)));
        push_line(&mut out, &format!("DTEND:{}", ics_time(&e.ends_at)));
        push_line(
            &mut out,
            &format!("LAST-MODIFIED:{}", ics_time(&e.updated_at)),
        );
        push_line(&mut out, &format!("SUMMARY:{}", ics_escape(&e.summary)));
        if let Some(d) = &e.description {
            push_line(&mut out, &format!("DESCRIPTION:{}", ics_escape(d)));
        }
        if let Some(l) = &e.location {
            push_line(&mut out, &format!("LOCATION:{}", ics_escape(l)));
        }
        if let Some(u) = &e.url {
            // URI values are not TEXT: no escaping, but no line breaks either.
            push_line(&mut out, &format!("URL:{}", u.replace(['\r', '\n'], "")));
        }
        let status = match e.status {
            EventStatus::Cancelled => "CANCELLED",
            EventStatus::Planned => "TENTATIVE",
            EventStatus::Confirmed | EventStatus::Held => "CONFIRMED",
        };
        push_line(&mut out, &format!("STATUS:{status}"));
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn form() -> EventForm {
        EventForm {
            title: "Encuentro regional".into(),
            kind: "meeting".into(),
            mode: "hybrid".into(),
            starts_at: "2026-12-03T09:00".into(),
            ends_at: "2026-12-03T14:30".into(),
            city: "Oaxaca".into(),
            state_code: "20".into(),
            online_link: "https://meet.example.org/abc".into(),
            capacity: "40".into(),
            ..Default::default()
        }
    }

    #[test]
    fn dots_and_voting_deadline() {
        let tz = chrono::Utc;
        let ok = EventForm {
            dots_per_member: "5".into(),
            ..form()
        }
        .parse(&tz, "UTC")
        .unwrap();
        assert_eq!(ok.dots_per_member, 5);
        assert_eq!(ok.voting_closes_at, None);
        let e = EventForm {
            dots_per_member: "0".into(),
            ..form()
        }
        .parse(&tz, "UTC")
        .unwrap_err();
        assert_eq!(e.get("dots_per_member"), Some("events-error-dots"));
        let late = EventForm {
            voting_closes_at: "2099-01-01T00:00".into(),
            ..form()
        }
        .parse(&tz, "UTC")
        .unwrap_err();
        assert_eq!(
            late.get("voting_closes_at"),
            Some("events-error-voting-after-start")
        );
    }

    #[test]
    fn parses_local_times_to_utc() {
        let cdmx = FixedOffset::west_opt(6 * 3600).unwrap();
        let i = form().parse(&cdmx, "America/Mexico_City").unwrap();
        assert_eq!(i.starts_at.to_rfc3339(), "2026-12-03T15:00:00+00:00");
        assert_eq!(i.ends_at.to_rfc3339(), "2026-12-03T20:30:00+00:00");
        assert_eq!(i.status, EventStatus::Planned);
        assert_eq!(i.capacity, Some(40));
        assert_eq!(i.time_zone, "America/Mexico_City");
        assert_eq!(local_input(&i.starts_at, &cdmx), "2026-12-03T09:00");
        let tijuana = FixedOffset::west_opt(8 * 3600).unwrap();
        let j = form().parse(&tijuana, "America/Tijuana").unwrap();
        assert_eq!(j.starts_at.to_rfc3339(), "2026-12-03T17:00:00+00:00");
    }

    #[test]
    fn refuses_bad_input_field_by_field() {
        let tz = Utc;
        let e = EventForm {
            title: " ".into(),
            kind: "party".into(),
            mode: "virtual".into(),
            starts_at: "3 de diciembre".into(),
            ends_at: "".into(),
            capacity: "0".into(),
            online_link: "".into(),
            state_code: "99".into(),
            ..Default::default()
        }
        .parse(&tz, "UTC")
        .unwrap_err();
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("kind"), Some("error-invalid-choice"));
        assert_eq!(e.get("starts_at"), Some("events-error-datetime"));
        assert_eq!(e.get("ends_at"), Some("error-required"));
        assert_eq!(e.get("capacity"), Some("events-error-capacity"));
        assert_eq!(e.get("online_link"), Some("events-error-link-required"));
        assert_eq!(e.get("state_code"), Some("error-invalid-choice"));
        let mut f = form();
        f.ends_at = "2026-12-03T08:00".into();
        f.online_link = "javascript:alert(1)".into();
        f.capacity = "-3".into();
        let e = f.parse(&tz, "UTC").unwrap_err();
        assert_eq!(e.get("ends_at"), Some("events-error-end-before-start"));
        assert_eq!(e.get("online_link"), Some("error-url"));
        assert_eq!(e.get("capacity"), Some("events-error-capacity"));
        let mut f = form();
        f.ends_at = f.starts_at.clone();
        assert_eq!(
            f.parse(&tz, "UTC").unwrap_err().get("ends_at"),
            Some("events-error-end-before-start")
        );
        let mut f = form();
        f.mode = "in-person".into();
        f.city.clear();
        assert_eq!(
            f.parse(&tz, "UTC").unwrap_err().get("venue"),
            Some("events-error-place-required")
        );
    }

    #[test]
    fn held_only_once_started() {
        let tz = Utc;
        let mut f = form();
        f.status = "held".into();
        let i = f.parse(&tz, "UTC").unwrap();
        assert!(held_too_early(
            &i,
            i.starts_at - chrono::Duration::minutes(1)
        ));
        assert!(!held_too_early(&i, i.starts_at));
        f.status = "confirmed".into();
        let j = f.parse(&tz, "UTC").unwrap();
        assert!(!held_too_early(&j, j.starts_at - chrono::Duration::days(1)));
    }

    #[test]
    fn certificate_codes_are_grouped_and_forgiving() {
        let c = certificate_code([0; 10]);
        assert_eq!(c, "0000-0000-0000-0000");
        let c = certificate_code([255; 10]);
        assert_eq!(c, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let c = certificate_code([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(c.len(), 19);
        assert_eq!(normalize_code(&c), Some(c.clone()));
        assert_eq!(normalize_code(&c.to_lowercase().replace('-', "")), Some(c));
        assert_eq!(
            normalize_code("oooo iiii llll 2222"),
            Some("0000-1111-1111-2222".into())
        );
        assert_eq!(normalize_code("UUUU-0000-0000-0000"), None);
        assert_eq!(normalize_code("0000"), None);
        assert_eq!(normalize_code("<script>"), None);
    }

    #[test]
    fn ics_escapes_folds_and_uses_crlf() {
        assert_eq!(ics_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let ev = IcsEvent {
            uid: "event-1@example.org".into(),
            starts_at: t("2026-12-03T15:00:00Z"),
            ends_at: t("2026-12-03T20:30:00Z"),
            updated_at: t("2026-11-01T10:00:00Z"),
            summary: "Encuentro de mediación comunitaria, justicia; y más".into(),
            description: Some("ñ".repeat(100)),
            location: Some("Casa, Oaxaca".into()),
            url: Some("https://example.org/c/red/events/1".into()),
            status: EventStatus::Confirmed,
        };
        let s = ics_calendar("Red", &t("2026-11-25T00:00:00Z"), &[ev]);
        assert!(s.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(s.ends_with("END:VCALENDAR\r\n"));
        assert!(!s.replace("\r\n", "").contains('\n'));
        for line in s.split("\r\n") {
            assert!(line.len() <= 75, "line longer than 75 octets: {line}");
        }
        assert!(s.contains("DTSTART:20261203T150000Z\r\n"));
        assert!(s.contains("DTSTAMP:20261125T000000Z\r\n"));
        assert!(s.contains("SUMMARY:Encuentro de mediación comunitaria\\, justicia\\; y más"));
        // Unfolding gives the description back intact (no split inside a character).
        let unfolded = s.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}\r\n", "ñ".repeat(100))));
        assert!(unfolded.contains("LOCATION:Casa\\, Oaxaca\r\n"));
        assert!(s.contains("STATUS:CONFIRMED"));
    }
}
