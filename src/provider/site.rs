//! A target's origin: scheme, host and port, and the key a credential is stored under.

use std::fmt;
use std::net::IpAddr;

use crate::error::{Error, Result};

/// The scheme, lower-cased host and optional non-default port of a server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Site {
    /// `https`, or `http` for loopback hosts only.
    pub scheme: String,
    /// Lower-cased host name or IP literal (IPv6 without brackets).
    pub host: String,
    /// The port when it is not the scheme's default.
    pub port: Option<u16>,
}

impl Site {
    /// Parses `https://host[:port][/…]`, `http://loopback[:port]` or a bare `host[:port]`
    /// (taken as https).
    pub fn parse(input: &str) -> Result<Site> {
        let with_scheme = if input.contains("://") { input.to_string() } else { format!("https://{input}") };
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| {
            Error::usage(format!("`{input}` is not a host or URL: {e}"))
                .hint("give a host such as `git.example.com` or a URL such as `https://git.example.com`")
        })?;
        Site::from_url(&url).map_err(|e| Error::usage(format!("`{input}`: {}", e.message)).hint_all(e.hints))
    }

    /// The site of a URL; refuses plain `http` to anything but loopback.
    pub fn from_url(url: &reqwest::Url) -> Result<Site> {
        let scheme = url.scheme().to_ascii_lowercase();
        let host = match url.host() {
            Some(url::Host::Ipv6(a)) => a.to_string(),
            Some(h) => h.to_string().to_ascii_lowercase(),
            None => return Err(Error::usage("the URL has no host")),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::usage("a URL with a user name or password in it is refused")
                .hint("give the URL without `user@`; the secret is read from a prompt or stdin"));
        }
        match scheme.as_str() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(Error::usage(format!("plain http to `{host}` would send credentials in clear text"))
                    .hint(format!("use `https://{host}`; plain http is allowed only for loopback hosts")));
            }
            other => {
                return Err(Error::usage(format!("unsupported URL scheme `{other}`")).hint("use https://"));
            }
        }
        let port = url.port();
        Ok(Site { scheme, host, port })
    }

    /// `host[:port]`: the key a credential is stored under.
    pub fn key(&self) -> String {
        match self.port {
            Some(p) if self.host.contains(':') => format!("[{}]:{p}", self.host),
            Some(p) => format!("{}:{p}", self.host),
            None if self.host.contains(':') => format!("[{}]", self.host),
            None => self.host.clone(),
        }
    }

    /// `scheme://host[:port]`, the origin every URL of this site starts with.
    pub fn base(&self) -> String {
        format!("{}://{}", self.scheme, self.key())
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// Whether a host is a loopback name or address (the only hosts plain http may reach).
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h == "localhost" || h.parse::<IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

/// Turns a user-typed `host[:port]` into the stored key form, without deciding a scheme.
pub fn normalize_key(input: &str) -> Option<String> {
    Site::parse(input).ok().map(|s| s.key())
}

impl Error {
    /// Adds several hints.
    pub fn hint_all(mut self, hints: Vec<String>) -> Self {
        self.hints.extend(hints);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_default_ports_and_case() {
        assert_eq!(Site::parse("GitHub.com").unwrap().key(), "github.com");
        assert_eq!(Site::parse("https://git.example.com:443/x").unwrap().key(), "git.example.com");
        assert_eq!(Site::parse("https://git.example.com:8443").unwrap().key(), "git.example.com:8443");
        let s = Site::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((s.key().as_str(), s.base().as_str()), ("127.0.0.1:8080", "http://127.0.0.1:8080"));
    }

    #[test]
    fn plain_http_only_for_loopback() {
        assert!(Site::parse("http://localhost:1").is_ok());
        assert!(Site::parse("http://[::1]:1").is_ok());
        assert_eq!(Site::parse("http://example.com").unwrap_err().exit, crate::error::Exit::Usage);
        assert!(Site::parse("ftp://example.com").is_err());
        assert!(Site::parse("https://user:pw@example.com").is_err());
    }
}
