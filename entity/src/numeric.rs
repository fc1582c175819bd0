//! [`Numeric`]: an exact `numeric(10,2)` on both backends.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};
use serde::{Deserialize, Serialize};

/// An exact decimal with two decimal places: `numeric(10,2)` on PostgreSQL, decimal text
/// on SQLite.
///
/// sea-orm reads a plain `Decimal` from SQLite through `f64`, which is not exact; this type
/// reads SQLite's text as written and PostgreSQL's `numeric` natively. Values are rounded
/// to two places, half away from zero as PostgreSQL does, when written.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Numeric(pub Decimal);

/// Decimal places kept by every `numeric` column of the schema.
pub const SCALE: u32 = 2;

impl Numeric {
    /// The value rounded to the schema's two decimal places, as the database stores it.
    pub fn new(value: Decimal) -> Self {
        let mut rounded = value
            .round_dp_with_strategy(SCALE, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(SCALE);
        Self(rounded)
    }

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Numeric {
    fn from(value: Decimal) -> Self {
        Self::new(value)
    }
}

impl FromStr for Numeric {
    type Err = rust_decimal::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Decimal::from_str_exact(text.trim()).map(Self::new)
    }
}

impl fmt::Display for Numeric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Numeric> for Value {
    fn from(value: Numeric) -> Self {
        Value::Decimal(Some(Numeric::new(value.0).0))
    }
}

impl TryGetable for Numeric {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        // SQLite hands back the stored text; PostgreSQL refuses `numeric` as text, and
        // then the native decoder applies.
        match String::try_get_by(res, index) {
            Ok(text) => text.parse().map_err(|e: rust_decimal::Error| {
                TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                    "column {index:?} holds {text:?}, which is not a decimal: {e}"
                )))
            }),
            Err(TryGetError::Null(column)) => Err(TryGetError::Null(column)),
            // PostgreSQL drops trailing zeros of some values (0.00 arrives as 0): rescale.
            Err(TryGetError::DbErr(_)) => Decimal::try_get_by(res, index).map(Self::new),
        }
    }
}

impl ValueType for Numeric {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        match value {
            Value::Decimal(Some(decimal)) => Ok(Self::new(decimal)),
            Value::String(Some(text)) => text.parse().map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "Numeric".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::Decimal
    }

    fn column_type() -> ColumnType {
        ColumnType::Decimal(Some((10, 2)))
    }
}

impl Nullable for Numeric {
    fn null() -> Value {
        Value::Decimal(None)
    }
}

impl sea_orm::TryFromU64 for Numeric {
    fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
        Err(sea_orm::DbErr::ConvertFromU64("Numeric"))
    }
}
