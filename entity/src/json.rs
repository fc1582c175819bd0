//! JSON columns whose shape is fixed, as typed structs.

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// Opening hours of one day, as `HH:MM` in the tenant's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    /// Opening time, `HH:MM`.
    pub start: String,
    /// Closing time, `HH:MM`.
    pub end: String,
}

impl DayHours {
    /// Hours from `start` to `end`.
    pub fn new(start: &str, end: &str) -> Self {
        Self { start: start.to_owned(), end: end.to_owned() }
    }
}

/// Working hours per weekday; `None` is a day off. Defaults to Monday–Friday 09:00–17:00.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[allow(missing_docs)]
pub struct WorkingHours {
    pub monday: Option<DayHours>,
    pub tuesday: Option<DayHours>,
    pub wednesday: Option<DayHours>,
    pub thursday: Option<DayHours>,
    pub friday: Option<DayHours>,
    pub saturday: Option<DayHours>,
    pub sunday: Option<DayHours>,
}

impl Default for WorkingHours {
    fn default() -> Self {
        let office = || Some(DayHours::new("09:00", "17:00"));
        Self {
            monday: office(),
            tuesday: office(),
            wednesday: office(),
            thursday: office(),
            friday: office(),
            saturday: None,
            sunday: None,
        }
    }
}

/// A tenant's service-level targets, in minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct SlaPolicies {
    /// Minutes to the first response.
    pub response_time: u32,
    /// Minutes to resolution; a new conversation's `sla_deadline` is this long after it
    /// was created.
    pub resolution_time: u32,
    /// Whether the clock only runs in working hours.
    pub business_hours_only: bool,
}

impl Default for SlaPolicies {
    fn default() -> Self {
        Self { response_time: 15, resolution_time: 480, business_hours_only: true }
    }
}

/// Which events a user is notified of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct NotificationTypes {
    /// A new conversation arrives.
    pub new_conversation: bool,
    /// A message arrives in a conversation of the user's.
    pub message_received: bool,
    /// A conversation is assigned to the user.
    pub conversation_assigned: bool,
}

impl Default for NotificationTypes {
    fn default() -> Self {
        Self { new_conversation: true, message_received: true, conversation_assigned: true }
    }
}

/// A daily period without notifications, `HH:MM` in the user's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct QuietHours {
    /// Whether quiet hours apply.
    pub enabled: bool,
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
}

impl Default for QuietHours {
    fn default() -> Self {
        Self { enabled: false, start: "22:00".to_owned(), end: "08:00".to_owned() }
    }
}

/// A JSON array of strings (skills, webhook events). A plain `Vec<String>` would map to a
/// PostgreSQL array, which SQLite lacks; the schema keeps such lists as JSON on both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct StringList(pub Vec<String>);

impl<S: Into<String>> FromIterator<S> for StringList {
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> Self {
        Self(items.into_iter().map(Into::into).collect())
    }
}

impl std::ops::Deref for StringList {
    type Target = Vec<String>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
