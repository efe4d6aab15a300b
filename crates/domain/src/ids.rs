//! Typed ids: a bare `Uuid` never crosses a boundary, so an organisation id cannot be passed
//! where a user id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }

            pub const fn into_uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

typed_id!(
    /// Identifies an organisation (municipality, vendor, authority or the platform).
    OrganizationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_id_round_trips_through_its_string_form() {
        let raw = "0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e";
        let id: OrganizationId = raw.parse().unwrap();
        assert_eq!(id.to_string(), raw);
        assert_eq!(format!("{id:?}"), format!("OrganizationId({raw})"));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{raw}\""));
    }

    #[test]
    fn typed_id_rejects_what_is_not_a_uuid() {
        assert!("not-a-uuid".parse::<OrganizationId>().is_err());
        assert!("".parse::<OrganizationId>().is_err());
    }
}
