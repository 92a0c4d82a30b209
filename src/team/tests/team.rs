//! The team store against a real PostgreSQL (a throwaway cluster; skipped in one line where
//! PostgreSQL is missing): a supervisor and three advisers, each with their own store.

use chrono::NaiveDate;
use sanctuary::casework::store::team::{Keep, RowKind};
use sanctuary::casework::store::{AdviceDetails, NewClient, Store};
use sanctuary_team::{Server, TeamError, membership, sync};
use sanctuary_test_postgres::{Options, TestPostgres};

const NOW: &str = "2026-12-05T10:00:00Z";

struct Team {
    pg: TestPostgres,
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
}

impl Team {
    fn start(test: &str) -> Option<Team> {
        let options = Options {
            password: Some("owner-secret".into()),
            ..Options::default()
        };
        let pg = TestPostgres::start_with(test, options)?;
        pg.create_database("team");
        let dir = tempfile::tempdir().expect("temp dir");
        Some(Team {
            dir: dir.path().to_path_buf(),
            _dir: dir,
            pg,
        })
    }

    fn owner_url(&self) -> String {
        self.pg.url("team")
    }

    /// The server's address with no login: what an adviser is told.
    fn bare_url(&self) -> String {
        format!(
            "postgresql://127.0.0.1:{}/team?sslmode=disable",
            self.pg.port()
        )
    }

    fn store(&self, name: &str) -> Store {
        Store::open(
            &self.dir.join(format!("{name}.db")),
            "correct horse battery",
        )
        .expect("store")
    }

    fn owner(&self) -> Server {
        Server::connect(&self.owner_url()).expect("owner connects")
    }
}

fn connect(store: &Store) -> Server {
    let membership = store.team_membership().expect("read").expect("in a team");
    sync::connect(&membership).expect("member connects")
}

fn sync_now(store: &mut Store) -> sync::SyncReport {
    let mut server = connect(store);
    sanctuary_team::sync(store, &mut server, NOW).expect("sync")
}

fn client(name: &str) -> NewClient {
    NewClient {
        display_name: name.into(),
        details_toml: format!("name = \"{name}\"\n"),
    }
}

/// An adviser invited, joined (in their own store) and confirmed with the fingerprint
/// they read aloud.
fn adviser(team: &Team, supervisor: &mut Store, name: &str) -> (Store, String) {
    let mut owner = team.owner();
    let invitation = membership::invite(supervisor, &mut owner, NOW).expect("invite");
    let mut store = team.store(name);
    let member = join_and_confirm(
        supervisor,
        &mut owner,
        &mut store,
        &team.bare_url(),
        &invitation.code,
    );
    (store, member)
}

/// `store` joins with `code` and the supervisor confirms the fingerprint it shows; the
/// member id.
fn join_and_confirm(
    supervisor: &mut Store,
    owner: &mut Server,
    store: &mut Store,
    url: &str,
    code: &str,
) -> String {
    let joined = membership::join(store, url, code, NOW).expect("join");
    membership::confirm(
        supervisor,
        owner,
        &joined.member_id,
        &joined.fingerprint,
        NOW,
    )
    .expect("confirm");
    joined.member_id
}

/// An adviser not (or no longer) confirmed has no key to open anything.
fn assert_not_confirmed(store: &mut Store) {
    let mut server = connect(store);
    let result = sanctuary_team::sync(store, &mut server, NOW);
    assert!(matches!(result, Err(TeamError::NotConfirmed)), "{result:?}");
}

fn names(store: &Store) -> Vec<String> {
    store
        .clients()
        .expect("clients")
        .into_iter()
        .map(|c| c.display_name)
        .collect()
}

#[test]
fn three_advisers_share_a_caseload_merge_a_conflict_and_a_revoked_adviser_opens_nothing_new() {
    let Some(team) = Team::start("three_advisers_share_a_caseload") else {
        return;
    };
    let mut supervisor = team.store("supervisor");
    let founded = membership::init(&mut supervisor, &team.owner_url(), NOW).expect("init");
    assert!(founded.recovery_key.starts_with("SANCTUARY-RECOVERY-"));

    // A fingerprint that does not match is refused, and nothing changes.
    let mut owner = team.owner();
    let invitation = membership::invite(&mut supervisor, &mut owner, NOW).expect("invite");
    let mut amira = team.store("amira");
    let joined =
        membership::join(&mut amira, &team.bare_url(), &invitation.code, NOW).expect("join");
    let wrong = membership::confirm(
        &mut supervisor,
        &mut owner,
        &joined.member_id,
        "0000 0000 0000 0000 0000",
        NOW,
    );
    assert!(
        matches!(wrong, Err(TeamError::FingerprintMismatch(_))),
        "{wrong:?}"
    );
    // Unconfirmed, the adviser has no key to open anything.
    assert_not_confirmed(&mut amira);
    membership::confirm(
        &mut supervisor,
        &mut owner,
        &joined.member_id,
        &joined.fingerprint.to_uppercase(),
        NOW,
    )
    .expect("confirm with the fingerprint read aloud");
    let (mut bilal, _) = adviser(&team, &mut supervisor, "bilal");
    let (mut chloe, chloe_id) = adviser(&team, &mut supervisor, "chloe");

    // Amira works offline: a client and an advice record, then syncs.
    let zofia = amira
        .add_client(&client("Zofia Wiśniewska"))
        .expect("client");
    amira
        .add_advice(&AdviceDetails {
            client: zofia.id,
            guide: "right-to-work".into(),
            outcome: "worker".into(),
            summary: "Asked about a right to work check".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 4).expect("date"),
        })
        .expect("advice");
    assert_eq!(amira.sync_state().expect("state").pending, 2);
    let report = sync_now(&mut amira);
    assert_eq!(report.pushed, 2);
    assert_eq!(amira.sync_state().expect("state").pending, 0);

    // Bilal and Chloe receive both rows, the advice linked to the client.
    for store in [&mut bilal, &mut chloe, &mut supervisor] {
        let report = sync_now(store);
        assert_eq!(report.pulled, 2, "{report:?}");
        assert_eq!(names(store), ["Zofia Wiśniewska"]);
        let here = store.clients().expect("clients")[0].id;
        assert_eq!(store.client_record(here).expect("record").advice.len(), 1);
    }

    // Both change the same client offline: one field on both sides, one on one side only.
    let bilal_zofia = bilal.clients().expect("clients")[0].id;
    amira
        .update_client(
            zofia.id,
            &NewClient {
                display_name: "Zofia Wiśniewska-Nowak".into(),
                details_toml: zofia.details_toml.clone(),
            },
        )
        .expect("amira edits");
    bilal
        .update_client(
            bilal_zofia,
            &NewClient {
                display_name: "Zofia Nowak".into(),
                details_toml: "name = \"Zofia\"\nphone = \"07700 900123\"\n".into(),
            },
        )
        .expect("bilal edits");
    sync_now(&mut amira);
    let report = sync_now(&mut bilal);
    assert_eq!(report.conflicts, 1, "{report:?}");
    let conflicts = bilal.conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, "display_name");
    assert_eq!(conflicts[0].ours, "Zofia Nowak");
    assert_eq!(conflicts[0].theirs, "Zofia Wiśniewska-Nowak");
    // Nothing lost: Bilal's version before the merge is kept.
    assert!(
        !bilal
            .kept_versions(RowKind::Client, bilal_zofia.0)
            .expect("history")
            .is_empty()
    );
    bilal
        .resolve_conflict(conflicts[0].id, Keep::Theirs, NOW)
        .expect("resolve");
    sync_now(&mut bilal);
    sync_now(&mut amira);
    let merged = amira.client(zofia.id).expect("client");
    assert_eq!(merged.display_name, "Zofia Wiśniewska-Nowak");
    assert!(
        merged.details_toml.contains("07700 900123"),
        "Bilal's other change merged"
    );

    // Chloe is revoked: her login stops, and her keys open nothing written after.
    let chloe_membership = chloe.team_membership().expect("read").expect("member");
    let chloe_keys = sync::member_keys(&chloe_membership).expect("keys");
    let mut owner = team.owner();
    let revoked = membership::revoke(&mut supervisor, &mut owner, &chloe_id, NOW).expect("revoke");
    assert_eq!(revoked.new_epoch, 2);
    assert_eq!(revoked.resealed, 2);
    assert!(
        sync::connect(&chloe_membership).is_err(),
        "her login is disabled"
    );

    let later = amira.add_client(&client("Dawit Tesfaye")).expect("client");
    sync_now(&mut amira);
    let later_id = amira
        .team_id_of(RowKind::Client, later.id.0)
        .expect("id")
        .expect("team id");
    let row = owner
        .client()
        .query_one(
            "SELECT version, epoch, body FROM records WHERE id = $1",
            &[&later_id],
        )
        .expect("row");
    let (version, epoch, body): (i64, i32, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(epoch, 2);
    let chloe_copies = owner
        .client()
        .query(
            "SELECT epoch, wrapped FROM wrapped_keys WHERE org_id = $1 AND recipient = $2",
            &[&chloe_membership.org_id, &chloe_id],
        )
        .expect("copies");
    assert_eq!(
        chloe_copies.len(),
        1,
        "only the first epoch was ever wrapped to her"
    );
    let old_key = chloe_keys
        .unwrap_org_key(
            &chloe_membership.org_id,
            1,
            &chloe_id,
            &chloe_copies[0].get::<_, Vec<u8>>(1),
        )
        .expect("her old key opens");
    assert!(
        sync::open_record(
            &old_key,
            &chloe_membership.org_id,
            &later_id,
            version,
            &body
        )
        .is_err()
    );
    // Bilal, still a member, opens it.
    let report = sync_now(&mut bilal);
    assert!(report.pulled >= 1);
    assert!(names(&bilal).contains(&"Dawit Tesfaye".to_string()));

    // Erasing a client takes the ciphertext off the server and off every replica.
    let erased_id = amira
        .team_id_of(RowKind::Client, zofia.id.0)
        .expect("id")
        .expect("team id");
    let _ = amira.erase_client(zofia.id).expect("erase");
    sync_now(&mut amira);
    let body: Option<Vec<u8>> = owner
        .client()
        .query_one("SELECT body FROM records WHERE id = $1", &[&erased_id])
        .expect("row")
        .get(0);
    assert!(body.is_none(), "the ciphertext is gone from the server");
    let report = sync_now(&mut bilal);
    assert!(report.erased >= 1, "{report:?}");
    assert_eq!(names(&bilal), ["Dawit Tesfaye"]);
    assert!(bilal.local_id_of(&erased_id).expect("lookup").is_none());

    // Every chain verifies; then a superuser edits an entry behind the trigger's back.
    let report = membership::audit_check(&supervisor, &mut owner).expect("audit");
    assert!(report.all_intact(), "{:?}", report.chains);
    assert!(report.chains.len() >= 3, "{:?}", report.chains);
    assert!(
        report
            .entries
            .iter()
            .any(|e| e.event.as_ref().is_some_and(|ev| ev.action == "revoke"))
    );
    let refused = owner.client().execute("DELETE FROM audit", &[]);
    assert!(refused.is_err(), "append-only, even for the owner");
    owner
        .client()
        .batch_execute(
            "ALTER TABLE audit DISABLE TRIGGER audit_no_update;
             UPDATE audit SET event = event || '\\x00'::bytea
                 WHERE seq = (SELECT min(seq) FROM audit);
             ALTER TABLE audit ENABLE TRIGGER audit_no_update;",
        )
        .expect("superuser tampers");
    let report = membership::audit_check(&supervisor, &mut owner).expect("audit");
    assert!(!report.all_intact());
}

#[test]
fn an_adviser_cannot_confirm_themselves_or_read_another_organisation() {
    let Some(team) = Team::start("an_adviser_cannot_confirm_themselves") else {
        return;
    };
    let mut supervisor = team.store("supervisor");
    membership::init(&mut supervisor, &team.owner_url(), NOW).expect("init");
    let mut owner = team.owner();
    let invitation = membership::invite(&mut supervisor, &mut owner, NOW).expect("invite");
    let mut amira = team.store("amira");
    let joined =
        membership::join(&mut amira, &team.bare_url(), &invitation.code, NOW).expect("join");
    let mut server = connect(&amira);
    let self_confirm = server.client().execute(
        "UPDATE members SET status = 'confirmed' WHERE id = $1",
        &[&joined.member_id],
    );
    assert!(self_confirm.is_err(), "row-level security refuses it");
    assert!(server.client().execute("DELETE FROM audit", &[]).is_err());

    // A second organisation on the same server is invisible to Amira.
    let mut other = team.store("other-supervisor");
    membership::init(&mut other, &team.owner_url(), NOW).expect("second org");
    let orgs: i64 = server
        .client()
        .query_one("SELECT count(*) FROM orgs", &[])
        .expect("count")
        .get(0);
    assert_eq!(orgs, 1);
    // And a personal store with clients cannot join (its clients would leak into the team).
    let mut personal = team.store("personal");
    personal.add_client(&client("Someone")).expect("client");
    let invitation = membership::invite(&mut supervisor, &mut owner, NOW).expect("invite");
    assert!(matches!(
        membership::join(&mut personal, &team.bare_url(), &invitation.code, NOW),
        Err(TeamError::StoreNotEmpty)
    ));
}

#[test]
fn a_supervisor_moves_a_personal_store_into_a_team_and_archives_it_back() {
    let Some(team) = Team::start("personal_store_to_team_and_back") else {
        return;
    };
    let mut supervisor = team.store("supervisor");
    let kept = supervisor
        .add_client(&client("Łukasz Brzęczyszczykiewicz"))
        .expect("client");
    membership::init(&mut supervisor, &team.owner_url(), NOW).expect("init");
    let report = sync_now(&mut supervisor);
    assert_eq!(report.pushed, 1);
    let (mut amira, _) = adviser(&team, &mut supervisor, "amira");
    sync_now(&mut amira);
    assert_eq!(names(&amira), ["Łukasz Brzęczyszczykiewicz"]);
    // An adviser may not archive the team.
    let mut server = connect(&amira);
    assert!(matches!(
        membership::archive(&mut amira, &mut server, NOW),
        Err(TeamError::SupervisorOnly)
    ));
    let mut owner = team.owner();
    membership::archive(&mut supervisor, &mut owner, NOW).expect("archive");
    assert!(supervisor.team_membership().expect("read").is_none());
    assert_eq!(
        supervisor.client(kept.id).expect("kept").display_name,
        "Łukasz Brzęczyszczykiewicz"
    );
    let report = membership::audit_check(&amira, &mut server);
    assert!(matches!(report, Err(TeamError::SupervisorOnly)));
}

#[test]
fn an_adviser_who_lost_their_passphrase_is_reinvited_and_confirmed_with_new_keys() {
    let Some(team) = Team::start("lost_passphrase_reinvite") else {
        return;
    };
    let mut supervisor = team.store("supervisor");
    membership::init(&mut supervisor, &team.owner_url(), NOW).expect("init");
    let (mut amira, amira_id) = adviser(&team, &mut supervisor, "amira");
    amira.add_client(&client("Hawa Mohamed")).expect("client");
    sync_now(&mut amira);
    let old_membership = amira.team_membership().expect("read").expect("member");

    let mut owner = team.owner();
    let invitation =
        membership::reinvite(&mut supervisor, &mut owner, &amira_id, NOW).expect("reinvite");
    assert_eq!(invitation.member_id, amira_id);
    assert!(
        sync::connect(&old_membership).is_err(),
        "the old store's login no longer works"
    );

    let mut fresh = team.store("amira-new");
    let joined =
        membership::join(&mut fresh, &team.bare_url(), &invitation.code, NOW).expect("join again");
    assert_not_confirmed(&mut fresh);
    membership::confirm(
        &mut supervisor,
        &mut owner,
        &joined.member_id,
        &joined.fingerprint,
        NOW,
    )
    .expect("confirm");
    sync_now(&mut fresh);
    assert_eq!(names(&fresh), ["Hawa Mohamed"]);
    let report = membership::audit_check(&supervisor, &mut owner).expect("audit");
    assert!(report.all_intact(), "{:?}", report.chains);
}

#[test]
fn the_team_works_over_verified_tls_and_refuses_a_server_it_cannot_verify() {
    let options = Options {
        password: Some("owner-secret".into()),
        tls: true,
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("team_over_tls", options) else {
        return;
    };
    pg.create_database("team");
    let root = pg.root_certificate().expect("a certificate");
    let root = root.to_str().expect("utf-8");
    let dir = tempfile::tempdir().expect("dir");
    let open =
        |name: &str| Store::open(&dir.path().join(name), "correct horse battery").expect("store");

    // Without the organisation's certificate the server cannot be verified: refused.
    let mut unverified = open("unverified.db");
    assert!(membership::init(&mut unverified, &pg.url("team"), NOW).is_err());

    let owner_url = format!("{}&sslrootcert={root}", pg.url("team"));
    let mut supervisor = open("supervisor.db");
    membership::init(&mut supervisor, &owner_url, NOW).expect("init over TLS");
    let mut owner = Server::connect(&owner_url).expect("owner");
    let invitation = membership::invite(&mut supervisor, &mut owner, NOW).expect("invite");
    let mut amira = open("amira.db");
    let bare = format!(
        "postgresql://127.0.0.1:{}/team?sslmode=require&sslrootcert={root}",
        pg.port()
    );
    join_and_confirm(
        &mut supervisor,
        &mut owner,
        &mut amira,
        &bare,
        &invitation.code,
    );
    amira.add_client(&client("Farhan Rahimi")).expect("client");
    assert_eq!(sync_now(&mut amira).pushed, 1);
    assert_eq!(sync_now(&mut supervisor).pulled, 1);
}

#[test]
fn with_the_recovery_key_a_new_supervisor_takes_over_when_the_old_one_is_gone() {
    let Some(team) = Team::start("recovery_key_new_supervisor") else {
        return;
    };
    let mut supervisor = team.store("supervisor");
    let founded = membership::init(&mut supervisor, &team.owner_url(), NOW).expect("init");
    let (mut amira, amira_id) = adviser(&team, &mut supervisor, "amira");
    amira.add_client(&client("Tigist Alemu")).expect("client");
    sync_now(&mut amira);
    let old_supervisor = supervisor.team_membership().expect("read").expect("member");
    drop(supervisor); // the laptop is lost

    // A key that is not the team's opens nothing.
    let mut stranger = team.store("stranger");
    let other = sanctuary_team::keys::RecoveryKey::generate().expect("key");
    assert!(membership::recover(&mut stranger, &team.owner_url(), &other.printed(), NOW).is_err());

    let mut successor = team.store("successor");
    membership::recover(
        &mut successor,
        &team.owner_url(),
        &founded.recovery_key,
        NOW,
    )
    .expect("recover");
    let report = sync_now(&mut successor);
    assert_eq!(report.pulled, 1);
    assert_eq!(names(&successor), ["Tigist Alemu"]);
    // The team carries on: Amira syncs, the new supervisor invites, and every audit chain
    // (the former supervisor's included) still verifies.
    amira.add_client(&client("Yonas Haile")).expect("client");
    sync_now(&mut amira);
    sync_now(&mut successor);
    assert_eq!(names(&successor).len(), 2);
    adviser(&team, &mut successor, "bilal");
    let mut owner = team.owner();
    let report = membership::audit_check(&successor, &mut owner).expect("audit");
    assert!(report.all_intact(), "{:?}", report.chains);
    let status = membership::status(&successor, &mut owner).expect("status");
    let former = status
        .members
        .iter()
        .find(|m| m.member_id == old_supervisor.member_id)
        .expect("the former supervisor is listed");
    assert_eq!(former.status, "revoked");
    assert!(
        status
            .members
            .iter()
            .any(|m| m.member_id == amira_id && m.status == "confirmed")
    );
}
