//! The real binary in a temp home: every path it touches is inside a temp dir (`--config`,
//! `--cache`, and the XDG directories), and a hung run fails the test instead of hanging it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A temp dir standing in for the user's home, with the XDG directories inside it.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `tidings ARGS` with the environment pointing into this home.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tidings"));
        command
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env_remove("TIDINGS_LOG")
            .current_dir(self.dir.path());
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_with_deadline(self.command(args), args, None)
    }

    /// Runs the binary off the async threads, so a server in this process keeps answering.
    pub async fn run_async(&self, args: &[&str]) -> Run {
        self.run_async_typing(args, None).await
    }

    /// [`Home::run_async`] with `input` on standard input (else it is empty).
    pub async fn run_async_typing(&self, args: &[&str], input: Option<&str>) -> Run {
        let command = self.command(args);
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let input = input.map(str::to_string);
        tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            run_with_deadline(command, &refs, input.as_deref())
        })
        .await
        .expect("join")
    }
}

/// Runs `command` to completion, killing it (and failing the test) if it takes over a minute:
/// a hung command must fail the test, not hang the suite.
pub fn run_with_deadline(mut command: Command, args: &[&str], input: Option<&str>) -> Run {
    use std::io::{Read, Write};
    let stdin = if input.is_some() { Stdio::piped() } else { Stdio::null() };
    let mut child = command.stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start tidings");
    if let (Some(text), Some(mut pipe)) = (input, child.stdin.take()) {
        pipe.write_all(text.as_bytes()).expect("write to tidings' stdin");
    }
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout.read_to_end(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for tidings") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`tidings {}` did not finish within 60 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run::from(Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    })
}

#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, Some(0), "{self:#?}");
        self
    }
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}
