//! lanyard's integration tests: one binary, each module a subject.

mod forges;
mod support;

mod cli;
mod files;
mod login;
mod providers;
