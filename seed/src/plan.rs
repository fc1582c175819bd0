//! The shape of one seeding: which tenants, and per conversation its customer, agent,
//! time and message count. Everything else is computed from the seed row by row.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::ids::{pick, uuid_v7};
use crate::sizes::Sizes;

/// Table numbers that keep the hash streams of different tables apart.
pub(crate) mod stream {
    pub(crate) const TENANTS: u64 = 1;
    pub(crate) const USERS: u64 = 2;
    pub(crate) const CUSTOMERS: u64 = 3;
    pub(crate) const TAGS: u64 = 4;
    pub(crate) const CONVERSATIONS: u64 = 5;
    pub(crate) const MESSAGES: u64 = 6;
    pub(crate) const ATTACHMENTS: u64 = 7;
    pub(crate) const SESSIONS: u64 = 8;
    pub(crate) const SETTINGS: u64 = 9;
    pub(crate) const SUBSCRIPTIONS: u64 = 10;
    pub(crate) const AUDIT: u64 = 11;
    pub(crate) const METRICS: u64 = 12;
    pub(crate) const LINKS: u64 = 13;
}
use stream::*;

/// A tenant the seeding writes into.
#[derive(Clone, Debug)]
pub(crate) struct TenantInfo {
    pub id: Uuid,
    pub domain: String,
    pub created_at: DateTime<Utc>,
}

/// What messages and links need to know about a conversation.
#[derive(Clone, Debug)]
pub(crate) struct ConversationInfo {
    /// The conversation's row number (its hash coordinate).
    pub index: u64,
    pub id: Uuid,
    pub tenant: u32,
    pub customer: u64,
    pub agent: Option<u64>,
    pub created_at: DateTime<Utc>,
    pub last_activity: DateTime<Utc>,
    pub messages: u32,
    /// Global row number of the conversation's first message.
    pub first_message: u64,
}

/// Everything a row generator needs.
pub(crate) struct Plan {
    pub seed: u64,
    pub anchor: DateTime<Utc>,
    pub sizes: Sizes,
    pub tenants: Vec<TenantInfo>,
    /// Whether `tenants` are created by this seeding (false: seeding into one tenant).
    pub creates_tenants: bool,
    /// Keeps e-mails of different seedings into one tenant apart.
    pub marker: String,
    pub password_hash: String,
    pub conversations: Vec<ConversationInfo>,
}

/// Minutes between two messages of a conversation, at most.
const MAX_GAP_MINUTES: u64 = 240;
/// How far back conversations go.
const HISTORY_DAYS: u64 = 180;

impl Plan {
    pub(crate) fn new(
        seed: u64,
        anchor: DateTime<Utc>,
        sizes: Sizes,
        existing_tenant: Option<TenantInfo>,
        password_hash: String,
    ) -> Self {
        let marker = format!("{:06x}", seed & 0xFF_FFFF);
        let (tenants, creates_tenants) = match existing_tenant {
            Some(tenant) => (vec![tenant], false),
            None => {
                ((0..u64::from(sizes.tenants)).map(|t| new_tenant(seed, anchor, t)).collect(), true)
            }
        };
        let mut plan = Self {
            seed,
            anchor,
            sizes,
            tenants,
            creates_tenants,
            marker,
            password_hash,
            conversations: Vec::new(),
        };
        plan.conversations = plan.plan_conversations();
        plan
    }

    pub(crate) fn tenant_count(&self) -> u64 {
        self.tenants.len().max(1) as u64
    }

    /// The tenant of row `index` of a table spread round-robin over the tenants.
    pub(crate) fn tenant_of(&self, index: u64) -> &TenantInfo {
        &self.tenants[(index % self.tenant_count()) as usize]
    }

    /// How many of `total` round-robin rows belong to tenant `t`.
    fn share(&self, total: u32, tenant: u64) -> u64 {
        let n = self.tenant_count();
        let total = u64::from(total);
        total / n + u64::from(tenant < total % n)
    }

    /// The `k`-th row of tenant `tenant` among `total` round-robin rows, if there is one.
    fn nth_of_tenant(&self, total: u32, tenant: u64, choice: u64) -> Option<u64> {
        let share = self.share(total, tenant);
        (share > 0).then(|| tenant + self.tenant_count() * (choice % share))
    }

    pub(crate) fn time_before_anchor(
        &self,
        table: u64,
        index: u64,
        max_minutes: u64,
    ) -> DateTime<Utc> {
        self.anchor - minutes(pick(self.seed, table, index, 3, max_minutes.max(1)))
    }

    pub(crate) fn user_created_at(&self, user: u64) -> DateTime<Utc> {
        self.tenant_of(user).created_at
            + minutes(60 + pick(self.seed, USERS, user, 3, 60 * 24 * 30))
    }

    pub(crate) fn user_id(&self, user: u64) -> Uuid {
        uuid_v7(self.seed, USERS, user, self.user_created_at(user))
    }

    pub(crate) fn customer_created_at(&self, customer: u64) -> DateTime<Utc> {
        self.time_before_anchor(CUSTOMERS, customer, 60 * 24 * (HISTORY_DAYS + 180))
    }

    pub(crate) fn customer_id(&self, customer: u64) -> Uuid {
        uuid_v7(self.seed, CUSTOMERS, customer, self.customer_created_at(customer))
    }

    pub(crate) fn tag_id(&self, tenant: u64, k: u64) -> Uuid {
        let index = tenant * 1000 + k;
        uuid_v7(self.seed, TAGS, index, self.tenants[tenant as usize].created_at)
    }

    /// A user of `tenant`, chosen by `choice`.
    pub(crate) fn user_of_tenant(&self, tenant: u64, choice: u64) -> Option<u64> {
        self.nth_of_tenant(self.sizes.users, tenant, choice)
    }

    /// A customer of `tenant`, chosen by `choice`.
    pub(crate) fn customer_of_tenant(&self, tenant: u64, choice: u64) -> Option<u64> {
        self.nth_of_tenant(self.sizes.customers, tenant, choice)
    }

    /// Gap before message `k` of conversation `c`.
    pub(crate) fn message_gap(&self, conversation: u64, k: u64) -> Duration {
        minutes(1 + pick(self.seed, MESSAGES, conversation, 1000 + k, MAX_GAP_MINUTES))
    }

    fn plan_conversations(&self) -> Vec<ConversationInfo> {
        let total = u64::from(self.sizes.conversations);
        let counts = message_counts(self.seed, u64::from(self.sizes.messages), total);
        let mut next_message = 0u64;
        (0..total)
            .filter_map(|c| {
                let tenant = c % self.tenant_count();
                // A tenant without customers gets no conversations.
                let customer = self
                    .customer_of_tenant(tenant, pick(self.seed, CONVERSATIONS, c, 4, u64::MAX))?;
                let agent = match pick(self.seed, CONVERSATIONS, c, 5, 10) {
                    0 => None,
                    _ => {
                        self.user_of_tenant(tenant, pick(self.seed, CONVERSATIONS, c, 6, u64::MAX))
                    }
                };
                let messages = counts[c as usize];
                let span: Duration = (1..u64::from(messages)).map(|k| self.message_gap(c, k)).sum();
                let opened = self.time_before_anchor(CONVERSATIONS, c, 60 * 24 * HISTORY_DAYS);
                // Nothing happens after the anchor.
                let created_at = opened.min(self.anchor - span - minutes(1));
                let first_message = next_message;
                next_message += u64::from(messages);
                Some(ConversationInfo {
                    index: c,
                    first_message,
                    id: uuid_v7(self.seed, CONVERSATIONS, c, created_at),
                    tenant: tenant as u32,
                    customer,
                    agent,
                    created_at,
                    last_activity: created_at + span,
                    messages,
                })
            })
            .collect()
    }
}

/// `total` messages over `conversations`, unevenly but summing exactly.
fn message_counts(seed: u64, total: u64, conversations: u64) -> Vec<u32> {
    if conversations == 0 {
        return Vec::new();
    }
    let mut counts: Vec<u64> = (0..conversations)
        .map(|c| total / conversations + u64::from(c < total % conversations))
        .collect();
    for pair in (0..conversations.saturating_sub(1) as usize).step_by(2) {
        let movable = counts[pair].min(counts[pair + 1]) * 2 / 3;
        let moved = pick(seed, MESSAGES, pair as u64, 0, movable + 1);
        counts[pair] -= moved;
        counts[pair + 1] += moved;
    }
    counts.into_iter().map(|c| u32::try_from(c).unwrap_or(u32::MAX)).collect()
}

fn new_tenant(seed: u64, anchor: DateTime<Utc>, t: u64) -> TenantInfo {
    let created_at =
        anchor - minutes(60 * 24 * (HISTORY_DAYS + 200) + pick(seed, TENANTS, t, 3, 60 * 24 * 365));
    TenantInfo {
        id: uuid_v7(seed, TENANTS, t, created_at),
        domain: format!("tenant-{t}-{:06x}.example.com", seed & 0xFF_FFFF),
        created_at,
    }
}

pub(crate) fn minutes(n: u64) -> Duration {
    Duration::minutes(i64::try_from(n).unwrap_or(i64::MAX / 120_000))
}
