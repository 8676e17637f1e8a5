//! The `exec` supervisor: one child, started with the current key, stopped gracefully and started
//! again when the key rotates (systemctl-style `start` / `stop` / `restart`; style.md item 8).
//!
//! Shape: a current-thread tokio runtime owns all state and reacts to events (signals, SIGCHLD,
//! output scanners, fetch results, timers). KMS fetches run on one helper thread (the fetch code
//! builds its own runtime). Each child's stdout/stderr are copied byte for byte by two plain
//! threads that also look for the invalid-key codes. Children are reaped with `waitpid(-1)`, so
//! as PID 1 (a container entrypoint) orphans are reaped too.
//!
//! Terminal handling: when stdin is a terminal and we are its foreground process group, the child
//! stays in our group (so it can read the terminal) and INT/QUIT/TSTP/WINCH/CONT, which the
//! terminal driver already delivers to the whole group, are not forwarded; TSTP is left at its
//! default so Ctrl-Z stops us with the child. Otherwise the child gets its own process group and
//! every forwarded signal goes to that group, grandchildren included.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;
use tokio::time::sleep_until;

use super::{server, unsets, values, VarSpec, SERVER_SWITCHES};
use crate::cli::{GlobalArgs, RestartPolicy};
use crate::error::{Error, Result};
use crate::kms::SecretRequest;
use crate::secret::{mask_id, RamSecret};

/// Reactive fetches (invalid-key code seen) at most this often per secret.
const REACTIVE_GAP: Duration = Duration::from_secs(10);
/// After a proactive check sees a new key, wait this long (at most) so close changes give one restart.
const DEBOUNCE: Duration = Duration::from_secs(2);
/// After the child exits, wait at most this long for the rest of its output.
const DRAIN: Duration = Duration::from_secs(2);
const ESSENTIALS: &[&str] = &["PATH", "HOME", "USER", "LANG", "TERM", "TZ"];

#[derive(Debug)]
pub struct Options {
    pub command: Vec<OsString>,
    pub specs: Vec<VarSpec>,
    pub pristine: bool,
    pub check_interval: Duration,
    pub stop_signal: i32,
    pub stop_timeout: Duration,
    pub codes: Vec<String>,
    pub max_restarts: u32,
    pub restart_window: Duration,
    pub restart: RestartPolicy,
    pub credentials_server: bool,
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FetchKind {
    Check,
    Reactive,
}

enum Ev {
    Signal(i32),
    Chld,
    Code { gen: u64, code: String },
    ReaderDone { gen: u64 },
    Fetched(FetchKind, Box<std::result::Result<RamSecret, String>>),
}

struct Child {
    gen: u64,
    pid: i32,
    key_id: String,
    saw_code: bool,
    stopping: bool,
    readers: u8,
    exit: Option<i32>,
}

struct Sup {
    o: Options,
    tty: bool,
    tx: mpsc::UnboundedSender<Ev>,
    jobs: std::sync::mpsc::Sender<FetchKind>,
    in_flight: bool,
    current: RamSecret,
    child: Option<Child>,
    gen: u64,
    restarts: VecDeque<Instant>,
    exhausted_for: Option<String>,
    shutdown: Option<Instant>,
    restart_at: Option<(Instant, String)>,
    kill_at: Option<Instant>,
    drain_until: Option<Instant>,
    pending_launch: Option<String>,
    last_reactive: Option<Instant>,
    next_check: Instant,
    server: Option<(server::Shared, String)>,
    done: Option<i32>,
}

pub fn run(g: &GlobalArgs, req: SecretRequest, first: RamSecret, o: Options) -> Result<i32> {
    let (tx, rx) = mpsc::unbounded_channel::<Ev>();
    let (jobs_tx, jobs_rx) = std::sync::mpsc::channel::<FetchKind>();
    std::thread::scope(|s| {
        let ftx = tx.clone();
        let req = &req;
        s.spawn(move || {
            for kind in jobs_rx {
                if kind == FetchKind::Reactive {
                    crate::cache::invalidate(g, req);
                }
                let r = crate::cache::refetch(g, req, crate::app::fetch_from_kms)
                    .map_err(|e| e.to_string());
                if ftx.send(Ev::Fetched(kind, Box::new(r))).is_err() {
                    break;
                }
            }
        });
        let rt = crate::app::runtime()?;
        let tty = unsafe { libc::isatty(0) == 1 && libc::tcgetpgrp(0) == libc::getpgrp() };
        let sup = Sup {
            tty,
            tx,
            jobs: jobs_tx,
            in_flight: false,
            current: first,
            child: None,
            gen: 0,
            restarts: VecDeque::new(),
            exhausted_for: None,
            shutdown: None,
            restart_at: None,
            kill_at: None,
            drain_until: None,
            pending_launch: None,
            last_reactive: None,
            next_check: Instant::now(),
            server: None,
            done: None,
            o,
        };
        let (code, in_flight) = rt.block_on(sup.main(rx))?;
        if in_flight {
            // The helper thread may sit in a KMS call for up to --timeout; do not wait for it.
            let _ = std::io::stdout().flush();
            std::process::exit(code);
        }
        Ok(code)
    })
}

fn status_code(status: libc::c_int) -> i32 {
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else if libc::WIFSIGNALED(status) {
        128 + libc::WTERMSIG(status)
    } else {
        1
    }
}

pub fn signal_name(sig: i32) -> String {
    match super::SIGNALS.iter().find(|(_, n)| *n == sig) {
        Some((name, _)) => format!("SIG{name}"),
        None => format!("signal {sig}"),
    }
}

fn jittered(d: Duration) -> Duration {
    d.mul_f64(0.9 + 0.2 * crate::kms::random_unit())
}

impl Sup {
    fn say(&self, msg: impl AsRef<str>) {
        if !self.o.quiet {
            eprintln!("ramsecret: {}", msg.as_ref());
        }
    }

    fn cmd_name(&self) -> String {
        self.o.command[0].to_string_lossy().into_owned()
    }

    /// Proactive checks and reactive fetches only matter when a new key can reach the child.
    fn watching(&self) -> bool {
        self.o.restart == RestartPolicy::OnRotation || self.server.is_some()
    }

    async fn main(mut self, mut rx: mpsc::UnboundedReceiver<Ev>) -> Result<(i32, bool)> {
        let sig_err = |e| Error::io("cannot install signal handlers", e);
        let mut forwarded = vec![
            libc::SIGINT,
            libc::SIGTERM,
            libc::SIGHUP,
            libc::SIGQUIT,
            libc::SIGUSR1,
            libc::SIGUSR2,
        ];
        if !self.tty {
            forwarded.extend([libc::SIGWINCH, libc::SIGCONT, libc::SIGTSTP]);
        }
        for sig in forwarded {
            let mut stream = signal(SignalKind::from_raw(sig)).map_err(sig_err)?;
            let tx = self.tx.clone();
            tokio::spawn(async move {
                while stream.recv().await.is_some() {
                    if tx.send(Ev::Signal(sig)).is_err() {
                        break;
                    }
                }
            });
        }
        let mut chld = signal(SignalKind::child()).map_err(sig_err)?;
        let tx = self.tx.clone();
        tokio::spawn(async move {
            while chld.recv().await.is_some() {
                if tx.send(Ev::Chld).is_err() {
                    break;
                }
            }
        });
        if self.o.credentials_server {
            let state = Arc::new(Mutex::new(server::Current {
                secret: self.current.clone(),
                expiration_unix: crate::credentials::now_unix(),
            }));
            let uri = server::start(state.clone())
                .await
                .map_err(|e| Error::io("cannot start the credentials server on 127.0.0.1", e))?;
            self.server = Some((state, uri));
        }
        self.schedule_next_check();
        if let Err(code) = self.launch("start") {
            return Ok((code, false));
        }
        let far = || Instant::now() + Duration::from_secs(86400 * 365);
        loop {
            if let Some(code) = self.done {
                return Ok((code, self.in_flight));
            }
            let check_due = !self.in_flight
                && self.watching()
                && self.shutdown.is_none()
                && self
                    .child
                    .as_ref()
                    .is_some_and(|c| c.exit.is_none() && !c.stopping);
            let next_check = self.next_check;
            let restart_at = self.restart_at.as_ref().map(|r| r.0);
            let kill_at = self.kill_at;
            let drain_until = self.drain_until;
            tokio::select! {
                ev = rx.recv() => match ev {
                    Some(ev) => self.handle(ev),
                    None => return Ok((1, self.in_flight)),
                },
                _ = sleep_until(next_check.into()), if check_due => self.request_fetch(FetchKind::Check),
                _ = sleep_until(restart_at.unwrap_or_else(far).into()), if restart_at.is_some() => self.begin_restart(),
                _ = sleep_until(kill_at.unwrap_or_else(far).into()), if kill_at.is_some() => {
                    self.kill_at = None;
                    if self.child.as_ref().is_some_and(|c| c.exit.is_none()) {
                        self.say(format!("{} did not stop within {}; sending SIGKILL", self.cmd_name(), humantime::format_duration(self.o.stop_timeout)));
                        self.signal_child(libc::SIGKILL);
                    }
                }
                _ = sleep_until(drain_until.unwrap_or_else(far).into()), if drain_until.is_some() => {
                    self.drain_until = None;
                    self.check_drained(true);
                }
            }
        }
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Signal(sig) => self.on_signal(sig),
            Ev::Chld => self.reap(),
            Ev::Code { gen, code } => self.on_code(gen, code),
            Ev::ReaderDone { gen } => {
                if let Some(c) = self.child.as_mut().filter(|c| c.gen == gen) {
                    c.readers = c.readers.saturating_sub(1);
                }
                self.check_drained(false);
            }
            Ev::Fetched(kind, r) => self.on_fetched(kind, *r),
        }
    }

    fn schedule_next_check(&mut self) {
        let now = crate::credentials::now_unix();
        let mut d = jittered(self.o.check_interval);
        if let Some(at) = self.current.rotation_check_unix(crate::kms::random_unit()) {
            if at > now {
                d = d.min(Duration::from_secs((at - now) as u64));
            }
        }
        self.next_check = Instant::now() + d;
        if let Some((state, _)) = &self.server {
            let mut cur = state.lock().unwrap_or_else(|p| p.into_inner());
            cur.secret = self.current.clone();
            cur.expiration_unix = now + d.as_secs().max(1) as i64;
        }
    }

    fn request_fetch(&mut self, kind: FetchKind) {
        if self.in_flight {
            return;
        }
        if self.jobs.send(kind).is_ok() {
            self.in_flight = true;
        }
        // Do not fire again before the result is in.
        self.next_check = Instant::now() + self.o.check_interval;
    }

    fn reactive_allowed(&mut self) -> bool {
        if self
            .last_reactive
            .is_some_and(|t| t.elapsed() < REACTIVE_GAP)
        {
            return false;
        }
        self.last_reactive = Some(Instant::now());
        true
    }

    fn budget_take(&mut self) -> bool {
        let now = Instant::now();
        while self
            .restarts
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.o.restart_window)
        {
            self.restarts.pop_front();
        }
        if self.restarts.len() >= self.o.max_restarts as usize {
            return false;
        }
        self.restarts.push_back(now);
        true
    }

    fn budget_text(&self) -> String {
        format!(
            "{} restarts within {}",
            self.o.max_restarts,
            humantime::format_duration(self.o.restart_window)
        )
    }

    fn child_env(&self) -> Vec<(OsString, OsString)> {
        let s = &self.current;
        let mut set: Vec<(String, String)> = values(&self.o.specs, s)
            .into_iter()
            .map(|v| (v.name, v.value))
            .collect();
        set.push(("RAMSECRET_SECRET_NAME".into(), s.secret_name.clone()));
        set.push(("RAMSECRET_SECRET_VERSION".into(), s.version_id.clone()));
        if let Some((_, uri)) = &self.server {
            set.push(("ALIBABA_CLOUD_CREDENTIALS_URI".into(), uri.clone()));
            for (k, v) in SERVER_SWITCHES {
                set.push((k.to_string(), v.to_string()));
            }
        }
        let names: Vec<&str> = set.iter().map(|(k, _)| k.as_str()).collect();
        let drop = unsets(&self.o.specs, &names);
        let mut env: Vec<(OsString, OsString)> = std::env::vars_os()
            .filter(|(k, _)| {
                let k = k.to_string_lossy();
                (!self.o.pristine || ESSENTIALS.contains(&k.as_ref()))
                    && !drop.iter().any(|d| *d == k)
                    && !names.contains(&k.as_ref())
            })
            .collect();
        env.extend(
            set.into_iter()
                .map(|(k, v)| (OsString::from(k), OsString::from(v))),
        );
        env
    }

    /// Start the command with the current key. `Err(exit code)` when it cannot be started.
    fn launch(&mut self, why: &str) -> std::result::Result<(), i32> {
        let mut cmd = std::process::Command::new(&self.o.command[0]);
        cmd.args(&self.o.command[1..])
            .env_clear()
            .envs(self.child_env())
            .stdin(Stdio::inherit())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !self.tty {
            // SAFETY: setpgid is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    if libc::setpgid(0, 0) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                let code = if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                eprintln!("ramsecret: error: cannot run {}: {e}", self.cmd_name());
                self.done = Some(code);
                return Err(code);
            }
        };
        self.gen += 1;
        let gen = self.gen;
        let pid = child.id() as i32;
        let codes: Arc<Vec<String>> = Arc::new(self.o.codes.clone());
        let mut readers = 0;
        if let Some(out) = child.stdout.take() {
            readers += 1;
            let (tx, codes) = (self.tx.clone(), codes.clone());
            std::thread::spawn(move || pump(out, false, &codes, &tx, gen));
        }
        if let Some(err) = child.stderr.take() {
            readers += 1;
            let tx = self.tx.clone();
            std::thread::spawn(move || pump(err, true, &codes, &tx, gen));
        }
        // Reaped by waitpid in `reap`, not through `std::process::Child`.
        drop(child);
        self.child = Some(Child {
            gen,
            pid,
            key_id: self.current.access_key_id.clone(),
            saw_code: false,
            stopping: false,
            readers,
            exit: None,
        });
        let verb = if why == "start" {
            "started"
        } else {
            "restarted"
        };
        self.say(format!(
            "{verb} {} (pid {pid}) with AccessKeyId {}, version {}",
            self.cmd_name(),
            self.current.masked_id(),
            self.current.version_id
        ));
        Ok(())
    }

    fn signal_child(&self, sig: i32) {
        if let Some(c) = self.child.as_ref().filter(|c| c.exit.is_none()) {
            let target = if self.tty { c.pid } else { -c.pid };
            // SAFETY: plain syscall.
            unsafe { libc::kill(target, sig) };
        }
    }

    fn on_signal(&mut self, sig: i32) {
        if sig == libc::SIGINT || sig == libc::SIGTERM {
            if let Some(t) = self.shutdown {
                if t.elapsed() < self.o.stop_timeout {
                    self.say(format!(
                        "second SIGINT/SIGTERM within {}: sending SIGKILL to {}",
                        humantime::format_duration(self.o.stop_timeout),
                        self.cmd_name()
                    ));
                    self.signal_child(libc::SIGKILL);
                    return;
                }
            }
            self.shutdown = Some(Instant::now());
            self.restart_at = None;
            self.pending_launch = None;
            match self.child.as_ref().map(|c| c.exit) {
                // Exited, output still draining: its status is ours, not the signal's.
                Some(Some(code)) => {
                    self.done = Some(code);
                    return;
                }
                // Between two runs: nothing to stop.
                None => {
                    self.done = Some(128 + sig);
                    return;
                }
                Some(None) => {}
            }
        }
        // On a terminal these reach the child from the terminal driver already.
        if self.tty && (sig == libc::SIGINT || sig == libc::SIGQUIT) {
            return;
        }
        self.signal_child(sig);
    }

    fn reap(&mut self) {
        loop {
            let mut status: libc::c_int = 0;
            // SAFETY: plain syscall. Reaps every child, orphans included when we are PID 1.
            let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
            if pid <= 0 {
                return;
            }
            if let Some(c) = self
                .child
                .as_mut()
                .filter(|c| c.pid == pid && c.exit.is_none())
            {
                c.exit = Some(status_code(status));
                self.kill_at = None;
                self.drain_until = Some(Instant::now() + DRAIN);
                self.check_drained(false);
            }
        }
    }

    fn on_code(&mut self, gen: u64, code: String) {
        let Some(c) = self.child.as_mut().filter(|c| c.gen == gen) else {
            return;
        };
        let first = !c.saw_code;
        c.saw_code = true;
        if self.shutdown.is_some() || !self.watching() {
            return;
        }
        if self.reactive_allowed() {
            self.say(format!(
                "{} reported {code}; checking KMS for a new AccessKey now",
                self.cmd_name()
            ));
            self.request_fetch(FetchKind::Reactive);
        } else if first {
            tracing::debug!("invalid-key code seen again; reactive fetch rate-limited");
        }
    }

    fn on_fetched(&mut self, kind: FetchKind, r: std::result::Result<RamSecret, String>) {
        self.in_flight = false;
        match r {
            Ok(s) => {
                if s.access_key_id != self.current.access_key_id {
                    self.say(format!(
                        "rotation seen: AccessKeyId {} -> {} (version {} -> {})",
                        self.current.masked_id(),
                        s.masked_id(),
                        self.current.version_id,
                        s.version_id
                    ));
                }
                self.current = s;
            }
            Err(e) => self.say(format!(
                "could not check the secret in KMS (keeping the current key): {e}"
            )),
        }
        self.schedule_next_check();
        if let Some(why) = self.pending_launch.take() {
            if self.child.is_none() && self.shutdown.is_none() {
                let _ = self.launch(&why);
            }
            return;
        }
        let Some(c) = self.running_child() else {
            return;
        };
        if self.o.restart != RestartPolicy::OnRotation
            || self.shutdown.is_some()
            || self.restart_at.is_some()
            || c.key_id == self.current.access_key_id
        {
            return;
        }
        let (delay, why) = match kind {
            FetchKind::Check => (
                DEBOUNCE.min(self.o.check_interval),
                format!(
                    "the AccessKey rotated ({} -> {})",
                    mask_id(&c.key_id),
                    self.current.masked_id()
                ),
            ),
            FetchKind::Reactive => (
                Duration::ZERO,
                format!(
                    "the command reported an invalid AccessKey and KMS has a new one ({} -> {})",
                    mask_id(&c.key_id),
                    self.current.masked_id()
                ),
            ),
        };
        self.restart_at = Some((Instant::now() + delay, why));
    }

    /// The child, unless it has exited or is being stopped.
    fn running_child(&self) -> Option<&Child> {
        self.child
            .as_ref()
            .filter(|c| c.exit.is_none() && !c.stopping)
    }

    fn begin_restart(&mut self) {
        let Some((_, why)) = self.restart_at.take() else {
            return;
        };
        let Some(c) = self.running_child() else {
            return;
        };
        if c.key_id == self.current.access_key_id || self.shutdown.is_some() {
            return;
        }
        let (pid, old_id) = (c.pid, c.key_id.clone());
        if !self.budget_take() {
            if self.exhausted_for.as_deref() != Some(self.current.access_key_id.as_str()) {
                self.exhausted_for = Some(self.current.access_key_id.clone());
                self.say(format!(
                    "not restarting {} although {why}: restart budget exhausted ({}); it keeps running with AccessKeyId {}",
                    self.cmd_name(),
                    self.budget_text(),
                    mask_id(&old_id)
                ));
            }
            return;
        }
        self.say(format!(
            "restarting {} (pid {pid}): {why}; sending {}, SIGKILL after {}",
            self.cmd_name(),
            signal_name(self.o.stop_signal),
            humantime::format_duration(self.o.stop_timeout)
        ));
        if let Some(c) = self.child.as_mut() {
            c.stopping = true;
        }
        self.signal_child(self.o.stop_signal);
        self.kill_at = Some(Instant::now() + self.o.stop_timeout);
    }

    /// The child has exited; once its output is drained (or `force`), decide what comes next.
    fn check_drained(&mut self, force: bool) {
        let ready = self
            .child
            .as_ref()
            .is_some_and(|c| c.exit.is_some() && (c.readers == 0 || force));
        if !ready {
            return;
        }
        let c = self.child.take().expect("checked above");
        self.drain_until = None;
        let code = c.exit.unwrap_or(1);
        if self.shutdown.is_some() {
            self.done = Some(code);
        } else if c.stopping {
            let _ = self.launch("restart");
        } else if c.saw_code && code != 0 && self.o.restart == RestartPolicy::OnRotation {
            if !self.budget_take() {
                self.say(format!("{} exited with status {code} after reporting an invalid AccessKey; restart budget exhausted ({}), so ramsecret exits with its status", self.cmd_name(), self.budget_text()));
                self.done = Some(code);
                return;
            }
            self.say(format!("{} exited with status {code} after reporting an invalid AccessKey; fetching the secret and starting it again", self.cmd_name()));
            let why = "relaunch after an invalid AccessKey".to_string();
            if self.in_flight {
                self.pending_launch = Some(why);
            } else if self.reactive_allowed() {
                self.pending_launch = Some(why);
                self.request_fetch(FetchKind::Reactive);
            } else {
                let _ = self.launch(&why);
            }
        } else {
            self.done = Some(code);
        }
    }
}

/// Copy one output stream of the child unchanged, and report invalid-key codes, including one
/// split across two reads.
fn pump(
    mut src: impl Read,
    to_stderr: bool,
    codes: &[String],
    tx: &mpsc::UnboundedSender<Ev>,
    gen: u64,
) {
    let max = codes.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut carry: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let written = if to_stderr {
            let mut e = std::io::stderr().lock();
            e.write_all(&buf[..n]).and_then(|_| e.flush())
        } else {
            let mut o = std::io::stdout().lock();
            o.write_all(&buf[..n]).and_then(|_| o.flush())
        };
        if written.is_err() {
            // Our reader went away (`exec … | head -1`): close the pipe so the child sees
            // EPIPE/SIGPIPE too, as it would without us in between.
            break;
        }
        if max > 0 {
            let old = carry.len();
            carry.extend_from_slice(&buf[..n]);
            if let Some(code) = find_code(&carry, old, codes) {
                let _ = tx.send(Ev::Code {
                    gen,
                    code: code.to_string(),
                });
            }
            let keep = carry.len().min(max - 1);
            carry.drain(..carry.len() - keep);
        }
    }
    let _ = tx.send(Ev::ReaderDone { gen });
}

/// The longest code that occurs in `window` ending after byte `old` (earlier ones were reported).
fn find_code<'a>(window: &[u8], old: usize, codes: &'a [String]) -> Option<&'a str> {
    let mut best: Option<&str> = None;
    for c in codes {
        let c_bytes = c.as_bytes();
        if c_bytes.is_empty() || c_bytes.len() > window.len() {
            continue;
        }
        let hit = window
            .windows(c_bytes.len())
            .enumerate()
            .any(|(i, w)| w == c_bytes && i + c_bytes.len() > old);
        if hit && best.is_none_or(|b| b.len() < c.len()) {
            best = Some(c);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_split_across_reads_still_match_once() {
        let codes = vec![
            "InvalidAccessKeyId".to_string(),
            "InvalidAccessKeyId.NotFound".to_string(),
        ];
        let (tx, mut rx) = mpsc::unbounded_channel();
        let data: Vec<u8> = b"\xff\x00binary Error: InvalidAcce"
            .iter()
            .chain(b"ssKeyId.NotFound: gone\n")
            .copied()
            .collect();
        struct Chunks(Vec<Vec<u8>>);
        impl Read for Chunks {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let c = self.0.remove(0);
                buf[..c.len()].copy_from_slice(&c);
                Ok(c.len())
            }
        }
        let (a, b) = data.split_at(25);
        pump(
            Chunks(vec![a.to_vec(), b.to_vec(), b"more output\n".to_vec()]),
            true,
            &codes,
            &tx,
            7,
        );
        let mut seen = Vec::new();
        while let Ok(ev) = rx.try_recv() {
            match ev {
                Ev::Code { gen, code } => seen.push((gen, code)),
                Ev::ReaderDone { gen } => seen.push((gen, "done".into())),
                _ => {}
            }
        }
        assert_eq!(
            seen,
            vec![
                (7, "InvalidAccessKeyId.NotFound".to_string()),
                (7, "done".to_string())
            ]
        );
    }

    #[test]
    fn find_code_ignores_already_reported() {
        let codes = vec!["InvalidAccessKeyId".to_string()];
        assert_eq!(
            find_code(b"xxInvalidAccessKeyIdyy", 0, &codes),
            Some("InvalidAccessKeyId")
        );
        assert_eq!(find_code(b"xxInvalidAccessKeyIdyy", 21, &codes), None);
        assert_eq!(find_code(b"nothing", 0, &codes), None);
    }

    #[test]
    fn exit_status_mapping() {
        assert_eq!(status_code(42 << 8), 42);
        assert_eq!(status_code(libc::SIGTERM), 143);
    }
}
