//! The roster: who is in the team and their public keys, signed by the supervisor. A client
//! wraps the organisation key only to a confirmed member of a roster whose signature it has
//! checked against the supervisor key it was given in person (the invitation), so the
//! server can neither add a member nor swap a member's key.

use serde::{Deserialize, Serialize};

use crate::keys::{self, CryptoError, MemberKeys};

/// One confirmed member as the supervisor signed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterMember {
    pub id: String,
    pub role: String,
    /// Hex of the X25519 public key the organisation key is wrapped to.
    pub x25519_public: String,
    /// Hex of the Ed25519 public key their audit entries are signed with.
    pub ed25519_public: String,
}

/// The members at one moment; `serial` grows with each change, so an old roster served
/// again is noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub org_id: String,
    pub serial: i64,
    pub epoch: i32,
    pub members: Vec<RosterMember>,
    /// Hex of the recovery key's X25519 public key, which every epoch's key is wrapped to.
    pub recovery_public: String,
    /// Hex of the Ed25519 keys of supervisors before this one (after a recovery), whose
    /// signatures on older rosters still count.
    #[serde(default)]
    pub former_supervisors: Vec<String>,
}

/// A roster as stored on the server: the exact bytes signed, and the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRoster {
    pub body: Vec<u8>,
    pub signature: Vec<u8>,
}

impl Roster {
    pub fn sign(&self, supervisor: &MemberKeys) -> SignedRoster {
        // Serialising a struct of strings and numbers cannot fail.
        let body = serde_json::to_vec(self).unwrap_or_default();
        SignedRoster {
            signature: supervisor.sign(&body),
            body,
        }
    }

    pub fn member(&self, id: &str) -> Option<&RosterMember> {
        self.members.iter().find(|member| member.id == id)
    }
}

/// Every roster, each checked: the newest against the supervisor key this store trusts, the
/// older ones against that key or a former supervisor's the newest lists.
pub fn verify_all(
    signed: &[SignedRoster],
    supervisor_key: &[u8],
    org_id: &str,
) -> Result<Vec<Roster>, CryptoError> {
    let newest = signed.last().ok_or(CryptoError::BadSignature)?;
    let newest = newest.verify(supervisor_key, org_id)?;
    let mut trusted = vec![supervisor_key.to_vec()];
    for former in &newest.former_supervisors {
        trusted.push(hex::decode(former).map_err(|_| CryptoError::BadSignature)?);
    }
    signed
        .iter()
        .map(|roster| {
            trusted
                .iter()
                .find_map(|key| roster.verify(key, org_id).ok())
                .ok_or(CryptoError::BadSignature)
        })
        .collect()
}

impl SignedRoster {
    /// The roster, if the supervisor's key signed exactly these bytes for this organisation.
    pub fn verify(&self, supervisor_key: &[u8], org_id: &str) -> Result<Roster, CryptoError> {
        keys::verify(supervisor_key, &self.body, &self.signature)?;
        let roster: Roster =
            serde_json::from_slice(&self.body).map_err(|_| CryptoError::BadSignature)?;
        if roster.org_id != org_id {
            return Err(CryptoError::BadSignature);
        }
        Ok(roster)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(member: &MemberKeys) -> Roster {
        Roster {
            org_id: "org-1".into(),
            serial: 2,
            epoch: 1,
            members: vec![RosterMember {
                id: "m1".into(),
                role: "adviser".into(),
                x25519_public: hex::encode(&member.x25519_public),
                ed25519_public: hex::encode(member.ed25519_public()),
            }],
            recovery_public: String::new(),
            former_supervisors: Vec::new(),
        }
    }

    #[test]
    fn a_roster_signed_by_the_supervisor_verifies() {
        let supervisor = MemberKeys::generate().expect("keys");
        let adviser = MemberKeys::generate().expect("keys");
        let signed = roster(&adviser).sign(&supervisor);
        let read = signed
            .verify(&supervisor.ed25519_public(), "org-1")
            .expect("verify");
        assert_eq!(read, roster(&adviser));
    }

    #[test]
    fn a_tampered_roster_is_refused() {
        let supervisor = MemberKeys::generate().expect("keys");
        let adviser = MemberKeys::generate().expect("keys");
        let server = MemberKeys::generate().expect("keys");
        let signed = roster(&adviser).sign(&supervisor);
        // The server swaps the adviser's key for its own, keeping the signature.
        let mut swapped = roster(&adviser);
        swapped.members[0].x25519_public = hex::encode(&server.x25519_public);
        let forged = SignedRoster {
            body: serde_json::to_vec(&swapped).expect("json"),
            signature: signed.signature.clone(),
        };
        assert_eq!(
            forged.verify(&supervisor.ed25519_public(), "org-1"),
            Err(CryptoError::BadSignature)
        );
        // Signed by anyone but the supervisor.
        let self_signed = swapped.sign(&server);
        assert!(
            self_signed
                .verify(&supervisor.ed25519_public(), "org-1")
                .is_err()
        );
        // The right roster, for another organisation.
        assert!(
            signed
                .verify(&supervisor.ed25519_public(), "org-2")
                .is_err()
        );
    }
}
