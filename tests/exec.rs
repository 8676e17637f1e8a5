//! `ramsecret exec`: exit codes, signals, PID 1 reaping, proactive and reactive rotation, the
//! stop timeout, the restart budget, the credentials server, and no secret on any command line.
//! Children are small `sh` scripts that append to a log file; tests wait on that log (bounded
//! polling), never on fixed sleeps.

#![cfg(unix)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

pub const NAME: &str = "acs/ram/user/exec-test";
pub const ID1: &str = "LTAI5tExecTestKey00001";
pub const SECRET1: &str = "exec-Secret-'$`\\-0001";

/// An emulator with one RAM secret, and a work dir with the emulator's properties file.
pub struct Fx {
    pub emu: Emulator,
    pub dir: tempfile::TempDir,
    pub log: PathBuf,
}

impl Fx {
    pub fn new() -> Fx {
        let emu = Emulator::start();
        emu.secret(NAME, ID1, SECRET1);
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("child.log");
        std::fs::write(&log, "").unwrap();
        Fx { emu, dir, log }
    }

    pub fn props(&self) -> PathBuf {
        self.emu
            .dir
            .join("managed_credentials_providers.properties")
    }

    /// `ramsecret -c PROPS exec NAME ARGS -- sh SCRIPT`, isolated like `support::ramsecret`.
    pub fn exec(&self, args: &[&str], script: &str) -> Command {
        let path = self.dir.path().join("child.sh");
        std::fs::write(&path, script).unwrap();
        let mut c = Command::new(bin());
        for (k, _) in std::env::vars() {
            if ["ALIBABA_CLOUD_", "ALICLOUD_", "OSS_", "RAMSECRET_"]
                .iter()
                .any(|p| k.starts_with(p))
            {
                c.env_remove(k);
            }
        }
        let home = self.dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        c.current_dir(self.dir.path())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("RAMSECRET_CACHE", "off")
            .env("RAMSECRET_DEV_ENDPOINT", &self.emu.http)
            .env("RS_BIN", bin())
            .env("LOG", &self.log)
            .arg("-c")
            .arg(self.props())
            .arg("exec")
            .arg(NAME)
            .args(args)
            .arg("--")
            .arg("sh")
            .arg(&path)
            .stdin(Stdio::null());
        c
    }

    /// Spawn with stdout/stderr captured in files (read them with `out()` / `err()`).
    pub fn spawn(&self, mut c: Command) -> Child {
        let out = std::fs::File::create(self.dir.path().join("stdout")).unwrap();
        let err = std::fs::File::create(self.dir.path().join("stderr")).unwrap();
        c.stdout(out).stderr(err).spawn().unwrap()
    }

    pub fn err(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr")).unwrap_or_default()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait (bounded) until the log has at least `n` lines equal to `line` (or starting with it).
    pub fn wait_log(&self, line: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if count(&self.log_text(), line) >= n {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {n} x {line:?} in the child log:\n{}\nstderr:\n{}",
                self.log_text(),
                self.err()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn rotate(&self) -> String {
        self.emu
            .post("/admin/rotate", serde_json::json!({"name": NAME}))["access_key_id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

pub fn count(text: &str, prefix: &str) -> usize {
    text.lines().filter(|l| l.starts_with(prefix)).count()
}

pub fn mask(id: &str) -> String {
    format!("{}****{}", &id[..4], &id[id.len() - 4..])
}

fn kill(child: &Child, sig: i32) {
    unsafe { libc::kill(child.id() as i32, sig) };
}

fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("ramsecret did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Processes whose process group is `pgrp`, with their state letter.
fn group_states(pgrp: i32) -> Vec<char> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let f: Vec<&str> = rest.split(' ').collect();
        if f.len() > 2 && f[2].parse::<i32>() == Ok(pgrp) {
            out.push(f[0].chars().next().unwrap_or('?'));
        }
    }
    out
}

#[test]
fn exit_codes_and_death_by_signal_propagate() {
    let fx = Fx::new();
    for code in [0, 1, 42] {
        let out = fx
            .exec(&["-q"], &format!("exit {code}\n"))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The child dies of TERM by itself: 128 + 15.
    let out = fx
        .exec(&["-q"], "kill -TERM $$\nsleep 5\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(143));
    // TERM sent to ramsecret reaches the child once, and the child's own status is ours.
    let mut child = fx.spawn(fx.exec(&[], "trap 'echo got TERM >> \"$LOG\"; exit 7' TERM\necho started >> \"$LOG\"\nwhile :; do sleep 0.05; done\n"));
    fx.wait_log("started", 1);
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 7);
    assert_eq!(count(&fx.log_text(), "got TERM"), 1, "{}", fx.log_text());
    // An untrapped TERM kills it: 143.
    let mut child = fx.spawn(fx.exec(&[], "echo started >> \"$LOG\"\nexec sleep 30\n"));
    fx.wait_log("started", 2);
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 143);
}

#[test]
fn a_command_that_cannot_be_run_is_127_with_one_line() {
    let fx = Fx::new();
    let mut c = ramsecret(fx.dir.path());
    c.arg("-c")
        .arg(fx.props())
        .args(["exec", NAME, "--", "/nonexistent/command"]);
    let (code, _, err, _) = run(c);
    assert_eq!(code, 127, "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("ramsecret: error: cannot run /nonexistent/command")),
        "{err}"
    );
}

#[test]
fn each_forwarded_signal_reaches_the_child_exactly_once() {
    let fx = Fx::new();
    let script = r#"ulimit -c 0
for s in HUP USR1 USR2 WINCH QUIT CONT TSTP; do trap "echo got $s >> \"\$LOG\"" $s; done
trap 'echo got INT >> "$LOG"; exit 0' INT
echo "started $$" >> "$LOG"
while :; do sleep 0.05; done
"#;
    let mut child = fx.spawn(fx.exec(&["--stop-timeout", "5s"], script));
    fx.wait_log("started", 1);
    let pgrp: i32 = fx
        .log_text()
        .lines()
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(pgrp, child.id() as i32);
    let mut expected: Vec<(&str, usize)> = Vec::new();
    for (sig, name) in [
        (libc::SIGHUP, "HUP"),
        (libc::SIGUSR1, "USR1"),
        (libc::SIGUSR2, "USR2"),
        (libc::SIGWINCH, "WINCH"),
        (libc::SIGQUIT, "QUIT"),
        (libc::SIGCONT, "CONT"),
    ] {
        kill(&child, sig);
        fx.wait_log(&format!("got {name}"), 1);
        expected.push((name, 1));
    }
    // TSTP stops the group (the `sleep`); CONT resumes it.
    kill(&child, libc::SIGTSTP);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !group_states(pgrp).contains(&'T') {
        assert!(Instant::now() < deadline, "the child group never stopped");
        std::thread::sleep(Duration::from_millis(20));
    }
    kill(&child, libc::SIGCONT);
    fx.wait_log("got TSTP", 1);
    fx.wait_log("got CONT", 2);
    kill(&child, libc::SIGINT);
    assert_eq!(wait_exit(&mut child), 0, "{}", fx.err());
    let log = fx.log_text();
    for (name, n) in [
        ("HUP", 1),
        ("USR1", 1),
        ("USR2", 1),
        ("WINCH", 1),
        ("QUIT", 1),
        ("TSTP", 1),
        ("CONT", 2),
        ("INT", 1),
    ] {
        assert_eq!(count(&log, &format!("got {name}")), n, "{name}:\n{log}");
    }
}

#[test]
fn as_pid_1_orphans_are_reaped() {
    let probe = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "--map-root-user", "true"])
        .stderr(Stdio::null())
        .status();
    if !probe.map(|s| s.success()).unwrap_or(false) {
        eprintln!("note: unshare --pid --fork --mount-proc --map-root-user is not available here; skipping the PID 1 test");
        return;
    }
    let fx = Fx::new();
    let script = r#"echo "started $$ pid1=$(cat /proc/1/comm)" >> "$LOG"
sh -c 'sleep 0.2 & echo $! > orphan.pid'
o=$(cat orphan.pid)
i=0
while [ $i -lt 200 ]; do
  if [ ! -e /proc/$o ]; then echo reaped >> "$LOG"; exit 0; fi
  i=$((i+1)); sleep 0.05
done
echo "zombie $(cat /proc/$o/stat)" >> "$LOG"; exit 3
"#;
    let inner = fx.exec(&[], script);
    let mut c = Command::new("unshare");
    c.args(["--pid", "--fork", "--mount-proc", "--map-root-user"])
        .arg(inner.get_program())
        .args(inner.get_args())
        .current_dir(fx.dir.path());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    let out = c.stdin(Stdio::null()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "log:\n{}\nstderr:\n{}",
        fx.log_text(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fx.log_text().contains("pid1=ramsecret"),
        "{}",
        fx.log_text()
    );
    assert_eq!(count(&fx.log_text(), "reaped"), 1);
}

fn scan_cmdlines(needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(b) = std::fs::read(e.path().join("cmdline")) {
            if String::from_utf8_lossy(&b).contains(needle) {
                hits.push(String::from_utf8_lossy(&b).replace('\0', " "));
            }
        }
    }
    hits
}

#[test]
fn proactive_rotation_restarts_once_with_the_new_key_and_the_secret_stays_off_command_lines() {
    let fx = Fx::new();
    let script = r#"echo "started $ALIBABA_CLOUD_ACCESS_KEY_ID $RAMSECRET_SECRET_NAME $RAMSECRET_SECRET_VERSION" >> "$LOG"
trap 'echo "stopped $ALIBABA_CLOUD_ACCESS_KEY_ID" >> "$LOG"; exit 0' TERM
while :; do sleep 0.05; done
"#;
    let mut child = fx.spawn(fx.exec(&["--check-interval", "1s", "--stop-timeout", "5s"], script));
    fx.wait_log(&format!("started {ID1} {NAME} v1"), 1);
    assert!(
        scan_cmdlines(SECRET1).is_empty(),
        "the secret is on a command line: {:?}",
        scan_cmdlines(SECRET1)
    );
    // Two rotations close together give one restart, with the newest key.
    let _id2 = fx.rotate();
    let id3 = fx.rotate();
    fx.wait_log(&format!("started {id3} {NAME} v3"), 1);
    assert_eq!(count(&fx.log_text(), &format!("stopped {ID1}")), 1);
    assert_eq!(count(&fx.log_text(), "started"), 2, "{}", fx.log_text());
    // Nothing changes: several more checks, no restart.
    let seen = fx.emu.counter("GetSecretValue");
    let deadline = Instant::now() + Duration::from_secs(20);
    while fx.emu.counter("GetSecretValue") < seen + 3 {
        assert!(Instant::now() < deadline, "no periodic checks");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(count(&fx.log_text(), "started"), 2, "{}", fx.log_text());
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 0);
    let err = fx.err();
    assert!(
        !err.contains(SECRET1) && !err.contains(ID1) && !err.contains(&id3),
        "{err}"
    );
    assert!(
        err.contains(&mask(ID1)) && err.contains(&mask(&id3)) && err.contains("rotat"),
        "{err}"
    );
    assert_eq!(count(&err, "ramsecret: restarting"), 1, "{err}");
}

#[test]
fn reactive_the_revoked_key_is_replaced_and_the_child_relaunched() {
    let fx = Fx::new();
    let script = r#"echo "started $ALIBABA_CLOUD_ACCESS_KEY_ID" >> "$LOG"
while :; do
  if "$RS_BIN" dev-call >/dev/null; then echo "ok $ALIBABA_CLOUD_ACCESS_KEY_ID" >> "$LOG"; else echo "failed $ALIBABA_CLOUD_ACCESS_KEY_ID" >> "$LOG"; exit 1; fi
  sleep 0.1
done
"#;
    let mut child = fx.spawn(fx.exec(&["--check-interval", "1h", "--stop-timeout", "2s"], script));
    fx.wait_log(&format!("ok {ID1}"), 1);
    let id2 = fx.rotate();
    let revoked = fx
        .emu
        .post("/admin/revoke", serde_json::json!({"name": NAME}));
    assert_eq!(revoked["access_key_id"], ID1);
    fx.wait_log(&format!("ok {id2}"), 1);
    assert_eq!(count(&fx.log_text(), "started"), 2, "{}", fx.log_text());
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 143);
    let err = fx.err();
    assert!(err.contains("InvalidAccessKeyId.NotFound"), "{err}");
    assert!(!err.contains(SECRET1), "{err}");
}

#[test]
fn a_child_that_ignores_term_is_killed_after_the_stop_timeout() {
    let fx = Fx::new();
    let script = r#"trap '' TERM INT
echo "started $ALIBABA_CLOUD_ACCESS_KEY_ID" >> "$LOG"
while :; do sleep 0.05; done
"#;
    let mut child = fx.spawn(fx.exec(&["--check-interval", "1s", "--stop-timeout", "1s"], script));
    fx.wait_log(&format!("started {ID1}"), 1);
    let id2 = fx.rotate();
    fx.wait_log(&format!("started {id2}"), 1);
    assert!(
        fx.err().contains("did not stop within 1s; sending SIGKILL"),
        "{}",
        fx.err()
    );
    // INT then TERM: the second within the stop timeout escalates to KILL (137).
    kill(&child, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(100));
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 137, "{}", fx.err());
}

#[test]
fn a_restart_storm_stops_at_the_budget() {
    let fx = Fx::new();
    let script = "echo started >> \"$LOG\"\necho 'Error: InvalidAccessKeyId.NotFound: Specified access key is not found.' >&2\nexit 3\n";
    let out = fx
        .exec(&["--max-restarts", "2", "--restart-window", "1m"], script)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(count(&fx.log_text(), "started"), 3, "{}", fx.log_text());
    assert!(
        err.contains("restart budget exhausted (2 restarts within 1m)"),
        "{err}"
    );
    // The child's stderr passed through unchanged.
    assert_eq!(
        count(
            &err,
            "Error: InvalidAccessKeyId.NotFound: Specified access key is not found."
        ),
        3,
        "{err}"
    );
    // A plain crash (no invalid-key code) is never restarted.
    std::fs::write(&fx.log, "").unwrap();
    let out = fx
        .exec(&[], "echo started >> \"$LOG\"\necho boom >&2\nexit 9\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(count(&fx.log_text(), "started"), 1);
}

#[test]
fn credentials_server_hands_the_rotated_key_to_a_child_without_a_restart() {
    let fx = Fx::new();
    let script = r#"echo "started id=${ALIBABA_CLOUD_ACCESS_KEY_ID:-none} uri=$ALIBABA_CLOUD_CREDENTIALS_URI profile=$ALIBABA_CLOUD_CLI_PROFILE_DISABLED/$ALIBABA_CLOUD_IGNORE_PROFILE/$ALIBABA_CLOUD_ECS_METADATA_DISABLED" >> "$LOG"
while :; do "$RS_BIN" dev-call >> "$LOG"; sleep 0.1; done
"#;
    let mut child = fx.spawn(fx.exec(&["--credentials-server", "--check-interval", "1s"], script));
    fx.wait_log(&format!("OK {}", mask(ID1)), 1);
    let first = fx.log_text().lines().next().unwrap().to_string();
    assert!(
        first.starts_with("started id=none uri=http://127.0.0.1:")
            && first.ends_with("profile=true/TRUE/true"),
        "{first}"
    );
    // The path is unguessable: another path on the same port is refused.
    let uri = first
        .split("uri=")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let hostport = uri
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert!(uri.len() > hostport.len() + 7 + 32, "{uri}");
    let mut s = std::net::TcpStream::connect(&hostport).unwrap();
    use std::io::{Read, Write};
    write!(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    assert!(resp.starts_with("HTTP/1.1 404"), "{resp}");
    let id2 = fx.rotate();
    fx.wait_log(&format!("OK {}", mask(&id2)), 1);
    assert_eq!(count(&fx.log_text(), "started"), 1, "{}", fx.log_text());
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 143);
    assert!(!fx.err().contains(SECRET1));
}

/// On a terminal the child stays in the foreground group: Ctrl-C reaches it once (from the
/// terminal driver, not forwarded a second time), and its status is ours. Uses util-linux
/// `script` for a pty; skipped when it is missing.
#[test]
fn on_a_terminal_ctrl_c_reaches_the_child_once() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: `script` (util-linux) is not installed; skipping the terminal test");
        return;
    }
    let fx = Fx::new();
    let inner = fx.exec(&[], "trap 'echo got INT >> \"$LOG\"; exit 5' INT\nset -- $(cat /proc/$$/stat)\necho \"started $$ $5 $8\" >> \"$LOG\"\nwhile :; do sleep 0.05; done\n");
    let quote = |s: &std::ffi::OsStr| format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"));
    let line: Vec<String> = std::iter::once(quote(inner.get_program()))
        .chain(inner.get_args().map(quote))
        .collect();
    // `exec`: `script` runs the line with $SHELL, and a shell left waiting in the foreground
    // group (dash does not exec a lone command) would die of the same Ctrl-C with 130.
    let mut c = Command::new("script");
    c.args(["-qec", &format!("exec {}", line.join(" ")), "/dev/null"])
        .env("SHELL", "/bin/sh")
        .current_dir(fx.dir.path());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    fx.wait_log("started", 1);
    // The child is in the terminal's foreground process group.
    let f: Vec<String> = fx
        .log_text()
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert_eq!(
        f[2], f[3],
        "child pgid {} is not the terminal's foreground group {}",
        f[2], f[3]
    );
    use std::io::Write;
    child.stdin.as_mut().unwrap().write_all(b"\x03").unwrap();
    child.stdin.as_mut().unwrap().flush().unwrap();
    assert_eq!(wait_exit(&mut child), 5);
    assert_eq!(count(&fx.log_text(), "got INT"), 1, "{}", fx.log_text());
}

/// The child's environment: overriding variables gone, credentials and metadata in, the rest
/// inherited (or only the essentials with `--pristine`); stdin and stdout pass through.
#[test]
fn child_environment_stdin_and_stdout() {
    let fx = Fx::new();
    let script = "read line\necho \"stdin=$line\"\nenv | grep -E '^(ALIBABA|OSS|FOO|PATH|MY_|RAMSECRET_SECRET)' | sort\nprintf 'no newline at the end'\n";
    let mut c = fx.exec(
        &["-q", "--preset", "oss", "--var", "MY_ID=AccessKeyId"],
        script,
    );
    c.env("ALIBABA_CLOUD_SECURITY_TOKEN", "stale")
        .env("OSS_SESSION_TOKEN", "stale")
        .env("ALIBABA_CLOUD_PROFILE", "p")
        .env("FOO", "bar")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "-q: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("stdin=hello\n") && text.ends_with("no newline at the end"),
        "{text}"
    );
    for want in [
        format!("OSS_ACCESS_KEY_ID={ID1}\n"),
        format!("OSS_ACCESS_KEY_SECRET={SECRET1}\n"),
        format!("MY_ID={ID1}\n"),
        format!("RAMSECRET_SECRET_NAME={NAME}\n"),
        "RAMSECRET_SECRET_VERSION=v1\n".into(),
        "FOO=bar\n".into(),
    ] {
        assert!(text.contains(&want), "missing {want:?} in {text}");
    }
    assert!(
        !text.contains("ALIBABA_CLOUD_SECURITY_TOKEN")
            && !text.contains("OSS_SESSION_TOKEN")
            && !text.contains("ALIBABA_CLOUD_PROFILE")
            && !text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{text}"
    );
    // --pristine: only the essentials plus the credentials.
    let out = fx
        .exec(&["-q", "--pristine"], "env | sort\n")
        .env("FOO", "bar")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("PATH=") && text.contains(&format!("ALIBABA_CLOUD_ACCESS_KEY_ID={ID1}\n")),
        "{text}"
    );
    assert!(!text.contains("FOO=") && !text.contains("LOG="), "{text}");
}

/// `ramsecret exec … -- yes | head -1`: when the reader goes away the child must see the closed
/// pipe (SIGPIPE, 128+13) instead of writing forever into ramsecret.
#[test]
fn a_closed_stdout_reaches_the_child() {
    let fx = Fx::new();
    let mut c = fx.exec(&["-q"], "exec yes\n");
    c.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Read;
        let mut first = [0u8; 2];
        let mut out = child.stdout.take().unwrap();
        out.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"y\n");
    } // our end closes here
    assert_eq!(wait_exit(&mut child), 141);
}

/// A signal that arrives after the child exited, while its output still drains (a grandchild
/// holds the pipe), must not replace the child's own status.
#[test]
fn a_signal_during_the_drain_keeps_the_childs_status() {
    let fx = Fx::new();
    let mut child = fx.spawn(fx.exec(&["-q"], "sleep 3 &\necho exiting >> \"$LOG\"\nexit 7\n"));
    fx.wait_log("exiting", 1);
    // Let ramsecret reap the child; the sleeping grandchild keeps the pipe open.
    std::thread::sleep(Duration::from_millis(300));
    kill(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child), 7);
}
