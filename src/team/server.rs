//! The PostgreSQL side: connecting (TLS through OpenSSL when the server offers or the address
//! asks for it; a short connect timeout, so an absent server is a clear error, never a hang)
//! and the schema, which [`Server::migrate`] creates.
//!
//! What the server holds in clear, by design (everything else is ciphertext):
//! - random ids: `orgs.id`, `members.id`, `members.db_role`, `records.id`, `audit.member_id`;
//! - numbers: key epochs, versions, sequence numbers, the tombstone flag;
//! - `members.role` and `members.status`; public keys (`orgs.supervisor_key`,
//!   `members.x25519_public`, `members.ed25519_public`);
//! - `rosters.body`: the signed roster (member ids, roles, public keys; JSON), and signatures;
//! - audit chain hashes (`prev_hash`, `entry_hash`) and signatures.
//!
//! Ciphertext: `records.body` (a record's kind and every field, sealed under the epoch's key,
//! NULL for a tombstone), `wrapped_keys.wrapped` (HPKE), `audit.event` (sealed under the
//! epoch's audit subkey). No column holds a name, a date or anything about a client.

use std::str::FromStr;
use std::time::Duration;

use openssl::ssl::{SslConnector, SslMethod};
use postgres::{Client, Config};
use postgres_openssl::MakeTlsConnector;

use crate::error::TeamError;

/// How long connecting may take before the server counts as away.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The group role every adviser's own login role belongs to; it holds the grants.
pub const MEMBER_GROUP: &str = "sanctuary_member";

/// A connection to the team's PostgreSQL database.
pub struct Server {
    client: Client,
}

const SCHEMA_VERSION: i32 = 1;

/// Schema version 1. Run by the database's owner (the supervisor's login); advisers log in
/// as their own roles, members of [`MEMBER_GROUP`], which see only their organisation's rows
/// (row-level security) and may not change or delete audit entries (no grant, and a
/// trigger refuses it even for the owner).
const SCHEMA_1: &str = r#"
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sanctuary_member') THEN
        CREATE ROLE sanctuary_member NOLOGIN;
    END IF;
END $$;

CREATE TABLE orgs (
    id             text PRIMARY KEY,
    epoch          integer NOT NULL,
    rotation_owed  boolean NOT NULL DEFAULT false,
    supervisor_key bytea NOT NULL
);
CREATE TABLE members (
    org_id         text NOT NULL REFERENCES orgs (id),
    id             text PRIMARY KEY,
    db_role        text NOT NULL,
    role           text NOT NULL CHECK (role IN ('supervisor', 'adviser')),
    status         text NOT NULL CHECK (status IN ('invited', 'accepted', 'confirmed', 'revoked')),
    x25519_public  bytea,
    ed25519_public bytea
);
-- One live member per login in an organisation (a recovered supervisor reuses the owner's).
CREATE UNIQUE INDEX members_live_role ON members (org_id, db_role) WHERE status <> 'revoked';
CREATE TABLE wrapped_keys (
    org_id    text NOT NULL REFERENCES orgs (id),
    epoch     integer NOT NULL,
    recipient text NOT NULL,
    wrapped   bytea NOT NULL,
    PRIMARY KEY (org_id, epoch, recipient)
);
CREATE TABLE rosters (
    org_id    text NOT NULL REFERENCES orgs (id),
    serial    bigint NOT NULL,
    body      bytea NOT NULL,
    signature bytea NOT NULL,
    PRIMARY KEY (org_id, serial)
);
CREATE SEQUENCE records_seq;
CREATE TABLE records (
    org_id    text NOT NULL REFERENCES orgs (id),
    id        text PRIMARY KEY,
    version   bigint NOT NULL,
    seq       bigint NOT NULL DEFAULT nextval('records_seq'),
    epoch     integer NOT NULL,
    tombstone boolean NOT NULL DEFAULT false,
    body      bytea,
    CHECK (tombstone = (body IS NULL))
);
CREATE INDEX records_by_seq ON records (org_id, seq);
CREATE TABLE audit (
    org_id     text NOT NULL REFERENCES orgs (id),
    seq        bigserial PRIMARY KEY,
    member_id  text NOT NULL,
    epoch      integer NOT NULL,
    prev_hash  bytea,
    entry_hash bytea NOT NULL,
    signature  bytea NOT NULL,
    event      bytea NOT NULL
);
CREATE INDEX audit_by_member ON audit (org_id, member_id, seq);

CREATE FUNCTION sanctuary_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION sanctuary_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION sanctuary_audit_append_only();

-- Each member's entries form one chain: a new entry must follow that member's last.
CREATE FUNCTION sanctuary_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bytea;
BEGIN
    SELECT entry_hash INTO last FROM audit
        WHERE org_id = NEW.org_id AND member_id = NEW.member_id ORDER BY seq DESC LIMIT 1;
    IF last IS DISTINCT FROM NEW.prev_hash THEN
        RAISE EXCEPTION 'audit entry does not follow the member''s last entry';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION sanctuary_audit_chain();

CREATE FUNCTION sanctuary_my_orgs() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
    SELECT org_id FROM public.members WHERE db_role = session_user AND status <> 'revoked'
$$;
CREATE FUNCTION sanctuary_my_member_ids() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
    SELECT id FROM public.members WHERE db_role = session_user AND status <> 'revoked'
$$;
REVOKE ALL ON FUNCTION sanctuary_my_orgs() FROM PUBLIC;
REVOKE ALL ON FUNCTION sanctuary_my_member_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sanctuary_my_orgs() TO sanctuary_member;
GRANT EXECUTE ON FUNCTION sanctuary_my_member_ids() TO sanctuary_member;

ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
ALTER TABLE wrapped_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE rosters ENABLE ROW LEVEL SECURITY;
ALTER TABLE records ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_org ON orgs FOR SELECT USING (id IN (SELECT sanctuary_my_orgs()));
CREATE POLICY own_org ON members FOR SELECT USING (org_id IN (SELECT sanctuary_my_orgs()));
-- An adviser sets only their own keys, and only as "accepted": confirming is the supervisor's.
CREATE POLICY own_keys ON members FOR UPDATE
    USING (db_role = session_user AND status <> 'revoked')
    WITH CHECK (db_role = session_user AND status = 'accepted');
CREATE POLICY own_org ON wrapped_keys FOR SELECT USING (org_id IN (SELECT sanctuary_my_orgs()));
CREATE POLICY own_org ON rosters FOR SELECT USING (org_id IN (SELECT sanctuary_my_orgs()));
CREATE POLICY own_org ON records FOR ALL USING (org_id IN (SELECT sanctuary_my_orgs()))
    WITH CHECK (org_id IN (SELECT sanctuary_my_orgs()));
CREATE POLICY own_org_read ON audit FOR SELECT USING (org_id IN (SELECT sanctuary_my_orgs()));
CREATE POLICY own_chain ON audit FOR INSERT
    WITH CHECK (org_id IN (SELECT sanctuary_my_orgs())
                AND member_id IN (SELECT sanctuary_my_member_ids()));

REVOKE ALL ON orgs, members, wrapped_keys, rosters, records, audit FROM PUBLIC;
GRANT SELECT ON orgs, members, wrapped_keys, rosters TO sanctuary_member;
GRANT UPDATE (x25519_public, ed25519_public, status) ON members TO sanctuary_member;
GRANT SELECT, INSERT, UPDATE ON records TO sanctuary_member;
GRANT SELECT, INSERT ON audit TO sanctuary_member;
GRANT USAGE ON SEQUENCE records_seq, audit_seq_seq TO sanctuary_member;

-- Members may connect even where the operator took CONNECT away from PUBLIC (when the
-- database's owner runs this; otherwise the operator grants it, docs/team-server.md).
DO $$ BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO sanctuary_member', current_database());
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
"#;

impl Server {
    /// Connects to `url` (`postgres://user:password@host:port/database`, `?sslmode=require`
    /// in production). The server being away is [`TeamError::ServerAway`] within
    /// [`CONNECT_TIMEOUT`].
    pub fn connect(url: &str) -> Result<Server, TeamError> {
        Server::connect_as(url, None)
    }

    /// [`Server::connect`] with another login than the address's (a member's own role).
    pub fn connect_as(url: &str, login: Option<(&str, &str)>) -> Result<Server, TeamError> {
        let (url, root_certificate) = split_root_certificate(url);
        let mut config = parse_url(&url)?;
        if let Some((user, password)) = login {
            config.user(user).password(password);
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        // The server's certificate is checked against the system's authorities, or the one
        // named by `sslrootcert=` (an organisation's own), and must name the host.
        let mut tls = SslConnector::builder(SslMethod::tls())
            .map_err(|e| TeamError::ServerAway(format!("TLS set-up failed: {e}")))?;
        if let Some(path) = root_certificate {
            tls.set_ca_file(&path).map_err(|_| {
                TeamError::BadUrl(format!(
                    "the certificate {path} named by sslrootcert could not be read"
                ))
            })?;
        } else if std::env::var_os("SSL_CERT_FILE").is_none()
            && let Some(bundle) = openssl_probe::probe().cert_file
        {
            // The built-in OpenSSL looks for authorities where it was built to, which is
            // rarely where this system keeps them: the system's bundle is named here.
            tls.set_ca_file(&bundle).map_err(|e| {
                TeamError::ServerAway(format!(
                    "the system's certificate authorities ({}) could not be read: {e}",
                    bundle.display()
                ))
            })?;
        }
        let connector = MakeTlsConnector::new(tls.build());
        let mut client = config.connect(connector)?;
        // A statement stuck behind a lock fails rather than hangs.
        client.batch_execute("SET lock_timeout = '15s'; SET statement_timeout = '300s'")?;
        Ok(Server { client })
    }

    /// Creates or upgrades the schema (idempotent; run by the database owner). Two callers at
    /// once are serialised by an advisory lock.
    pub fn migrate(&mut self) -> Result<(), TeamError> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(7250001)", &[])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS sanctuary_schema (version integer NOT NULL)")?;
        let version: i32 = tx
            .query_opt("SELECT version FROM sanctuary_schema", &[])?
            .map_or(0, |row| row.get(0));
        if version < SCHEMA_VERSION {
            tx.batch_execute(SCHEMA_1)?;
            tx.execute("DELETE FROM sanctuary_schema", &[])?;
            tx.execute(
                "INSERT INTO sanctuary_schema (version) VALUES ($1)",
                &[&SCHEMA_VERSION],
            )?;
            tx.batch_execute("GRANT SELECT ON sanctuary_schema TO sanctuary_member")?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The connection, for the library's own queries and for tests that look beneath it.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The login this connection uses.
    pub fn current_user(&mut self) -> Result<String, TeamError> {
        Ok(self
            .client
            .query_one("SELECT current_user::text", &[])?
            .get(0))
    }
}

/// Takes `sslrootcert=PATH` out of the address's query (libpq's name for it; the `postgres`
/// crate does not read it): the address without it, and the path.
fn split_root_certificate(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut root = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.strip_prefix("sslrootcert=") {
            Some(path) => {
                root = Some(path.to_string());
                false
            }
            None => true,
        })
        .collect();
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, root)
}

fn parse_url(url: &str) -> Result<Config, TeamError> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(TeamError::BadUrl("it must start with postgres://".into()));
    }
    // The parser's message can quote the address, password included: say only what failed.
    Config::from_str(url).map_err(|_| TeamError::BadUrl("it could not be read".into()))
}

/// A SCRAM-SHA-256 verifier for `password` (RFC 5802/7677, as PostgreSQL stores it), so a
/// new member's password is never sent to the server, or written to its log, in clear.
pub fn scram_verifier(password: &str, salt: &[u8; 16]) -> String {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::{Digest, Sha256};
    const ITERATIONS: u32 = 4096;
    let mut salted = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, ITERATIONS, &mut salted);
    let hmac = |label: &[u8]| {
        // HMAC takes a key of any length.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&salted).expect("any key length");
        mac.update(label);
        mac.finalize().into_bytes()
    };
    let client_key = hmac(b"Client Key");
    let stored_key = Sha256::digest(client_key);
    let server_key = hmac(b"Server Key");
    let b64 = base64::engine::general_purpose::STANDARD;
    format!(
        "SCRAM-SHA-256${ITERATIONS}:{}${}:{}",
        b64.encode(salt),
        b64.encode(stored_key),
        b64.encode(server_key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_that_is_not_postgres_is_refused_without_echoing_it() {
        let error = Server::connect("mysql://secret@host/db")
            .err()
            .expect("refused");
        assert!(matches!(error, TeamError::BadUrl(_)));
        assert!(!error.to_string().contains("secret"));
    }

    #[test]
    fn an_absent_server_is_a_clear_error_not_a_hang() {
        let started = std::time::Instant::now();
        // Port 1 on loopback: nothing listens there.
        let error = Server::connect("postgres://nobody@127.0.0.1:1/none?sslmode=disable")
            .err()
            .expect("refused");
        assert!(matches!(error, TeamError::ServerAway(_)), "{error}");
        assert!(started.elapsed() < CONNECT_TIMEOUT * 2);
    }

    #[test]
    fn the_root_certificate_is_taken_out_of_the_address() {
        assert_eq!(
            split_root_certificate("postgres://h/db?sslmode=require&sslrootcert=/etc/ca.pem"),
            (
                "postgres://h/db?sslmode=require".to_string(),
                Some("/etc/ca.pem".to_string())
            )
        );
        assert_eq!(
            split_root_certificate("postgres://h/db?sslrootcert=/ca.pem"),
            ("postgres://h/db".to_string(), Some("/ca.pem".to_string()))
        );
        assert_eq!(
            split_root_certificate("postgres://h/db"),
            ("postgres://h/db".to_string(), None)
        );
    }

    #[test]
    fn the_scram_verifier_has_postgresqls_form() {
        let verifier = scram_verifier("pencil", &[7u8; 16]);
        let (head, keys) = verifier.split_once('$').expect("$");
        assert_eq!(head, "SCRAM-SHA-256");
        assert!(keys.starts_with("4096:"));
        assert_eq!(keys.matches('$').count(), 1);
        assert!(!verifier.contains("pencil"));
        assert_ne!(verifier, scram_verifier("pencil", &[8u8; 16]));
    }
}
