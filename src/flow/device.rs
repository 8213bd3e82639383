//! The RFC 8628 device-flow poll as a pure state machine, with the clock, the sleep and the HTTP
//! call injected, so tests step through it without sleeping.
//!
//! - poll no faster than `interval` (default 5 s, §3.2); `authorization_pending` keeps it;
//! - `slow_down` adds 5 s, cumulatively (§3.5);
//! - `access_denied` and `expired_token` end the flow; so does the `expires_in` deadline;
//! - network errors back off exponentially and retry until the deadline (§3.5);
//! - the first token ends the flow: no second redemption.

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, Exit, Result};

/// What one poll of the token endpoint gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    /// `authorization_pending`.
    Pending,
    /// `slow_down` (GitHub also sends a new `interval`).
    SlowDown(Option<u64>),
    /// `access_denied`.
    Denied,
    /// `expired_token`.
    Expired,
    /// The token response.
    Token(T),
    /// A network error or 5xx: try again later.
    Transient(String),
    /// Any other error: stop.
    Fatal(Error),
}

impl<T> Poll<T> {
    fn label(&self) -> &'static str {
        match self {
            Poll::Pending => "authorization_pending",
            Poll::SlowDown(_) => "slow_down",
            Poll::Denied => "access_denied",
            Poll::Expired => "expired_token",
            Poll::Token(_) => "token",
            Poll::Transient(_) => "network error",
            Poll::Fatal(_) => "error",
        }
    }
}

/// What the state machine says to do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next<T> {
    /// Wait this long, then poll.
    Wait(Duration),
    /// Done: the token.
    Done(T),
    /// Stop with this error.
    Fail(Error),
}

/// The poll state: the interval, the back-off and the deadline, all as durations since start.
#[derive(Debug, Clone)]
pub struct Poller {
    interval: Duration,
    backoff: Option<Duration>,
    deadline: Duration,
}

/// The longest back-off after network errors.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The longest a flow waits and the slowest interval it accepts, whatever a server says: real
/// servers give 5 s and 5–30 minutes; larger values would only make lanyard hang.
const MAX_WAIT_SECS: u64 = 3600;

impl Poller {
    /// Starts with the server's `interval` (default 5 s) and `expires_in`.
    pub fn new(interval: Option<u64>, expires_in: u64) -> Poller {
        Poller {
            interval: Duration::from_secs(interval.unwrap_or(5).clamp(1, MAX_WAIT_SECS)),
            backoff: None,
            deadline: Duration::from_secs(expires_in.min(MAX_WAIT_SECS)),
        }
    }

    /// The current polling interval.
    #[cfg(test)]
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// How long to wait before the first poll.
    pub fn first(&self, now: Duration) -> Next<()> {
        self.wait(now)
    }

    fn wait<T>(&self, now: Duration) -> Next<T> {
        let wait = self.backoff.unwrap_or(self.interval);
        if now.saturating_add(wait) > self.deadline {
            return Next::Fail(timed_out());
        }
        Next::Wait(wait)
    }

    /// The transition after a poll at time `now`.
    pub fn step<T>(&mut self, outcome: Poll<T>, now: Duration) -> Next<T> {
        match outcome {
            Poll::Token(t) => Next::Done(t),
            Poll::Denied => {
                Next::Fail(Error::failure("authorization denied").hint("run the login again and approve it"))
            }
            Poll::Expired => Next::Fail(timed_out()),
            Poll::Fatal(e) => Next::Fail(e),
            Poll::Pending => {
                self.backoff = None;
                self.wait(now)
            }
            Poll::SlowDown(new) => {
                self.backoff = None;
                // RFC 8628 §3.5: add 5 s to this and all later requests; GitHub names the new
                // interval itself — take whichever is slower.
                let bumped = self.interval + Duration::from_secs(5);
                let named = new.map(|n| Duration::from_secs(n.min(MAX_WAIT_SECS)));
                self.interval = named.map_or(bumped, |n| n.max(bumped)).min(Duration::from_secs(MAX_WAIT_SECS));
                self.wait(now)
            }
            Poll::Transient(_) => {
                let next = self.backoff.map_or(self.interval * 2, |b| b * 2).min(MAX_BACKOFF).max(self.interval);
                self.backoff = Some(next);
                self.wait(now)
            }
        }
    }
}

fn timed_out() -> Error {
    Error::failure("authorization timed out: the code expired before it was approved")
        .hint("run the login again and approve it sooner")
}

/// The clock and sleep of the poll loop.
pub trait Clock {
    /// Time since the flow started.
    fn elapsed(&self) -> Duration;
    /// Sleeps (or, in tests, advances the clock).
    fn sleep(&self, d: Duration) -> impl Future<Output = ()>;
}

/// The real clock.
pub struct RealClock(pub std::time::Instant);

impl Clock for RealClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
    async fn sleep(&self, d: Duration) {
        tokio::time::sleep(d).await
    }
}

/// Runs the poll loop: wait, poll, step, until a token, a failure or the deadline.
pub async fn run<T, C, F, Fut>(clock: &C, mut poller: Poller, mut poll: F) -> Result<T>
where
    C: Clock,
    F: FnMut() -> Fut,
    Fut: Future<Output = Poll<T>>,
{
    let mut next: Next<T> = match poller.first(clock.elapsed()) {
        Next::Wait(d) => Next::Wait(d),
        Next::Fail(e) => Next::Fail(e),
        Next::Done(()) => unreachable!("first never finishes"),
    };
    loop {
        match next {
            Next::Done(t) => return Ok(t),
            Next::Fail(e) => return Err(e),
            Next::Wait(d) => {
                clock.sleep(d).await;
                let outcome = poll().await;
                crate::diag::debug(&format!("device flow poll: {}", outcome.label()));
                next = poller.step(outcome, clock.elapsed());
            }
        }
    }
}

/// The error for Ctrl-C during a flow.
pub fn interrupted() -> Error {
    Error::new(Exit::Interrupted, "interrupted; nothing was written")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    struct FakeClock(Cell<Duration>);
    impl Clock for FakeClock {
        fn elapsed(&self) -> Duration {
            self.0.get()
        }
        async fn sleep(&self, d: Duration) {
            self.0.set(self.0.get() + d);
        }
    }

    fn drive(script: Vec<Poll<&'static str>>, interval: Option<u64>, expires: u64) -> (Result<&'static str>, Vec<u64>) {
        let clock = FakeClock(Cell::new(Duration::ZERO));
        let polls = RefCell::new(Vec::new());
        let script = RefCell::new(script.into_iter());
        let fut = run(&clock, Poller::new(interval, expires), || {
            polls.borrow_mut().push(clock.elapsed().as_secs());
            let next = script.borrow_mut().next().unwrap_or(Poll::Pending);
            async move { next }
        });
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let r = rt.block_on(fut);
        (r, polls.into_inner())
    }

    #[test]
    fn hostile_numbers_are_capped_not_overflowed() {
        let mut p = Poller::new(Some(u64::MAX), u64::MAX);
        assert_eq!(p.interval(), Duration::from_secs(3600));
        assert!(matches!(p.step::<()>(Poll::SlowDown(Some(u64::MAX)), Duration::ZERO), Next::Wait(_)));
        assert_eq!(p.interval(), Duration::from_secs(3600));
        // An hour of "pending" ends the flow, whatever `expires_in` said.
        assert!(matches!(p.step::<()>(Poll::Pending, Duration::from_secs(1)), Next::Fail(_)));
    }

    #[test]
    fn pending_keeps_the_interval_and_token_stops() {
        let (r, polls) = drive(vec![Poll::Pending, Poll::Pending, Poll::Token("t")], None, 900);
        assert_eq!(r.unwrap(), "t");
        assert_eq!(polls, vec![5, 10, 15]);
    }

    #[test]
    fn slow_down_adds_five_seconds_cumulatively() {
        let (r, polls) =
            drive(vec![Poll::SlowDown(None), Poll::SlowDown(None), Poll::Pending, Poll::Token("t")], Some(2), 900);
        assert_eq!(r.unwrap(), "t");
        assert_eq!(polls, vec![2, 9, 21, 33]);
        // GitHub's own interval wins when it is slower.
        let (_, polls) = drive(vec![Poll::SlowDown(Some(20)), Poll::Token("t")], Some(5), 900);
        assert_eq!(polls, vec![5, 25]);
    }

    #[test]
    fn denial_and_expiry_fail() {
        let (r, _) = drive(vec![Poll::Pending, Poll::Denied], None, 900);
        assert!(r.unwrap_err().message.contains("denied"));
        let (r, _) = drive(vec![Poll::Expired], None, 900);
        assert!(r.unwrap_err().message.contains("timed out"));
        let (r, polls) = drive(vec![], Some(5), 17);
        assert!(r.unwrap_err().message.contains("timed out"));
        assert_eq!(polls, vec![5, 10, 15]);
    }

    #[test]
    fn network_errors_back_off_then_recover() {
        let t = || Poll::Transient("down".into());
        let (r, polls) = drive(vec![t(), t(), t(), Poll::Pending, Poll::Token("x")], Some(5), 900);
        assert_eq!(r.unwrap(), "x");
        // 5, then back-off 10, 20, 40, then the interval again.
        assert_eq!(polls, vec![5, 15, 35, 75, 80]);
        let (r, _) = drive(vec![Poll::Fatal(Error::failure("bad client"))], None, 900);
        assert_eq!(r.unwrap_err().message, "bad client");
    }
}
