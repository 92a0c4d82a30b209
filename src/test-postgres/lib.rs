//! Tests only: a real, throwaway PostgreSQL for the tests and benchmarks that need one.
//!
//! - [`TestPostgres`] starts a private cluster: `initdb` in a fresh temporary folder (as
//!   `nobody`, through `setpriv`, when the tests run as root, which `initdb` refuses), a free
//!   loopback port, `fsync=off`, optionally `log_statement=all` and scram-sha-256 passwords.
//!   Dropping it (also while a test panics) stops the server and removes the folder.
//! - [`LoopbackCapture`] records the loopback traffic to one port with `tshark`.
//! - [`CanaryScan`] looks for canary strings (UTF-8, UTF-16LE and hex) in bytes, files and
//!   whole folders, to prove what the server never saw.
//!
//! On a machine without PostgreSQL, [`TestPostgres::start`] prints one line saying why and
//! returns `None`, so the test returns early and `cargo test` still passes. When `CI=true` or
//! `SANCTUARY_REQUIRE_POSTGRES=1` it panics instead: in CI a skipped PostgreSQL test is a
//! failure. When `SANCTUARY_POSTGRES_MARKERS` names a folder, every test that got a cluster
//! leaves an empty file named after it there, so CI can check the tests ran at all.
//!
//! ```no_run
//! use sanctuary_test_postgres::TestPostgres;
//!
//! fn a_round_trip_through_postgres() {
//!     let Some(pg) = TestPostgres::start("a_round_trip_through_postgres") else {
//!         return; // no PostgreSQL here: one line already says so
//!     };
//!     pg.create_database("team");
//!     assert_eq!(pg.psql("team", "SELECT 1 + 1"), "2");
//!     // a client library connects with `pg.conninfo("team")` or `pg.url("team")`
//! }
//! ```

mod canary;
mod capture;
mod cluster;
mod machine;

pub use canary::{CanaryScan, Encoding, Hit};
pub use capture::{CaptureError, LoopbackCapture};
pub use cluster::{ClusterError, Options, TestPostgres};
pub use machine::{postgres_required, tshark_required};
