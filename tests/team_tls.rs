//! The team's connection to PostgreSQL over TLS checks the server's certificate: with
//! `sslmode=require`, a server whose certificate no trusted authority signed is refused,
//! and the same server is reached once its certificate is trusted (here through
//! `SSL_CERT_FILE`, which OpenSSL reads for its default trust store).

use sanctuary_team::Server;
use sanctuary_test_postgres::{Options, TestPostgres};

#[test]
fn team_tls_an_untrusted_certificate_is_refused_and_a_trusted_one_is_reached() {
    let options = Options {
        tls: true,
        password: Some("tls test password".into()),
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("team_tls", options) else {
        return;
    };
    let url = pg.url("postgres");
    assert!(url.ends_with("sslmode=require"));
    // SAFETY: this test binary has this one test, so no other thread reads the environment.
    unsafe { std::env::remove_var("SSL_CERT_FILE") };
    let untrusted = Server::connect(&url)
        .err()
        .expect("an untrusted server is refused");
    assert!(untrusted.to_string().contains("TLS"), "{untrusted}");

    let certificate = pg.root_certificate().expect("a TLS cluster has one");
    // SAFETY: as above.
    unsafe { std::env::set_var("SSL_CERT_FILE", &certificate) };
    let mut trusted = Server::connect(&url).expect("a trusted server is reached");
    let row = trusted
        .client()
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("the connection's TLS state");
    assert!(row.get::<_, bool>(0), "the connection is encrypted");
}
