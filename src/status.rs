//! The health of one credential: a pure function of the record, the time and (online) what the
//! server said. Rendering lives in `commands/status.rs`.

use chrono::{DateTime, Duration, Utc};

use crate::credential::{Freshness, Record, freshness};
use crate::error::Exit;
use crate::family::Checked;
use crate::store::Unreadable;

/// The state `status` reports (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Present, and the server accepted it (or it is provably unexpired offline).
    Valid,
    /// Past its expiry.
    Expired,
    /// The server refused it.
    Rejected,
    /// No credential for the target.
    Missing,
    /// The server could not be asked.
    Unverified,
    /// Usable, but expires within `--warn-within`.
    Expiring,
    /// Present; not checked (offline) and no expiry says otherwise.
    Unchecked,
}

impl State {
    /// The name in `--json` and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Valid => "valid",
            State::Expired => "expired",
            State::Rejected => "rejected",
            State::Missing => "missing",
            State::Unverified => "unverified",
            State::Expiring => "expiring",
            State::Unchecked => "unchecked",
        }
    }

    /// The exit code this state contributes (SPEC §2).
    pub fn exit(self) -> Exit {
        match self {
            State::Valid | State::Unchecked => Exit::Ok,
            State::Expired | State::Rejected => Exit::Rejected,
            State::Missing => Exit::NotLoggedIn,
            State::Unverified => Exit::Unverified,
            State::Expiring => Exit::Expiring,
        }
    }
}

/// What `status` knows beyond the record: what the server said, or why it was not asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Not asked (`--offline`, or the family is checked offline).
    NotAsked,
    /// The server was asked.
    Asked(Checked),
    /// The secret could not be read (keyring locked, unavailable, or its item gone): exit 7.
    NoSecret(Unreadable),
}

/// One problem and the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// The exact command that fixes it.
    pub fix: String,
}

/// A credential's evaluated health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The state.
    pub state: State,
    /// Problems, each with its fix.
    pub problems: Vec<Problem>,
    /// The exit code it contributes: the state's, or 7 when its secret cannot be read.
    pub exit: Exit,
}

impl Health {
    fn of(state: State, problems: Vec<Problem>) -> Health {
        Health { state, problems, exit: state.exit() }
    }
}

/// Evaluates a credential (or its absence) at `now`.
pub fn evaluate(
    key: &str,
    record: Option<&Record>,
    now: DateTime<Utc>,
    warn_within: Option<Duration>,
    probe: &Probe,
) -> Health {
    let login = format!("lanyard login {key}");
    let Some(r) = record else {
        return Health::of(State::Missing, vec![Problem { message: "not logged in".into(), fix: login }]);
    };
    if let Probe::NoSecret(why) = probe {
        let mut h =
            Health::of(State::Unchecked, vec![Problem { message: why.message().to_string(), fix: why.fix(&login) }]);
        h.exit = Exit::Storage;
        return h;
    }
    let refresh_or_login = if r.can_refresh() { format!("lanyard refresh {key}") } else { login.clone() };
    if let (Freshness::Stale(_), Some(exp)) = (freshness(r.expires_at, now, Duration::zero()), r.expires_at) {
        // Both facts, so a script writer knows what to gate on (issue 23, item 27): `token`
        // refreshes on its own, the files written for other tools wait for `refresh`.
        let message = if r.can_refresh() {
            format!(
                "the access token expired {}; `lanyard token {key}` refreshes it, other tools' files stay stale until `lanyard refresh {key}`",
                relative(exp, now)
            )
        } else {
            format!("the token expired {}", relative(exp, now))
        };
        return Health::of(State::Expired, vec![Problem { message, fix: refresh_or_login }]);
    }
    if let Probe::Asked(checked) = probe {
        let problem = match checked {
            Checked::Valid => None,
            Checked::Rejected { why } => Some((State::Rejected, Problem { message: why.clone(), fix: login.clone() })),
            Checked::Unreachable { why, timeout } => Some((State::Unverified, unreachable(key, why, *timeout))),
            Checked::Protocol { why } => Some((State::Unverified, unreachable(key, why, None))),
        };
        if let Some((state, problem)) = problem {
            let mut h = Health::of(state, vec![problem]);
            h.exit = Exit::from(checked);
            return h;
        }
    }
    if let (Some(within), Some(exp)) = (warn_within, r.expires_at)
        && freshness(Some(exp), now, within) != Freshness::Fresh
    {
        return Health::of(
            State::Expiring,
            vec![Problem { message: format!("the token expires {}", relative(exp, now)), fix: refresh_or_login }],
        );
    }
    let state = if *probe == Probe::Asked(Checked::Valid) { State::Valid } else { State::Unchecked };
    Health::of(state, Vec::new())
}

/// A server that could not be asked. Nothing lanyard runs helps a server that is down, and
/// re-running `status` with a longer timeout changes nothing lasting (SPEC §7): the fix says what
/// to check, and how long it waited when a timeout ran out.
fn unreachable(key: &str, why: &str, timeout: Option<u64>) -> Problem {
    let slow = match timeout {
        Some(s) => format!(
            "it gave no answer within {s} s; if it is only slow, give the command that needs it a longer `--timeout`"
        ),
        None => "a slow server: give the command that needs it a longer `--timeout`".to_string(),
    };
    Problem {
        message: why.to_string(),
        fix: format!("check that {key} is up and reachable from here ({slow}); the credential is kept"),
    }
}

/// "in 3h 5m" / "2d 4h ago".
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let d = t - now;
    let (secs, future) = if d.num_seconds() >= 0 { (d.num_seconds(), true) } else { (-d.num_seconds(), false) };
    let text = if secs >= 86_400 {
        format!("{}d {}h", secs / 86_400, secs % 86_400 / 3600)
    } else if secs >= 3600 {
        format!("{}h {}m", secs / 3600, secs % 3600 / 60)
    } else if secs >= 60 {
        format!("{}m {}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    };
    if future { format!("in {text}") } else { format!("{text} ago") }
}

/// Parses `--warn-within` / `--min-valid`: `90s`, `15m`, `2h`, `7d`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().map_err(|_| format!("`{s}` is not a duration like 90s, 15m, 2h or 7d"))?;
    let unit = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{s}` is not a duration like 90s, 15m, 2h or 7d")),
    };
    // Out of range is a usage error (exit 2), never an overflow: at most 100 years.
    n.checked_mul(unit)
        .filter(|secs| *secs <= 100 * 365 * 86_400)
        .and_then(Duration::try_seconds)
        .ok_or_else(|| format!("`{s}` is longer than 100 years"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::TokenKind;
    use crate::provider::Site;

    fn cred(exp: Option<DateTime<Utc>>, refresh: bool) -> Record {
        let mut r = crate::family::gitea_record(&Site::parse("h.example").unwrap(), TokenKind::Pat, Utc::now());
        r.expires_at = exp;
        r.refreshable = refresh;
        r.token_endpoint = refresh.then(|| "https://h.example/token".to_string());
        r
    }

    #[test]
    fn states() {
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let hour = Duration::hours(1);
        let e = |c: Option<&Record>, w, p: &Probe| evaluate("h", c, now, w, p).state;
        assert_eq!(e(None, None, &Probe::NotAsked), State::Missing);
        assert_eq!(e(Some(&cred(None, false)), None, &Probe::NotAsked), State::Unchecked);
        assert_eq!(e(Some(&cred(None, false)), None, &Probe::Asked(Checked::Valid)), State::Valid);
        let past = cred(Some(now - hour), true);
        let h = evaluate("h", Some(&past), now, None, &Probe::Asked(Checked::Valid));
        assert_eq!(h.state, State::Expired);
        assert_eq!(h.problems[0].fix, "lanyard refresh h");
        let soon = cred(Some(now + hour), false);
        assert_eq!(e(Some(&soon), Some(Duration::hours(2)), &Probe::Asked(Checked::Valid)), State::Expiring);
        assert_eq!(e(Some(&soon), None, &Probe::Asked(Checked::Valid)), State::Valid);
        assert_eq!(e(Some(&soon), None, &Probe::Asked(Checked::Rejected { why: "x".into() })), State::Rejected);
        assert_eq!(
            e(Some(&soon), None, &Probe::Asked(Checked::Unreachable { why: "x".into(), timeout: Some(10) })),
            State::Unverified
        );
        let slow = Probe::Asked(Checked::Unreachable { why: "x".into(), timeout: Some(10) });
        let slow = evaluate("h", Some(&soon), now, None, &slow);
        assert!(slow.problems[0].fix.contains("no answer within 10 s") && slow.exit == Exit::Unverified, "{slow:?}");
        let locked = Probe::NoSecret(Unreadable::Locked(crate::error::Error::storage("locked")));
        let locked = evaluate("h", Some(&soon), now, None, &locked);
        assert_eq!((locked.state, locked.exit), (State::Unchecked, Exit::Storage));
        assert!(locked.problems[0].fix.starts_with("unlock the OS keyring"), "{:?}", locked.problems);
        let gone = evaluate("h", Some(&soon), now, None, &Probe::NoSecret(Unreadable::Gone("no token".into())));
        assert_eq!((gone.exit, gone.problems[0].fix.as_str()), (Exit::Storage, "lanyard login h --force"));
        assert_eq!(e(Some(&soon), Some(hour + Duration::seconds(1)), &Probe::Asked(Checked::Valid)), State::Expiring);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90").unwrap(), Duration::seconds(90));
        assert_eq!(parse_duration("2h").unwrap(), Duration::hours(2));
        assert_eq!(parse_duration("7d").unwrap(), Duration::days(7));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("9223372036854775807d").is_err());
        assert!(parse_duration("99999999999999999999").is_err());
        let now = Utc::now();
        assert!(relative(now + Duration::minutes(90), now).starts_with("in 1h 30m"));
        assert_eq!(relative(now - Duration::days(2), now), "2d 0h ago");
    }
}
