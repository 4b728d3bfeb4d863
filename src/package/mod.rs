//! Packaging a release: the versioned BagIt directory, its metadata files and archives, checksums
//! and verification, and the rules for version numbers.

pub mod archive;
pub mod bagit;
pub mod chart;
pub mod citation;
pub mod facts;
pub mod label;
pub mod library;
pub mod metadata;
pub mod release;
pub mod site;
pub mod spill;
pub mod staging;
pub mod tag_files;
pub mod versions;
