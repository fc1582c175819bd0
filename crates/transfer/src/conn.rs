//! One end of a copy: its configuration, its sea-orm connection (for the migrations'
//! history, guards and backups) and the driver connection rows stream through.

use db_config::{DatabaseConfig, Target};
use sea_orm::DatabaseConnection;
use sea_orm::sqlx::Postgres;
use sea_orm::sqlx::pool::PoolConnection;
use tokio::sync::mpsc;

use crate::error::database_error;
use crate::stream::{Feed, Sink};
use crate::tables::TableSpec;
use crate::value::Digest;
use crate::{TransferError, postgres, sqlite};
use bulk_load::{self as bulk, SetAside};

/// A database taking part in a copy.
pub(crate) struct Side {
    /// The database, described without its password.
    pub(crate) name: String,
    pub(crate) config: DatabaseConfig,
    pub(crate) db: DatabaseConnection,
}

impl Side {
    /// Connects to the database of `config`, the copy's `role` (`--from`, `--to`). An
    /// SQLite file must exist unless `create` (a target about to be migrated): a mistyped
    /// path must not leave an empty file behind.
    pub(crate) async fn open(
        config: &DatabaseConfig,
        role: &'static str,
        create: bool,
    ) -> Result<Self, TransferError> {
        if let Target::Sqlite(file) = &config.target
            && !create
            && !std::path::Path::new(&file.path.value).is_file()
        {
            return Err(TransferError::Usage {
                flag: role,
                problem: format!(
                    "{} does not exist; name an SQLite file of this schema{}",
                    file.path.value,
                    if role == "--to" {
                        ", or pass --migrate-target to create and migrate it"
                    } else {
                        ""
                    }
                ),
            });
        }
        let db = config.connect_single().await?;
        Ok(Self { name: config.target.describe(), config: config.clone(), db })
    }

    /// Whether both are the same database, however named: an SQLite file by any path; a
    /// PostgreSQL database by any host name, user or pooler in front of it.
    pub(crate) async fn same_database(&self, other: &Side) -> Result<bool, TransferError> {
        Ok(self.identity().await? == other.identity().await?)
    }

    async fn identity(&self) -> Result<String, TransferError> {
        use sea_orm::ConnectionTrait;
        match &self.config.target {
            Target::Sqlite(file) => Ok(std::fs::canonicalize(&file.path.value)
                .map_or_else(|_| self.name.clone(), |path| path.display().to_string())),
            Target::Postgres(_) => {
                // A server is its start time and port; the database its oid there.
                let sql = "SELECT concat_ws('/', pg_postmaster_start_time(), inet_server_port(), \
                           (SELECT oid FROM pg_database WHERE datname = current_database()))";
                let row = self
                    .db
                    .query_one_raw(sea_orm::Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        sql,
                    ))
                    .await
                    .and_then(|row| row.map(|r| r.try_get_by_index::<String>(0)).transpose());
                match row {
                    Ok(Some(identity)) => Ok(identity),
                    Ok(None) => Ok(self.name.clone()),
                    Err(e) => Err(TransferError::Database {
                        database: self.name.clone(),
                        doing: "identifying the database".to_owned(),
                        message: self.config.describe_error(&e),
                    }),
                }
            }
        }
    }

    /// The connection rows go through: on PostgreSQL the pool's only one (sea-orm waits
    /// until it is dropped), on SQLite one of the copy's own.
    pub(crate) async fn conn(&self) -> Result<Conn, TransferError> {
        let failed = |e| database_error(&self.name, "connecting", e);
        let driver = match &self.config.target {
            Target::Postgres(_) => {
                let conn =
                    self.db.get_postgres_connection_pool().acquire().await.map_err(failed)?;
                Driver::Postgres { conn, pgbouncer: self.config.behind_pgbouncer() }
            }
            Target::Sqlite(file) => {
                Driver::Sqlite(sqlite::Sqlite::open(&file.path.value, &self.name).await?)
            }
        };
        Ok(Conn { name: self.name.clone(), driver })
    }
}

/// How a side's transaction begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// One snapshot to read in.
    Read,
    /// The source of a move: one snapshot to read the tenants in and then delete them,
    /// writers kept out.
    Move,
    /// The target's one transaction.
    Write,
}

enum Driver {
    Postgres { conn: PoolConnection<Postgres>, pgbouncer: bool },
    Sqlite(sqlite::Sqlite),
}

/// A driver connection to one side, in the copy's transaction once begun.
pub(crate) struct Conn {
    pub(crate) name: String,
    driver: Driver,
}

impl Conn {
    fn failed(&self, doing: &str) -> impl Fn(sea_orm::sqlx::Error) -> TransferError + use<> {
        let (name, doing) = (self.name.clone(), doing.to_owned());
        move |e| database_error(&name, &doing, e)
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.driver, Driver::Postgres { .. })
    }

    /// Begins the transaction `role` needs.
    pub(crate) async fn begin(&mut self, role: Role) -> Result<(), TransferError> {
        let failed = self.failed("starting the transaction");
        match &mut self.driver {
            Driver::Postgres { conn, pgbouncer } => {
                postgres::begin(conn, role, *pgbouncer).await.map_err(failed)
            }
            // A write transaction on SQLite locks the file against other writers.
            Driver::Sqlite(file) => file.begin(role != Role::Read).await,
        }
    }

    /// Commits, or rolls back.
    pub(crate) async fn end(&mut self, commit: bool) -> Result<(), TransferError> {
        let failed = self.failed(if commit { "committing" } else { "rolling back" });
        match &mut self.driver {
            Driver::Postgres { conn, pgbouncer } => {
                postgres::end(conn, commit, *pgbouncer).await.map_err(failed)
            }
            Driver::Sqlite(file) => file.end(commit).await,
        }
    }

    pub(crate) async fn read_table(
        &mut self,
        table: &TableSpec,
        tenants: Option<&[uuid::Uuid]>,
        sink: Sink<'_>,
    ) -> Result<Digest, TransferError> {
        match &mut self.driver {
            Driver::Postgres { conn, .. } => {
                postgres::read_table(conn, &self.name, table, tenants, sink).await
            }
            Driver::Sqlite(file) => file.read_table(table, tenants, sink).await,
        }
    }

    /// Writes one table's rows from `feed`; `None` for the digest when the reader stopped.
    pub(crate) async fn write_table(
        &mut self,
        table: &TableSpec,
        freeze: bool,
        feed: &mut mpsc::Receiver<Feed>,
        progress: &indicatif::ProgressBar,
    ) -> Result<(u64, Option<Digest>), TransferError> {
        let failed = self.failed(&format!("writing {}", table.name));
        match &mut self.driver {
            Driver::Postgres { conn, .. } => {
                postgres::write_table(conn, table, freeze, feed, progress).await.map_err(failed)
            }
            Driver::Sqlite(file) => file.write_table(table, feed, progress).await,
        }
    }

    /// `(child, parent)` of every foreign key.
    pub(crate) async fn references(&mut self) -> Result<Vec<(String, String)>, TransferError> {
        let failed = self.failed("reading the foreign keys");
        match &mut self.driver {
            Driver::Postgres { conn, .. } => postgres::references(conn).await.map_err(failed),
            Driver::Sqlite(file) => file.references().await,
        }
    }

    /// The rows of `table` (of `tenants` only, when given).
    pub(crate) async fn count(
        &mut self,
        table: &TableSpec,
        tenants: Option<&[uuid::Uuid]>,
    ) -> Result<u64, TransferError> {
        let filter = table.tenant_filter(tenants, self.uuid_literal());
        self.count_where(table, &filter).await
    }

    /// The rows of each of `tables` (of `tenants` only, when given), in one statement.
    pub(crate) async fn counts(
        &mut self,
        tables: &[TableSpec],
        tenants: Option<&[uuid::Uuid]>,
    ) -> Result<Vec<u64>, TransferError> {
        let literal = self.uuid_literal();
        let counts: Vec<String> = tables
            .iter()
            .map(|t| {
                format!("(SELECT count(*) FROM {}{})", t.name, t.tenant_filter(tenants, literal))
            })
            .collect();
        let sql = format!("SELECT {}", counts.join(", "));
        let failed = self.failed("counting the rows of each table");
        let counts = match &mut self.driver {
            Driver::Postgres { conn, .. } => postgres::counts(conn, sql).await.map_err(failed),
            Driver::Sqlite(file) => file.counts(sql, tables.len()).await,
        }?;
        Ok(counts.into_iter().map(|rows| rows.max(0) as u64).collect())
    }

    /// The rows of `table` that `filter` (` WHERE …`, or empty) selects.
    pub(crate) async fn count_where(
        &mut self,
        table: &TableSpec,
        filter: &str,
    ) -> Result<u64, TransferError> {
        self.count_sql(table.name, format!("SELECT count(*) FROM {}{filter}", table.name)).await
    }

    /// The count `sql` selects from `table`.
    pub(crate) async fn count_sql(
        &mut self,
        table: &str,
        sql: String,
    ) -> Result<u64, TransferError> {
        let failed = self.failed(&format!("counting {table}"));
        let rows = match &mut self.driver {
            Driver::Postgres { conn, .. } => postgres::count_sql(conn, sql).await.map_err(failed),
            Driver::Sqlite(file) => file.count_sql(table, sql).await,
        }?;
        Ok(rows.max(0) as u64)
    }

    pub(crate) async fn execute_all(
        &mut self,
        doing: &str,
        statements: &[String],
    ) -> Result<(), TransferError> {
        let failed = self.failed(doing);
        match &mut self.driver {
            Driver::Postgres { conn, .. } => {
                bulk::postgres::execute_all(conn, statements).await.map_err(failed)
            }
            Driver::Sqlite(file) => file.execute_all(doing, statements).await,
        }
    }

    /// A UUID as this backend's literal.
    pub(crate) fn uuid_literal(&self) -> fn(&uuid::Uuid) -> String {
        match self.driver {
            Driver::Postgres { .. } => postgres::uuid_literal,
            Driver::Sqlite(_) => sqlite::uuid_literal,
        }
    }

    /// Sets aside what slows loading down in the tables of `loads`, each with the rows it
    /// receives ([`bulk`]), and returns the statements that put it back.
    pub(crate) async fn set_aside(
        &mut self,
        loads: &[(&str, u64)],
        what: SetAside,
    ) -> Result<Vec<String>, TransferError> {
        let failed = self.failed("setting indexes and triggers aside for the load");
        match &mut self.driver {
            Driver::Postgres { conn, .. } => {
                bulk::postgres::set_aside(conn, loads, what).await.map_err(&failed)
            }
            Driver::Sqlite(file) => file.set_aside(loads, what).await,
        }
    }

    /// PostgreSQL: analyzes those of `tables` without statistics yet, before deleting
    /// from them ([`postgres::analyze_unanalyzed`]). SQLite plans without them.
    pub(crate) async fn analyze_unanalyzed(
        &mut self,
        tables: &[TableSpec],
    ) -> Result<(), TransferError> {
        let failed = self.failed("analyzing the tables that have no statistics yet");
        let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
        match &mut self.driver {
            Driver::Postgres { conn, .. } => {
                postgres::analyze_unanalyzed(conn, &names).await.map_err(failed)
            }
            Driver::Sqlite(_) => Ok(()),
        }
    }

    /// On SQLite, the first row whose reference points nowhere (PostgreSQL's foreign keys
    /// never let one in), described.
    pub(crate) async fn first_orphan(
        &mut self,
        tables: &[TableSpec],
    ) -> Result<Option<sqlite::Orphan>, TransferError> {
        match &self.driver {
            Driver::Sqlite(file) => file.first_orphan(tables).await,
            Driver::Postgres { .. } => Ok(None),
        }
    }
}
