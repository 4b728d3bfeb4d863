//! The data model: the Rust types of everything in `data/`, from which the JSON Schemas are generated.

/// `ALL` and `as_str` of a vocabulary enum, from one list of its variants and their names.
macro_rules! as_str_all {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
        }
    };
}

pub mod agent;
pub mod claim;
pub mod compilation;
pub mod dataset;
pub mod edtf;
pub mod figure;
pub mod kinds;
pub mod record;
pub mod schema;
pub mod search;
pub mod text;
pub mod version;

pub use agent::{Agent, Agents, Registry};
pub use compilation::Compilation;
pub use dataset::Dataset;
pub use kinds::Kind;
pub use record::{Appearance, Record, TextStatus};
