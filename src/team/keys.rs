//! Keys and envelopes, composed from well-kept crates (no primitive of our own):
//!
//! - an organisation key per epoch: 256 random bits ([`OrgKey`]), from which HKDF-SHA256
//!   derives one subkey for records and one for the audit trail;
//! - every client-data field sealed with XChaCha20-Poly1305 ([`seal`]/[`open`]) under a
//!   random 192-bit nonce, the associated data binding organisation, table, column, row id
//!   and version (so a ciphertext moved to another row, column or version fails), the
//!   plaintext padded to a multiple of 32 bytes so lengths say little;
//! - the organisation key wrapped to each confirmed member's X25519 public key and to the
//!   recovery key with HPKE (RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//!   ChaCha20-Poly1305; [`wrap_org_key`]);
//! - each member's Ed25519 signing key, for the roster and the audit chain.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::Zeroizing;

type WrapKem = hpke::kem::X25519HkdfSha256;
type WrapKdf = hpke::kdf::HkdfSha256;
type WrapAead = hpke::aead::ChaCha20Poly1305;

/// What can go wrong opening or checking something sealed. Deliberately vague: which
/// check failed is of no use to a person and of some use to an attacker.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("a sealed value did not open: wrong key, or it was changed or moved on the server")]
    Unsealed,
    #[error("a wrapped organisation key did not open with this member's key")]
    Unwrap,
    #[error(
        "a signature did not verify: the roster or audit entry was changed or is not the supervisor's"
    )]
    BadSignature,
    #[error("a stored key is not the right length or form")]
    BadKey,
    #[error("the system's random number generator failed: {0}")]
    Random(String),
}

/// Fills a buffer from the operating system's random number generator.
pub fn random_bytes<const N: usize>() -> Result<Zeroizing<[u8; N]>, CryptoError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(bytes)
}

/// A random id as hex (`bytes` random bytes): record ids, member ids, organisation ids.
pub fn random_id(bytes: usize) -> Result<String, CryptoError> {
    let mut id = vec![0u8; bytes];
    getrandom::fill(&mut id).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(hex::encode(id))
}

/// An organisation key for one epoch.
#[derive(Clone)]
pub struct OrgKey {
    pub epoch: i32,
    key: Zeroizing<[u8; 32]>,
}

/// What a sealed value belongs to: its associated data.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub org: &'a str,
    pub table: &'a str,
    pub column: &'a str,
    pub row: &'a str,
    pub version: i64,
}

impl Binding<'_> {
    fn aad(&self) -> Vec<u8> {
        // Length-prefixed, so no two bindings give the same bytes.
        let mut aad = Vec::new();
        for part in [self.org, self.table, self.column, self.row] {
            aad.extend_from_slice(&(part.len() as u32).to_be_bytes());
            aad.extend_from_slice(part.as_bytes());
        }
        aad.extend_from_slice(&self.version.to_be_bytes());
        aad
    }
}

/// The padding bucket: sealed lengths are multiples of this (plus nonce and tag).
pub const PAD_BUCKET: usize = 32;
const NONCE_LEN: usize = 24;

impl OrgKey {
    pub fn generate(epoch: i32) -> Result<OrgKey, CryptoError> {
        Ok(OrgKey {
            epoch,
            key: random_bytes::<32>()?,
        })
    }

    fn from_bytes(epoch: i32, bytes: &[u8]) -> Result<OrgKey, CryptoError> {
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(OrgKey {
            epoch,
            key: Zeroizing::new(key),
        })
    }

    /// A subkey for one purpose ("records", "audit"), by HKDF-SHA256.
    fn subkey(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        let hkdf = Hkdf::<Sha256>::new(Some(b"sanctuary team v1"), self.key.as_slice());
        let mut okm = Zeroizing::new([0u8; 32]);
        // 32 bytes is always a valid HKDF-SHA256 output length.
        let _ = hkdf.expand(purpose.as_bytes(), okm.as_mut_slice());
        okm
    }

    fn cipher(&self, purpose: &str) -> XChaCha20Poly1305 {
        let subkey = self.subkey(purpose);
        XChaCha20Poly1305::new(&chacha20poly1305::Key::from(*subkey))
    }

    /// Seals `plaintext` for the place `binding` names: nonce, then ciphertext and tag.
    pub fn seal(
        &self,
        purpose: &str,
        binding: &Binding<'_>,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let padded = pad(plaintext);
        let nonce_bytes = random_bytes::<NONCE_LEN>()?;
        let nonce = XNonce::from(*nonce_bytes);
        let aad = binding.aad();
        let sealed = self
            .cipher(purpose)
            .encrypt(
                &nonce,
                Payload {
                    msg: &padded,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Unsealed)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(nonce_bytes.as_slice());
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`OrgKey::seal`] sealed for the same place; anything else fails.
    pub fn open(
        &self,
        purpose: &str,
        binding: &Binding<'_>,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        if sealed.len() < NONCE_LEN {
            return Err(CryptoError::Unsealed);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| CryptoError::Unsealed)?;
        let aad = binding.aad();
        let padded = Zeroizing::new(
            self.cipher(purpose)
                .decrypt(
                    &nonce,
                    Payload {
                        msg: body,
                        aad: &aad,
                    },
                )
                .map_err(|_| CryptoError::Unsealed)?,
        );
        unpad(&padded)
    }
}

/// Pads to a multiple of [`PAD_BUCKET`]: the length as 4 bytes, the bytes, then zeros.
fn pad(plaintext: &[u8]) -> Zeroizing<Vec<u8>> {
    let len = 4 + plaintext.len();
    let padded_len = len.div_ceil(PAD_BUCKET) * PAD_BUCKET;
    let mut padded = Zeroizing::new(Vec::with_capacity(padded_len));
    padded.extend_from_slice(&(plaintext.len() as u32).to_be_bytes());
    padded.extend_from_slice(plaintext);
    padded.resize(padded_len, 0);
    padded
}

fn unpad(padded: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let (len, rest) = padded.split_at_checked(4).ok_or(CryptoError::Unsealed)?;
    let len = u32::from_be_bytes(len.try_into().map_err(|_| CryptoError::Unsealed)?) as usize;
    rest.get(..len)
        .map(|bytes| Zeroizing::new(bytes.to_vec()))
        .ok_or(CryptoError::Unsealed)
}

/// A member's key pairs: X25519 (the organisation key is wrapped to it) and Ed25519 (signs
/// rosters and audit entries). The secrets live only in the member's own encrypted store.
pub struct MemberKeys {
    x25519_secret: Zeroizing<Vec<u8>>,
    pub x25519_public: Vec<u8>,
    signing: SigningKey,
}

impl MemberKeys {
    pub fn generate() -> Result<MemberKeys, CryptoError> {
        let ikm = random_bytes::<32>()?;
        let (secret, public) = WrapKem::derive_keypair(ikm.as_slice());
        let signing_secret = random_bytes::<32>()?;
        Ok(MemberKeys {
            x25519_secret: Zeroizing::new(secret.to_bytes().to_vec()),
            x25519_public: public.to_bytes().to_vec(),
            signing: SigningKey::from_bytes(&signing_secret),
        })
    }

    /// The keys from the secrets kept in the store.
    pub fn from_secrets(
        x25519_secret: &[u8],
        ed25519_secret: &[u8],
    ) -> Result<MemberKeys, CryptoError> {
        let secret = <WrapKem as hpke::Kem>::PrivateKey::from_bytes(x25519_secret)
            .map_err(|_| CryptoError::BadKey)?;
        let public = WrapKem::sk_to_pk(&secret);
        let signing: [u8; 32] = ed25519_secret.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(MemberKeys {
            x25519_secret: Zeroizing::new(x25519_secret.to_vec()),
            x25519_public: public.to_bytes().to_vec(),
            signing: SigningKey::from_bytes(&signing),
        })
    }

    pub fn x25519_secret(&self) -> &[u8] {
        &self.x25519_secret
    }

    pub fn ed25519_secret(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.signing.to_bytes().to_vec())
    }

    pub fn ed25519_public(&self) -> Vec<u8> {
        self.signing.verifying_key().to_bytes().to_vec()
    }

    /// The fingerprint read aloud when the supervisor confirms this member.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.x25519_public, &self.ed25519_public())
    }

    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signing.sign(message).to_bytes().to_vec()
    }

    /// Opens a copy of the organisation key wrapped to this member.
    pub fn unwrap_org_key(
        &self,
        org: &str,
        epoch: i32,
        recipient: &str,
        wrapped: &[u8],
    ) -> Result<OrgKey, CryptoError> {
        unwrap_with(&self.x25519_secret, org, epoch, recipient, wrapped)
    }
}

/// Twenty hex digits in five groups, from SHA-256 of both public keys: 80 bits, enough
/// that a server swapping in its own key cannot find one with the same fingerprint.
pub fn fingerprint(x25519_public: &[u8], ed25519_public: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(b"sanctuary member fingerprint v1")
        .chain_update(x25519_public)
        .chain_update(ed25519_public)
        .finalize();
    let digits = hex::encode(&digest[..10]);
    digits
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The recovery key: an X25519 secret printed once for the supervisor's safe; with it
/// every epoch's organisation key can be opened if the supervisor is gone.
pub struct RecoveryKey {
    secret: Zeroizing<Vec<u8>>,
    pub public: Vec<u8>,
}

const RECOVERY_PREFIX: &str = "SANCTUARY-RECOVERY-";

impl RecoveryKey {
    pub fn generate() -> Result<RecoveryKey, CryptoError> {
        let ikm = random_bytes::<32>()?;
        let (secret, public) = WrapKem::derive_keypair(ikm.as_slice());
        Ok(RecoveryKey {
            secret: Zeroizing::new(secret.to_bytes().to_vec()),
            public: public.to_bytes().to_vec(),
        })
    }

    /// The key as printed: a prefix and 64 hex digits in groups of eight.
    pub fn printed(&self) -> Zeroizing<String> {
        let digits = Zeroizing::new(hex::encode(self.secret.as_slice()));
        let groups: Vec<&str> = (0..8).map(|i| &digits[i * 8..i * 8 + 8]).collect();
        Zeroizing::new(format!("{RECOVERY_PREFIX}{}", groups.join("-")))
    }

    /// Reads a printed recovery key back (spaces, dashes and case do not matter).
    pub fn parse(printed: &str) -> Result<RecoveryKey, CryptoError> {
        let upper = printed.trim().to_ascii_uppercase();
        let digits: String = upper
            .strip_prefix(RECOVERY_PREFIX)
            .unwrap_or(&upper)
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect();
        let secret = Zeroizing::new(hex::decode(digits).map_err(|_| CryptoError::BadKey)?);
        let key = <WrapKem as hpke::Kem>::PrivateKey::from_bytes(&secret)
            .map_err(|_| CryptoError::BadKey)?;
        Ok(RecoveryKey {
            public: WrapKem::sk_to_pk(&key).to_bytes().to_vec(),
            secret,
        })
    }

    pub fn unwrap_org_key(
        &self,
        org: &str,
        epoch: i32,
        wrapped: &[u8],
    ) -> Result<OrgKey, CryptoError> {
        unwrap_with(&self.secret, org, epoch, RECOVERY_RECIPIENT, wrapped)
    }
}

/// The recipient name of the recovery key's copy of the organisation key.
pub const RECOVERY_RECIPIENT: &str = "recovery";

fn wrap_info(org: &str, epoch: i32, recipient: &str) -> Vec<u8> {
    let mut info = b"sanctuary org key v1".to_vec();
    for part in [org, recipient] {
        info.extend_from_slice(&(part.len() as u32).to_be_bytes());
        info.extend_from_slice(part.as_bytes());
    }
    info.extend_from_slice(&epoch.to_be_bytes());
    info
}

/// Wraps the organisation key to one recipient's X25519 public key, bound to the
/// organisation, the epoch and the recipient: the encapsulated key, then the ciphertext.
pub fn wrap_org_key(
    key: &OrgKey,
    org: &str,
    recipient: &str,
    public: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let public =
        <WrapKem as hpke::Kem>::PublicKey::from_bytes(public).map_err(|_| CryptoError::BadKey)?;
    let info = wrap_info(org, key.epoch, recipient);
    let (encapped, sealed) = hpke::single_shot_seal::<WrapAead, WrapKdf, WrapKem>(
        &OpModeS::Base,
        &public,
        &info,
        key.key.as_slice(),
        b"",
    )
    .map_err(|_| CryptoError::BadKey)?;
    let mut out = encapped.to_bytes().to_vec();
    out.extend_from_slice(&sealed);
    Ok(out)
}

fn unwrap_with(
    secret: &[u8],
    org: &str,
    epoch: i32,
    recipient: &str,
    wrapped: &[u8],
) -> Result<OrgKey, CryptoError> {
    const ENCAPPED_LEN: usize = 32;
    let secret =
        <WrapKem as hpke::Kem>::PrivateKey::from_bytes(secret).map_err(|_| CryptoError::BadKey)?;
    let (encapped, sealed) = wrapped
        .split_at_checked(ENCAPPED_LEN)
        .ok_or(CryptoError::Unwrap)?;
    let encapped = <WrapKem as hpke::Kem>::EncappedKey::from_bytes(encapped)
        .map_err(|_| CryptoError::Unwrap)?;
    let info = wrap_info(org, epoch, recipient);
    let key = Zeroizing::new(
        hpke::single_shot_open::<WrapAead, WrapKdf, WrapKem>(
            &OpModeR::Base,
            &secret,
            &encapped,
            &info,
            sealed,
            b"",
        )
        .map_err(|_| CryptoError::Unwrap)?,
    );
    OrgKey::from_bytes(epoch, &key)
}

/// Checks an Ed25519 signature (strictly: no malleable signatures).
pub fn verify(public: &[u8], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let public: [u8; 32] = public.try_into().map_err(|_| CryptoError::BadSignature)?;
    let public = VerifyingKey::from_bytes(&public).map_err(|_| CryptoError::BadSignature)?;
    let signature: [u8; 64] = signature
        .try_into()
        .map_err(|_| CryptoError::BadSignature)?;
    let signature = ed25519_dalek::Signature::from_bytes(&signature);
    public
        .verify_strict(message, &signature)
        .map_err(|_| CryptoError::BadSignature)
}

/// SHA-256 of the parts, each length-prefixed (the audit chain's links).
pub fn chain_hash(parts: &[&[u8]]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u32).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(row: &str, version: i64) -> Binding<'_> {
        Binding {
            org: "org-1",
            table: "records",
            column: "body",
            row,
            version,
        }
    }

    #[test]
    fn a_sealed_field_opens_with_its_key_in_its_place() {
        let key = OrgKey::generate(1).expect("key");
        let sealed = key
            .seal(
                "records",
                &binding("row-a", 3),
                "Zofia Wiśniewska".as_bytes(),
            )
            .expect("seal");
        let opened = key
            .open("records", &binding("row-a", 3), &sealed)
            .expect("open");
        assert_eq!(opened.as_slice(), "Zofia Wiśniewska".as_bytes());
    }

    #[test]
    fn a_wrong_key_does_not_open_a_sealed_field() {
        let key = OrgKey::generate(1).expect("key");
        let other = OrgKey::generate(1).expect("key");
        let sealed = key
            .seal("records", &binding("row-a", 1), b"asylum")
            .expect("seal");
        assert_eq!(
            other.open("records", &binding("row-a", 1), &sealed).err(),
            Some(CryptoError::Unsealed)
        );
        // Nor does the right key under another purpose's subkey.
        assert!(key.open("audit", &binding("row-a", 1), &sealed).is_err());
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_column_or_version_does_not_open() {
        let key = OrgKey::generate(1).expect("key");
        let sealed = key
            .seal("records", &binding("row-a", 1), b"refuge")
            .expect("seal");
        assert!(key.open("records", &binding("row-b", 1), &sealed).is_err());
        assert!(key.open("records", &binding("row-a", 2), &sealed).is_err());
        let column = Binding {
            column: "name",
            ..binding("row-a", 1)
        };
        assert!(key.open("records", &column, &sealed).is_err());
        let org = Binding {
            org: "org-2",
            ..binding("row-a", 1)
        };
        assert!(key.open("records", &org, &sealed).is_err());
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(key.open("records", &binding("row-a", 1), &flipped).is_err());
    }

    #[test]
    fn sealed_lengths_come_in_buckets_of_32_bytes() {
        let key = OrgKey::generate(1).expect("key");
        let short = key.seal("records", &binding("r", 1), b"Al").expect("seal");
        let longer = key
            .seal("records", &binding("r", 1), b"Alexandra Ng-Wong")
            .expect("seal");
        let much_longer = key
            .seal("records", &binding("r", 1), &[b'x'; 40])
            .expect("seal");
        assert_eq!(short.len(), longer.len());
        assert_eq!(much_longer.len(), short.len() + PAD_BUCKET);
    }

    #[test]
    fn an_org_key_wrapped_to_a_member_opens_only_with_that_members_key() {
        let org_key = OrgKey::generate(2).expect("key");
        let alice = MemberKeys::generate().expect("keys");
        let mallory = MemberKeys::generate().expect("keys");
        let wrapped = wrap_org_key(&org_key, "org-1", "alice", &alice.x25519_public).expect("wrap");
        let opened = alice
            .unwrap_org_key("org-1", 2, "alice", &wrapped)
            .expect("unwrap");
        let sealed = org_key
            .seal("records", &binding("r", 1), b"EUSS")
            .expect("seal");
        assert_eq!(
            opened
                .open("records", &binding("r", 1), &sealed)
                .expect("open")
                .as_slice(),
            b"EUSS"
        );
        assert!(
            mallory
                .unwrap_org_key("org-1", 2, "alice", &wrapped)
                .is_err()
        );
        // A copy moved to another recipient, epoch or organisation does not open either.
        assert!(alice.unwrap_org_key("org-1", 3, "alice", &wrapped).is_err());
        assert!(alice.unwrap_org_key("org-2", 2, "alice", &wrapped).is_err());
        assert!(alice.unwrap_org_key("org-1", 2, "bob", &wrapped).is_err());
    }

    #[test]
    fn the_printed_recovery_key_reads_back_and_opens_its_copy() {
        let recovery = RecoveryKey::generate().expect("key");
        let org_key = OrgKey::generate(1).expect("key");
        let wrapped =
            wrap_org_key(&org_key, "org-1", RECOVERY_RECIPIENT, &recovery.public).expect("wrap");
        let printed = recovery.printed();
        assert!(
            printed.starts_with("SANCTUARY-RECOVERY-"),
            "{}",
            printed.as_str()
        );
        let read_back = RecoveryKey::parse(&printed.to_lowercase()).expect("parse");
        let opened = read_back
            .unwrap_org_key("org-1", 1, &wrapped)
            .expect("unwrap");
        let sealed = org_key
            .seal("records", &binding("r", 1), b"x")
            .expect("seal");
        assert!(opened.open("records", &binding("r", 1), &sealed).is_ok());
    }

    #[test]
    fn member_keys_survive_the_store_and_keep_their_fingerprint() {
        let keys = MemberKeys::generate().expect("keys");
        let again =
            MemberKeys::from_secrets(keys.x25519_secret(), &keys.ed25519_secret()).expect("keys");
        assert_eq!(keys.fingerprint(), again.fingerprint());
        assert_eq!(
            keys.fingerprint().len(),
            24,
            "five groups of four and four spaces"
        );
        let other = MemberKeys::generate().expect("keys");
        assert_ne!(keys.fingerprint(), other.fingerprint());
        let signature = keys.sign(b"roster");
        assert!(verify(&again.ed25519_public(), b"roster", &signature).is_ok());
        assert!(verify(&other.ed25519_public(), b"roster", &signature).is_err());
        assert!(verify(&keys.ed25519_public(), b"rostex", &signature).is_err());
    }
}
