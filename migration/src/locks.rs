//! The PostgreSQL advisory lock keys the workspace's tools take, in one place so that none
//! collides with another. A key is any bigint shared by the cooperating sessions; these
//! were picked by hand: 7261636862 is "rachb" in ASCII written as hex digits and read as a
//! decimal number, arbitrary and unlikely to be chosen by an application; the seeder takes
//! the next one. Both are transaction-level locks (`pg_advisory_xact_lock`), safe through
//! a transaction-pooling PgBouncer.

/// Taken by every migration's transaction: one migrator at a time.
pub const MIGRATORS: i64 = 7_261_636_862;
/// Taken by a seeding's transaction: one seeding of a database at a time.
pub const SEEDERS: i64 = 7_261_636_863;
