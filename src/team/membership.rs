//! Who is in the team: [`init`] (the supervisor, once), [`invite`], [`join`] (the adviser),
//! [`confirm`] (the supervisor, after comparing the fingerprint the adviser reads aloud:
//! never automatic), [`revoke`] (server access removed at once, a new key epoch, every record
//! sealed again under it), [`status`], and [`archive`] (the team's caseload back to a
//! personal store). A forgotten passphrase is a fresh store: [`reinvite`] gives the member a
//! new invitation, they join with it, and the supervisor confirms again, which wraps the key
//! to their new public key.
//!
//! The supervisor logs in as the database's owner (who can create roles); each adviser has
//! their own login role, a member of [`MEMBER_GROUP`](crate::server::MEMBER_GROUP).

use postgres::GenericClient;
use sanctuary::casework::store::Store;
use sanctuary::casework::store::team::{TeamMembership, TeamRole};
use zeroize::Zeroizing;

use crate::audit::{self, AuditEvent};
use crate::error::TeamError;
use crate::keys::{self, MemberKeys, OrgKey, RECOVERY_RECIPIENT, RecoveryKey};
use crate::roster::{Roster, RosterMember, SignedRoster};
use crate::server::{self, Server};
use crate::sync::{self, OrgKeys, lock_org, open_record, seal_record};

/// What `team init` gives the supervisor.
pub struct Founded {
    pub org_id: String,
    pub member_id: String,
    /// Printed once, for the safe; never stored anywhere by sanctuary.
    pub recovery_key: Zeroizing<String>,
    pub fingerprint: String,
}

/// Makes this store the supervisor's replica of a new team on the server at `url` (whose
/// login must own the database and be able to create roles): creates the schema, the
/// organisation, the first key epoch (wrapped to the supervisor and to a new recovery key)
/// and the first roster. Clients already in the store join the team's caseload at the first
/// sync (the move from a personal store to a team), which the audit trail records.
pub fn init(store: &mut Store, url: &str, now: &str) -> Result<Founded, TeamError> {
    if store.team_membership()?.is_some() {
        return Err(TeamError::AlreadyInTeam);
    }
    let mut server = Server::connect(url)?;
    server.migrate()?;
    let db_user = server.current_user()?;
    let org_id = keys::random_id(16)?;
    let member_id = keys::random_id(8)?;
    let keys = MemberKeys::generate()?;
    let recovery = RecoveryKey::generate()?;
    let org_key = OrgKey::generate(1)?;
    let membership = supervisor_membership(&org_id, &member_id, url, &keys);
    let existing = store.client_count()?;
    let mut tx = server.client().transaction()?;
    tx.execute(
        "INSERT INTO orgs (id, epoch, supervisor_key) VALUES ($1, 1, $2)",
        &[&org_id, &keys.ed25519_public()],
    )?;
    insert_supervisor(&mut tx, &org_id, &member_id, &db_user, &keys)?;
    let roster = Roster {
        org_id: org_id.clone(),
        serial: 1,
        epoch: 1,
        members: vec![roster_member(
            &member_id,
            "supervisor",
            &keys.x25519_public,
            &keys.ed25519_public(),
        )],
        recovery_public: hex::encode(&recovery.public),
        former_supervisors: Vec::new(),
    };
    wrap_to_roster(&mut tx, &org_key, &roster)?;
    store_roster(&mut tx, &roster, &keys)?;
    let mut event = event("init", now, None);
    if existing > 0 {
        event.action = "init-from-personal-store".into();
    }
    let head = audit::append_in(&mut tx, &membership, &keys, &org_key, &event)?;
    tx.commit()?;
    store.set_team_membership(&membership)?;
    store.set_audit_head(&head)?;
    Ok(Founded {
        org_id,
        member_id,
        recovery_key: recovery.printed(),
        fingerprint: keys.fingerprint(),
    })
}

/// This store's membership as the organisation's supervisor (at init, or a recovery by a new
/// supervisor), whose own signing key is the trust anchor. The database login is the one the
/// address names, so none is kept.
fn supervisor_membership(
    org_id: &str,
    member_id: &str,
    url: &str,
    keys: &MemberKeys,
) -> TeamMembership {
    TeamMembership {
        org_id: org_id.to_string(),
        member_id: member_id.to_string(),
        role: TeamRole::Supervisor,
        server_url: url.into(),
        db_user: String::new(),
        db_password: Zeroizing::new(String::new()),
        supervisor_key: keys.ed25519_public(),
        x25519_secret: Zeroizing::new(keys.x25519_secret().to_vec()),
        ed25519_secret: keys.ed25519_secret(),
    }
}

/// The supervisor's row: confirmed from the start (init, or a recovery by a new supervisor).
fn insert_supervisor(
    tx: &mut impl GenericClient,
    org_id: &str,
    member_id: &str,
    db_user: &str,
    keys: &MemberKeys,
) -> Result<(), TeamError> {
    tx.execute(
        "INSERT INTO members (org_id, id, db_role, role, status, x25519_public, ed25519_public)
         VALUES ($1, $2, $3, 'supervisor', 'confirmed', $4, $5)",
        &[
            &org_id,
            &member_id,
            &db_user,
            &keys.x25519_public,
            &keys.ed25519_public(),
        ],
    )?;
    Ok(())
}

fn event(action: &str, now: &str, subject: Option<&str>) -> AuditEvent {
    AuditEvent {
        action: action.into(),
        at: now.into(),
        records: Vec::new(),
        subject: subject.map(String::from),
    }
}

fn roster_member(id: &str, role: &str, x25519: &[u8], ed25519: &[u8]) -> RosterMember {
    RosterMember {
        id: id.into(),
        role: role.into(),
        x25519_public: hex::encode(x25519),
        ed25519_public: hex::encode(ed25519),
    }
}

/// Wraps `key` to every member of `roster` (a roster this code signed or verified) and to
/// its recovery key. Never to anyone else: that is the point of the roster.
fn wrap_to_roster(
    client: &mut impl GenericClient,
    key: &OrgKey,
    roster: &Roster,
) -> Result<(), TeamError> {
    let recovery = hex::decode(&roster.recovery_public).map_err(|_| TeamError::BadRoster)?;
    let mut recipients: Vec<(String, Vec<u8>)> = vec![(RECOVERY_RECIPIENT.into(), recovery)];
    for member in &roster.members {
        let public = hex::decode(&member.x25519_public).map_err(|_| TeamError::BadRoster)?;
        recipients.push((member.id.clone(), public));
    }
    for (recipient, public) in recipients {
        let wrapped = keys::wrap_org_key(key, &roster.org_id, &recipient, &public)?;
        client.execute(
            "INSERT INTO wrapped_keys (org_id, epoch, recipient, wrapped) VALUES ($1, $2, $3, $4)
             ON CONFLICT (org_id, epoch, recipient) DO UPDATE SET wrapped = EXCLUDED.wrapped",
            &[&roster.org_id, &key.epoch, &recipient, &wrapped],
        )?;
    }
    Ok(())
}

fn store_roster(
    client: &mut impl GenericClient,
    roster: &Roster,
    supervisor: &MemberKeys,
) -> Result<(), TeamError> {
    let signed = roster.sign(supervisor);
    client.execute(
        "INSERT INTO rosters (org_id, serial, body, signature) VALUES ($1, $2, $3, $4)",
        &[
            &roster.org_id,
            &roster.serial,
            &signed.body,
            &signed.signature,
        ],
    )?;
    Ok(())
}

/// The newest roster, checked against the supervisor key this store was given.
pub fn current_roster(
    client: &mut impl GenericClient,
    org_id: &str,
    supervisor_key: &[u8],
) -> Result<Roster, TeamError> {
    let row = client
        .query_opt(
            "SELECT body, signature FROM rosters WHERE org_id = $1 ORDER BY serial DESC LIMIT 1",
            &[&org_id],
        )?
        .ok_or(TeamError::BadRoster)?;
    let signed = SignedRoster {
        body: row.get(0),
        signature: row.get(1),
    };
    signed
        .verify(supervisor_key, org_id)
        .map_err(|_| TeamError::BadRoster)
}

/// The supervisor's membership, keys and org keys; refuses anyone else.
fn as_supervisor(
    store: &Store,
    server: &mut Server,
) -> Result<(TeamMembership, MemberKeys, OrgKeys), TeamError> {
    let membership = store.team_membership()?.ok_or(TeamError::NotInTeam)?;
    if membership.role != TeamRole::Supervisor {
        return Err(TeamError::SupervisorOnly);
    }
    let keys = sync::member_keys(&membership)?;
    let org_keys = sync::org_keys(server.client(), &membership, &keys)?;
    Ok((membership, keys, org_keys))
}

/// An invitation: the new member's id and the code the supervisor hands over in person (it
/// holds the login password and the supervisor's key, so it is as secret as a password).
pub struct Invitation {
    pub member_id: String,
    pub code: Zeroizing<String>,
}

/// Creates an invited adviser: a login role of their own (its password sent to the server
/// only as a SCRAM verifier) and a member row waiting for their keys.
pub fn invite(store: &mut Store, server: &mut Server, now: &str) -> Result<Invitation, TeamError> {
    let (membership, keys, org_keys) = as_supervisor(store, server)?;
    let member_id = keys::random_id(8)?;
    let password = Zeroizing::new(keys::random_id(24)?);
    let salt = keys::random_bytes::<16>()?;
    let verifier = server::scram_verifier(&password, &salt);
    let role = db_role(&member_id);
    let mut tx = server.client().transaction()?;
    // The role name is hex we made and the verifier is base64, so neither can break quoting.
    tx.batch_execute(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD '{verifier}' IN ROLE {}",
        server::MEMBER_GROUP
    ))?;
    tx.execute(
        "INSERT INTO members (org_id, id, db_role, role, status) VALUES ($1, $2, $3, 'adviser', 'invited')",
        &[&membership.org_id, &member_id, &role],
    )?;
    let head = audit::append_in(
        &mut tx,
        &membership,
        &keys,
        org_keys.current()?,
        &event("invite", now, Some(&member_id)),
    )?;
    tx.commit()?;
    store.set_audit_head(&head)?;
    let code = invitation_code(&membership, &member_id, &password);
    Ok(Invitation { member_id, code })
}

fn db_role(member_id: &str) -> String {
    format!("sanctuary_{member_id}")
}

struct InvitationCode {
    org_id: String,
    member_id: String,
    password: Zeroizing<String>,
    supervisor_key: Vec<u8>,
}

fn parse_code(code: &str) -> Result<InvitationCode, TeamError> {
    let parts: Vec<&str> = code.trim().split('.').collect();
    let [org_id, member_id, password, supervisor] = parts.as_slice() else {
        return Err(TeamError::BadInvitation);
    };
    let hex_of =
        |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit());
    if !(hex_of(org_id, 32)
        && hex_of(member_id, 16)
        && hex_of(password, 48)
        && hex_of(supervisor, 64))
    {
        return Err(TeamError::BadInvitation);
    }
    Ok(InvitationCode {
        org_id: org_id.to_ascii_lowercase(),
        member_id: member_id.to_ascii_lowercase(),
        password: Zeroizing::new((*password).into()),
        supervisor_key: hex::decode(supervisor).map_err(|_| TeamError::BadInvitation)?,
    })
}

/// What `team join` gives the adviser: the fingerprint to read aloud to the supervisor.
pub struct Joined {
    pub member_id: String,
    pub fingerprint: String,
}

/// Joins the team with an invitation: makes this member's keys (kept only in this store),
/// sends the public keys to the server, and returns the fingerprint to read to the
/// supervisor. The store must hold no clients (see [`TeamError::StoreNotEmpty`]). `url` is
/// the server's address without a login (the invitation carries it).
pub fn join(store: &mut Store, url: &str, code: &str, now: &str) -> Result<Joined, TeamError> {
    if store.team_membership()?.is_some() {
        return Err(TeamError::AlreadyInTeam);
    }
    if store.client_count()? > 0 {
        return Err(TeamError::StoreNotEmpty);
    }
    let invitation = parse_code(code)?;
    let role = db_role(&invitation.member_id);
    let mut server = Server::connect_as(url, Some((&role, &invitation.password)))?;
    let keys = MemberKeys::generate()?;
    let membership = TeamMembership {
        org_id: invitation.org_id.clone(),
        member_id: invitation.member_id.clone(),
        role: TeamRole::Adviser,
        server_url: url.into(),
        db_user: role,
        db_password: invitation.password.clone(),
        supervisor_key: invitation.supervisor_key.clone(),
        x25519_secret: Zeroizing::new(keys.x25519_secret().to_vec()),
        ed25519_secret: keys.ed25519_secret(),
    };
    publish_keys(&mut server, &membership, &keys)?;
    store.set_team_membership(&membership)?;
    let _ = now; // the join is audited by the supervisor's confirm, once there is a key
    Ok(Joined {
        member_id: invitation.member_id,
        fingerprint: keys.fingerprint(),
    })
}

/// Sends this member's public keys, after checking the server has the supervisor key the
/// invitation gave.
fn publish_keys(
    server: &mut Server,
    membership: &TeamMembership,
    keys: &MemberKeys,
) -> Result<(), TeamError> {
    let supervisor_key: Vec<u8> = server
        .client()
        .query_opt(
            "SELECT supervisor_key FROM orgs WHERE id = $1",
            &[&membership.org_id],
        )?
        .ok_or(TeamError::BadInvitation)?
        .get(0);
    if supervisor_key != membership.supervisor_key {
        return Err(TeamError::SupervisorKeyMismatch);
    }
    let updated = server.client().execute(
        "UPDATE members SET x25519_public = $2, ed25519_public = $3, status = 'accepted' WHERE id = $1",
        &[&membership.member_id, &keys.x25519_public, &keys.ed25519_public()],
    )?;
    if updated != 1 {
        return Err(TeamError::NoSuchMember(membership.member_id.clone()));
    }
    Ok(())
}

/// A forgotten passphrase (or a lost laptop): the supervisor gives the member's login a new
/// password and a new invitation code; the adviser joins with it from a new store, and
/// confirming them again wraps the key to their new keys. Keys on the old store stop being
/// able to log in at once (the password changed).
pub fn reinvite(
    store: &mut Store,
    server: &mut Server,
    member_id: &str,
    now: &str,
) -> Result<Invitation, TeamError> {
    let (membership, keys, org_keys) = as_supervisor(store, server)?;
    let member = member_row(server, &membership.org_id, member_id)?;
    if member.role != "adviser" || member.status == "revoked" {
        return Err(TeamError::WrongStatus {
            member: member_id.into(),
            status: format!("{} ({})", member.status, member.role),
        });
    }
    let password = Zeroizing::new(keys::random_id(24)?);
    let salt = keys::random_bytes::<16>()?;
    let verifier = server::scram_verifier(&password, &salt);
    let mut tx = server.client().transaction()?;
    tx.batch_execute(&format!(
        "ALTER ROLE {} PASSWORD '{verifier}'",
        member.db_role
    ))?;
    let head = set_status_audited(
        &mut tx,
        (&membership, &keys, org_keys.current()?),
        member_id,
        "invited",
        &event("reinvite", now, Some(member_id)),
    )?;
    tx.commit()?;
    store.set_audit_head(&head)?;
    Ok(Invitation {
        code: invitation_code(&membership, member_id, &password),
        member_id: member_id.into(),
    })
}

fn invitation_code(
    membership: &TeamMembership,
    member_id: &str,
    password: &str,
) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "{}.{}.{}.{}",
        membership.org_id,
        member_id,
        password,
        hex::encode(&membership.supervisor_key)
    ))
}

/// Moves a member to `status` and records `event` in the supervisor's audit chain, in the
/// caller's transaction; returns the chain's new head.
fn set_status_audited(
    tx: &mut postgres::Transaction<'_>,
    (membership, keys, key): (&TeamMembership, &MemberKeys, &OrgKey),
    member_id: &str,
    status: &str,
    event: &AuditEvent,
) -> Result<Vec<u8>, TeamError> {
    tx.execute(
        "UPDATE members SET status = $3 WHERE org_id = $1 AND id = $2",
        &[&membership.org_id, &member_id, &status],
    )?;
    audit::append_in(tx, membership, keys, key, event)
}

/// A member as the server has them.
struct MemberRow {
    db_role: String,
    role: String,
    status: String,
    x25519_public: Option<Vec<u8>>,
    ed25519_public: Option<Vec<u8>>,
}

fn member_row(server: &mut Server, org_id: &str, member_id: &str) -> Result<MemberRow, TeamError> {
    let row = server
        .client()
        .query_opt(
            "SELECT db_role, role, status, x25519_public, ed25519_public FROM members
             WHERE org_id = $1 AND id = $2",
            &[&org_id, &member_id],
        )?
        .ok_or_else(|| TeamError::NoSuchMember(member_id.into()))?;
    Ok(MemberRow {
        db_role: row.get(0),
        role: row.get(1),
        status: row.get(2),
        x25519_public: row.get(3),
        ed25519_public: row.get(4),
    })
}

/// Strips spaces and case, so a fingerprint read aloud compares however it was typed.
fn normalised(fingerprint: &str) -> String {
    fingerprint
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Confirms an adviser once the fingerprint they read aloud matches the keys the server
/// holds: signs a new roster with them on it and wraps the current key to them. Confirming
/// again after a rejoin replaces their keys. Never automatic: `fingerprint_heard` is what
/// the supervisor typed while listening.
pub fn confirm(
    store: &mut Store,
    server: &mut Server,
    member_id: &str,
    fingerprint_heard: &str,
    now: &str,
) -> Result<(), TeamError> {
    let (membership, keys, org_keys) = as_supervisor(store, server)?;
    let member = member_row(server, &membership.org_id, member_id)?;
    let (Some(x25519), Some(ed25519), "accepted") = (
        member.x25519_public,
        member.ed25519_public,
        member.status.as_str(),
    ) else {
        return Err(TeamError::WrongStatus {
            member: member_id.into(),
            status: member.status,
        });
    };
    if normalised(&keys::fingerprint(&x25519, &ed25519)) != normalised(fingerprint_heard) {
        return Err(TeamError::FingerprintMismatch(member_id.into()));
    }
    let mut roster = current_roster(
        server.client(),
        &membership.org_id,
        &membership.supervisor_key,
    )?;
    roster.members.retain(|member| member.id != member_id);
    roster
        .members
        .push(roster_member(member_id, "adviser", &x25519, &ed25519));
    roster.serial += 1;
    let mut tx = server.client().transaction()?;
    let key = org_keys.current()?;
    store_roster(&mut tx, &roster, &keys)?;
    // Only the new member's copy is written: the others' are unchanged.
    let just_them = Roster {
        members: vec![roster_member(member_id, "adviser", &x25519, &ed25519)],
        ..roster.clone()
    };
    wrap_to_roster(&mut tx, key, &just_them)?;
    let head = set_status_audited(
        &mut tx,
        (&membership, &keys, key),
        member_id,
        "confirmed",
        &event("confirm", now, Some(member_id)),
    )?;
    tx.commit()?;
    store.set_audit_head(&head)?;
    Ok(())
}

/// What a revocation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub new_epoch: i32,
    /// Records sealed again under the new epoch's key.
    pub resealed: usize,
}

/// Revokes a member: their login is disabled and their rows hidden at once, a new key epoch
/// is wrapped to the remaining members and the recovery key, and every record is sealed
/// again under it, so the revoked member's keys open nothing written after. The rotation is
/// marked owed on the server first, so an interrupted one is finished by the supervisor's
/// next sync ([`finish_rotation`]).
pub fn revoke(
    store: &mut Store,
    server: &mut Server,
    member_id: &str,
    now: &str,
) -> Result<Revoked, TeamError> {
    let (membership, keys, _) = as_supervisor(store, server)?;
    if member_id == membership.member_id {
        return Err(TeamError::WrongStatus {
            member: member_id.into(),
            status: "the supervisor".into(),
        });
    }
    let member = member_row(server, &membership.org_id, member_id)?;
    if member.status == "revoked" {
        return Err(TeamError::WrongStatus {
            member: member_id.into(),
            status: member.status,
        });
    }
    let role = member.db_role;
    let mut roster = current_roster(
        server.client(),
        &membership.org_id,
        &membership.supervisor_key,
    )?;
    roster.members.retain(|member| member.id != member_id);
    roster.serial += 1;
    roster.epoch += 1;
    let new_key = OrgKey::generate(roster.epoch)?;
    let mut tx = server.client().transaction()?;
    tx.batch_execute(&format!("ALTER ROLE {role} NOLOGIN"))?;
    tx.execute(
        "UPDATE orgs SET epoch = $2, rotation_owed = true WHERE id = $1",
        &[&membership.org_id, &roster.epoch],
    )?;
    wrap_to_roster(&mut tx, &new_key, &roster)?;
    store_roster(&mut tx, &roster, &keys)?;
    let head = set_status_audited(
        &mut tx,
        (&membership, &keys, &new_key),
        member_id,
        "revoked",
        &event("revoke", now, Some(member_id)),
    )?;
    tx.commit()?;
    store.set_audit_head(&head)?;
    // Their open sessions end now (where the server lets the owner do it; the rows are
    // hidden from them already either way).
    let _ = server.client().execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
        &[&role],
    );
    let resealed = finish_rotation(store, server)?;
    Ok(Revoked {
        new_epoch: roster.epoch,
        resealed,
    })
}

/// Seals every record still under an old epoch again under the current one (versions go up,
/// so every replica pulls them), then clears the rotation flag. Safe to run again.
pub fn finish_rotation(store: &mut Store, server: &mut Server) -> Result<usize, TeamError> {
    let (membership, _, org_keys) = as_supervisor(store, server)?;
    let org = membership.org_id.as_str();
    let key = org_keys.current()?;
    let mut tx = server.client().transaction()?;
    lock_org(&mut tx, org)?;
    let rows = tx.query(
        "SELECT id, version, epoch, body FROM records WHERE org_id = $1 AND epoch < $2 AND NOT tombstone",
        &[&org, &key.epoch],
    )?;
    let mut resealed = 0;
    for row in rows {
        let id: String = row.get(0);
        let version: i64 = row.get(1);
        let epoch: i32 = row.get(2);
        let sealed: Vec<u8> = row.get(3);
        let (kind, fields) = open_record(org_keys.get(epoch)?, org, &id, version, &sealed)?;
        let body = seal_record(key, org, &id, version + 1, kind, &fields)?;
        tx.execute(
            "UPDATE records SET version = $3, epoch = $4, body = $5, seq = nextval('records_seq')
             WHERE org_id = $1 AND id = $2",
            &[&org, &id, &(version + 1), &key.epoch, &body],
        )?;
        resealed += 1;
    }
    tx.execute(
        "UPDATE orgs SET rotation_owed = false WHERE id = $1",
        &[&org],
    )?;
    tx.commit()?;
    Ok(resealed)
}

/// Whether a rotation was left unfinished (checked by the supervisor's sync).
pub fn rotation_owed(server: &mut Server, org_id: &str) -> Result<bool, TeamError> {
    Ok(server
        .client()
        .query_opt("SELECT rotation_owed FROM orgs WHERE id = $1", &[&org_id])?
        .is_some_and(|row| row.get(0)))
}

/// One member as `team status` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    pub member_id: String,
    pub role: String,
    pub status: String,
    /// `None` until the member has sent their keys.
    pub fingerprint: Option<String>,
}

/// The team as the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamStatus {
    pub org_id: String,
    pub member_id: String,
    pub role: TeamRole,
    pub epoch: i32,
    pub members: Vec<MemberLine>,
}

/// The members and the key epoch (needs the server).
pub fn status(store: &Store, server: &mut Server) -> Result<TeamStatus, TeamError> {
    let membership = store.team_membership()?.ok_or(TeamError::NotInTeam)?;
    let epoch = sync::current_epoch(server.client(), &membership.org_id)?;
    let rows = server.client().query(
        "SELECT id, role, status, x25519_public, ed25519_public FROM members WHERE org_id = $1
         ORDER BY role DESC, id",
        &[&membership.org_id],
    )?;
    let members = rows
        .into_iter()
        .map(|row| {
            let x: Option<Vec<u8>> = row.get(3);
            let ed: Option<Vec<u8>> = row.get(4);
            MemberLine {
                member_id: row.get(0),
                role: row.get(1),
                status: row.get(2),
                fingerprint: x.zip(ed).map(|(x, ed)| keys::fingerprint(&x, &ed)),
            }
        })
        .collect();
    Ok(TeamStatus {
        org_id: membership.org_id,
        member_id: membership.member_id,
        role: membership.role,
        epoch,
        members,
    })
}

/// Takes the team's caseload back to a personal store (the organisation closes, or the
/// supervisor archives it): a last sync so this replica holds everything, an audit entry,
/// then the store leaves the team and keeps every row as a personal store's. Supervisor
/// only; the server's copy is left for the organisation to delete.
pub fn archive(
    store: &mut Store,
    server: &mut Server,
    now: &str,
) -> Result<sync::SyncReport, TeamError> {
    let (membership, keys, org_keys) = as_supervisor(store, server)?;
    let report = sync::sync(store, server, now)?;
    let head = audit::append_in(
        server.client(),
        &membership,
        &keys,
        org_keys.current()?,
        &event("archive", now, None),
    )?;
    store.set_audit_head(&head)?;
    store.clear_team_membership()?;
    Ok(report)
}

/// Checks every member's audit chain (supervisor only: it holds every epoch's key).
pub fn audit_check(store: &Store, server: &mut Server) -> Result<audit::AuditReport, TeamError> {
    let (membership, _, org_keys) = as_supervisor(store, server)?;
    let head = store.sync_state()?.audit_head;
    audit::verify(server.client(), &membership, &org_keys, head.as_deref())
}

/// The supervisor is gone: with the recovery key from the safe, this (new, empty) store
/// becomes the team's new supervisor on the server at `url` (the database owner's login).
/// The organisation is the one whose recovery copy of the key the recovery key opens. The
/// new supervisor gets every key epoch, signs a new roster (naming the former supervisor's
/// key, so older rosters and audit entries still verify) and the former supervisor is
/// revoked. Advisers carry on as they are.
pub fn recover(
    store: &mut Store,
    url: &str,
    recovery_printed: &str,
    now: &str,
) -> Result<Joined, TeamError> {
    if store.team_membership()?.is_some() {
        return Err(TeamError::AlreadyInTeam);
    }
    let recovery = RecoveryKey::parse(recovery_printed)?;
    let mut server = Server::connect(url)?;
    let (org_id, epoch_keys) = recovered_keys(&mut server, &recovery)?;
    let old = current_roster_unpinned(&mut server, &org_id)?;
    let db_user = server.current_user()?;
    let member_id = keys::random_id(8)?;
    let keys = MemberKeys::generate()?;
    let membership = supervisor_membership(&org_id, &member_id, url, &keys);
    let (old_roster, old_key) = old;
    let mut roster = old_roster.clone();
    let former: Vec<&RosterMember> = old_roster
        .members
        .iter()
        .filter(|m| m.role == "supervisor")
        .collect();
    roster.members.retain(|m| m.role != "supervisor");
    roster.members.push(roster_member(
        &member_id,
        "supervisor",
        &keys.x25519_public,
        &keys.ed25519_public(),
    ));
    roster.serial += 1;
    roster.former_supervisors.push(hex::encode(&old_key));
    let mut tx = server.client().transaction()?;
    for member in &former {
        tx.execute(
            "UPDATE members SET status = 'revoked' WHERE org_id = $1 AND id = $2",
            &[&org_id, &member.id],
        )?;
    }
    insert_supervisor(&mut tx, &org_id, &member_id, &db_user, &keys)?;
    tx.execute(
        "UPDATE orgs SET supervisor_key = $2 WHERE id = $1",
        &[&org_id, &keys.ed25519_public()],
    )?;
    let me_only = Roster {
        members: vec![roster_member(
            &member_id,
            "supervisor",
            &keys.x25519_public,
            &keys.ed25519_public(),
        )],
        ..roster.clone()
    };
    for key in &epoch_keys {
        wrap_to_roster(&mut tx, key, &me_only)?;
    }
    store_roster(&mut tx, &roster, &keys)?;
    let current = epoch_keys
        .iter()
        .max_by_key(|key| key.epoch)
        .ok_or(TeamError::NotConfirmed)?;
    let head = audit::append_in(
        &mut tx,
        &membership,
        &keys,
        current,
        &event("recover", now, None),
    )?;
    tx.commit()?;
    store.set_team_membership(&membership)?;
    store.set_audit_head(&head)?;
    Ok(Joined {
        member_id,
        fingerprint: keys.fingerprint(),
    })
}

/// The organisation whose recovery copies this recovery key opens, and every epoch's key.
fn recovered_keys(
    server: &mut Server,
    recovery: &RecoveryKey,
) -> Result<(String, Vec<OrgKey>), TeamError> {
    let rows = server.client().query(
        "SELECT org_id, epoch, wrapped FROM wrapped_keys WHERE recipient = $1 ORDER BY org_id, epoch",
        &[&RECOVERY_RECIPIENT],
    )?;
    let mut found: Option<(String, Vec<OrgKey>)> = None;
    for row in rows {
        let org: String = row.get(0);
        let Ok(key) = recovery.unwrap_org_key(&org, row.get(1), &row.get::<_, Vec<u8>>(2)) else {
            continue;
        };
        match &mut found {
            Some((known, keys)) if *known == org => keys.push(key),
            Some(_) => {}
            None => found = Some((org, vec![key])),
        }
    }
    found.ok_or(TeamError::Crypto(crate::keys::CryptoError::Unwrap))
}

/// The newest roster, checked against the supervisor key the server holds (the store that
/// pinned the old key is gone), and that key.
fn current_roster_unpinned(
    server: &mut Server,
    org_id: &str,
) -> Result<(Roster, Vec<u8>), TeamError> {
    let key: Vec<u8> = server
        .client()
        .query_one("SELECT supervisor_key FROM orgs WHERE id = $1", &[&org_id])?
        .get(0);
    Ok((current_roster(server.client(), org_id, &key)?, key))
}
