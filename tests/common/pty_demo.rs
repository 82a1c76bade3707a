//! The real binary on the offline demo in a pseudo-terminal: what it writes (raw, and as the
//! screen vt100 draws from it), keys typed into it, signals sent to it, and the checks that it
//! left the terminal as it found it.

use std::io::{Read, Write};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 40;
pub const COLS: u16 = 150;
pub const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";
pub const ENTER_ALTERNATE_SCREEN: &str = "\x1b[?1049h";
pub const SHOW_CURSOR: &str = "\x1b[?25h";
pub const MOUSE_OFF: &str = "\x1b[?1000l";
pub const MOUSE_ON: &str = "\x1b[?1000h";

/// The demo in a pty, with what it wrote (raw) and the screen it draws (vt100).
pub struct Demo {
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    output: Arc<Mutex<Vec<u8>>>,
    pub home: tempfile::TempDir,
    pub tmp: tempfile::TempDir,
}

impl Demo {
    pub fn start() -> Demo {
        Demo::start_with(&[])
    }

    /// The demo with these environment variables set too (after the defaults, so they win).
    pub fn start_with(env: &[(&str, &str)]) -> Demo {
        Demo::start_args(&["--demo"], env)
    }

    /// The reader with these arguments (`--demo`, or `--config` and `--cache`) and these
    /// environment variables set too.
    pub fn start_args(args: &[&str], env: &[(&str, &str)]) -> Demo {
        let home = tempfile::tempdir().expect("temp dir");
        let tmp = tempfile::tempdir().expect("temp dir for the demo's cache");
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tidings"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for var in ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HOME"] {
            cmd.env(var, home.path());
        }
        cmd.env("TMPDIR", tmp.path());
        cmd.env("BROWSER", "true");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("start tidings");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).expect("rows"),
            std::num::NonZeroU16::new(COLS).expect("cols"),
            0,
        )));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (feed, raw) = (parser.clone(), output.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("parser lock").process(&buf[..n]);
                raw.lock().expect("output lock").extend_from_slice(&buf[..n]);
            }
        });
        Demo { child, _master: pair.master, writer, parser, output, home, tmp }
    }

    pub fn text(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().expect("output lock")).into_owned()
    }

    pub fn wait_until(&self, what: &str, condition: impl Fn(&Demo) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !condition(self) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen satisfies `needle`, and returns it.
    pub fn wait_for(&self, what: &str, needle: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, |d| needle(&d.text()));
        self.text()
    }

    pub fn wait_for_headlines(&self) {
        self.wait_until("headlines", |d| {
            let text = d.text();
            text.contains("All (48)") && text.contains("Updated")
        });
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").arg(format!("-{name}")).arg(self.pid().to_string()).status().expect("kill");
        assert!(status.success(), "kill -{name}");
    }

    pub fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("flush");
    }

    pub fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                // Let the reader thread take the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            assert!(Instant::now() < deadline, "tidings did not exit; screen:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn demo_dirs(&self) -> Vec<String> {
        std::fs::read_dir(self.tmp.path())
            .expect("read TMPDIR")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|name| name.starts_with("tidings-demo-"))
            .collect()
    }

    /// The terminal is as it was: the output, after the last time it took the screen, leaves
    /// the alternate screen, shows the cursor and stops mouse reporting.
    pub fn assert_terminal_restored(&self) {
        let output = self.output();
        let last_taken = output.rfind(ENTER_ALTERNATE_SCREEN).expect("the alternate screen was entered");
        let after = &output[last_taken..];
        for (what, sequence) in [
            ("leaves the alternate screen", LEAVE_ALTERNATE_SCREEN),
            ("shows the cursor", SHOW_CURSOR),
            ("stops mouse reporting", MOUSE_OFF),
        ] {
            assert!(after.contains(sequence), "the output {what} at the end: {:?}", tail(after));
        }
        let parser = self.parser.lock().expect("parser lock");
        assert!(!parser.screen().alternate_screen(), "the alternate screen was left");
        assert!(!parser.screen().hide_cursor(), "the cursor is visible again");
    }
}

pub fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(300);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// A test that fails half-way leaves no reader behind: the child is killed with the test.
impl Drop for Demo {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
