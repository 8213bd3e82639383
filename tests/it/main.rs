//! lanyard's integration tests: one binary, each module a subject.

mod accounts;
mod agent;
mod attacks;
mod forges;
mod fs_tricks;
mod git;
mod hostile_input;
mod hostile_servers;
mod import;
mod keyring;
mod kube;
mod load;
mod peers;
mod support;

mod cli;
mod containers;
mod deployed;
mod device;
mod dot;
mod drift;
mod faults;
mod files;
mod flows;
mod login;
mod nix;
mod oidc;
mod providers;
mod reality;
mod registries;
mod relogin;
mod secrets;
mod snapshots;
mod terminal;
mod vault;
