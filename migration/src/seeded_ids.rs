//! Fixed ids of the rows that V1 seeds, so that later migrations and tests can find them.

use uuid::Uuid;

/// The admin tenant created by V1.
pub const ADMIN_TENANT: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
/// The SUPER_ADMIN user created by V1.
pub const ADMIN_USER: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);
