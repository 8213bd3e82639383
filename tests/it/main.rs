//! lanyard's integration tests: one binary, each module a subject.

mod forges;
mod peers;
mod support;

mod cli;
mod files;
mod login;
mod nix;
mod providers;
