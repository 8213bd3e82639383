//! The one way lanyard writes a file (SPEC §6): under an advisory lock, atomically (a 0600 temp
//! file in the same directory, written, synced, renamed over the target, directory synced), with
//! an optional backup of files lanyard does not own. Directories lanyard creates are 0700.
//!
//! [`write_atomic`] takes the [`Lock`] of the file it writes, so a write without the lock does
//! not compile, and a lock for another file is refused.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How many backups of one file are kept.
pub const BACKUPS_KEPT: usize = 5;
/// How long to wait for another lanyard process to release a lock (longer than one refresh request
/// at the default 30 s timeout, which runs while the store is locked).
const LOCK_WAIT: Duration = Duration::from_secs(90);
const TMP_MARK: &str = ".lanyard-tmp-";

/// Turns an I/O error on a path into a storage error that names the path.
pub fn io_error(action: &str, path: &Path, err: io::Error) -> Error {
    let hint = match err.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("check the owner and mode of `{}`", path.display())
        }
        io::ErrorKind::NotADirectory => format!(
            "a parent of `{}` is not a directory (a file, or a symlink to one): move it away, or point lanyard elsewhere",
            path.display()
        ),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "free some disk space and run the command again".to_string()
        }
        _ => format!("check that `{}` is a writable local path", path.display()),
    };
    Error::storage(format!("cannot {action} `{}`: {err}", path.display())).hint(hint)
}

/// An exclusive advisory lock on one target file, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    target: PathBuf,
}

impl Lock {
    /// Locks `target` (through the file `.NAME.lanyard-lock` beside it), creating the directory
    /// 0700 when missing. Waits for another lanyard process to finish, up to 90 s.
    pub fn acquire(target: &Path) -> Result<Lock> {
        let dir = parent(target);
        ensure_private_dir(dir)?;
        let lock_path = dir.join(format!(".{}.lanyard-lock", file_name(target)));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .mode(0o600)
            .custom_flags(libc_o_nofollow())
            .open(&lock_path)
            .map_err(|e| io_error("open the lock file", &lock_path, e))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Error::storage(format!(
                        "another lanyard process has held `{}` for {}s",
                        lock_path.display(),
                        LOCK_WAIT.as_secs()
                    ))
                    .hint("wait for it to finish, or end it, and run the command again"));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", &lock_path, e)),
            }
        }
        Ok(Lock { _file: file, target: target.to_path_buf() })
    }

    /// The file this lock protects.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

/// `O_NOFOLLOW`, so a lock file replaced by a symlink is not followed.
fn libc_o_nofollow() -> i32 {
    rustix::fs::OFlags::NOFOLLOW.bits() as i32
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Creates `dir` and its missing parents with mode 0700. An existing directory is left as is.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        // A symlinked directory (dotfile managers make them) is followed; what it points at must
        // be a directory that is ours and that nobody else can write to, or another user could
        // swap the files lanyard writes there.
        Ok(m) if m.is_dir() || (m.file_type().is_symlink() && dir.is_dir()) => return check_dir(dir),
        Ok(_) => {
            return Err(Error::storage(format!("`{}` exists and is not a directory", dir.display()))
                .hint("move it away and run the command again"));
        }
        Err(_) => {}
    }
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io_error("create the directory", dir, e))?;
    // The umask may have taken bits away from 0700 (or a weird umask may keep ours from the
    // owner): set the mode exactly on each directory we created.
    for d in missing {
        fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).map_err(|e| io_error("set the mode of", &d, e))?;
    }
    Ok(())
}

/// Refuses an existing directory owned by another user or writable by everyone. (Group-writable
/// is allowed: with a umask of 002, distributions with a private group per user make every
/// directory so.)
fn check_dir(dir: &Path) -> Result<()> {
    let m = fs::metadata(dir).map_err(|e| io_error("inspect", dir, e))?;
    if m.uid() != current_uid() {
        return Err(Error::storage(format!(
            "`{}` belongs to uid {}, not to you (uid {}); lanyard keeps secrets only in your own directories",
            dir.display(),
            m.uid(),
            current_uid()
        ))
        .hint("point lanyard at a directory of yours (`--config-dir`, `--nix-conf`) or take this one over"));
    }
    if m.mode() & 0o002 != 0 {
        return Err(Error::storage(format!(
            "`{}` can be written by every user (mode {:o}), who could swap the files lanyard writes there",
            dir.display(),
            m.mode() & 0o7777
        ))
        .hint(format!("run `chmod o-w {}` and run the command again", q(dir))));
    }
    Ok(())
}

/// The largest file lanyard reads (its own files and other tools' are a few KiB).
const MAX_READ: u64 = 16 * 1024 * 1024;

/// Reads a file that may be missing. A symlink is followed (reading is harmless; Home Manager
/// links nix.conf into the store), but the file is opened once without blocking and checked on
/// its descriptor: a FIFO, a device (`/dev/zero`) or a file over 16 MiB is refused, never read.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    let f = match OpenOptions::new().read(true).custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("read", path, e)),
    };
    let m = f.metadata().map_err(|e| io_error("inspect", path, e))?;
    if !m.is_file() {
        return Err(Error::storage(format!(
            "`{}` is not a regular file (a FIFO, device or directory)",
            path.display()
        ))
        .hint("replace it with a regular file, or point lanyard elsewhere"));
    }
    if m.len() > MAX_READ {
        return Err(Error::usage(format!("`{}` is larger than {} MiB", path.display(), MAX_READ >> 20))
            .hint("check that the path names the right file"));
    }
    read_text(f, path).map(Some)
}

/// Checks that nobody but the user can steer what lanyard reads from `dir` (its config dir:
/// provider files that receive tokens, `config.toml`, the store): `dir` and every directory above
/// it up to HOME must be the user's and not writable by others (group-writable only when the group
/// is the user's private group); directories above HOME (or above a config dir outside HOME) may
/// also be root's, and may be world-writable only with the sticky bit (`/tmp`). Run before
/// anything is read; a failure is exit 7.
pub fn check_trusted_chain(dir: &Path, home: Option<&Path>) -> Result<()> {
    let uid = current_uid();
    let mut chains = vec![dir.to_path_buf()];
    if let Ok(real) = fs::canonicalize(dir)
        && real != dir
    {
        chains.push(real);
    }
    for start in chains {
        let mut cur = Some(start.as_path());
        while let Some(d) = cur {
            cur = d.parent();
            // What is missing is created private later; what is not a directory is refused by the
            // check of the directory lanyard writes into ("not a directory").
            let Ok(m) = fs::metadata(d) else { continue };
            if !m.is_dir() {
                continue;
            }
            let mode = m.mode();
            let inside_home = home.is_some_and(|h| d.starts_with(h));
            let sticky = mode & 0o1000 != 0;
            let owner_ok = m.uid() == uid || (!inside_home && m.uid() == 0);
            // Outside HOME a sticky directory (`/tmp`) lets nobody rename another user's entries.
            let shared_ok = sticky && !inside_home;
            let others_write = mode & 0o002 != 0 && !shared_ok;
            let root_only = m.uid() == 0 && m.gid() == 0 && !inside_home;
            let group_write = mode & 0o020 != 0 && !(shared_ok || root_only || is_private_group(m.gid(), uid));
            let why = if !owner_ok {
                format!("belongs to uid {}, not to you (uid {uid})", m.uid())
            } else if others_write {
                format!("can be written by every user (mode {:o})", mode & 0o7777)
            } else if group_write {
                format!(
                    "can be written by its group (gid {}), which has other members (mode {:o})",
                    m.gid(),
                    mode & 0o7777
                )
            } else {
                continue;
            };
            let fix = if owner_ok {
                format!("run `chmod {}-w {}`", if others_write { "o" } else { "g" }, q(d))
            } else {
                format!(
                    "move lanyard's config elsewhere (`--config-dir DIR` in a directory of yours) or take `{}` over",
                    d.display()
                )
            };
            return Err(Error::storage(format!(
                "`{}` {why}: another user could plant provider files or swap lanyard's files under `{}`",
                d.display(),
                dir.display()
            ))
            .hint(fix));
        }
    }
    Ok(())
}

/// Whether `gid` is the user's private group: the user's primary group, named after the user,
/// with no other member (listed in /etc/group or with it as their primary group).
fn is_private_group(gid: u32, uid: u32) -> bool {
    // Asked for every group-writable directory of the chain, on every command (`token` too):
    // /etc/passwd and /etc/group are read once per process.
    static SEEN: std::sync::Mutex<Vec<(u32, u32, bool)>> = std::sync::Mutex::new(Vec::new());
    let cached = SEEN.lock().ok().and_then(|s| s.iter().find(|e| e.0 == gid && e.1 == uid).map(|e| e.2));
    if let Some(known) = cached {
        return known;
    }
    let answer = read_private_group(gid, uid);
    if let Ok(mut s) = SEEN.lock() {
        s.push((gid, uid, answer));
    }
    answer
}

fn read_private_group(gid: u32, uid: u32) -> bool {
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    let users: Vec<Vec<&str>> =
        passwd.lines().map(|l| l.split(':').collect::<Vec<_>>()).filter(|f| f.len() > 3).collect();
    let Some(me) = users.iter().find(|f| f[2].parse() == Ok(uid)) else { return false };
    if me[3].parse() != Ok(gid) || users.iter().any(|f| f[2].parse() != Ok(uid) && f[3].parse() == Ok(gid)) {
        return false;
    }
    let groups = fs::read_to_string("/etc/group").unwrap_or_default();
    groups.lines().map(|l| l.split(':').collect::<Vec<_>>()).any(|f| {
        f.len() > 3 && f[2].parse() == Ok(gid) && f[0] == me[0] && f[3].split(',').all(|m| m.is_empty() || m == me[0])
    })
}

/// Reads a file that steers where secrets go, or is one (SPEC §6): opened once (without
/// blocking, so a FIFO cannot hang lanyard), then checked on that descriptor — a regular file,
/// owned by the user or root, not writable by others (group only when it is the user's private
/// group), at most 16 MiB — and read from it. A symlink is followed by that one open (Home
/// Manager links config files into the Nix store), so what is checked is what is read; a path
/// swapped after the check is never used. `None` when missing. Refusals are exit 7.
pub fn read_trusted(path: &Path) -> Result<Option<String>> {
    match open_trusted(path)? {
        Some((f, _)) => read_text(f, path).map(Some),
        None => Ok(None),
    }
}

/// [`read_trusted`] of a file that holds a secret (a Vault token file): one that others could
/// read is made 0600 through its descriptor; the warning to print comes back with the text.
pub fn read_secret_file(path: &Path) -> Result<Option<(String, Option<String>)>> {
    let Some((f, m)) = open_trusted(path)? else { return Ok(None) };
    let mut note = None;
    if m.uid() == current_uid() && m.mode() & 0o077 != 0 {
        note = Some(format!(
            "`{}` was readable by others (mode {:o}); set it to 0600 — rotate the token if someone else could read it",
            path.display(),
            m.mode() & 0o777
        ));
        f.set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| io_error("set the mode of", path, e))?;
    }
    read_text(f, path).map(|t| Some((t, note)))
}

fn open_trusted(path: &Path) -> Result<Option<(File, fs::Metadata)>> {
    let f = match OpenOptions::new().read(true).custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("read", path, e)),
    };
    let m = f.metadata().map_err(|e| io_error("inspect", path, e))?;
    let uid = current_uid();
    let why = if !m.is_file() {
        Some("is not a regular file (a FIFO, device or directory)".to_string())
    } else if m.uid() != uid && m.uid() != 0 {
        Some(format!("belongs to uid {}, not to you (uid {uid})", m.uid()))
    } else if m.mode() & 0o002 != 0 || (m.mode() & 0o020 != 0 && !is_private_group(m.gid(), uid)) {
        Some(format!("can be written by other users (mode {:o})", m.mode() & 0o7777))
    } else if m.len() > MAX_READ {
        Some(format!("is larger than {} MiB", MAX_READ >> 20))
    } else {
        None
    };
    if let Some(why) = why {
        return Err(Error::storage(format!("`{}` {why}; lanyard does not use it", path.display())).hint(format!(
            "remove it, or make it a regular file of yours: `chown {uid} {0} && chmod go-w {0}`",
            q(path)
        )));
    }
    Ok(Some((f, m)))
}

/// Opens a file lanyard keeps secrets in, once: `O_NOFOLLOW` (a symlink is refused), without
/// blocking, then checked on the descriptor: a regular file the user owns. `None` when missing.
pub fn open_own(path: &Path) -> Result<Option<(File, fs::Metadata)>> {
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let f = match OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // ELOOP: the last component is a symlink.
        Err(e) if e.raw_os_error() == Some(40) => {
            return Err(Error::storage(format!(
                "`{}` is a symlink; lanyard does not read or write its files through symlinks",
                path.display()
            ))
            .hint("replace the symlink with a regular file, or point lanyard at the real path"));
        }
        Err(e) => return Err(io_error("open", path, e)),
    };
    let m = f.metadata().map_err(|e| io_error("inspect", path, e))?;
    if !m.is_file() {
        return Err(Error::storage(format!("`{}` is not a regular file", path.display())).hint(format!(
            "move it away: `mv {0} {1}`",
            q(path),
            q(&path.with_extension("not-a-file"))
        )));
    }
    if m.uid() != current_uid() {
        return Err(not_yours(path, m.uid()));
    }
    Ok(Some((f, m)))
}

/// Reads an opened file as UTF-8 text, at most 16 MiB.
pub fn read_text(f: File, path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(f, MAX_READ + 1), &mut bytes).map_err(|e| io_error("read", path, e))?;
    if bytes.len() as u64 > MAX_READ {
        return Err(Error::usage(format!("`{}` is larger than {} MiB", path.display(), MAX_READ >> 20))
            .hint("check that the path names the right file"));
    }
    String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!("`{}` is not UTF-8 text", path.display()))
            .hint("fix or move the file; lanyard leaves it untouched")
    })
}

/// The error for a file lanyard keeps secrets in that another user owns.
fn not_yours(path: &Path, owner: u32) -> Error {
    Error::storage(format!("`{}` is owned by uid {owner}, not by you (uid {})", path.display(), current_uid()))
        .hint(format!("remove it or take it over (`chown`) and run the command again; {}", path.display()))
}

/// A path as a shell word, for commands printed in hints (they must work when pasted).
fn q(path: &Path) -> String {
    shell_word(&path.to_string_lossy())
}

/// A short stable name for a path (FNV-1a: stable across runs and builds, which std's hasher is
/// not): keyring item names and agent sockets of a config dir that is not the default one.
pub fn path_hash(path: &Path) -> u64 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The effective user id of this process.
pub fn current_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// The metadata of a file lanyard keeps secrets in (`None` when it does not exist), read with one
/// `lstat`. A symlink is refused (so no read, repair or write acts on another file), and so is a
/// file another user owns (exit 7).
pub fn own_regular_file(path: &Path) -> Result<Option<fs::Metadata>> {
    let m = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("inspect", path, e)),
    };
    if m.file_type().is_symlink() {
        return Err(Error::storage(format!(
            "`{}` is a symlink; lanyard does not read or write its files through symlinks",
            path.display()
        ))
        .hint("replace the symlink with a regular file, or point lanyard at the real path"));
    }
    if m.uid() != current_uid() {
        return Err(not_yours(path, m.uid()));
    }
    Ok(Some(m))
}

/// Writes `bytes` to the locked file atomically; the result is mode 0600 whatever the umask and
/// whatever the file's mode was. Refuses to write through a symlink, and removes temp files an
/// interrupted earlier run left behind (we hold the lock, so nobody else is writing them).
pub fn write_atomic(lock: &Lock, bytes: &[u8]) -> Result<()> {
    let path = lock.target();
    let dir = parent(path);
    if let Some(m) = own_regular_file(path)?
        && m.permissions().mode() & 0o222 == 0
    {
        // No write bit: its owner made it read-only on purpose. Root could replace it anyway;
        // lanyard never does.
        return Err(Error::storage(format!(
            "`{}` is read-only (mode {:o}); lanyard does not replace it",
            path.display(),
            m.permissions().mode() & 0o7777
        ))
        .hint(format!("make it writable (`chmod u+w {}`) if lanyard should change it", q(path))));
    }
    remove_stale_temps(dir, &file_name(path));
    let tmp = dir.join(format!(".{}{}{}", file_name(path), TMP_MARK, std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc_o_nofollow())
            .open(&tmp)
            .map_err(|e| io_error("create a temporary file in", dir, e))?;
        f.set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| io_error("set the mode of", &tmp, e))?;
        f.write_all(bytes).map_err(|e| io_error("write", &tmp, e))?;
        f.sync_all().map_err(|e| io_error("sync", &tmp, e))?;
        drop(f);
        fs::rename(&tmp, path).map_err(|e| io_error("replace", path, e))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}{TMP_MARK}");
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// After a token left a file: removes the temp files interrupted runs left beside it and the
/// backups lanyard made of it that still hold one of `secrets`. Returns what it deleted.
pub fn purge_leftovers(lock: &Lock, secrets: &[&str]) -> Vec<PathBuf> {
    let path = lock.target();
    let dir = parent(path);
    let name = file_name(path);
    let temp = format!(".{name}{TMP_MARK}");
    let backup = format!("{name}.lanyard-backup-");
    let mut gone = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return gone };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let holds = || {
            read_optional(&e.path())
                .ok()
                .flatten()
                .is_some_and(|t| secrets.iter().any(|s| !s.is_empty() && t.contains(s)))
        };
        if (n.starts_with(&temp) || (n.starts_with(&backup) && holds())) && fs::remove_file(e.path()).is_ok() {
            gone.push(e.path());
        }
    }
    gone
}

/// Creates a new file, 0600, never through a symlink and never over an existing file, holding
/// `bytes` (a short-lived file nothing else writes, in a private directory: no lock, no rename).
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc_o_nofollow())
        .open(path)
        .map_err(|e| io_error("create", path, e))?;
    io::Write::write_all(&mut f, bytes).map_err(|e| io_error("write", path, e))
}

/// Removes the locked file; a missing file is fine.
pub fn remove(lock: &Lock) -> Result<()> {
    match fs::remove_file(lock.target()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("remove", lock.target(), e)),
    }
}

/// Copies the locked file to `FILE.lanyard-backup-<UTC timestamp>` (0600) and keeps the newest
/// five backups. Returns the backup's path, or `None` when there was no file to back up.
pub fn backup(lock: &Lock) -> Result<Option<PathBuf>> {
    let path = lock.target();
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("read", path, e)),
    };
    let dir = parent(path);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let prefix = format!("{}.lanyard-backup-", file_name(path));
    let backup = dir.join(format!("{prefix}{stamp}"));
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .custom_flags(libc_o_nofollow())
        .open(&backup)
        .map_err(|e| io_error("create the backup", &backup, e))?;
    f.set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| io_error("set the mode of", &backup, e))?;
    f.write_all(&bytes).and_then(|_| f.sync_all()).map_err(|e| io_error("write", &backup, e))?;
    let mut old: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io_error("list", dir, e))?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    old.sort();
    if old.len() > BACKUPS_KEPT {
        for p in &old[..old.len() - BACKUPS_KEPT] {
            let _ = fs::remove_file(p);
        }
    }
    Ok(Some(backup))
}

/// A string as one shell word, for commands printed in hints (they must work when pasted).
pub fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_is_0600_and_replaces() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("sub/dir/file");
        let lock = Lock::acquire(&p).unwrap();
        write_atomic(&lock, b"one").unwrap();
        write_atomic(&lock, b"two").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(fs::metadata(&p).unwrap().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(t.path().join("sub")).unwrap().mode() & 0o777, 0o700);
        let names: Vec<_> =
            fs::read_dir(p.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert!(!names.iter().any(|n| n.contains(TMP_MARK)), "{names:?}");
    }

    #[test]
    fn refuses_symlinks() {
        let t = tempfile::tempdir().unwrap();
        let real = t.path().join("real");
        fs::write(&real, "x").unwrap();
        let link = t.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let lock = Lock::acquire(&link).unwrap();
        let err = write_atomic(&lock, b"y").unwrap_err();
        assert_eq!(err.exit, crate::error::Exit::Storage);
        assert_eq!(fs::read_to_string(&real).unwrap(), "x");
    }

    #[test]
    fn keeps_five_backups() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("nix.conf");
        fs::write(&p, "a = b\n").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        let lock = Lock::acquire(&p).unwrap();
        for _ in 0..7 {
            let b = backup(&lock).unwrap().unwrap();
            assert_eq!(fs::metadata(&b).unwrap().mode() & 0o777, 0o600);
            std::thread::sleep(Duration::from_millis(2));
        }
        let n = fs::read_dir(t.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("lanyard-backup"))
            .count();
        assert_eq!(n, BACKUPS_KEPT);
    }
}
