//! kubelogin's users in a kubeconfig (`kubectl oidc-login get-token --oidc-issuer-url=… …`, or
//! the `kubectl-oidc_login` program): the issuer, client id and extra scopes its arguments name,
//! for `lanyard import kubeconfig` to log in with and then answer instead.

use yaml_rust2::YamlLoader;

/// One kubelogin user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcUser {
    /// The kubeconfig user's name.
    pub name: String,
    /// `--oidc-issuer-url`.
    pub issuer: String,
    /// `--oidc-client-id`.
    pub client_id: String,
    /// `--oidc-extra-scope` (repeatable).
    pub extra_scopes: Vec<String>,
}

/// The kubelogin users of a kubeconfig's text (none when it is not YAML).
pub fn oidc_users(text: &str) -> Vec<OidcUser> {
    let Ok(docs) = YamlLoader::load_from_str(text) else { return Vec::new() };
    let Some(doc) = docs.first() else { return Vec::new() };
    let Some(users) = doc["users"].as_vec() else { return Vec::new() };
    let mut out = Vec::new();
    for u in users {
        let exec = &u["user"]["exec"];
        let command = exec["command"].as_str().unwrap_or_default();
        let program = command.rsplit('/').next().unwrap_or(command);
        let args: Vec<&str> =
            exec["args"].as_vec().map(|a| a.iter().filter_map(|x| x.as_str()).collect()).unwrap_or_default();
        let kubelogin =
            program == "kubectl-oidc_login" || (program == "kubectl" && args.first() == Some(&"oidc-login"));
        if !kubelogin || !args.contains(&"get-token") {
            continue;
        }
        let mut issuer = None;
        let mut client_id = None;
        let mut extra_scopes = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let (flag, value) = match args[i].split_once('=') {
                Some((f, v)) => (f, Some(v.to_string())),
                None => (args[i], args.get(i + 1).filter(|v| !v.starts_with("--")).map(|v| v.to_string())),
            };
            let took_next = !args[i].contains('=') && value.is_some();
            match flag {
                "--oidc-issuer-url" => issuer = value,
                "--oidc-client-id" => client_id = value,
                "--oidc-extra-scope" => extra_scopes.extend(value),
                _ => {}
            }
            i += if took_next { 2 } else { 1 };
        }
        if let (Some(issuer), Some(client_id), Some(name)) = (issuer, client_id, u["name"].as_str()) {
            out.push(OidcUser { name: name.to_string(), issuer, client_id, extra_scopes });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubelogin_users_are_read_in_both_forms() {
        let text = "users:\n- name: oidc\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubectl\n      args: [oidc-login, get-token, --oidc-issuer-url=https://sso.example.com, --oidc-client-id=kubernetes, --oidc-extra-scope=email, --oidc-extra-scope, groups]\n- name: plain\n  user:\n    token: abc\n- name: direct\n  user:\n    exec:\n      command: /usr/local/bin/kubectl-oidc_login\n      args: [get-token, --oidc-issuer-url, https://other.example.com, --oidc-client-id, k8s]\n";
        let u = oidc_users(text);
        assert_eq!(u.len(), 2);
        assert_eq!(
            u[0],
            OidcUser {
                name: "oidc".into(),
                issuer: "https://sso.example.com".into(),
                client_id: "kubernetes".into(),
                extra_scopes: vec!["email".into(), "groups".into()],
            }
        );
        assert_eq!((u[1].issuer.as_str(), u[1].client_id.as_str()), ("https://other.example.com", "k8s"));
    }
}
