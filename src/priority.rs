//! Background threads give way to the interface: on Linux a thread's nice value is its own, so
//! the poller's, the parser's, the writer's and the indexer's threads run at nice 10 while the
//! interface's loop and its input thread keep the normal priority. On a busy machine a keypress
//! is then answered before the next feed is parsed. Elsewhere this does nothing.

/// Lowers the calling thread's priority (nice 10). Threads it starts inherit it.
#[cfg(target_os = "linux")]
pub fn lower_this_thread() {
    const PRIO_PROCESS: std::ffi::c_int = 0;
    unsafe extern "C" {
        fn setpriority(which: std::ffi::c_int, who: std::ffi::c_uint, prio: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: setpriority only changes the scheduling priority; `who = 0` with PRIO_PROCESS is
    // the calling thread on Linux. A failure leaves the priority as it was, which is harmless.
    unsafe {
        setpriority(PRIO_PROCESS, 0, 10);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn lower_this_thread() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn a_lowered_thread_runs_at_nice_ten_and_others_are_untouched() {
        let nice = || {
            let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
            // Field 19 (nice), counted after the ")" that ends the command name.
            let after = &stat[stat.rfind(')').unwrap() + 2..];
            after.split(' ').nth(16).unwrap().parse::<i32>().unwrap()
        };
        let before = nice();
        let lowered = std::thread::spawn(move || {
            super::lower_this_thread();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, before.max(10));
        assert_eq!(nice(), before, "only the calling thread");
    }
}
