use super::Dialect;
use super::{postgres, sqlite};

/// What a column holds; each kind renders to a native type plus the checks that keep
/// SQLite's loose typing honest.
#[derive(Clone, Debug)]
enum Kind {
    Uuid,
    Varchar(u32),
    Text,
    Integer,
    BigInt,
    Boolean,
    Timestamp,
    Decimal(u8, u8),
    JsonObject,
    JsonArray,
    StringList,
    IpAddress,
    Enum(&'static [&'static str]),
}

/// A column default.
#[derive(Clone, Debug)]
pub(crate) enum Default {
    /// The current time.
    Now,
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'static str),
    /// A JSON document.
    Json(&'static str),
    /// A random UUID, on PostgreSQL only (SQLite rows get their ids from the application).
    RandomUuid,
}

/// One column of a table.
#[derive(Clone, Debug)]
pub(crate) struct Col {
    name: &'static str,
    kind: Kind,
    not_null: bool,
    default: Option<Default>,
    checks: Vec<String>,
    dialect_checks: Vec<(String, String)>,
    references: Option<(&'static str, &'static str)>,
}

impl Col {
    fn new(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            kind,
            not_null: false,
            default: None,
            checks: Vec::new(),
            dialect_checks: Vec::new(),
            references: None,
        }
    }

    /// A uuid.
    pub(crate) fn uuid(name: &'static str) -> Self {
        Self::new(name, Kind::Uuid)
    }
    /// A string of at most `max` characters.
    pub(crate) fn varchar(name: &'static str, max: u32) -> Self {
        Self::new(name, Kind::Varchar(max))
    }
    /// Unbounded text.
    pub(crate) fn text(name: &'static str) -> Self {
        Self::new(name, Kind::Text)
    }
    /// A 32-bit integer.
    pub(crate) fn integer(name: &'static str) -> Self {
        Self::new(name, Kind::Integer)
    }
    /// A 64-bit integer.
    pub(crate) fn bigint(name: &'static str) -> Self {
        Self::new(name, Kind::BigInt)
    }
    /// A NOT NULL boolean with a default.
    pub(crate) fn boolean(name: &'static str, default: bool) -> Self {
        Self::new(name, Kind::Boolean).not_null().default(Default::Bool(default))
    }
    /// A point in time, with time zone.
    pub(crate) fn timestamp(name: &'static str) -> Self {
        Self::new(name, Kind::Timestamp)
    }
    /// An exact decimal number.
    pub(crate) fn decimal(name: &'static str, precision: u8, scale: u8) -> Self {
        Self::new(name, Kind::Decimal(precision, scale))
    }
    /// A NOT NULL JSON object with a default.
    pub(crate) fn json_object(name: &'static str, default: &'static str) -> Self {
        Self::new(name, Kind::JsonObject).not_null().default(Default::Json(default))
    }
    /// A JSON array (NOT NULL; add a default when it has one).
    pub(crate) fn json_array(name: &'static str) -> Self {
        Self::new(name, Kind::JsonArray).not_null()
    }
    /// A NOT NULL JSON array of strings, defaulting to `[]`.
    pub(crate) fn string_list(name: &'static str) -> Self {
        Self::new(name, Kind::StringList).not_null().default(Default::Json("[]"))
    }
    /// Text holding an IP address (checked on PostgreSQL).
    pub(crate) fn ip_address(name: &'static str) -> Self {
        Self::new(name, Kind::IpAddress)
    }
    /// An upper-case enumerated string, NOT NULL, with a default.
    pub(crate) fn enumeration(
        name: &'static str,
        values: &'static [&'static str],
        default: &'static str,
    ) -> Self {
        Self::new(name, Kind::Enum(values)).not_null().default(Default::Str(default))
    }
    /// An upper-case enumerated string with no default.
    pub(crate) fn required_enumeration(
        name: &'static str,
        values: &'static [&'static str],
    ) -> Self {
        Self::new(name, Kind::Enum(values)).not_null()
    }

    /// Marks the column NOT NULL.
    pub(crate) fn not_null(mut self) -> Self {
        self.not_null = true;
        self
    }
    /// Sets the default.
    pub(crate) fn default(mut self, default: Default) -> Self {
        self.default = Some(default);
        self
    }
    /// Adds a check written in SQL both backends understand.
    pub(crate) fn check(mut self, condition: impl Into<String>) -> Self {
        self.checks.push(condition.into());
        self
    }
    /// Adds a check that each backend writes in its own way (e.g. a regex and a GLOB).
    pub(crate) fn check_by_dialect(mut self, postgres: &str, sqlite: &str) -> Self {
        self.dialect_checks.push((postgres.to_owned(), sqlite.to_owned()));
        self
    }
    /// A single-column foreign key, `on_delete` being e.g. `CASCADE` or `SET NULL`.
    pub(crate) fn references(mut self, table: &'static str, on_delete: &'static str) -> Self {
        self.references = Some((table, on_delete));
        self
    }

    /// The column's name.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// The column definition as it appears in CREATE TABLE or ADD COLUMN.
    pub(crate) fn render(&self, dialect: Dialect) -> String {
        let name = self.name;
        let mut sql = format!("{name} {}", self.sql_type(dialect));
        if self.not_null {
            sql.push_str(" NOT NULL");
        }
        if let Some(default) = self.default.as_ref().and_then(|d| render_default(d, dialect)) {
            sql.push_str(" DEFAULT ");
            sql.push_str(&default);
        }
        let mut checks: Vec<String> = self
            .kind_checks(dialect)
            .into_iter()
            .map(|check| if self.not_null { check } else { format!("({name} IS NULL OR {check})") })
            .collect();
        checks.extend(self.checks.iter().cloned());
        checks.extend(self.dialect_checks.iter().map(|(postgres, sqlite)| match dialect {
            Dialect::Postgres => postgres.clone(),
            Dialect::Sqlite => sqlite.clone(),
        }));
        if !checks.is_empty() {
            sql.push_str(&format!(" CHECK ({})", checks.join(" AND ")));
        }
        if let Some((table, on_delete)) = self.references {
            sql.push_str(&format!(" REFERENCES {table} (id) ON DELETE {on_delete}"));
        }
        sql
    }

    fn sql_type(&self, dialect: Dialect) -> String {
        match (dialect, &self.kind) {
            (Dialect::Postgres, Kind::Uuid) => "uuid".into(),
            (Dialect::Postgres, Kind::Varchar(n)) => format!("varchar({n})"),
            (Dialect::Postgres, Kind::Text | Kind::Enum(_) | Kind::IpAddress) => "text".into(),
            (Dialect::Postgres, Kind::Integer) => "integer".into(),
            (Dialect::Postgres, Kind::BigInt) => "bigint".into(),
            (Dialect::Postgres, Kind::Boolean) => "boolean".into(),
            (Dialect::Postgres, Kind::Timestamp) => "timestamptz".into(),
            (Dialect::Postgres, Kind::Decimal(p, s)) => format!("numeric({p},{s})"),
            (Dialect::Postgres, Kind::JsonObject | Kind::JsonArray | Kind::StringList) => {
                "jsonb".into()
            }
            (Dialect::Sqlite, Kind::Uuid) => "BLOB".into(),
            (Dialect::Sqlite, Kind::Integer | Kind::BigInt) => "INTEGER".into(),
            (Dialect::Sqlite, Kind::Boolean) => "BOOLEAN".into(),
            (Dialect::Sqlite, _) => "TEXT".into(),
        }
    }

    /// The checks implied by the kind: JSON shapes and enum values everywhere, plus the
    /// type and length checks that SQLite would otherwise not make.
    fn kind_checks(&self, dialect: Dialect) -> Vec<String> {
        let c = self.name;
        match (dialect, &self.kind) {
            (_, Kind::Enum(values)) => {
                let list: Vec<String> = values.iter().map(|v| super::quote(v)).collect();
                vec![format!("{c} IN ({})", list.join(", "))]
            }
            (Dialect::Postgres, Kind::JsonObject) => vec![format!("jsonb_typeof({c}) = 'object'")],
            (Dialect::Postgres, Kind::JsonArray) => vec![format!("jsonb_typeof({c}) = 'array'")],
            (Dialect::Postgres, Kind::StringList) => {
                vec![format!("jsonb_typeof({c}) = 'array'"), postgres::string_elements_check(c)]
            }
            (Dialect::Postgres, Kind::IpAddress) => vec![postgres::ip_address_check(c)],
            (Dialect::Postgres, _) => Vec::new(),
            (Dialect::Sqlite, Kind::JsonObject) => vec![sqlite::json_shape(c, "object")],
            (Dialect::Sqlite, Kind::JsonArray | Kind::StringList) => {
                vec![sqlite::json_shape(c, "array")]
            }
            (Dialect::Sqlite, Kind::Uuid) => {
                vec![format!("typeof({c}) = 'blob' AND length({c}) = 16")]
            }
            (Dialect::Sqlite, Kind::Varchar(n)) => vec![format!("length({c}) <= {n}")],
            (Dialect::Sqlite, Kind::Integer | Kind::BigInt) => {
                vec![format!("typeof({c}) = 'integer'")]
            }
            (Dialect::Sqlite, Kind::Boolean) => vec![format!("{c} IN (0, 1)")],
            (Dialect::Sqlite, Kind::Timestamp) => vec![format!("julianday({c}) IS NOT NULL")],
            (Dialect::Sqlite, Kind::Decimal(p, s)) => vec![sqlite::decimal_text(c, *p, *s)],
            (Dialect::Sqlite, Kind::Text | Kind::IpAddress) => Vec::new(),
        }
    }
}

fn render_default(default: &Default, dialect: Dialect) -> Option<String> {
    Some(match default {
        Default::Now => match dialect {
            Dialect::Postgres => "now()".into(),
            Dialect::Sqlite => format!("({})", sqlite::NOW),
        },
        Default::Int(i) => i.to_string(),
        Default::Bool(b) => dialect.bool_literal(*b).into(),
        Default::Str(s) => super::quote(s),
        Default::Json(json) => dialect.json_literal(json),
        Default::RandomUuid => match dialect {
            Dialect::Postgres => "gen_random_uuid()".into(),
            Dialect::Sqlite => return None,
        },
    })
}
