//! lanyard: a terminal credential manager. `main.rs` calls [`commands::main`].

pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod credential;
pub mod env;
pub mod error;
pub mod family;
pub mod flow;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod provider;
pub mod refresh;
pub mod secret;
pub mod sink;
pub mod status;
pub mod store;
pub mod ui;
