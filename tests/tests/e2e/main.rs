//! End-to-end scenarios against real PostgreSQL and SQLite databases.

mod architecture;
mod behaviour;
mod entities;
mod failed_migration;
mod migrations;
mod row_security;
mod sample_data;
mod schema_snapshot;
mod seeding;
mod tag_normalisation;
mod tenancy;
