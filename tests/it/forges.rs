//! Mock forges that answer as GitHub (Enterprise `/api/v3`), GitLab and Gitea/Forgejo do,
//! headers and error shapes included. Tokens can be revoked while the server runs.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::support::{Mock, Req, Resp};

/// Which vendor the mock plays.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Github,
    Gitlab,
    Gitea,
    Forgejo,
}

pub struct Forge {
    pub mock: Mock,
    pub tokens: Arc<Mutex<HashSet<String>>>,
}

impl Forge {
    pub fn start(kind: Kind, tokens: &[&str]) -> Forge {
        Forge::with_users(kind, &tokens.iter().map(|t| (*t, "")).collect::<Vec<_>>())
    }

    /// A forge whose tokens belong to different users (`""`: the vendor's usual test user).
    pub fn with_users(kind: Kind, tokens: &[(&str, &str)]) -> Forge {
        let valid: Arc<Mutex<HashSet<String>>> =
            Arc::new(Mutex::new(tokens.iter().map(|(t, _)| t.to_string()).collect()));
        let users: HashMap<String, String> =
            tokens.iter().filter(|(_, u)| !u.is_empty()).map(|(t, u)| (t.to_string(), u.to_string())).collect();
        let v = valid.clone();
        let mock = Mock::start(move |r| answer(kind, &v.lock().unwrap(), &users, r));
        Forge { mock, tokens: valid }
    }

    pub fn revoke(&self, token: &str) {
        self.tokens.lock().unwrap().remove(token);
    }
}

fn token_header(r: &Req, scheme: &str) -> Option<String> {
    r.header("authorization").and_then(|a| a.strip_prefix(scheme)).map(|t| t.trim().to_string())
}

fn answer(kind: Kind, valid: &HashSet<String>, users: &HashMap<String, String>, r: &Req) -> Resp {
    let user = |t: &str, default: &str| users.get(t).cloned().unwrap_or_else(|| default.to_string());
    match kind {
        Kind::Github => match r.path.as_str() {
            "/api/v3" => Resp::json(200, json!({"current_user_url": "https://ghe/api/v3/user"})),
            "/api/v3/user" => match token_header(r, "token ") {
                Some(t) if valid.contains(&t) => Resp::json(200, json!({"login": user(&t, "octocat"), "id": 1}))
                    .with("X-OAuth-Scopes", "repo, read:org")
                    .with("GitHub-Authentication-Token-Expiration", "2099-12-01 10:00:00 UTC"),
                _ => Resp::json(
                    401,
                    json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
                ),
            },
            _ => Resp::json(404, json!({"message": "Not Found"})),
        },
        Kind::Gitlab => {
            let tok = r.header("private-token").map(String::from).or_else(|| token_header(r, "Bearer "));
            let ok = tok.as_ref().is_some_and(|t| valid.contains(t));
            match r.path.as_str() {
                "/api/v4/metadata" if ok => Resp::json(200, json!({"version": "17.0.0", "revision": "abc"})),
                "/api/v4/metadata" => Resp::json(401, json!({"message": "401 Unauthorized"})),
                "/api/v4/user" if ok => {
                    Resp::json(200, json!({"id": 1, "username": user(tok.as_deref().unwrap_or(""), "tanuki")}))
                }
                "/api/v4/personal_access_tokens/self" if ok => Resp::json(
                    200,
                    json!({"id": 9, "name": "lanyard", "scopes": ["read_api", "read_repository"], "expires_at": "2099-01-31", "active": true}),
                ),
                p if p.starts_with("/api/v4/") => Resp::json(401, json!({"message": "401 Unauthorized"})),
                _ => Resp::text(404, "Not Found"),
            }
        }
        Kind::Gitea | Kind::Forgejo => match r.path.as_str() {
            "/api/v1/version" if kind == Kind::Gitea => Resp::json(200, json!({"version": "1.22.3"})),
            "/api/v1/version" => Resp::json(200, json!({"version": "11.0.1+gitea-1.22.0"})),
            "/api/forgejo/v1/version" if kind == Kind::Forgejo => Resp::json(200, json!({"version": "11.0.1"})),
            "/api/v1/user" => match token_header(r, "token ") {
                Some(t) if valid.contains(&t) => Resp::json(200, json!({"id": 1, "login": user(&t, "gitea-user")})),
                _ => Resp::json(401, json!({"message": "user does not exist [uid: 0, name: ]", "url": "/api/swagger"})),
            },
            _ => Resp::text(404, "404 page not found"),
        },
    }
}
