//! The one error type of the team store. No message carries a client's details (the server
//! holds none, and the store's own errors carry none), so every error is safe to print.

use thiserror::Error;

use crate::keys::CryptoError;

#[derive(Debug, Error)]
pub enum TeamError {
    #[error(
        "could not reach the team server ({0}); nothing was lost: work carries on in this store, and `sanctuary team sync` sends the changes when the server is back"
    )]
    ServerAway(String),
    #[error("the team server refused: {0}")]
    Server(String),
    #[error("the team server address is not a postgres:// address sanctuary can use: {0}")]
    BadUrl(String),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    Store(#[from] sanctuary::casework::store::StoreError),
    #[error(
        "this case store is not in a team: `sanctuary team init` (supervisor) or `sanctuary team join` (adviser) first"
    )]
    NotInTeam,
    #[error("this case store is already in a team; one store belongs to one team")]
    AlreadyInTeam,
    #[error(
        "this case store already has clients; an adviser joins with a new store (moving a personal store into the team is the supervisor's `team init`)"
    )]
    StoreNotEmpty,
    #[error("only the team's supervisor can do that")]
    SupervisorOnly,
    #[error(
        "the invitation code is not complete or not one sanctuary made; ask the supervisor to read it again"
    )]
    BadInvitation,
    #[error(
        "the server's supervisor key is not the one in the invitation: do not use this server until the supervisor has checked it"
    )]
    SupervisorKeyMismatch,
    #[error("there is no member {0} in this team")]
    NoSuchMember(String),
    #[error("member {member} is {status}, so this cannot be done now")]
    WrongStatus { member: String, status: String },
    #[error(
        "the fingerprint read out does not match the keys the server holds for member {0}; nothing was changed: check with the adviser in person before trying again"
    )]
    FingerprintMismatch(String),
    #[error(
        "the supervisor has not confirmed this member yet (or has revoked them), so there is no team key here to open the caseload"
    )]
    NotConfirmed,
    #[error(
        "the team moved to a new key (a member was revoked) while this sync ran; nothing was sent: sync again"
    )]
    EpochChanged,
    #[error("no team key for key epoch {0} was wrapped to this member")]
    MissingEpochKey(i32),
    #[error("the team server's roster is missing or not signed by the supervisor")]
    BadRoster,
    #[error("the server holds a record that is not a sanctuary record ({0})")]
    BadRecord(String),
}

impl From<postgres::Error> for TeamError {
    fn from(error: postgres::Error) -> TeamError {
        // A closed connection or an I/O failure is the server being away; a database
        // error is the server refusing (with PostgreSQL's own message, which holds no data
        // of ours: every value is a bound parameter).
        match error.as_db_error() {
            Some(db) => TeamError::Server(db.message().to_string()),
            None if error.is_closed() => TeamError::ServerAway(error.to_string()),
            None => TeamError::ServerAway(error.to_string()),
        }
    }
}
