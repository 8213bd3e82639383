//! duumbi's `~/.duumbi/credentials.toml` (SPEC §5): `[registries.NAME] token = "…"`, mode exactly
//! 0600. Only that key changes: the LLM API keys the duumbi CLI keeps at the top level, comments
//! and every other table survive byte for byte (`toml_edit`).

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, value};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use crate::secret::Secret;

/// `$HOME/.duumbi/credentials.toml`.
pub fn path(env: &Env) -> Result<PathBuf> {
    env.home()
        .map(|h| h.join(".duumbi/credentials.toml"))
        .ok_or_else(|| Error::usage("cannot find HOME for duumbi's credentials").hint("set HOME"))
}

/// Parses duumbi's file; an error names the file and line (exit 2).
pub fn parse(path: &Path, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>().map_err(|e| {
        let line = e.span().map(|s| crate::error::line_at(text, s.start)).unwrap_or(1);
        Error::usage(format!("`{}` line {line}: cannot be parsed: {}", path.display(), e.message()))
            .hint("fix the file; lanyard leaves it untouched")
    })
}

/// Checks that the file (if any) parses, before anything is stored.
pub fn preflight(path: &Path) -> Result<()> {
    if let Some(text) = fsutil::read_optional(path)? {
        parse(path, &text)?;
    }
    Ok(())
}

/// Sets `[registries.NAME] token`, backing the file up first.
pub fn set(path: &Path, name: &str, token: &Secret) -> Result<()> {
    let lock = Lock::acquire(path)?;
    let text = fsutil::read_optional(path)?.unwrap_or_default();
    let mut doc = parse(path, &text)?;
    let registries = doc.entry("registries").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    let Some(registries) = registries.as_table_like_mut() else {
        return Err(Error::usage(format!("`{}`: `registries` is not a table", path.display()))
            .hint("fix the file; lanyard leaves it untouched"));
    };
    let entry = registries.entry(name).or_insert(Item::Table(Table::new()));
    let Some(table) = entry.as_table_like_mut() else {
        return Err(Error::usage(format!("`{}`: `registries.{name}` is not a table", path.display()))
            .hint("fix the file; lanyard leaves it untouched"));
    };
    match table.get_mut("token").and_then(Item::as_value_mut) {
        // Keep the spacing and comment around the old value.
        Some(old) => {
            let decor = old.decor().clone();
            *old = toml_edit::Value::from(token.expose_secret());
            *old.decor_mut() = decor;
        }
        None => {
            table.insert("token", value(token.expose_secret()));
        }
    }
    if !text.is_empty() {
        fsutil::backup(&lock)?;
    }
    fsutil::write_atomic(&lock, doc.to_string().as_bytes())
}

/// The token `[registries.NAME]` holds now, when the file and entry exist.
pub fn token(path: &Path, name: &str) -> Result<Option<String>> {
    let Some(text) = fsutil::read_optional(path)? else { return Ok(None) };
    let doc = parse(path, &text)?;
    Ok(doc
        .get("registries")
        .and_then(|r| r.get(name))
        .and_then(|t| t.get("token"))
        .and_then(Item::as_str)
        .map(String::from))
}

/// Every `[registries.NAME] token` the file holds.
pub fn tokens(path: &Path) -> Result<Vec<(String, String)>> {
    let Some(text) = fsutil::read_optional(path)? else { return Ok(Vec::new()) };
    let doc = parse(path, &text)?;
    let Some(regs) = doc.get("registries").and_then(Item::as_table_like) else { return Ok(Vec::new()) };
    Ok(regs.iter().filter_map(|(name, t)| Some((name.to_string(), t.get("token")?.as_str()?.to_string()))).collect())
}

/// Removes `[registries.NAME]`. Returns whether it was there.
pub fn remove(path: &Path, name: &str) -> Result<bool> {
    let lock = Lock::acquire(path)?;
    let Some(text) = fsutil::read_optional(path)? else { return Ok(false) };
    let mut doc = parse(path, &text)?;
    let removed = doc.get_mut("registries").and_then(Item::as_table_like_mut).and_then(|t| t.remove(name)).is_some();
    // The last registry gone: the table goes too, so the duumbi CLI reads its flat keys again.
    if doc.get("registries").and_then(Item::as_table_like).is_some_and(|t| t.is_empty()) {
        doc.remove("registries");
    }
    if removed {
        fsutil::backup(&lock)?;
        fsutil::write_atomic(&lock, doc.to_string().as_bytes())?;
    }
    Ok(removed)
}

/// The registry names for a URL: `./.duumbi/config.toml`'s `[registries]` entries whose URL is
/// this one (duumbi accepts plain http only as `http://localhost…`, so `localhost` and
/// `127.0.0.1` are the same server here), else `duumbi` for `registry.duumbi.dev`.
pub fn names_for(cwd_config: &Path, base: &str, host: &str) -> Vec<String> {
    let same = |u: &str| same_server(u.trim_end_matches('/'), base);
    let mut names = Vec::new();
    if let Ok(text) = std::fs::read_to_string(cwd_config)
        && let Ok(doc) = text.parse::<DocumentMut>()
        && let Some(t) = doc.get("registries").and_then(Item::as_table_like)
    {
        for (name, url) in t.iter() {
            if url.as_str().is_some_and(same) {
                names.push(name.to_string());
            }
        }
    }
    if names.is_empty() && host == "registry.duumbi.dev" {
        names.push("duumbi".to_string());
    }
    names
}

/// Whether two origins name the same server, `localhost` and `127.0.0.1` alike.
fn same_server(a: &str, b: &str) -> bool {
    let norm = |u: &str| {
        crate::provider::Site::parse(u).ok().map(|s| {
            let host = if s.host == "localhost" { "127.0.0.1".to_string() } else { s.host.clone() };
            format!("{}://{host}:{}", s.scheme, s.port.unwrap_or(if s.scheme == "https" { 443 } else { 80 }))
        })
    };
    norm(a).is_some() && norm(a) == norm(b)
}

/// The top-level keys of the file (the duumbi CLI's LLM API keys), which the CLI reads as a flat
/// string map: a `[registries]` table in the same file makes that read fail.
pub fn top_level_keys(path: &Path) -> Vec<String> {
    let Ok(Some(text)) = fsutil::read_optional(path) else { return Vec::new() };
    let Ok(doc) = parse(path, &text) else { return Vec::new() };
    doc.iter().filter(|(_, v)| v.is_value()).map(|(k, _)| k.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_changes() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("credentials.toml");
        let original = "# duumbi credentials\nMINIMAX_API_KEY = \"sk-keep-me\"   # llm\n\n[registries.other]\ntoken = \"duu_other\"\n\n[registries.duumbi]\ntoken = \"duu_old\" # old one\n";
        std::fs::write(&p, original).unwrap();
        set(&p, "duumbi", &Secret::new("duu_new")).unwrap();
        let after = std::fs::read_to_string(&p).unwrap();
        assert_eq!(after, original.replace("\"duu_old\"", "\"duu_new\""));
        set(&p, "third", &Secret::new("duu_3")).unwrap();
        let after = std::fs::read_to_string(&p).unwrap();
        assert!(after.starts_with(&original.replace("\"duu_old\"", "\"duu_new\"")), "{after}");
        assert!(after.ends_with("[registries.third]\ntoken = \"duu_3\"\n"), "{after}");
        assert!(remove(&p, "third").unwrap());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), original.replace("\"duu_old\"", "\"duu_new\""));
    }
}
