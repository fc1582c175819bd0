//! Reading back what database triggers computed, where the backend's RETURNING cannot.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, PrimaryKeyTrait};
use uuid::Uuid;

/// On SQLite, when `needed`, the row as stored (AFTER triggers included); otherwise
/// `model` as returned by the write.
pub(crate) async fn read_back<E, C>(
    db: &C,
    id: Uuid,
    model: E::Model,
    needed: bool,
) -> Result<E::Model, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    if !needed || db.get_database_backend() != DbBackend::Sqlite {
        return Ok(model);
    }
    E::find_by_id(id).one(db).await?.ok_or_else(|| {
        DbErr::RecordNotFound(format!("{} {id} vanished after saving", E::default().table_name()))
    })
}
