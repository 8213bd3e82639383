//! How other tools' configs name lanyard (git's helper line, the kubeconfig's exec user,
//! cargo's credential provider).

use crate::error::Result;

/// How another tool's config names lanyard: the command name when `lanyard` on PATH is this
/// very program — a resolved path (a Nix store path, a versioned install) disappears with the
/// next upgrade or garbage collection, and the tool then says "…/lanyard: not found" (issue 23,
/// item 28) — else this program's path.
pub fn own_program(env: &crate::env::Env) -> Result<String> {
    let exe = std::env::current_exe()
        .map_err(|e| crate::error::Error::failure(format!("cannot find lanyard's own path: {e}")))?;
    let on_path = env
        .var("PATH")
        .and_then(|p| std::env::split_paths(p).map(|d| d.join("lanyard")).find(|c| c.is_file()))
        .and_then(|c| std::fs::canonicalize(c).ok());
    let same = on_path.is_some() && on_path == std::fs::canonicalize(&exe).ok();
    Ok(if same { "lanyard".to_string() } else { exe.to_string_lossy().into_owned() })
}
