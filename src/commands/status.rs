//! `lanyard status`: every selected credential, its health and the fix for each problem. Online
//! checks run concurrently; `--offline` judges from what is stored. Never refreshes.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::{Ctx, target_key};
use crate::cli::StatusArgs;
use crate::error::{Error, Exit, Result};
use crate::family;
use crate::provider::{Family, Provider, Site};
use crate::status::{Health, Probe, State, evaluate, relative};
use crate::store::{Credential, Store};

struct Row<'a> {
    key: String,
    cred: Option<&'a Credential>,
    health: Health,
}

/// Runs `lanyard status`.
pub fn run(ctx: &Ctx, args: StatusArgs) -> Result<Exit> {
    let store = ctx.store();
    let data = store.load()?;
    let keys: Vec<String> = if args.targets.is_empty() {
        data.credentials.keys().cloned().collect()
    } else {
        args.targets
            .iter()
            .map(|t| target_key(ctx, t))
            .collect::<Result<_>>()?
    };
    let now = Utc::now();
    let probes = if args.offline {
        vec![Probe::NotAsked; keys.len()]
    } else {
        probe_all(ctx, &keys, &data.credentials, now)?
    };
    let rows: Vec<Row> = keys
        .iter()
        .zip(probes)
        .map(|(key, probe)| {
            let cred = data.credentials.get(key);
            Row {
                key: key.clone(),
                cred,
                health: evaluate(key, cred, now, args.warn_within, &probe),
            }
        })
        .collect();
    let exit = rows
        .iter()
        .fold(Exit::Ok, |acc, r| acc.worst(r.health.state.exit()));
    let out = if args.json {
        render_json(&rows, &store)
    } else {
        render_text(&rows, &store, now)
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(exit)
}

/// Asks every credential's server at once.
fn probe_all(
    ctx: &Ctx,
    keys: &[String],
    creds: &std::collections::BTreeMap<String, Credential>,
    now: DateTime<Utc>,
) -> Result<Vec<Probe>> {
    let registry = ctx.registry()?;
    let mut jobs = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let Some(cred) = creds.get(key) else { continue };
        if cred.expires_at.is_some_and(|e| e <= now) {
            continue;
        }
        let provider = registry
            .by_id(&cred.provider)
            .filter(|p| p.serves(key))
            .cloned()
            .unwrap_or_else(|| Provider::for_family(cred.family));
        let site = Site::parse(&cred.url)?;
        let http = ctx.http(provider.ca_file.as_deref())?;
        jobs.push((i, http, provider, site, cred.token.clone(), cred.kind));
    }
    let mut probes = vec![Probe::NotAsked; keys.len()];
    if jobs.is_empty() {
        return Ok(probes);
    }
    crate::http::block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (i, http, provider, site, token, kind) in jobs {
            if provider.family == Family::Token && provider.validate_url.is_none() {
                continue;
            }
            set.spawn(async move {
                let r = family::validate(&http, &provider, &site, &token, kind).await;
                (i, r)
            });
        }
        while let Some(Ok((i, r))) = set.join_next().await {
            probes[i] = match r {
                Ok(_) => Probe::Accepted,
                Err(e) if e.exit == Exit::Rejected => Probe::Refused(e.message),
                Err(e) => Probe::Unreachable(e.message),
            };
        }
    });
    Ok(probes)
}

fn render_text(rows: &[Row], store: &Store, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("No credentials. Log in with `lanyard login TARGET` (`lanyard providers` lists targets).\n");
    }
    for r in rows {
        out.push_str(&format!("{}\n", r.key));
        let Some(c) = r.cred else {
            out.push_str("  state:    missing (not logged in)\n");
            out.push_str(&format!("  fix:      lanyard login {}\n", r.key));
            continue;
        };
        out.push_str(&format!(
            "  provider: {} ({})\n",
            c.provider,
            c.family.as_str()
        ));
        out.push_str(&format!(
            "  user:     {}\n",
            c.user.as_deref().unwrap_or("(unknown)")
        ));
        out.push_str(&format!("  token:    {}\n", c.token.masked()));
        if !c.scopes.is_empty() {
            out.push_str(&format!("  scopes:   {}\n", c.scopes.join(", ")));
        }
        let expiry = match c.expires_at {
            Some(e) => format!(
                "{} ({})",
                e.format("%Y-%m-%d %H:%M:%S UTC"),
                relative(e, now)
            ),
            None => "none known".to_string(),
        };
        out.push_str(&format!("  expires:  {expiry}\n"));
        out.push_str(&format!(
            "  refresh:  {}\n",
            if c.refresh_token.is_some() {
                "refresh token held"
            } else {
                "none"
            }
        ));
        out.push_str(&format!(
            "  stored:   {} {} (plaintext file, 0600)\n",
            c.storage.as_str(),
            store.path().display()
        ));
        for s in &c.sinks {
            out.push_str(&format!("  written:  {s}\n"));
        }
        out.push_str(&format!("  state:    {}\n", r.health.state.as_str()));
        for p in &r.health.problems {
            out.push_str(&format!(
                "  problem:  {}\n  fix:      {}\n",
                p.message, p.fix
            ));
        }
    }
    out
}

fn render_json(rows: &[Row], store: &Store) -> String {
    let creds: Vec<_> = rows
        .iter()
        .map(|r| {
            let c = r.cred;
            serde_json::json!({
                "host": r.key,
                "provider": c.map(|c| c.provider.clone()),
                "user": c.and_then(|c| c.user.clone()),
                "state": r.health.state.as_str(),
                "expires_at": c.and_then(|c| c.expires_at).map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "scopes": c.map(|c| c.scopes.clone()).unwrap_or_default(),
                "storage": c.map(|c| serde_json::json!({"kind": c.storage.as_str(), "path": store.path()})),
                "sinks": c.map(|c| c.sinks.clone()).unwrap_or_default(),
                "problems": r.health.problems.iter().map(|p| serde_json::json!({"message": p.message, "fix": p.fix})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let _ = State::Valid;
    let mut s =
        serde_json::to_string_pretty(&serde_json::json!({"version": 1, "credentials": creds}))
            .expect("json serializes");
    s.push('\n');
    s
}
