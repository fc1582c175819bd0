//! Fixed ids of the rows that V1 seeds, so that later migrations and tests can find them.

use uuid::Uuid;

/// The admin tenant created by V1.
pub const ADMIN_TENANT: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
/// The SUPER_ADMIN user created by V1.
pub const ADMIN_USER: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);

/// The tenants the migrations themselves insert: V1's admin tenant and V3's samples. A
/// database holding only these holds no data of its own (`chatdb copy` replaces them).
pub fn migrations_own_tenants() -> Vec<Uuid> {
    let mut tenants = vec![ADMIN_TENANT];
    tenants.extend((1..=3).map(crate::m20240301_000001_sample_data::uuid_of_sample_tenant));
    tenants
}
