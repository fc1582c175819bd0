//! Word lists and templates for believable support data.

use entity::enums::ConversationStatus;
use serde_json::{Value, json};

use crate::ids::pick;
use crate::plan::stream::{CONVERSATIONS, MESSAGES};

/// Tag names and colours.
pub(crate) const TAGS: &[(&str, &str)] = &[
    ("billing", "#3B82F6"),
    ("bug", "#EF4444"),
    ("vip", "#F59E0B"),
    ("feature-request", "#10B981"),
    ("refund", "#8B5CF6"),
    ("shipping", "#06B6D4"),
    ("onboarding", "#84CC16"),
    ("churn-risk", "#DC2626"),
    ("api", "#6366F1"),
    ("security", "#0F172A"),
];

/// Agent skills.
pub(crate) const SKILLS: &[&str] =
    &["billing", "returns", "api", "onboarding", "escalations", "shipping", "security"];

/// Attachment names and MIME types.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("screenshot.png", "image/png"),
    ("invoice.pdf", "application/pdf"),
    ("photo.jpg", "image/jpeg"),
    ("logs.txt", "text/plain"),
    ("export.csv", "text/csv"),
];

/// Browsers of agents.
pub(crate) const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
];

/// Audited status changes: action, old status, new status.
pub(crate) const AUDIT_ACTIONS: &[(&str, ConversationStatus, ConversationStatus)] = &[
    ("conversation.assigned", ConversationStatus::Open, ConversationStatus::InProgress),
    ("conversation.resolved", ConversationStatus::InProgress, ConversationStatus::Resolved),
    ("conversation.reopened", ConversationStatus::Resolved, ConversationStatus::Open),
    ("conversation.closed", ConversationStatus::Resolved, ConversationStatus::Closed),
    ("conversation.escalated", ConversationStatus::InProgress, ConversationStatus::InProgress),
];

/// Metric names, units and the largest value.
pub(crate) const METRICS: &[(&str, &str, u64)] = &[
    ("first_response_time", "minutes", 240),
    ("resolution_time", "minutes", 2880),
    ("csat", "score", 5),
    ("conversations_handled", "count", 400),
];

const PRODUCTS: &[&str] = &[
    "invoice",
    "order",
    "subscription",
    "account",
    "password reset",
    "export",
    "integration",
    "mobile app",
    "dashboard",
    "refund",
    "delivery",
    "API key",
    "SSO login",
    "webhook",
];
const PROBLEMS: &[&str] = &[
    "is not working",
    "shows the wrong amount",
    "keeps failing",
    "has not arrived",
    "is stuck in pending",
    "was charged twice",
    "cannot be found",
    "times out",
];
const OPENERS: &[&str] = &["Hi,", "Hello,", "Hi there,", "Good morning,", "Hey team,"];
const FOLLOW_UPS: &[&str] = &[
    "Any update on this?",
    "I tried again and it still happens.",
    "Thanks, that worked!",
    "Here is a screenshot of the error.",
    "Could you check my account, please?",
    "This is blocking our team today.",
];
const REPLIES: &[&str] = &[
    "Thanks for reaching out! I'm looking into this now.",
    "Sorry for the trouble. Could you send the order number?",
    "I've escalated this to our engineers and will update you shortly.",
    "That should be fixed now; please try again and let me know.",
    "I've issued a refund; it will show within 3-5 business days.",
    "Could you clear your browser cache and sign in again?",
];

fn choose<'a>(seed: u64, table: u64, index: u64, part: u64, items: &[&'a str]) -> &'a str {
    items[pick(seed, table, index, part, items.len() as u64) as usize]
}

/// A conversation subject.
pub(crate) fn subject(seed: u64, conversation: u64) -> String {
    let product = choose(seed, CONVERSATIONS, conversation, 20, PRODUCTS);
    let problem = choose(seed, CONVERSATIONS, conversation, 21, PROBLEMS);
    let mut subject = format!("{product} {problem}");
    subject[..1].make_ascii_uppercase();
    subject
}

/// A message from the customer or from the agent.
pub(crate) fn message(seed: u64, message: u64, from_customer: bool) -> String {
    if !from_customer {
        return choose(seed, MESSAGES, message, 20, REPLIES).to_owned();
    }
    match pick(seed, MESSAGES, message, 21, 3) {
        0 => choose(seed, MESSAGES, message, 22, FOLLOW_UPS).to_owned(),
        _ => format!(
            "{} my {} {} (ref #{}).",
            choose(seed, MESSAGES, message, 23, OPENERS),
            choose(seed, MESSAGES, message, 24, PRODUCTS),
            choose(seed, MESSAGES, message, 25, PROBLEMS),
            10_000 + pick(seed, MESSAGES, message, 26, 90_000)
        ),
    }
}

/// Monday–Friday 09:00–17:00.
pub(crate) fn working_hours() -> Value {
    let day = json!({"start": "09:00", "end": "17:00"});
    json!({
        "monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day,
        "saturday": null, "sunday": null,
    })
}
