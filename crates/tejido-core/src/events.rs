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
