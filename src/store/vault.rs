//! The shared store (SPEC §10): HashiCorp Vault or OpenBao, KV version 2, spoken over lanyard's
//! one HTTP client. Each credential (record and secrets) is one entry at
//! `MOUNT/data/PATH/credentials/HOST/ACCOUNT`; a refresh's lease is one entry at
//! `MOUNT/data/PATH/leases/HOST/ACCOUNT`. Writes use KV's check-and-set (`options.cas`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;

use crate::env::Env;
use crate::error::{Error, Exit, Result};
use crate::http::{Http, Response, block_on};
use crate::secret::Secret;

/// The `[vault]` table of `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultConfig {
    /// The server, `https://vault.example.com:8200` [default: `$VAULT_ADDR`, then `$BAO_ADDR`].
    pub address: Option<String>,
    /// The KV v2 mount [default: `secret`].
    pub mount: Option<String>,
    /// The path under the mount [default: `lanyard`].
    pub path: Option<String>,
    /// The Vault namespace (Enterprise, OpenBao namespaces).
    pub namespace: Option<String>,
    /// A CA file trusted for the server.
    pub ca_file: Option<PathBuf>,
    /// A file holding the token, when neither `$VAULT_TOKEN`/`$BAO_TOKEN` nor `~/.vault-token` has it.
    pub token_file: Option<PathBuf>,
    /// The length of a shared refresh's lease, in seconds [default: 90] (SPEC §15).
    pub lease: Option<u64>,
    /// The cluster's nodes a standby may redirect lanyard to (their addresses, scheme included);
    /// a redirect anywhere else is refused, and the Vault token never goes there (SPEC §15).
    /// lanyard also asks them itself while the configured address does not answer.
    #[serde(default)]
    pub addresses: Vec<String>,
    /// How long every request keeps trying through a leader election (standby redirects to a
    /// dead leader, 5xx, connection refused), in seconds [default: 10].
    pub retry_window: Option<u64>,
}

/// A KV v2 store at one path.
pub struct Vault {
    http: Http,
    /// The server's address.
    pub address: String,
    mount: String,
    /// The path under the mount.
    pub path: String,
    namespace: Option<String>,
    token: Secret,
    /// How long a refresh's lease is held.
    pub lease: Duration,
    /// The origins of `[vault] addresses`, which a redirect may also go to.
    nodes: Vec<url::Origin>,
    /// The addresses lanyard asks, the configured one first, then `[vault] addresses`.
    asked: Vec<url::Url>,
    /// How long a request keeps trying through a leader election.
    window: Duration,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("address", &self.address).field("path", &self.path).finish_non_exhaustive()
    }
}

/// An entry read with its version (for check-and-set).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's data.
    pub data: serde_json::Value,
    /// Its KV version.
    pub version: u64,
}

/// A write's outcome: the new version, or another writer came first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Written; the new version.
    Version(u64),
    /// The check-and-set version did not match: someone else wrote first.
    Conflict,
}

/// Which of KV v2's two trees a request goes to.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `data/`: reading and writing entries.
    Data,
    /// `metadata/`: listing, and deleting every version.
    Metadata,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Data => "data",
            Kind::Metadata => "metadata",
        }
    }
}

/// Where an entry lives under `PATH` (SPEC §10). Callers name a key by its parts, never by a
/// string they assemble: [`Vault::url`] alone turns it into a path.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    /// `credentials/`: the folder of hosts.
    Hosts,
    /// `credentials/HOST/`: the folder of a host's accounts.
    Accounts(&'a str),
    /// `credentials/HOST/ACCOUNT`: a credential (host key, account).
    Credential(&'a str, &'a str),
    /// `leases/HOST/ACCOUNT`: a credential's refresh lease (host key, account).
    Lease(&'a str, &'a str),
}

impl Key<'_> {
    /// The segments under `PATH`, and whether the key is a folder (a trailing `/`).
    fn segments(&self) -> (Vec<&str>, bool) {
        match self {
            Key::Hosts => (vec!["credentials"], true),
            Key::Accounts(host) => (vec!["credentials", host], true),
            Key::Credential(host, account) => (vec!["credentials", host, account], false),
            Key::Lease(host, account) => (vec!["leases", host, account], false),
        }
    }

    fn describe(&self) -> String {
        let (segs, folder) = self.segments();
        let text = crate::secret::server_text(&segs.join("/"));
        if folder { format!("{text}/") } else { text }
    }
}

fn fix() -> String {
    "check `[vault]` in config.toml, VAULT_ADDR/VAULT_TOKEN (or BAO_ADDR/BAO_TOKEN), and that the server is unsealed"
        .into()
}

impl Vault {
    /// The store a configuration names; the token from `$VAULT_TOKEN`/`$BAO_TOKEN`, else
    /// `~/.vault-token`, else `token_file`. Exit 7 when there is no address or token.
    pub fn open(env: &Env, c: &VaultConfig, timeout: Duration) -> Result<Vault> {
        let address = c
            .address
            .clone()
            .or_else(|| env.var("VAULT_ADDR").map(String::from))
            .or_else(|| env.var("BAO_ADDR").map(String::from))
            .ok_or_else(|| {
                Error::storage("storage is \"vault\" but no Vault address is set")
                    .hint("set `address` in the `[vault]` table of config.toml, or VAULT_ADDR")
            })?;
        let token = match env.var("VAULT_TOKEN").or_else(|| env.var("BAO_TOKEN")) {
            Some(t) => t.to_string(),
            None => {
                // A token file is a secret and steers under whose identity credentials are written:
                // opened once, checked on the descriptor (SPEC §6, N16).
                let from = |p: &Path| -> Result<Option<String>> {
                    let Some((text, note)) = crate::fsutil::read_secret_file(p)? else { return Ok(None) };
                    if let Some(n) = note {
                        crate::diag::warn(&n);
                    }
                    Ok(Some(text.trim().to_string()).filter(|t| !t.is_empty()))
                };
                let home = match env.home() {
                    Some(h) => from(&h.join(".vault-token"))?,
                    None => None,
                };
                let file = match (&home, c.token_file.as_deref()) {
                    (None, Some(p)) => from(p)?,
                    _ => None,
                };
                home.or(file).ok_or_else(|| {
                    Error::storage("storage is \"vault\" but no Vault token is set")
                        .hint("set VAULT_TOKEN, write ~/.vault-token (`bao login`), or set `token_file` in `[vault]`")
                })?
            }
        };
        let token = Secret::new(token);
        crate::secret::remember(&token);
        let http = Http::new(env, timeout, c.ca_file.as_deref())?;
        let mut asked: Vec<url::Url> = Vec::new();
        for a in std::iter::once(&address).chain(&c.addresses) {
            if let Ok(u) = url::Url::parse(a.trim().trim_end_matches('/'))
                && !asked.iter().any(|x| x.origin() == u.origin())
            {
                asked.push(u);
            }
        }
        Ok(Vault {
            asked,
            window: Duration::from_secs(c.retry_window.unwrap_or(10).min(600)),
            http,
            address: address.trim_end_matches('/').to_string(),
            mount: c.mount.clone().unwrap_or_else(|| "secret".into()).trim_matches('/').to_string(),
            path: c.path.clone().unwrap_or_else(|| "lanyard".into()).trim_matches('/').to_string(),
            namespace: c.namespace.clone(),
            token,
            lease: Duration::from_secs(c.lease.unwrap_or(90).clamp(31, 3600)),
            nodes: c.addresses.iter().filter_map(|a| url::Url::parse(a.trim()).ok()).map(|u| u.origin()).collect(),
        })
    }

    /// What `status` shows as the storage.
    pub fn describe(&self) -> String {
        format!("shared (vault {} {}/{})", self.address, self.mount, self.path)
    }

    /// The one place a Vault URL is built (SPEC §6): `ADDRESS/v1/MOUNT/KIND/PATH/…key`, each
    /// segment percent-encoded (`/`, `%`, `?` and `#` included), dot and empty segments refused,
    /// and the result checked to stay under `/v1/MOUNT/KIND/PATH/`. A name a server chose can
    /// therefore never reach another Vault endpoint (`auth/token/revoke-self`, `sys/seal`) or
    /// another host's key.
    fn url(&self, kind: Kind, key: &Key) -> Result<url::Url> {
        let bad = |what: String| {
            Error::storage(format!("lanyard refuses to build the Vault path for {what}")).hint(
                "check `mount` and `path` in `[vault]` of config.toml (segments without `.` or `..`); lanyard never sends a name with `/` or a dot segment to Vault",
            )
        };
        let base: Vec<&str> = ["v1"]
            .into_iter()
            .chain(self.mount.split('/'))
            .chain([kind.as_str()])
            .chain(self.path.split('/'))
            .collect();
        let (tail, folder) = key.segments();
        let dot = |s: &str| s.is_empty() || s == "." || s == "..";
        if base.iter().any(|s| dot(s)) {
            return Err(bad(format!("the mount `{}` and path `{}`", self.mount, self.path)));
        }
        if tail.iter().any(|s| dot(s) || s.contains('/')) {
            return Err(bad(format!("`{}`", key.describe())));
        }
        let mut url =
            url::Url::parse(&self.address).map_err(|e| bad(format!("the address `{}` ({e})", self.address)))?;
        let prefix = {
            let mut segs = url.path_segments_mut().map_err(|()| bad(format!("the address `{}`", self.address)))?;
            segs.pop_if_empty().extend(&base).push("");
            drop(segs);
            url.path().to_string()
        };
        {
            let mut segs = url.path_segments_mut().map_err(|()| bad(format!("the address `{}`", self.address)))?;
            segs.pop().extend(&tail);
            if folder {
                segs.push("");
            }
        }
        if !url.path().starts_with(&prefix) || url.path().len() <= prefix.len() {
            return Err(bad(format!("`{}`", key.describe())));
        }
        Ok(url)
    }

    fn request(&self, method: Method, url: &str) -> Result<reqwest::RequestBuilder> {
        let mut req = self.http.authorized(method, url, crate::http::Auth::Header("X-Vault-Token"), &self.token)?;
        if let Some(ns) = &self.namespace {
            req = req.header("X-Vault-Namespace", ns);
        }
        Ok(req)
    }

    /// Sends a request like a Raft client (SPEC §10): through a leader election — a standby
    /// redirecting to a leader that died, a node answering 5xx or 429, a node refusing
    /// connections — it keeps trying for `retry_window`, with jittered back-off, asking the
    /// configured address and then the others of `[vault] addresses` in turn; after the window
    /// it is exit 7 naming the addresses it asked. Vault's refusals (sealed, bad token,
    /// permission denied) are exit 7 at once.
    /// The second value tells whether an earlier attempt may have reached Vault without an
    /// answer (a write's outcome is then unknown).
    fn send_retrying(
        &self,
        method: Method,
        url: &url::Url,
        body: Option<&serde_json::Value>,
        what: &str,
    ) -> Result<(Response, bool)> {
        block_on(self.send_retrying_async(method, url, body, what))
    }

    /// [`Vault::send_retrying`] on the caller's runtime: requests sent together (`read_all`) share
    /// one runtime, so a pooled connection never outlives the runtime that drives it.
    async fn send_retrying_async(
        &self,
        method: Method,
        url: &url::Url,
        body: Option<&serde_json::Value>,
        what: &str,
    ) -> Result<(Response, bool)> {
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(100);
        let mut node = 0;
        let mut unknown = false;
        loop {
            let at = self.on_node(url, &self.asked[node % self.asked.len().max(1)]);
            let e = match self.send(method.clone(), at.as_str(), body, what).await {
                Ok(resp) => return Ok((resp, unknown)),
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Transient(e, reached)) => {
                    unknown |= reached;
                    e
                }
            };
            if started.elapsed() + pause > self.window {
                let tried: Vec<String> =
                    self.asked.iter().map(|u| u.as_str().trim_end_matches('/').to_string()).collect();
                return Err(Error::storage(format!(
                    "Vault at {} cannot be reached while {what}: no answer for {} s; last: {e}",
                    tried.join(", "),
                    self.window.as_secs(),
                ))
                .hint(fix()));
            }
            crate::diag::debug(&format!("Vault: {e}; trying again"));
            tokio::time::sleep(jitter(pause)).await;
            pause = (pause * 2).min(Duration::from_secs(1));
            node += 1;
        }
    }

    /// `url` on another of the cluster's nodes (same path and query).
    fn on_node(&self, url: &url::Url, node: &url::Url) -> url::Url {
        let mut u = url.clone();
        let _ = u.set_scheme(node.scheme());
        let _ = u.set_host(node.host_str());
        let _ = u.set_port(node.port());
        u
    }

    /// One attempt, following a standby's redirect to the active node (HTTP 307, during or after
    /// a leader change) twice at most, to the same host or a listed node on the same scheme.
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
        what: &str,
    ) -> std::result::Result<Response, Failure> {
        let mut url = url.to_string();
        for _ in 0..3 {
            let mut req = self.request(method.clone(), &url).map_err(Failure::Final)?;
            if let Some(b) = body {
                req = req.json(b);
            }
            let resp = match self.http.send_keeping_redirects(req).await {
                Ok(r) => r,
                // Refused or reset: the node is down or restarting. A timeout may have reached it.
                Err(e) => {
                    let reached = matches!(e.cause, crate::error::Cause::Unreachable { timeout: Some(_) });
                    return Err(Failure::Transient(format!("`{url}`: {}", e.message), reached));
                }
            };
            if matches!(resp.status, 301 | 302 | 307 | 308) {
                let to = resp.header("location").unwrap_or_default().to_string();
                // The token goes with the request: only to this address's own host (another port
                // of it: a standby names the active node) or a node listed in `[vault] addresses`,
                // on the same scheme (SPEC §6, §15).
                let here = url::Url::parse(&self.address).ok();
                let allowed = url::Url::parse(&to).is_ok_and(|t| {
                    here.as_ref().is_some_and(|h| h.scheme() == t.scheme() && h.host_str() == t.host_str())
                        || self.nodes.contains(&t.origin())
                });
                if !allowed {
                    return Err(Failure::Final(Error::storage(format!(
                        "Vault at {} redirected to `{}`, which lanyard does not follow: the Vault token goes only to the configured server and its nodes",
                        self.address,
                        crate::secret::server_text(&to)
                    ))
                    .hint("list the cluster's nodes in `addresses` of `[vault]` in config.toml if that is one of them")));
                }
                crate::diag::debug(&format!("Vault standby sent lanyard to {to}"));
                url = to;
                continue;
            }
            return self.judge(resp, what);
        }
        Err(Failure::Transient(format!("Vault at {} redirected too often while {what}", self.address), true))
    }

    fn judge(&self, resp: Response, what: &str) -> std::result::Result<Response, Failure> {
        let said = || {
            let v: Option<serde_json::Value> = serde_json::from_slice(&resp.body).ok();
            v.and_then(|v| v.get("errors").cloned())
                .and_then(|e| e.as_array().cloned())
                .map(|a| {
                    a.iter().filter_map(|x| x.as_str()).map(crate::secret::from_server).collect::<Vec<_>>().join("; ")
                })
                .unwrap_or_default()
        };
        match resp.status {
            200..=299 | 404 => Ok(resp),
            400 if said().contains("check-and-set") => Ok(resp),
            403 => Err(Failure::Final(Error::storage(format!(
                "Vault at {} refused lanyard's token while {what}: permission denied ({})",
                self.address,
                said()
            ))
            .hint(
                "check VAULT_TOKEN and that its policy allows this path (README: Sharing credentials across machines)",
            ))),
            503 if said().to_lowercase().contains("sealed") => {
                Err(Failure::Final(
                    Error::storage(format!("Vault at {} is sealed ({what})", self.address))
                        .hint("unseal it (`bao operator unseal`), then run the command again"),
                ))
            }
            // A node without a leader (an election), overloaded or restarting: worth another try.
            s @ (429 | 500..=599) => Err(Failure::Transient(format!("HTTP {s}: {}", said()), s != 429)),
            s => Err(Failure::Final(
                Error::storage(format!("Vault at {} answered HTTP {s} while {what}: {}", self.address, said()))
                    .hint(fix()),
            )),
        }
    }

    /// Reads an entry; `None` when it does not exist (or its last version was deleted).
    pub fn read(&self, key: Key) -> Result<Option<Entry>> {
        block_on(self.read_async(key))
    }

    /// Reads several entries at once, at most 16 in flight, on one runtime; in `keys`' order.
    pub fn read_all(&self, keys: &[Key<'_>]) -> Result<Vec<Option<Entry>>> {
        block_on(at_once(keys, |k| self.read_async(*k)))
    }

    /// Lists several folders at once, at most 16 in flight, on one runtime; in `folders`' order.
    pub fn list_all(&self, folders: &[Key<'_>]) -> Result<Vec<Vec<String>>> {
        block_on(at_once(folders, |k| self.list_async(*k)))
    }

    async fn read_async(&self, key: Key<'_>) -> Result<Option<Entry>> {
        let url = self.url(Kind::Data, &key)?;
        let (resp, _) = self.send_retrying_async(Method::GET, &url, None, "reading a credential").await?;
        if resp.status == 404 {
            return Ok(None);
        }
        #[derive(Deserialize)]
        struct Outer {
            data: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            data: Option<serde_json::Value>,
            metadata: Meta,
        }
        #[derive(Deserialize)]
        struct Meta {
            version: u64,
        }
        let o: Outer = resp.json(url.as_str())?;
        Ok(o.data.data.filter(|d| !d.is_null()).map(|data| Entry { data, version: o.data.metadata.version }))
    }

    /// The current version of an entry, read from its metadata (no secrets travel); `None` when
    /// it does not exist.
    pub fn version(&self, key: Key) -> Result<Option<u64>> {
        let url = self.url(Kind::Metadata, &key)?;
        let (resp, _) = self.send_retrying(Method::GET, &url, None, "reading a credential's version")?;
        if resp.status == 404 {
            return Ok(None);
        }
        #[derive(Deserialize)]
        struct Outer {
            data: Meta,
        }
        #[derive(Deserialize)]
        struct Meta {
            current_version: u64,
        }
        Ok(Some(resp.json::<Outer>(url.as_str())?.data.current_version))
    }

    /// Writes an entry with check-and-set: `cas` 0 writes only when it does not exist. A write
    /// whose first attempt may have landed without an answer (a leader that died mid-request)
    /// and whose retry then meets a check-and-set conflict is read back: the entry holding
    /// exactly this data is this write's own.
    pub fn write(&self, key: Key, data: &serde_json::Value, cas: u64) -> Result<Written> {
        let body = serde_json::json!({"options": {"cas": cas}, "data": data});
        let url = self.url(Kind::Data, &key)?;
        let (resp, unknown) = self.send_retrying(Method::POST, &url, Some(&body), "writing a credential")?;
        if resp.status == 400 {
            if unknown && let Some(e) = self.read(key)?.filter(|e| e.data == *data && e.version == cas + 1) {
                return Ok(Written::Version(e.version));
            }
            return Ok(Written::Conflict);
        }
        #[derive(Deserialize)]
        struct Outer {
            data: Meta,
        }
        #[derive(Deserialize)]
        struct Meta {
            version: u64,
        }
        let o: Outer = resp.json(url.as_str())?;
        Ok(Written::Version(o.data.version))
    }

    /// The keys under a folder (`HOST/` for hosts); empty when there is none.
    pub fn list(&self, folder: Key) -> Result<Vec<String>> {
        block_on(self.list_async(folder))
    }

    async fn list_async(&self, folder: Key<'_>) -> Result<Vec<String>> {
        let mut url = self.url(Kind::Metadata, &folder)?;
        url.set_query(Some("list=true"));
        let (resp, _) = self.send_retrying_async(Method::GET, &url, None, "listing credentials").await?;
        let url = url.to_string();
        if resp.status == 404 {
            return Ok(Vec::new());
        }
        #[derive(Deserialize)]
        struct Outer {
            data: Keys,
        }
        #[derive(Deserialize)]
        struct Keys {
            keys: Vec<String>,
        }
        Ok(resp.json::<Outer>(&url)?.data.keys)
    }

    /// Deletes an entry and all its versions.
    pub fn delete(&self, key: Key) -> Result<()> {
        let url = self.url(Kind::Metadata, &key)?;
        self.send_retrying(Method::DELETE, &url, None, "deleting a credential")?;
        Ok(())
    }
}

/// Why one attempt failed: worth another try within the window (with whether the request may
/// have reached Vault), or final.
enum Failure {
    Transient(String, bool),
    Final(Error),
}

/// `f` of every item, at most 16 in flight, in the items' order; the first error wins.
async fn at_once<'a, T, R, F: std::future::Future<Output = Result<R>> + 'a>(
    items: &'a [T],
    f: impl Fn(&'a T) -> F,
) -> Result<Vec<R>> {
    const AT_ONCE: usize = 16;
    let mut out = Vec::with_capacity(items.len());
    for chunk in items.chunks(AT_ONCE) {
        for r in futures_util::future::join_all(chunk.iter().map(&f)).await {
            out.push(r?);
        }
    }
    Ok(out)
}

/// A pause of 75–125 % of `d`, so that machines retrying together spread out.
pub fn jitter(d: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|t| t.as_nanos()).unwrap_or(0));
    let spread = (h.finish() % 51) as u32 + 75;
    d * spread / 100
}

/// The exit code of a lost check-and-set race that cannot be retried.
pub fn conflict(what: &str) -> Error {
    Error::new(Exit::Storage, format!("another machine changed {what} in Vault at the same moment"))
        .hint("run the command again")
}
