//! The team line and the sync key in the real app, in a pseudo-terminal: an adviser's store
//! joined to a team on a throwaway PostgreSQL (skipped in one line where it is missing), F5
//! fetching a client the supervisor added, then the server stopping and the line saying so.

mod common;

use common::{Terminal, env_refs, home_in};
use sanctuary::casework::store::{NewClient, Store};
use sanctuary_team::{Server, membership, sync};
use sanctuary_test_postgres::{Options, TestPostgres};

const PASSPHRASE: &str = "correct horse battery staple";
const NOW: &str = "2026-12-05T10:00:00Z";
const F3: &str = "\x1bOR";
const F5: &str = "\x1b[15~";

#[test]
fn f5_on_the_casework_list_syncs_and_the_team_line_says_when_the_server_is_away() {
    let options = Options {
        password: Some("owner-secret".into()),
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("team_tui_f5_sync", options) else {
        return;
    };
    pg.create_database("team");
    let dir = tempfile::tempdir().expect("dir");
    let adviser_path = dir.path().join("adviser.db");
    {
        let mut supervisor =
            Store::open(&dir.path().join("supervisor.db"), PASSPHRASE).expect("store");
        membership::init(&mut supervisor, &pg.url("team"), NOW).expect("init");
        let mut owner = Server::connect(&pg.url("team")).expect("owner");
        let invitation = membership::invite(&mut supervisor, &mut owner, NOW).expect("invite");
        let mut adviser = Store::open(&adviser_path, PASSPHRASE).expect("store");
        let bare = format!("postgresql://127.0.0.1:{}/team?sslmode=disable", pg.port());
        let joined = membership::join(&mut adviser, &bare, &invitation.code, NOW).expect("join");
        membership::confirm(
            &mut supervisor,
            &mut owner,
            &joined.member_id,
            &joined.fingerprint,
            NOW,
        )
        .expect("confirm");
        supervisor
            .add_client(&NewClient {
                display_name: "Mariam Yusuf".into(),
                details_toml: "name = \"Mariam Yusuf\"\n".into(),
            })
            .expect("client");
        let mut server =
            sync::connect(&supervisor.team_membership().expect("read").expect("member"))
                .expect("connect");
        sanctuary_team::sync(&mut supervisor, &mut server, NOW).expect("sync");
    }

    let home = home_in(dir.path());
    let env = env_refs(&home);
    let mut t = Terminal::start_in(
        Some(dir.path()),
        &["--store", adviser_path.to_str().expect("utf-8")],
        &env,
    );
    t.wait_for("Decision");
    t.send(F3);
    t.wait_for("Passphrase:");
    t.send(PASSPHRASE);
    t.send("\r");
    t.wait_for("Team: 0 members, last sync never, 0 changes waiting. F5: sync");
    t.send(F5);
    t.wait_for("1 change received");
    t.wait_for("Team: 2 members, last sync");
    t.send("\t");
    t.wait_for("Mariam Yusuf");

    drop(pg);
    t.send(F5);
    t.wait_for("could not reach the team server");
    t.wait_for("Team: SERVER AWAY, working here");
    // The store still works: the client is there.
    let screen = t.wait_for("Mariam Yusuf");
    assert!(screen.contains("SERVER AWAY"), "{screen}");
    t.send("\x03");
    assert!(t.wait_exit());
}
