//! Packaging a release: the versioned directory, its checksums, and the rules for versions.

pub mod release;
pub mod version;
