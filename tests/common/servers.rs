//! Servers the sync tests start with a start script (`start-ttrss.sh`, `start-coldsweat.sh`):
//! free ports, the script run one start at a time with its failure said in one line, and every
//! data directory a test binary started stopped with its stop script (and removed) when the
//! binary exits.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

/// (stop script, data directory) of the servers this process started, stopped at exit.
static STARTED: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

extern "C" fn stop_all_at_exit() {
    let started = STARTED.lock().map(|d| d.clone()).unwrap_or_default();
    for (stop, dir) in started {
        run_stop(&stop, &dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Runs `stop DIR`, quietly.
pub fn run_stop(stop: &Path, dir: &Path) {
    let _ = Command::new(stop).arg(dir).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).status();
}

/// Runs `start PORT DIR` with `env`, one start at a time in this process (the first may install
/// the server); `dir` is stopped with `stop` and removed when the process exits. Returns what the
/// script printed on stdout, or its failure in one line.
pub fn run_start(start: &Path, stop: &Path, port: u16, dir: &Path, env: &[(&str, &Path)]) -> Result<String, String> {
    static STARTING: Mutex<()> = Mutex::new(());
    let _one = STARTING.lock().map_err(|_| "poisoned".to_string())?;
    if !start.exists() {
        return Err(format!("{} is missing", start.display()));
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: registers a plain function to run at exit; it only runs the stop scripts.
    ONCE.call_once(|| unsafe {
        libc::atexit(stop_all_at_exit);
    });
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let mut started = STARTED.lock().map_err(|_| "poisoned".to_string())?;
    if !started.iter().any(|(_, d)| d == dir) {
        started.push((stop.to_path_buf(), dir.to_path_buf()));
    }
    drop(started);
    let name = start.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let clock = std::time::Instant::now();
    let mut command = Command::new(start);
    command.arg(port.to_string()).arg(dir).stdin(Stdio::null());
    for (var, value) in env {
        command.env(var, value);
    }
    let output = command.output().map_err(|e| format!("cannot run {}: {e}", start.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| l.contains("error")).or(stderr.lines().last()).unwrap_or("");
        return Err(format!("{name} failed ({}): {last}", output.status));
    }
    eprintln!("{name}: port {port} in {:.1} s", clock.elapsed().as_secs_f64());
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The value of `NAME=value` (quotes taken off) in the facts a start script printed or wrote.
pub fn fact(facts: &str, name: &str) -> String {
    facts
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .map(|v| v.trim_matches('\'').to_string())
        .unwrap_or_default()
}
