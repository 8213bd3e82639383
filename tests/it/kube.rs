//! kubectl (SPEC §12): Debian's kubectl runs `lanyard kube-credential` as its exec credential
//! plugin against a TLS API server that verifies the ID token's signature with the real OpenID
//! provider's JWKS (tests/peers/oidc/kube-api.mjs); `setup-kube` writes the kubeconfig.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::oidc::{Provider, login_with, peer_dir};
use crate::peers;
use crate::support::Sandbox;

/// kube-api.mjs on 127.0.0.1 with a certificate made by openssl; killed on drop.
struct Api {
    child: Child,
    port: u16,
    ca: std::path::PathBuf,
}

impl Drop for Api {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Api {
    fn start(sb: &Sandbox, issuer: &str) -> Option<Api> {
        let (cert, key) = crate::support::self_signed(sb.dir.path(), "api", "127.0.0.1")?;
        let mut child = Command::new("node")
            .arg(peer_dir().join("kube-api.mjs"))
            .args([issuer, "lanyard-test"])
            .arg(&cert)
            .arg(&key)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port =
            line.trim().strip_prefix("READY ").unwrap_or_else(|| panic!("kube-api said {line:?}")).parse().unwrap();
        Some(Api { child, port, ca: cert })
    }
}

fn kubectl(sb: &Sandbox, kubeconfig: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(args)
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .output()
        .unwrap()
}

/// `kubectl config …`: the kubeconfig written by kubectl, as people's are.
#[track_caller]
fn kubectl_config(sb: &Sandbox, kubeconfig: &std::path::Path, args: &[&str]) {
    let out = kubectl(sb, kubeconfig, &[&["config"], args].concat());
    assert!(out.status.success(), "kubectl config {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn kubectl_gets_pods_with_the_id_token_the_real_provider_signed() {
    let Some(_) = peers::require("kubectl", "runs lanyard as its exec credential plugin") else { return };
    let Some(op) = Provider::start(600, 120) else { return };
    let sb = Sandbox::new();
    let key = op.issuer.trim_start_matches("http://").to_string();
    // Not logged in: exit 3, what kubectl shows the person.
    let r = sb.run(&["kube-credential", &key], None);
    r.code(3);
    assert!(r.stderr.contains("lanyard login"), "{}", r.stderr);
    let (r, _) = login_with(
        &sb,
        &["login", &op.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| op.human(code, "approve"),
    );
    r.code(0);
    let Some(api) = Api::start(&sb, &op.issuer) else { return };

    // The plugin itself: an ExecCredential with the ID token and when it expires.
    let r = sb.run(&["kube-credential", &key], None);
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["kind"], "ExecCredential");
    assert_eq!(v["apiVersion"], "client.authentication.k8s.io/v1");
    let id_token = sb.store_view()["credentials"][&key]["id_token"].as_str().unwrap().to_string();
    assert_eq!(v["status"]["token"], id_token.as_str());
    assert!(v["status"]["expirationTimestamp"].as_str().unwrap().ends_with('Z'));
    let mut with_info = sb.cmd();
    with_info.args(["kube-credential", &key]);
    with_info.env(
        "KUBERNETES_EXEC_INFO",
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}"#,
    );
    let r = crate::support::run_cmd(with_info, None);
    assert!(r.stdout.contains("\"apiVersion\":\"client.authentication.k8s.io/v1beta1\""), "{}", r.stdout);

    // A kubeconfig as kubectl itself writes it, with another context.
    let kubeconfig = sb.dir.path().join("kubeconfig");
    let server = format!("--server=https://127.0.0.1:{}", api.port);
    let ca = format!("--certificate-authority={}", api.ca.display());
    kubectl_config(&sb, &kubeconfig, &["set-cluster", "test", &server, &ca]);
    kubectl_config(&sb, &kubeconfig, &["set-context", "test", "--cluster=test"]);
    kubectl_config(&sb, &kubeconfig, &["set-context", "other", "--cluster=test", "--namespace=kept"]);
    kubectl_config(&sb, &kubeconfig, &["use-context", "test"]);
    let pods = ["get", "--raw", "/api/v1/namespaces/default/pods"];
    let out = kubectl(&sb, &kubeconfig, &pods);
    assert!(!out.status.success(), "without a token the API server refuses");

    let r = sb.run(&["setup-kube", &key, "--kubeconfig", kubeconfig.to_str().unwrap()], None);
    r.code(0);
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(text.contains("kube-credential") && text.contains("namespace: kept"), "{text}");
    assert!(!text.contains(&id_token), "no token in the kubeconfig");
    let out = kubectl(&sb, &kubeconfig, &pods);
    assert!(
        out.status.success(),
        "kubectl get: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("PodList"));
    let seen = kubectl(&sb, &kubeconfig, &["get", "--raw", "/__seen"]);
    assert!(String::from_utf8_lossy(&seen.stdout).contains("alice"), "the API server verified alice's ID token");

    // A kubeconfig that is not YAML is left as it is.
    std::fs::write(&kubeconfig, "clusters: [unclosed").unwrap();
    sb.run(&["setup-kube", &key, "--kubeconfig", kubeconfig.to_str().unwrap()], None).code(2);
    assert_eq!(std::fs::read_to_string(&kubeconfig).unwrap(), "clusters: [unclosed");
}

#[test]
fn kube_credential_logs_in_on_stderr_when_kubectl_says_a_person_is_there() {
    let Some(op) = Provider::start(600, 120) else { return };
    let mut sb = Sandbox::new();
    let key = op.issuer.trim_start_matches("http://").to_string();
    let args = ["login", &op.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"];
    let (r, _) = login_with(&sb, &args, |code| op.human(code, "approve"));
    r.code(0);
    // The credential ran out and cannot refresh (as after a revocation).
    let path = sb.store_path();
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entry = &mut v["credentials"][format!("alice@{key}")];
    entry["expires_at"] = "2020-01-01T00:00:00Z".into();
    entry.as_object_mut().unwrap().remove("refresh_token");
    entry.as_object_mut().unwrap().remove("id_token");
    std::fs::write(&path, v.to_string()).unwrap();
    // kubectl without a person: exit 4, the login named.
    let r = sb.run(&["kube-credential", &key], None);
    r.code(4);
    assert!(r.stderr.contains("lanyard login"), "{}", r.stderr);
    // With one (spec.interactive): the device flow runs on stderr, stdout is the ExecCredential.
    sb.set(
        "KUBERNETES_EXEC_INFO",
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":true}}"#,
    );
    let (r, _) = crate::oidc::login_with(&sb, &["kube-credential", &key], |code| op.human(code, "approve"));
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(v["kind"], "ExecCredential");
    assert!(v["status"]["token"].as_str().unwrap().starts_with("eyJ"), "a fresh ID token: {}", r.stdout);
    assert!(r.stderr.contains("First copy your one-time code"), "the flow ran on stderr: {}", r.stderr);
}

#[test]
fn import_kubeconfig_adopts_kubelogin_users() {
    let Some(_) = peers::require("kubectl", "writes the kubeconfig as people's are written") else { return };
    let Some(op) = Provider::start(600, 120) else { return };
    let mut sb = Sandbox::new();
    let key = op.issuer.trim_start_matches("http://").to_string();
    // kubelogin's user as `kubectl config set-credentials` writes it.
    let kubeconfig = sb.dir.path().join("kubeconfig");
    let issuer = format!("--exec-arg=--oidc-issuer-url={}", op.issuer);
    kubectl_config(&sb, &kubeconfig, &["set-cluster", "test", "--server=https://127.0.0.1:6443"]);
    kubectl_config(
        &sb,
        &kubeconfig,
        &[
            "set-credentials",
            "oidc",
            "--exec-command=kubectl",
            "--exec-api-version=client.authentication.k8s.io/v1beta1",
            "--exec-arg=oidc-login",
            "--exec-arg=get-token",
            &issuer,
            "--exec-arg=--oidc-client-id=lanyard-test",
            "--exec-arg=--oidc-extra-scope=email",
        ],
    );
    kubectl_config(&sb, &kubeconfig, &["set-context", "test", "--cluster=test", "--user=oidc"]);
    kubectl_config(&sb, &kubeconfig, &["use-context", "test"]);
    sb.set("KUBECONFIG", kubeconfig.to_str().unwrap());
    let r = sb.run(&["import", "kubeconfig", "--dry-run"], None);
    r.code(0);
    assert!(r.stderr.contains("client `lanyard-test`, scopes openid,offline_access,email"), "{}", r.stderr);
    assert!(std::fs::read_to_string(&kubeconfig).unwrap().contains("oidc-login"), "a dry run changes nothing");
    let (r, _) = login_with(&sb, &["import", "kubeconfig"], |code| op.human(code, "approve"));
    r.code(0);
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(text.contains("kube-credential") && !text.contains("oidc-login") && text.contains("user: oidc"), "{text}");
    let c = &sb.store_view()["credentials"][&key];
    assert_eq!(c["client_id"], "lanyard-test");
    assert!(c["scopes"].as_array().unwrap().iter().any(|s| s == "email"), "{c}");
    let r = sb.run(&["kube-credential", &key], None);
    r.code(0);
    assert!(r.stdout.contains("\"kind\":\"ExecCredential\""), "{}", r.stdout);
}
