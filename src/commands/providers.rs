//! `lanyard providers`: the built-in and user providers.

use std::io::Write;

use super::Ctx;
use crate::cli::ProvidersArgs;
use crate::error::{Error, Exit, Result};

/// Runs `lanyard providers`.
pub fn run(ctx: &Ctx, args: ProvidersArgs) -> Result<Exit> {
    let registry = ctx.registry()?;
    let mut out = String::new();
    if args.json {
        let list: Vec<_> = registry
            .all()
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id,
                    "name": p.name,
                    "family": p.family.as_str(),
                    "hosts": p.hosts,
                    "aliases": p.aliases,
                    "device_flow": p.client_id().is_some(),
                    "login": crate::family::flows(p),
                    "source": p.source.to_string(),
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "providers": list }))
            .expect("json serializes");
        out.push('\n');
    } else {
        out.push_str(&format!("{:<12} {:<10} {:<22} {:<16} {}\n", "ID", "FAMILY", "HOSTS", "ALIASES", "LOGIN"));
        for p in registry.all() {
            let hosts = if p.hosts.is_empty() { "(any, --provider)".to_string() } else { p.hosts.join(",") };
            let login = crate::family::flows(p);
            out.push_str(&format!(
                "{:<12} {:<10} {:<22} {:<16} {}\n",
                p.id,
                p.family.as_str(),
                hosts,
                p.aliases.join(","),
                login
            ));
        }
        out.push_str("\nFamilies for --provider: github gitlab gitea forgejo oidc skillsctl duumbi duh token basic\n");
    }
    std::io::stdout().write_all(out.as_bytes()).map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(Exit::Ok)
}
