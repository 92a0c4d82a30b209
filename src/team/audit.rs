//! The audit trail: append-only on the server (the members' role may only insert, and a
//! trigger refuses UPDATE, DELETE and TRUNCATE even to the owner), one hash chain per member,
//! each entry signed with the member's Ed25519 key, its event sealed under the epoch's audit
//! subkey. [`verify`] checks every chain and signature: a database superuser can still
//! disable the trigger and drop entries, but not without the chains showing it. Events are
//! what members' clients report: a modified client could leave some out.

use postgres::GenericClient;
use sanctuary::casework::store::Store;
use sanctuary::casework::store::team::TeamMembership;
use serde::{Deserialize, Serialize};

use crate::error::TeamError;
use crate::keys::{self, Binding, MemberKeys};
use crate::roster;
use crate::server::Server;
use crate::sync::OrgKeys;

/// One audited action, as sealed in an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// `init`, `invite`, `join`, `confirm`, `revoke`, `rotate`, `sync`, `archive`.
    pub action: String,
    /// When, as the member's client gave it (RFC 3339).
    pub at: String,
    /// The record ids written, for a sync.
    #[serde(default)]
    pub records: Vec<String>,
    /// The member acted on (invite, confirm, revoke).
    #[serde(default)]
    pub subject: Option<String>,
}

const AUDIT: &str = "audit";

fn event_binding<'a>(org: &'a str, member: &'a str) -> Binding<'a> {
    Binding {
        org,
        table: AUDIT,
        column: "event",
        row: member,
        version: 0,
    }
}

fn entry_hash(org: &str, member: &str, epoch: i32, prev: Option<&[u8]>, event: &[u8]) -> Vec<u8> {
    keys::chain_hash(&[
        org.as_bytes(),
        member.as_bytes(),
        &epoch.to_be_bytes(),
        prev.unwrap_or_default(),
        event,
    ])
}

/// Appends an entry to this member's chain (in its own statement; see [`append_in`]).
#[allow(clippy::too_many_arguments)]
pub fn append(
    server: &mut Server,
    store: &mut Store,
    membership: &TeamMembership,
    keys: &MemberKeys,
    org_keys: &OrgKeys,
    action: &str,
    records: &[String],
    now: &str,
) -> Result<(), TeamError> {
    let event = AuditEvent {
        action: action.into(),
        at: now.into(),
        records: records.to_vec(),
        subject: None,
    };
    let head = append_in(
        server.client(),
        membership,
        keys,
        org_keys.current()?,
        &event,
    )?;
    store.set_audit_head(&head)?;
    Ok(())
}

/// Appends `event` to this member's chain through `client` (a transaction, for an action
/// whose audit entry must commit with it); returns the new head.
pub fn append_in(
    client: &mut impl GenericClient,
    membership: &TeamMembership,
    keys: &MemberKeys,
    key: &keys::OrgKey,
    event: &AuditEvent,
) -> Result<Vec<u8>, TeamError> {
    let org = membership.org_id.as_str();
    let member = membership.member_id.as_str();
    let prev: Option<Vec<u8>> = client
        .query_opt(
            "SELECT entry_hash FROM audit WHERE org_id = $1 AND member_id = $2 ORDER BY seq DESC LIMIT 1",
            &[&org, &member],
        )?
        .map(|row| row.get(0));
    let plain = serde_json::to_vec(event).map_err(|e| TeamError::BadRecord(e.to_string()))?;
    let sealed = key.seal(AUDIT, &event_binding(org, member), &plain)?;
    let hash = entry_hash(org, member, key.epoch, prev.as_deref(), &sealed);
    let signature = keys.sign(&hash);
    client.execute(
        "INSERT INTO audit (org_id, member_id, epoch, prev_hash, entry_hash, signature, event)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&org, &member, &key.epoch, &prev, &hash, &signature, &sealed],
    )?;
    Ok(hash)
}

/// One member's chain, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub member_id: String,
    pub entries: usize,
    /// What is wrong with the chain, if anything (the first problem found).
    pub problem: Option<String>,
}

/// One entry, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub member_id: String,
    /// `None` when this member holds no key for the entry's epoch.
    pub event: Option<AuditEvent>,
}

/// Every chain checked, and the entries in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditReport {
    pub chains: Vec<ChainCheck>,
    pub entries: Vec<AuditEntry>,
}

impl AuditReport {
    pub fn all_intact(&self) -> bool {
        self.chains.iter().all(|chain| chain.problem.is_none())
    }
}

/// Every signing key each member has had, from every roster the supervisor signed (members
/// since revoked, and keys since replaced after a lost passphrase, included, so their old
/// entries still verify).
fn signing_keys(
    client: &mut impl GenericClient,
    membership: &TeamMembership,
) -> Result<std::collections::HashMap<String, Vec<Vec<u8>>>, TeamError> {
    let signed: Vec<roster::SignedRoster> = client
        .query(
            "SELECT body, signature FROM rosters WHERE org_id = $1 ORDER BY serial",
            &[&membership.org_id],
        )?
        .into_iter()
        .map(|row| roster::SignedRoster {
            body: row.get(0),
            signature: row.get(1),
        })
        .collect();
    let rosters = roster::verify_all(&signed, &membership.supervisor_key, &membership.org_id)
        .map_err(|_| TeamError::BadRoster)?;
    let mut found = std::collections::HashMap::new();
    for roster in rosters {
        for member in roster.members {
            let key = hex::decode(&member.ed25519_public).map_err(|_| TeamError::BadRoster)?;
            let keys: &mut Vec<Vec<u8>> = found.entry(member.id).or_default();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    Ok(found)
}

/// Checks every member's chain: each entry follows the last, its hash is right, and the
/// member signed it. The checking member's own newest entry must be the one their store
/// last wrote (`local_head`), so entries dropped from the end are noticed too.
pub fn verify(
    client: &mut impl GenericClient,
    membership: &TeamMembership,
    org_keys: &OrgKeys,
    local_head: Option<&[u8]>,
) -> Result<AuditReport, TeamError> {
    let signers = signing_keys(client, membership)?;
    let rows = client.query(
        "SELECT seq, member_id, epoch, prev_hash, entry_hash, signature, event
         FROM audit WHERE org_id = $1 ORDER BY seq",
        &[&membership.org_id],
    )?;
    let mut heads: std::collections::HashMap<String, Option<Vec<u8>>> = Default::default();
    let mut checks: Vec<ChainCheck> = Vec::new();
    let mut report = AuditReport::default();
    for row in rows {
        let member: String = row.get(1);
        let epoch: i32 = row.get(2);
        let prev: Option<Vec<u8>> = row.get(3);
        let hash: Vec<u8> = row.get(4);
        let signature: Vec<u8> = row.get(5);
        let sealed: Vec<u8> = row.get(6);
        let index = match checks.iter().position(|c| c.member_id == member) {
            Some(index) => index,
            None => {
                checks.push(ChainCheck {
                    member_id: member.clone(),
                    entries: 0,
                    problem: None,
                });
                checks.len() - 1
            }
        };
        let check = &mut checks[index];
        check.entries += 1;
        let expected_prev = heads.entry(member.clone()).or_insert(None);
        let problem = if prev != *expected_prev {
            Some("an entry is missing or out of order".to_string())
        } else if entry_hash(&membership.org_id, &member, epoch, prev.as_deref(), &sealed) != hash {
            Some("an entry was changed".to_string())
        } else {
            match signers.get(&member) {
                Some(member_keys)
                    if member_keys
                        .iter()
                        .any(|key| keys::verify(key, &hash, &signature).is_ok()) =>
                {
                    None
                }
                Some(_) => Some("an entry is not signed by the member".to_string()),
                None => Some("the member is on no roster the supervisor signed".to_string()),
            }
        };
        if check.problem.is_none() {
            check.problem = problem;
        }
        *expected_prev = Some(hash);
        let event = org_keys
            .get(epoch)
            .ok()
            .and_then(|key| {
                key.open(AUDIT, &event_binding(&membership.org_id, &member), &sealed)
                    .ok()
            })
            .and_then(|plain| serde_json::from_slice(&plain).ok());
        report.entries.push(AuditEntry {
            seq: row.get(0),
            member_id: member,
            event,
        });
    }
    if let Some(local) = local_head {
        let server_head = heads.get(&membership.member_id).cloned().flatten();
        if server_head.as_deref() != Some(local) {
            let own = checks
                .iter_mut()
                .find(|c| c.member_id == membership.member_id);
            let problem = Some("entries this store wrote are missing from the end".to_string());
            match own {
                Some(check) if check.problem.is_none() => check.problem = problem,
                Some(_) => {}
                None => checks.push(ChainCheck {
                    member_id: membership.member_id.clone(),
                    entries: 0,
                    problem,
                }),
            }
        }
    }
    report.chains = checks;
    Ok(report)
}
