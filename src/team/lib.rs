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
//!
//! The shape of a session, as the tests and benchmarks use it (stable API):
//! ```text
//! let founded = team::init(&mut supervisor_store, "postgres://owner@host/db", now)?; // migrates
//! let mut owner = Server::connect("postgres://owner@host/db")?;
//! let invitation = team::invite(&mut supervisor_store, &mut owner, now)?;        // .code
//! let joined = team::join(&mut adviser_store, "postgres://host/db", &invitation.code, now)?;
//! team::confirm(&mut supervisor_store, &mut owner, &joined.member_id, &joined.fingerprint, now)?;
//! let mut server = sync::connect(&adviser_store.team_membership()?.unwrap())?; // adviser's login
//! let report: SyncReport = team::sync(&mut adviser_store, &mut server, now)?;
//! team::revoke(&mut supervisor_store, &mut owner, &member_id, now)?;
//! ```
//! `now` is RFC 3339 text (`2026-12-05T10:00:00Z`). [`Server::migrate`] is idempotent.

pub mod audit;
pub mod error;
pub mod keys;
pub mod membership;
pub mod roster;
pub mod server;
pub mod sync;

pub use error::TeamError;
pub use membership::{archive, confirm, init, invite, join, recover, reinvite, revoke, status};
pub use server::Server;
pub use sync::{SyncReport, sync};
