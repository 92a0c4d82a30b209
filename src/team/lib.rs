//! sanctuary's team store: one caseload for a whole organisation, shared through a
//! PostgreSQL database that holds only ciphertext, while every adviser's own encrypted
//! store stays the working copy (search, dashboards and letters run locally, offline too).
//!
//! Like the core library this crate has no terminal, no argument parsing and no clock: each
//! function is given `now`. The pieces:
//! - [`keys`]: organisation keys, sealed fields, wrapped keys, member keys, fingerprints;
//! - [`roster`]: the list of members and their public keys, signed by the supervisor;
//! - [`server`]: [`Server::connect`] and [`Server::migrate`] (the PostgreSQL schema);
//! - [`sync`]: [`sync::sync`] pushes local changes and pulls the server's;
//! - [`membership`]: init, invite, join, confirm, revoke, status, and the migrations from a
//!   personal store to a team and back;
//! - [`audit`]: the append-only, hash-chained, signed audit trail and its check.

pub mod keys;
