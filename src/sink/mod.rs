//! Other tools' files that lanyard writes credentials into. Each edit goes through
//! [`crate::fsutil`]: locked, atomic, backed up, and limited to the lines it means to change.

pub mod duumbi;
pub mod nix;
pub mod nixconf;
pub mod skillsctl;
