//! Rows of the record tables: audit logs and performance metrics.

use std::sync::Arc;

use chrono::Duration;
use entity::enums::AsStr;
use fake::Fake;
use fake::faker::company::en::Bs;
use serde_json::json;

use super::{Row, choose, rng};
use crate::field::Field;
use crate::ids::{hash, pick, uuid_v7};
use crate::plan::{Plan, stream::*};
use crate::text;

pub(super) fn audit_columns() -> Vec<&'static str> {
    use entity::audit_logs::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::UserId,
        C::Action,
        C::EntityType,
        C::EntityId,
        C::OldValues,
        C::NewValues,
        C::IpAddress,
        C::UserAgent,
        C::CreatedAt,
    ])
}

pub(super) fn audit_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.audit_logs)).filter_map(move |a| {
        let conversation = plan.conversations.get(
            (hash(plan.seed, AUDIT, a, 1) % plan.conversations.len().max(1) as u64) as usize,
        )?;
        let tenant = u64::from(conversation.tenant);
        let user = plan
            .user_of_tenant(tenant, pick(plan.seed, AUDIT, a, 2, u64::MAX))
            .map(|u| plan.user_id(u));
        let (action, old, new) = choose(&plan, AUDIT, a, 10, text::AUDIT_ACTIONS);
        let at = conversation.last_activity;
        Some(vec![
            uuid_v7(plan.seed, AUDIT, a, at).into(),
            plan.tenants[tenant as usize].id.into(),
            user.into(),
            action.into(),
            "conversation".into(),
            conversation.id.into(),
            json!({"status": old.as_str()}).into(),
            json!({"status": new.as_str()}).into(),
            format!("192.0.2.{}", 1 + a % 254).into(),
            choose(&plan, AUDIT, a, 11, text::USER_AGENTS).into(),
            at.into(),
        ])
    }))
}

pub(super) fn metric_columns() -> Vec<&'static str> {
    use entity::performance_metrics::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::UserId,
        C::MetricType,
        C::MetricValue,
        C::MetricUnit,
        C::PeriodStart,
        C::PeriodEnd,
        C::Metadata,
        C::CreatedAt,
    ])
}

pub(super) fn metric_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    let users = u64::from(plan.sizes.users);
    Box::new((0..u64::from(plan.sizes.metrics)).filter(move |_| users > 0).map(move |m| {
        let u = m % users;
        let (metric, unit, scale) = choose(&plan, METRICS, m, 10, text::METRICS);
        let end = plan.anchor - Duration::days(7 * (m / users) as i64);
        let cents = pick(plan.seed, METRICS, m, 11, scale * 100);
        let mut r = rng(&plan, METRICS, m);
        let note: String = Bs().fake_with_rng(&mut r);
        vec![
            uuid_v7(plan.seed, METRICS, m, end).into(),
            plan.tenant_of(u).id.into(),
            Some(plan.user_id(u)).into(),
            metric.into(),
            Field::Decimal(format!("{}.{:02}", cents / 100, cents % 100)),
            unit.into(),
            (end - Duration::days(7)).into(),
            end.into(),
            json!({"note": note}).into(),
            end.into(),
        ]
    }))
}
