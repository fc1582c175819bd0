use super::{Col, Dialect, postgres, sqlite};

/// What happens to a child row when its parent is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OnDelete {
    /// Delete the child too.
    Cascade,
    /// Forget the link (the column must be nullable).
    SetNull,
}

/// A link from `column` to a row of `parent` that must belong to the same tenant.
#[derive(Clone, Debug)]
struct TenantLink {
    column: &'static str,
    parent: &'static str,
    on_delete: OnDelete,
}

/// An index.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    name: String,
    table: &'static str,
    keys: &'static str,
    unique: bool,
    partial: Option<&'static str>,
    gin: bool,
}

impl Index {
    /// An index on `keys` (a column list or expressions, as written in SQL).
    pub(crate) fn on(name: impl Into<String>, table: &'static str, keys: &'static str) -> Self {
        Self { name: name.into(), table, keys, unique: false, partial: None, gin: false }
    }
    /// A unique index.
    pub(crate) fn unique(name: impl Into<String>, table: &'static str, keys: &'static str) -> Self {
        Self { unique: true, ..Self::on(name, table, keys) }
    }
    /// A GIN index over a JSON column; PostgreSQL only.
    pub(crate) fn gin(name: impl Into<String>, table: &'static str, column: &'static str) -> Self {
        Self { gin: true, ..Self::on(name, table, column) }
    }
    /// The index's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Limits the index to the rows matching `condition`.
    pub(crate) fn partial(mut self, condition: &'static str) -> Self {
        self.partial = Some(condition);
        self
    }

    /// `CREATE INDEX`, or nothing where the backend has no such index.
    pub(crate) fn create(&self, dialect: Dialect) -> Option<String> {
        let Self { name, table, keys, .. } = self;
        let unique = if self.unique { "UNIQUE " } else { "" };
        let using = match (self.gin, dialect) {
            (true, Dialect::Sqlite) => return None,
            (true, Dialect::Postgres) => " USING gin",
            (false, _) => "",
        };
        let partial = self.partial.map(|c| format!(" WHERE {c}")).unwrap_or_default();
        Some(format!("CREATE {unique}INDEX {name} ON {table}{using} ({keys}){partial}"))
    }
}

/// A table: columns, constraints and what the backend needs around them.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    name: &'static str,
    columns: Vec<Col>,
    constraints: Vec<String>,
    tenant_links: Vec<TenantLink>,
    indexes: Vec<Index>,
    touch_updated_at: bool,
}

impl Table {
    /// A table with the conventional `id` primary key.
    pub(crate) fn new(name: &'static str) -> Self {
        Self::bare(name)
            .column(Col::uuid("id").not_null().default(super::Default::RandomUuid))
            .primary_key("id")
    }

    /// A table with no implied columns (junction tables).
    pub(crate) fn bare(name: &'static str) -> Self {
        Self {
            name,
            columns: Vec::new(),
            constraints: Vec::new(),
            tenant_links: Vec::new(),
            indexes: Vec::new(),
            touch_updated_at: false,
        }
    }

    /// Adds a column.
    pub(crate) fn column(mut self, column: Col) -> Self {
        self.columns.push(column);
        self
    }

    /// `tenant_id`: NOT NULL, deleted with its tenant, indexed.
    pub(crate) fn tenant_id(self) -> Self {
        let name = self.name;
        self.column(Col::uuid("tenant_id").not_null().references("tenants", "CASCADE"))
            .index(Index::on(format!("idx_{name}_tenant_id"), name, "tenant_id"))
    }

    /// `created_at`, NOT NULL, defaulting to now.
    pub(crate) fn created_at(self) -> Self {
        self.column(Col::timestamp("created_at").not_null().default(super::Default::Now))
    }

    /// `created_at` and `updated_at`, the latter kept current by a trigger.
    pub(crate) fn timestamps(mut self) -> Self {
        self.touch_updated_at = true;
        self.created_at()
            .column(Col::timestamp("updated_at").not_null().default(super::Default::Now))
    }

    /// Nullable, indexed `created_by` and `updated_by` references to users.
    pub(crate) fn audit_references(self) -> Self {
        self.created_by().user_reference("updated_by")
    }

    /// A nullable, indexed `created_by` reference to users.
    pub(crate) fn created_by(self) -> Self {
        self.user_reference("created_by")
    }

    fn user_reference(self, column: &'static str) -> Self {
        let name = self.name;
        self.column(Col::uuid(column).references("users", "SET NULL")).index(Index::on(
            format!("idx_{name}_{column}"),
            name,
            column,
        ))
    }

    /// The primary key.
    pub(crate) fn primary_key(self, columns: &str) -> Self {
        self.constraint(format!("PRIMARY KEY ({columns})"))
    }

    /// A constraint written in SQL both backends understand.
    pub(crate) fn constraint(mut self, sql: impl Into<String>) -> Self {
        self.constraints.push(sql.into());
        self
    }

    /// Lets children reference this table by `(tenant_id, id)`.
    pub(crate) fn tenant_scoped_key(self) -> Self {
        let name = self.name;
        self.constraint(format!("CONSTRAINT uq_{name}_tenant_id_id UNIQUE (tenant_id, id)"))
    }

    /// A link to `parent` that must stay within the row's tenant. The column itself must
    /// already be declared (NOT NULL for cascades, nullable for SET NULL) and is indexed.
    pub(crate) fn tenant_link(
        mut self,
        column: &'static str,
        parent: &'static str,
        on_delete: OnDelete,
    ) -> Self {
        self.tenant_links.push(TenantLink { column, parent, on_delete });
        let name = self.name;
        self.index(Index::on(format!("idx_{name}_{column}"), name, column))
    }

    /// Adds an index created right after the table.
    pub(crate) fn index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }

    /// Every statement that creates the table, its triggers and indexes.
    pub(crate) fn create(&self, dialect: Dialect) -> Vec<String> {
        let mut body: Vec<String> = self.columns.iter().map(|c| c.render(dialect)).collect();
        body.extend(self.constraints.iter().cloned());
        let mut after = Vec::new();
        for link in &self.tenant_links {
            let (constraint, triggers) = self.render_link(link, dialect);
            body.push(constraint);
            after.extend(triggers);
        }
        let mut statements =
            vec![format!("CREATE TABLE {} (\n    {}\n)", self.name, body.join(",\n    "))];
        statements.extend(after);
        if self.touch_updated_at {
            statements.extend(match dialect {
                Dialect::Postgres => postgres::touch_updated_at_trigger(self.name),
                Dialect::Sqlite => sqlite::touch_updated_at_trigger(self.name),
            });
        }
        statements.extend(self.indexes.iter().filter_map(|i| i.create(dialect)));
        statements
    }

    /// Statements that drop the table and what `create` made outside of it.
    pub(crate) fn drop(&self, dialect: Dialect) -> Vec<String> {
        let mut statements = Vec::new();
        for link in &self.tenant_links {
            if dialect == Dialect::Sqlite && link.on_delete == OnDelete::SetNull {
                statements.push(sqlite::drop_parent_guard(self.name, link.column));
            }
        }
        statements.push(format!("DROP TABLE {}", self.name));
        statements
    }

    fn render_link(&self, link: &TenantLink, dialect: Dialect) -> (String, Vec<String>) {
        let TenantLink { column, parent, on_delete } = *link;
        let composite =
            format!("FOREIGN KEY (tenant_id, {column}) REFERENCES {parent} (tenant_id, id)");
        match (on_delete, dialect) {
            (OnDelete::Cascade, _) => (format!("{composite} ON DELETE CASCADE"), Vec::new()),
            (OnDelete::SetNull, Dialect::Postgres) => {
                (format!("{composite} ON DELETE SET NULL ({column})"), Vec::new())
            }
            // SQLite's SET NULL would also null the NOT NULL tenant_id, so the link is a
            // plain foreign key and triggers keep it within the tenant.
            (OnDelete::SetNull, Dialect::Sqlite) => (
                format!("FOREIGN KEY ({column}) REFERENCES {parent} (id) ON DELETE SET NULL"),
                sqlite::same_tenant_guards(self.name, column, parent),
            ),
        }
    }
}
