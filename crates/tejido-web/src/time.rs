//! Dates as the members live them: "today" is taken in the community's time zone (a meeting at
//! 23:30 in Oaxaca is not tomorrow's), and in Mexico City's where no community is concerned.

use chrono::NaiveDate;
use tejido_db::communities::Community;

/// The zone Tejido assumes where a community names none it knows, and for instance-wide dates.
pub const DEFAULT_ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;

/// A time zone by its IANA name, or [`DEFAULT_ZONE`].
pub fn zone(tz: &str) -> chrono_tz::Tz {
    tz.parse().unwrap_or(DEFAULT_ZONE)
}

/// Today's date in a time zone named by IANA.
pub fn today_in(tz: &str) -> NaiveDate {
    tejido_db::now().with_timezone(&zone(tz)).date_naive()
}

/// Today's date in the community's time zone.
pub fn today(m: &Community) -> NaiveDate {
    today_in(&m.time_zone)
}

/// Today's date where no community is concerned (instance-wide lists, reports across
/// communities).
pub fn today_here() -> NaiveDate {
    tejido_db::now().with_timezone(&DEFAULT_ZONE).date_naive()
}
