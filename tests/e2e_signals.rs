//! Issue 12, bug 9: the real binary in a pseudo-terminal on the offline demo, ended by a signal
//! (it leaves the terminal as it found it and removes the demo's temporary cache) and suspended
//! with Ctrl-Z (the terminal is handed back, then taken again and redrawn).

mod common;

use std::path::Path;

use common::pty_demo::{Demo, ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN, MOUSE_OFF, MOUSE_ON, SHOW_CURSOR, tail};

fn ends_cleanly_on(signal: &str) {
    let mut demo = Demo::start();
    demo.wait_for_headlines();
    assert_eq!(demo.demo_dirs().len(), 1, "the demo's cache is in TMPDIR");
    assert!(Path::new(demo.home.path()).exists());
    demo.signal(signal);
    let status = demo.wait_for_exit();
    assert!(status.success(), "{signal}: exit status {status:?}");
    demo.assert_terminal_restored();
    assert_eq!(demo.demo_dirs(), Vec::<String>::new(), "{signal}: the demo's temporary cache is removed");
}

#[test]
fn sigterm_restores_the_terminal_and_removes_the_demo_cache() {
    ends_cleanly_on("TERM");
}

#[test]
fn sighup_restores_the_terminal_and_removes_the_demo_cache() {
    ends_cleanly_on("HUP");
}

#[test]
fn sigint_restores_the_terminal_and_removes_the_demo_cache() {
    ends_cleanly_on("INT");
}

#[test]
fn ctrl_z_hands_the_terminal_back_and_takes_it_again() {
    let mut demo = Demo::start();
    demo.wait_for_headlines();
    let before = demo.output().len();
    // Ctrl-Z in raw mode is a byte like any other. The process stops (here it does not: a
    // session leader's group has no shell to continue it, so the kernel drops the SIGTSTP) and
    // once continued takes the terminal again.
    demo.press("\x1a");
    demo.wait_until("the terminal handed back and taken again", |d| {
        let output = d.output();
        let new = &output[before.min(output.len())..];
        new.find(LEAVE_ALTERNATE_SCREEN).is_some_and(|left| new[left..].contains(ENTER_ALTERNATE_SCREEN))
    });
    demo.signal("CONT");
    let output = demo.output();
    let new = &output[before..];
    let left = new.find(LEAVE_ALTERNATE_SCREEN).expect("left");
    for sequence in [SHOW_CURSOR, MOUSE_OFF] {
        assert!(new[..left + LEAVE_ALTERNATE_SCREEN.len() + 20].contains(sequence), "{sequence:?} in {new:?}");
    }
    assert!(new[left..].contains(MOUSE_ON), "mouse reporting on again: {:?}", tail(new));
    // Redrawn whole on the alternate screen.
    demo.wait_until("the screen redrawn", |d| {
        let parser = d.parser.lock().expect("parser lock");
        parser.screen().alternate_screen() && parser.screen().contents().contains("All (48)")
    });
    demo.press("Q");
    let status = demo.wait_for_exit();
    assert!(status.success(), "exit status {status:?}");
    demo.assert_terminal_restored();
}
