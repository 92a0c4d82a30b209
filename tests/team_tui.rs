//! The team line and the sync key in the real app, in a pseudo-terminal: an adviser's store
//! joined to a team on a throwaway PostgreSQL (skipped in one line where it is missing), F5
//! fetching a client the supervisor added, then the server stopping and the line saying so.

mod common;
mod team_common;

use common::{Terminal, env_refs, home_in};
use sanctuary::casework::store::NewClient;
use sanctuary_test_postgres::TestPostgres;
use team_common::{PASSPHRASE, owner_options, sync, team};

const F3: &str = "\x1bOR";
const F5: &str = "\x1b[15~";

#[test]
fn f5_on_the_casework_list_syncs_and_the_team_line_says_when_the_server_is_away() {
    let Some(pg) = TestPostgres::start_with("team_tui_f5_sync", owner_options()) else {
        return;
    };
    pg.create_database(team_common::DATABASE);
    let dir = tempfile::tempdir().expect("dir");
    // The adviser has joined but not synced yet; the supervisor adds a client and syncs.
    let adviser_path = dir.path().join("adviser-1.db");
    {
        let (mut supervisor, _advisers) = team(&pg, dir.path(), 1);
        supervisor
            .add_client(&NewClient {
                display_name: "Mariam Yusuf".into(),
                details_toml: "name = \"Mariam Yusuf\"\n".into(),
            })
            .expect("client");
        sync(&mut supervisor);
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
