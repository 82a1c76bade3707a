//! For the tests and benchmarks only: where to find what lives outside the repository, and what to
//! do when it is missing. One rule for all of them:
//!
//! - the shared data sets are in `../shared` beside the checkout ([`shared`]; the environment
//!   variable `TIDINGS_SHARED_DIR` points elsewhere, for instance at a missing directory to try
//!   the skip path);
//! - an external server is named by an environment variable holding its address ([`server`]);
//! - when one is missing, the test prints `skipped: <what> not found` and returns, unless
//!   `TIDINGS_REQUIRE_SHARED=1` (data) or `TIDINGS_REQUIRE_SERVERS=1` (servers) is set: then the
//!   test panics saying what is missing, so that CI, which has them, cannot pass by skipping.
//!
//! A server the tests start themselves (the sync tests start a Tiny Tiny RSS) follows the same
//! rule through [`started`]: when it cannot be started, the test skips saying why, or fails
//! under `TIDINGS_REQUIRE_SERVERS=1`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Set to `1`: a test or benchmark whose shared data is missing fails instead of skipping.
pub const REQUIRE_SHARED: &str = "TIDINGS_REQUIRE_SHARED";
/// Set to `1`: a test whose external server is not configured fails instead of skipping.
pub const REQUIRE_SERVERS: &str = "TIDINGS_REQUIRE_SERVERS";
/// Where the shared data is, instead of `../shared` beside the checkout.
pub const SHARED_DIR: &str = "TIDINGS_SHARED_DIR";

/// `../shared/<sub>` (`sub` such as `data/related`) when it exists. When it does not: prints
/// `skipped: ../shared/<sub> not found` and returns `None`, or panics under
/// `TIDINGS_REQUIRE_SHARED=1`.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os(SHARED_DIR)
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"), PathBuf::from);
    let path = root.join(sub);
    let found = path.exists().then_some(path.clone());
    resolve(found, &format!("../shared/{sub}"), &format!("looked for {}", path.display()), REQUIRE_SHARED)
}

/// The address of an external server a test needs, from the environment variable `var` (such as
/// `TIDINGS_TEST_SYNC_URL`), `what` saying what it is. When `var` is unset or empty: prints
/// `skipped: <what> not found` and returns `None`, or panics under `TIDINGS_REQUIRE_SERVERS=1`.
pub fn server(var: &str, what: &str) -> Option<String> {
    let found = std::env::var(var).ok().filter(|v| !v.trim().is_empty());
    resolve(found, what, &format!("set {var} to its address"), REQUIRE_SERVERS)
}

/// A server a test tried to start (`what`, such as "a Tiny Tiny RSS server"): the server, or,
/// when it could not be started, `None` after the skip line with the reason, or a panic under
/// `TIDINGS_REQUIRE_SERVERS=1`.
pub fn started<T>(what: &str, outcome: Result<T, String>) -> Option<T> {
    match outcome {
        Ok(server) => Some(server),
        Err(why) => resolve(None, what, &format!("it could not be started: {why}"), REQUIRE_SERVERS),
    }
}

/// The rule itself: `found`, or the skip line, or the panic when `require_var` is `1`.
fn resolve<T>(found: Option<T>, what: &str, hint: &str, require_var: &str) -> Option<T> {
    if found.is_some() {
        return found;
    }
    let required = std::env::var_os(require_var).is_some_and(|v| v == OsStr::new("1"));
    skip_or_fail(what, hint, require_var, required);
    None
}

/// Prints the skip line, or panics when `required`.
fn skip_or_fail(what: &str, hint: &str, require_var: &str, required: bool) {
    if required {
        panic!("{what} not found ({hint}), and {require_var}=1 says it must not be skipped");
    }
    println!("skipped: {what} not found ({hint}; {require_var}=1 makes this a failure)");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_exists_is_returned() {
        let dir = tempfile::tempdir().expect("temp dir");
        let found = Some(dir.path().to_path_buf());
        assert_eq!(resolve(found.clone(), "x", "y", "TIDINGS_TEST_UNSET_VARIABLE"), found);
    }

    #[test]
    fn a_missing_one_is_skipped_when_not_required() {
        skip_or_fail("../shared/nothing", "looked for /nowhere", REQUIRE_SHARED, false);
        assert_eq!(resolve(None::<PathBuf>, "../shared/nothing", "hint", "TIDINGS_TEST_UNSET_VARIABLE"), None);
    }

    #[test]
    #[should_panic(expected = "../shared/nothing not found (looked for /nowhere), and TIDINGS_REQUIRE_SHARED=1")]
    fn a_missing_one_fails_when_required() {
        skip_or_fail("../shared/nothing", "looked for /nowhere", REQUIRE_SHARED, true);
    }

    #[test]
    #[should_panic(expected = "a sync server not found (set TIDINGS_X to its address), and TIDINGS_REQUIRE_SERVERS=1")]
    fn a_missing_server_fails_when_required() {
        skip_or_fail("a sync server", "set TIDINGS_X to its address", REQUIRE_SERVERS, true);
    }
}
