//! lanyard: a terminal credential manager. `main.rs` calls [`commands::main`].
//!
//! Only what the binary, the integration tests and the fuzz targets use is public: the command
//! entry point, the exit-code table and the provider files.

mod account;
mod accounts;
mod agent;
mod choose;
mod cli;
pub mod commands;
mod config;
mod context;
mod credential;
mod diag;
mod env;
pub mod error;
mod family;
mod flow;
mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
mod http;
pub(crate) mod import;
pub mod provider;
mod refresh;
mod registries;
mod secret;
mod sink;
mod status;
mod store;
mod ui;
