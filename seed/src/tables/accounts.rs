//! Rows of the account tables: tenants, users, customers, sessions, notification
//! settings, subscriptions.

use std::sync::Arc;

use chrono::Duration;
use fake::Fake;
use fake::faker::company::en::CompanyName;
use fake::faker::name::en::{FirstName, LastName};
use fake::faker::phone_number::en::PhoneNumber;
use serde_json::json;

use entity::enums::*;

use super::{Row, choose, email_part, rng};
use crate::field::Field;
use crate::field::variant;
use crate::ids::{hash, pick, uuid_v7};
use crate::plan::{Plan, minutes, stream::*};
use crate::text;

pub(super) fn tenant_columns() -> Vec<&'static str> {
    use entity::tenants::Column as C;
    super::names(&[
        C::Id,
        C::Name,
        C::Domain,
        C::PlanType,
        C::Status,
        C::MaxUsers,
        C::MaxConversations,
        C::MaxStorageMb,
        C::Features,
        C::Settings,
        C::Timezone,
        C::WorkingHours,
        C::SlaPolicies,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}
pub(super) const PLANS: &[(PlanType, i64, i64, i64)] = &[
    (PlanType::Free, 5, 100, 1_000),
    (PlanType::Starter, 10, 1_000, 5_000),
    (PlanType::Professional, 50, 20_000, 50_000),
    (PlanType::Enterprise, 1_000, 1_000_000, 1_000_000),
];
pub(super) const TIMEZONES: &[&str] = &[
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Kolkata",
];

pub(super) fn tenant_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.tenant_count()).map(move |t| {
        let tenant = &plan.tenants[t as usize];
        let (plan_type, max_users, max_conversations, storage) = choose(&plan, TENANTS, t, 10, PLANS);
        let resolution = choose(&plan, TENANTS, t, 11, &[240, 480, 1440, 2880]);
        let name: String = CompanyName().fake_with_rng(&mut rng(&plan, TENANTS, t));
        vec![
            tenant.id.into(),
            name.into(),
            tenant.domain.as_str().into(),
            variant(plan_type),
            variant(choose(&plan, TENANTS, t, 12, &[TenantStatus::Active, TenantStatus::Active, TenantStatus::Active, TenantStatus::Trial])),
            max_users.into(),
            max_conversations.into(),
            storage.into(),
            json!({"live_chat": true, "ai_assist": t % 2 == 0}).into(),
            json!({"locale": "en"}).into(),
            choose(&plan, TENANTS, t, 13, TIMEZONES).into(),
            text::working_hours().into(),
            json!({"response_time": resolution / 16, "resolution_time": resolution, "business_hours_only": t % 3 != 0}).into(),
            tenant.created_at.into(),
            tenant.created_at.into(),
        ]
    }))
}

pub(super) fn user_columns() -> Vec<&'static str> {
    use entity::users::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::Email,
        C::PasswordHash,
        C::FirstName,
        C::LastName,
        C::Role,
        C::Status,
        C::Preferences,
        C::LastLoginAt,
        C::WorkingHours,
        C::Skills,
        C::AvailabilityStatus,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn user_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.users)).map(move |u| {
        let tenant = plan.tenant_of(u);
        let mut r = rng(&plan, USERS, u);
        let first: String = FirstName().fake_with_rng(&mut r);
        let last: String = LastName().fake_with_rng(&mut r);
        let email = format!(
            "{}.{}.{u}.{}@{}",
            email_part(&first),
            email_part(&last),
            plan.marker,
            tenant.domain
        );
        let role = match u / plan.tenant_count() {
            0 => UserRole::TenantAdmin,
            1 => UserRole::Supervisor,
            _ => UserRole::Agent,
        };
        let created_at = plan.user_created_at(u);
        let skills = [text::SKILLS[(u % 7) as usize], text::SKILLS[((u / 7) % 7) as usize]];
        vec![
            plan.user_id(u).into(),
            tenant.id.into(),
            email.into(),
            plan.password_hash.as_str().into(),
            first.into(),
            last.into(),
            variant(role),
            variant(choose(
                &plan,
                USERS,
                u,
                10,
                &[
                    UserStatus::Active,
                    UserStatus::Active,
                    UserStatus::Active,
                    UserStatus::Active,
                    UserStatus::Inactive,
                    UserStatus::Invited,
                ],
            )),
            json!({"theme": choose(&plan, USERS, u, 11, &["light", "dark"])}).into(),
            (plan.anchor - minutes(pick(plan.seed, USERS, u, 12, 60 * 24 * 14))).into(),
            text::working_hours().into(),
            json!(skills).into(),
            variant(choose(
                &plan,
                USERS,
                u,
                13,
                &[
                    AvailabilityStatus::Online,
                    AvailabilityStatus::Away,
                    AvailabilityStatus::Busy,
                    AvailabilityStatus::Offline,
                ],
            )),
            created_at.into(),
            created_at.into(),
        ]
    }))
}

pub(super) fn customer_columns() -> Vec<&'static str> {
    use entity::customers::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::Email,
        C::Phone,
        C::FirstName,
        C::LastName,
        C::CustomAttributes,
        C::Status,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn customer_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.customers)).map(move |c| {
        let mut r = rng(&plan, CUSTOMERS, c);
        let first: String = FirstName().fake_with_rng(&mut r);
        let last: String = LastName().fake_with_rng(&mut r);
        let phone: String = PhoneNumber().fake_with_rng(&mut r);
        let email = format!(
            "{}.{}.{c}.{}@mail.example.net",
            email_part(&first),
            email_part(&last),
            plan.marker
        );
        let created_at = plan.customer_created_at(c);
        vec![
            plan.customer_id(c).into(),
            plan.tenant_of(c).id.into(),
            email.into(),
            phone.into(),
            first.into(),
            last.into(),
            json!({
                "plan": choose(&plan, CUSTOMERS, c, 10, &["free", "basic", "pro", "business"]),
                "orders": pick(plan.seed, CUSTOMERS, c, 11, 40),
                "source": choose(&plan, CUSTOMERS, c, 12, &["widget", "email", "api", "phone"]),
            })
            .into(),
            variant(choose(
                &plan,
                CUSTOMERS,
                c,
                13,
                &[
                    CustomerStatus::Active,
                    CustomerStatus::Active,
                    CustomerStatus::Active,
                    CustomerStatus::Active,
                    CustomerStatus::Inactive,
                    CustomerStatus::Blocked,
                ],
            )),
            created_at.into(),
            created_at.into(),
        ]
    }))
}

pub(super) fn session_columns() -> Vec<&'static str> {
    use entity::user_sessions::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::UserId,
        C::SessionToken,
        C::IpAddress,
        C::UserAgent,
        C::IsActive,
        C::ExpiresAt,
        C::LastActivityAt,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn session_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    let users = u64::from(plan.sizes.users);
    Box::new((0..u64::from(plan.sizes.sessions)).filter(move |_| users > 0).map(move |s| {
        let u = s % users;
        let started = plan.time_before_anchor(SESSIONS, s, 60 * 24 * 30);
        let expires = started + Duration::hours(12);
        vec![
            uuid_v7(plan.seed, SESSIONS, s, started).into(),
            plan.tenant_of(u).id.into(),
            plan.user_id(u).into(),
            format!(
                "sha256:{:016x}{:016x}",
                hash(plan.seed, SESSIONS, s, 1),
                hash(plan.seed, SESSIONS, s, 2)
            )
            .into(),
            format!("10.{}.{}.{}", s % 256, (s / 256) % 256, 1 + s % 250).into(),
            choose(&plan, SESSIONS, s, 10, text::USER_AGENTS).into(),
            (expires > plan.anchor).into(),
            expires.into(),
            (started + minutes(pick(plan.seed, SESSIONS, s, 11, 600))).into(),
            started.into(),
            started.into(),
        ]
    }))
}

pub(super) fn settings_columns() -> Vec<&'static str> {
    use entity::notification_settings::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::UserId,
        C::EmailNotifications,
        C::PushNotifications,
        C::SmsNotifications,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn settings_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.users)).map(move |u| {
        let created_at = plan.user_created_at(u);
        vec![
            uuid_v7(plan.seed, SETTINGS, u, created_at).into(),
            plan.tenant_of(u).id.into(),
            plan.user_id(u).into(),
            true.into(),
            (u % 3 != 0).into(),
            (u % 5 == 0).into(),
            created_at.into(),
            created_at.into(),
        ]
    }))
}

pub(super) fn subscription_columns() -> Vec<&'static str> {
    use entity::subscriptions::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::PlanType,
        C::Status,
        C::CurrentPeriodStart,
        C::CurrentPeriodEnd,
        C::Amount,
        C::Currency,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn subscription_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.tenant_count()).map(move |t| {
        let (plan_type, ..) = choose(&plan, TENANTS, t, 10, PLANS);
        let amount = match plan_type {
            PlanType::Free => "0.00",
            PlanType::Starter => "29.00",
            PlanType::Professional => "249.50",
            _ => "1999.99",
        };
        let start = plan.time_before_anchor(SUBSCRIPTIONS, t, 60 * 24 * 28);
        vec![
            uuid_v7(plan.seed, SUBSCRIPTIONS, t, start).into(),
            plan.tenants[t as usize].id.into(),
            variant(plan_type),
            variant(choose(
                &plan,
                SUBSCRIPTIONS,
                t,
                10,
                &[
                    SubscriptionStatus::Active,
                    SubscriptionStatus::Active,
                    SubscriptionStatus::Trialing,
                    SubscriptionStatus::PastDue,
                ],
            )),
            start.into(),
            (start + Duration::days(30)).into(),
            Field::Decimal(amount.to_owned()),
            choose(&plan, SUBSCRIPTIONS, t, 11, &["GBP", "EUR", "USD"]).into(),
            start.into(),
            start.into(),
        ]
    }))
}
