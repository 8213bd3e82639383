//! Providers: the declarative files of `providers/` (compiled in) and the user's own, validated
//! into [`Provider`]s; TARGET resolution (detection of a self-hosted server is `family::detect`).

pub mod registry;
pub mod site;

use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};
pub use site::Site;

/// The protocol family a provider speaks (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// github.com and GitHub Enterprise.
    Github,
    /// gitlab.com and self-hosted GitLab.
    Gitlab,
    /// Gitea.
    Gitea,
    /// Forgejo (Codeberg).
    Forgejo,
    /// Any OpenID Connect issuer.
    Oidc,
    /// skillsctl servers.
    Skillsctl,
    /// duumbi registries.
    Duumbi,
    /// duh servers.
    Duh,
    /// Any bearer-token service.
    Token,
    /// Any basic-auth service.
    Basic,
    /// An OCI/Docker registry that is its own identity provider: checked with its `/v2/`
    /// challenge (Basic, or the distribution token protocol).
    Oci,
    /// An npm registry that is its own identity provider (Verdaccio, Artifactory, npmjs).
    Npm,
}

impl Family {
    /// Every family, in the order `--provider` help lists them.
    pub const ALL: [Family; 12] = [
        Family::Github,
        Family::Gitlab,
        Family::Gitea,
        Family::Forgejo,
        Family::Oidc,
        Family::Skillsctl,
        Family::Duumbi,
        Family::Duh,
        Family::Token,
        Family::Basic,
        Family::Oci,
        Family::Npm,
    ];

    /// The user name HTTP Basic sends with a token of this family (git, netrc): GitHub takes any
    /// name with a token (`x-access-token`), GitLab's OAuth tokens go with `oauth2`, the rest
    /// with the account.
    pub fn basic_user(self, oauth: bool, user: Option<&str>) -> String {
        match self {
            Family::Github => "x-access-token".to_string(),
            Family::Gitlab if oauth => "oauth2".to_string(),
            Family::Gitlab
            | Family::Gitea
            | Family::Forgejo
            | Family::Oidc
            | Family::Skillsctl
            | Family::Duumbi
            | Family::Duh
            | Family::Token
            | Family::Basic
            | Family::Oci
            | Family::Npm => user.unwrap_or("lanyard").to_string(),
        }
    }

    /// The family's name as written in provider files and `--provider`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Github => "github",
            Family::Gitlab => "gitlab",
            Family::Gitea => "gitea",
            Family::Forgejo => "forgejo",
            Family::Oidc => "oidc",
            Family::Skillsctl => "skillsctl",
            Family::Duumbi => "duumbi",
            Family::Duh => "duh",
            Family::Token => "token",
            Family::Basic => "basic",
            Family::Oci => "oci",
            Family::Npm => "npm",
        }
    }

    /// Parses a family name.
    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The default API base template of the family.
    fn default_api(self) -> &'static str {
        match self {
            Family::Github => "{base}/api/v3",
            Family::Gitlab => "{base}/api/v4",
            Family::Gitea | Family::Forgejo | Family::Duumbi => "{base}/api/v1",
            Family::Duh => "{base}/api",
            Family::Oidc | Family::Skillsctl | Family::Token | Family::Basic | Family::Oci | Family::Npm => "{base}",
        }
    }

    fn default_scopes(self) -> &'static [&'static str] {
        match self {
            Family::Github => &["repo", "read:org"],
            Family::Gitlab => &["read_api", "read_repository"],
            Family::Gitea | Family::Forgejo => &["read:repository", "read:user"],
            Family::Oidc => &["openid", "offline_access"],
            Family::Skillsctl => &["openid", "email", "profile"],
            Family::Duumbi | Family::Duh | Family::Token | Family::Basic | Family::Oci | Family::Npm => &[],
        }
    }

    fn default_token_page(self) -> Option<&'static str> {
        match self {
            // Fine-grained tokens: organisations refuse classic ones more and more (NixOS/org#247).
            Family::Github => Some("{base}/settings/personal-access-tokens/new"),
            Family::Gitlab => Some("{base}/-/user_settings/personal_access_tokens?name=lanyard&scopes={scopes}"),
            Family::Gitea | Family::Forgejo => Some("{base}/user/settings/applications"),
            Family::Duumbi => Some("{base}/settings/tokens"),
            Family::Oidc
            | Family::Skillsctl
            | Family::Duh
            | Family::Token
            | Family::Basic
            | Family::Oci
            | Family::Npm => None,
        }
    }

    fn default_device(self) -> Option<(&'static str, &'static str)> {
        match self {
            Family::Github => Some(("{base}/login/device/code", "{base}/login/oauth/access_token")),
            Family::Gitlab => Some(("{base}/oauth/authorize_device", "{base}/oauth/token")),
            Family::Gitea
            | Family::Forgejo
            | Family::Oidc
            | Family::Skillsctl
            | Family::Duumbi
            | Family::Duh
            | Family::Token
            | Family::Basic
            | Family::Oci
            | Family::Npm => None,
        }
    }

    /// How the family's tokens go into Nix's `access-tokens`, unless a provider says otherwise.
    pub fn default_nix(self) -> NixFormat {
        match self {
            Family::Github => NixFormat::Host,
            Family::Gitlab => NixFormat::Gitlab,
            Family::Gitea
            | Family::Forgejo
            | Family::Oidc
            | Family::Skillsctl
            | Family::Duumbi
            | Family::Duh
            | Family::Token
            | Family::Basic
            | Family::Oci
            | Family::Npm => NixFormat::None,
        }
    }
}

/// How a provider's token is written into Nix's `access-tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NixFormat {
    /// `HOST=TOKEN` (GitHub).
    Host,
    /// `HOST=PAT:TOKEN` or `HOST=OAuth2:TOKEN` (GitLab).
    Gitlab,
    /// Not written to Nix.
    None,
}

/// Where a provider definition came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file of `providers/`, compiled in.
    Builtin(&'static str),
    /// A user file.
    User(PathBuf),
    /// Made from a family's defaults for a host no provider lists.
    Family,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Builtin(name) => write!(f, "built-in providers/{name}"),
            Source::User(p) => write!(f, "{}", p.display()),
            Source::Family => f.write_str("family defaults"),
        }
    }
}

/// Device-flow endpoints and the OAuth client id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    /// The OAuth client id; `None` means the paste path.
    pub client_id: Option<String>,
    /// Device authorization endpoint template.
    pub authorization_url: String,
    /// Token endpoint template.
    pub token_url: String,
}

/// A validated provider definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Identifier, e.g. `github`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Protocol family.
    pub family: Family,
    /// Hosts served, `host[:port]`.
    pub hosts: Vec<String>,
    /// Short names accepted as TARGET.
    pub aliases: Vec<String>,
    /// API base template.
    pub api: String,
    /// Scopes to ask for.
    pub scopes: Vec<String>,
    /// Token-creation page template.
    pub token_page: Option<String>,
    /// Validation URL template (token/basic families).
    pub validate_url: Option<String>,
    /// OIDC issuer template.
    pub issuer: Option<String>,
    /// Extra CA certificates.
    pub ca_file: Option<PathBuf>,
    /// Device-flow settings.
    pub device: Option<Device>,
    /// Nix token format.
    pub nix: NixFormat,
    /// Container registries its credentials also answer (`host[:port]`).
    pub registries: Vec<String>,
    /// Where the definition came from.
    pub source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    id: String,
    name: String,
    family: Family,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    api: Option<String>,
    scopes: Option<Vec<String>>,
    token_page: Option<String>,
    validate_url: Option<String>,
    issuer: Option<String>,
    ca_file: Option<PathBuf>,
    nix: Option<NixFormat>,
    device: Option<DeviceFile>,
    #[serde(default)]
    registries: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceFile {
    client_id: Option<String>,
    authorization_url: Option<String>,
    token_url: Option<String>,
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

impl Provider {
    /// Parses and validates a provider file. `origin` names the file in errors.
    pub fn parse(text: &str, source: Source) -> Result<Provider> {
        let origin = source.to_string();
        let bad = |field: &str, why: String| {
            Error::usage(format!("`{origin}`: field `{field}`: {why}"))
                .hint("fix the provider file (format: providers/README.md in lanyard's source)")
        };
        let f: ProviderFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::error::line_at(text, s.start));
            let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
            Error::usage(format!("`{origin}`{at}: {}", e.message().trim_end_matches('.')))
                .hint("fix the provider file (format: providers/README.md in lanyard's source)")
        })?;
        if !is_ident(&f.id) {
            return Err(bad("id", format!("`{}` must be lower-case letters, digits and `-`", f.id)));
        }
        if f.name.trim().is_empty() {
            return Err(bad("name", "must not be empty".into()));
        }
        for h in &f.hosts {
            match Site::parse(h) {
                Ok(s) if s.key() == *h && !h.contains('/') => {}
                _ => {
                    return Err(bad("hosts", format!("`{h}` is not a lower-case `host[:port]`")));
                }
            }
        }
        for r in &f.registries {
            match Site::parse(r) {
                Ok(s) if s.key() == *r && !r.contains('/') => {}
                _ => return Err(bad("registries", format!("`{r}` is not a lower-case `host[:port]`"))),
            }
        }
        for a in &f.aliases {
            if !is_ident(a) {
                return Err(bad("aliases", format!("`{a}` must be lower-case letters, digits and `-`")));
            }
        }
        let scopes = match f.scopes {
            Some(s) => s,
            None => f.family.default_scopes().iter().map(|s| s.to_string()).collect(),
        };
        for s in &scopes {
            if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c == ',') {
                return Err(bad("scopes", format!("`{s}` is not a scope name")));
            }
        }
        let device = match (f.device, f.family.default_device()) {
            (Some(d), defaults) => {
                let (da, dt) = defaults.unwrap_or(("", ""));
                let authorization_url = d.authorization_url.unwrap_or_else(|| da.to_string());
                let token_url = d.token_url.unwrap_or_else(|| dt.to_string());
                // OpenID providers name their endpoints in discovery; others need them here.
                let discovered = matches!(f.family, Family::Oidc | Family::Skillsctl);
                if (authorization_url.is_empty() || token_url.is_empty()) && !discovered {
                    return Err(bad("device", "needs `authorization_url` and `token_url` for this family".into()));
                }
                Some(Device { client_id: d.client_id.filter(|c| !c.trim().is_empty()), authorization_url, token_url })
            }
            (None, Some((a, t))) => Some(Device { client_id: None, authorization_url: a.into(), token_url: t.into() }),
            (None, None) => None,
        };
        let p = Provider {
            id: f.id,
            name: f.name,
            family: f.family,
            hosts: f.hosts,
            aliases: f.aliases,
            api: f.api.unwrap_or_else(|| f.family.default_api().to_string()),
            scopes,
            token_page: f.token_page.or_else(|| f.family.default_token_page().map(String::from)),
            validate_url: f.validate_url,
            issuer: f.issuer,
            ca_file: f.ca_file,
            device,
            nix: f.nix.unwrap_or(f.family.default_nix()),
            registries: f.registries,
            source,
        };
        // Every URL template must give a usable URL for a sample host.
        let sample = Site::parse("https://example.com").expect("sample site");
        let mut urls: Vec<(&str, &str)> = vec![("api", &p.api)];
        if let Some(u) = &p.token_page {
            urls.push(("token_page", u));
        }
        if let Some(u) = &p.validate_url {
            urls.push(("validate_url", u));
        }
        if let Some(u) = &p.issuer {
            urls.push(("issuer", u));
        }
        if let Some(d) = &p.device {
            for (field, u) in [("device.authorization_url", &d.authorization_url), ("device.token_url", &d.token_url)] {
                if !u.is_empty() {
                    urls.push((field, u));
                }
            }
        }
        for (field, template) in urls {
            let expanded = p.expand(template, &sample);
            let ok = reqwest::Url::parse(&expanded).ok().and_then(|u| Site::from_url(&u).ok()).is_some();
            if !ok || expanded.contains('{') {
                return Err(bad(field, format!("`{template}` is not an https URL template")));
            }
        }
        Ok(p)
    }

    /// A provider made from a family's defaults, for a host no provider file lists.
    pub fn for_family(family: Family) -> Provider {
        let text = format!("id = \"{0}\"\nname = \"{0}\"\nfamily = \"{0}\"\n", family.as_str());
        Provider::parse(&text, Source::Family).expect("family defaults are valid")
    }

    /// Expands `{base}`, `{host}` and `{scopes}` in a URL template for a site.
    pub fn expand(&self, template: &str, site: &Site) -> String {
        template
            .replace("{base}", &site.base())
            .replace("{host}", &site.key())
            .replace("{scopes}", &self.scopes.join(","))
    }

    /// The API base URL for a site, without a trailing slash.
    pub fn api_base(&self, site: &Site) -> String {
        self.expand(&self.api, site).trim_end_matches('/').to_string()
    }

    /// Whether this provider serves the host (a provider with no hosts serves any it is asked to).
    pub fn serves(&self, key: &str) -> bool {
        self.hosts.is_empty() || self.hosts.iter().any(|h| h == key)
    }

    /// The default host of the provider's aliases.
    pub fn default_host(&self) -> Option<&str> {
        self.hosts.first().map(String::as_str)
    }

    /// The configured OAuth client id, when device flow is possible.
    pub fn client_id(&self) -> Option<&str> {
        self.device.as_ref().and_then(|d| d.client_id.as_deref())
    }
}
