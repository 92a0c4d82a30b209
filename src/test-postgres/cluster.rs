//! A throwaway PostgreSQL cluster in a temporary folder, stopped and removed on drop.

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use crate::machine::{self, NOBODY};

/// The superuser every throwaway cluster is made with.
const SUPERUSER: &str = "sanctuary";
/// Tries with a new port when another process took the one chosen.
const PORT_ATTEMPTS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("cannot prepare the cluster's folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot run {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("{program} failed ({status}):\n{stderr}")]
    Failed {
        program: String,
        status: std::process::ExitStatus,
        stderr: String,
    },
    #[error("no free loopback port for the server after {PORT_ATTEMPTS} tries; its log:\n{log}")]
    NoPort { log: String },
}

/// How to make the cluster.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `log_statement=all` and `log_connections=on`: the server log holds every statement.
    pub log_statements: bool,
    /// `Some`: connections over TCP need this password for the superuser (scram-sha-256);
    /// `None`: trust. The Unix socket in the cluster's folder always trusts.
    pub password: Option<String>,
    /// TLS only over TCP (`hostssl`; plain connections are refused), with a fresh self-signed
    /// certificate for `localhost` and `127.0.0.1`: see [`TestPostgres::root_certificate`].
    pub tls: bool,
}

/// A running throwaway PostgreSQL (see the crate's documentation).
///
/// It listens on `127.0.0.1` at [`port`](Self::port) and on a Unix socket in its own folder;
/// the superuser is `sanctuary`; the database `postgres` exists. [`stop`](Self::stop) stops it
/// and keeps its files (to scan them); dropping it stops it and removes them.
pub struct TestPostgres {
    // Removed when the value drops, after Drop::drop has stopped the server.
    folder: TempDir,
    bin: PathBuf,
    setpriv: Option<PathBuf>,
    port: u16,
    password: Option<String>,
    tls: bool,
    running: bool,
}

impl TestPostgres {
    /// Starts a cluster with trust authentication, for the test called `test`.
    ///
    /// `None` when this machine has no PostgreSQL (after one line saying so), unless CI
    /// requires it (see [`crate::postgres_required`]), which panics. Panics when PostgreSQL is
    /// here but does not start: a broken set-up is never skipped silently.
    pub fn start(test: &str) -> Option<TestPostgres> {
        TestPostgres::start_with(test, Options::default())
    }

    /// [`start`](Self::start) with [`Options`].
    pub fn start_with(test: &str, options: Options) -> Option<TestPostgres> {
        let found = machine::postgres_bin_dir()
            .and_then(|bin| machine::setpriv().map(|setpriv| (bin, setpriv)));
        let (bin, setpriv) = match found {
            Ok(found) => found,
            Err(why) if machine::postgres_required() => panic!(
                "{test}: PostgreSQL is required here (CI=true or SANCTUARY_REQUIRE_POSTGRES=1), \
                 but {why}"
            ),
            Err(why) => {
                machine::say_skipped(test, "its PostgreSQL part", &why);
                return None;
            }
        };
        match TestPostgres::make(bin, setpriv, options) {
            Ok(cluster) => {
                machine::leave_marker(test);
                Some(cluster)
            }
            Err(error) => panic!("{test}: the throwaway PostgreSQL did not start: {error}"),
        }
    }

    fn make(
        bin: PathBuf,
        setpriv: Option<PathBuf>,
        options: Options,
    ) -> Result<TestPostgres, ClusterError> {
        let folder = tempfile::Builder::new()
            .prefix("sanctuary-pg-")
            .tempdir()
            .map_err(|source| ClusterError::Folder {
                path: std::env::temp_dir(),
                source,
            })?;
        let mut cluster = TestPostgres {
            folder,
            bin,
            setpriv,
            port: 0,
            password: options.password.clone(),
            tls: options.tls,
            running: false,
        };
        cluster.prepare_folder()?;
        cluster.initdb()?;
        if cluster.tls {
            cluster.make_certificate()?;
        }
        cluster.write_hba()?;
        cluster.configure(&options)?;
        cluster.start_on_a_free_port()?;
        Ok(cluster)
    }

    /// The folder belongs to the user the server runs as, owner-only.
    fn prepare_folder(&self) -> Result<(), ClusterError> {
        let path = self.folder.path();
        let folder_error = |source| ClusterError::Folder {
            path: path.to_path_buf(),
            source,
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .map_err(folder_error)?;
        if self.setpriv.is_some() {
            std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).map_err(folder_error)?;
        }
        Ok(())
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        let data = self.data_dir();
        let mut args: Vec<String> = vec![
            "-D".into(),
            data.display().to_string(),
            "-U".into(),
            SUPERUSER.into(),
            "-E".into(),
            "UTF8".into(),
            "--locale=C".into(),
            "-N".into(),
        ];
        let password_file = self.folder.path().join("password");
        match &self.password {
            None => args.push("--auth=trust".into()),
            Some(password) => {
                self.write_as_server(&password_file, password.as_bytes())?;
                args.extend([
                    "--auth-local=trust".into(),
                    "--auth-host=scram-sha-256".into(),
                    format!("--pwfile={}", password_file.display()),
                ]);
            }
        }
        let result = self.run_as_server("initdb", &args);
        let _ = std::fs::remove_file(&password_file);
        result.map(drop)
    }

    /// Writes a file the server's user can read (made by root, then given to nobody).
    fn write_as_server(&self, path: &Path, contents: &[u8]) -> Result<(), ClusterError> {
        let folder_error = |source| ClusterError::Folder {
            path: path.to_path_buf(),
            source,
        };
        std::fs::write(path, contents).map_err(folder_error)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(folder_error)?;
        if self.setpriv.is_some() {
            std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).map_err(folder_error)?;
        }
        Ok(())
    }

    /// A self-signed certificate for `localhost` and `127.0.0.1`, made with the openssl
    /// command, its key readable by the server's user only.
    fn make_certificate(&self) -> Result<(), ClusterError> {
        let data = self.data_dir();
        let mut command = Command::new("openssl");
        command
            .args(["req", "-x509", "-nodes", "-days", "2", "-newkey", "ec"])
            .args([
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-subj",
                "/CN=localhost",
            ])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .arg("-keyout")
            .arg(data.join("server.key"))
            .arg("-out")
            .arg(data.join("server.crt"));
        run(command, "openssl")?;
        for (file, mode) in [("server.key", 0o600), ("server.crt", 0o644)] {
            let path = data.join(file);
            let folder_error = |source| ClusterError::Folder {
                path: path.clone(),
                source,
            };
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .map_err(folder_error)?;
            if self.setpriv.is_some() {
                std::os::unix::fs::chown(&path, Some(NOBODY), Some(NOBODY))
                    .map_err(folder_error)?;
            }
        }
        Ok(())
    }

    /// Who may connect how: the Unix socket trusts; TCP from 127.0.0.1 only, with the
    /// password when there is one, and over TLS only when `tls` is set.
    fn write_hba(&self) -> Result<(), ClusterError> {
        let method = if self.password.is_some() {
            "scram-sha-256"
        } else {
            "trust"
        };
        let tcp = if self.tls {
            format!(
                "hostssl all all 127.0.0.1/32 {method}\nhostnossl all all 127.0.0.1/32 reject\n"
            )
        } else {
            format!("host all all 127.0.0.1/32 {method}\n")
        };
        let path = self.data_dir().join("pg_hba.conf");
        std::fs::write(&path, format!("local all all trust\n{tcp}"))
            .map_err(|source| ClusterError::Folder { path, source })
    }

    fn configure(&self, options: &Options) -> Result<(), ClusterError> {
        let mut settings = format!(
            "\n# sanctuary's throwaway test cluster\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{}'\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n\
             shared_buffers = 16MB\n\
             max_connections = 40\n",
            self.folder.path().display()
        );
        if options.log_statements {
            settings.push_str("log_statement = 'all'\nlog_connections = on\n");
        }
        if options.tls {
            settings
                .push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        }
        self.append_to_config(&settings)
    }

    fn append_to_config(&self, settings: &str) -> Result<(), ClusterError> {
        let path = self.data_dir().join("postgresql.conf");
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(settings.as_bytes()))
            .map_err(|source| ClusterError::Folder { path, source })
    }

    /// Picks a free port and starts; another process may take the port between the pick and
    /// the start, so a failure to bind tries again with a new one.
    fn start_on_a_free_port(&mut self) -> Result<(), ClusterError> {
        for _ in 0..PORT_ATTEMPTS {
            self.port = free_port().map_err(|source| ClusterError::Spawn {
                program: "a loopback socket".into(),
                source,
            })?;
            self.append_to_config(&format!("port = {}\n", self.port))?;
            let log = self.log_path().display().to_string();
            let data = self.data_dir().display().to_string();
            let started = self.run_as_server(
                "pg_ctl",
                &["-D", &data, "-l", &log, "-w", "-t", "60", "start"],
            );
            match started {
                Ok(_) => {
                    self.running = true;
                    return Ok(());
                }
                Err(error) => {
                    if !self.log_text().contains("could not bind") {
                        return Err(error);
                    }
                }
            }
        }
        Err(ClusterError::NoPort {
            log: self.log_text(),
        })
    }

    /// Runs one of the server's programs as the server's user, in the cluster's folder.
    fn run_as_server<S: AsRef<std::ffi::OsStr>>(
        &self,
        program: &str,
        args: &[S],
    ) -> Result<Output, ClusterError> {
        let binary = self.bin.join(program);
        let mut command = match &self.setpriv {
            Some(setpriv) => {
                let mut command = Command::new(setpriv);
                command
                    .arg(format!("--reuid={NOBODY}"))
                    .arg(format!("--regid={NOBODY}"))
                    .arg("--clear-groups")
                    .arg("--")
                    .arg(&binary);
                command
            }
            None => Command::new(&binary),
        };
        command
            .args(args)
            .current_dir(self.folder.path())
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGHOST");
        run(command, program)
    }

    /// Runs a client program (`psql`, `pg_dump`) against the database `database` over TCP.
    fn run_client(
        &self,
        program: &str,
        database: &str,
        args: &[&str],
        stdin: Option<&str>,
    ) -> Result<Output, ClusterError> {
        let mut command = Command::new(self.bin.join(program));
        command
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", SUPERUSER, "-d", database, "--no-password"])
            .args(args);
        match &self.password {
            Some(password) => command.env("PGPASSWORD", password),
            None => command.env_remove("PGPASSWORD"),
        };
        match self.root_certificate() {
            Some(certificate) => command
                .env("PGSSLMODE", "verify-full")
                .env("PGSSLROOTCERT", certificate),
            None => command.env("PGSSLMODE", "disable"),
        };
        let Some(input) = stdin else {
            return run(command, program);
        };
        let input_file = tempfile::NamedTempFile::new()
            .and_then(|mut file| file.write_all(input.as_bytes()).map(|()| file))
            .map_err(|source| ClusterError::Folder {
                path: std::env::temp_dir(),
                source,
            })?;
        command.arg("-f").arg(input_file.path());
        run(command, program)
    }

    /// The loopback port the server listens on (TCP, `127.0.0.1`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1`.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// The superuser: `sanctuary`.
    pub fn user(&self) -> &'static str {
        SUPERUSER
    }

    /// The superuser's password, when the cluster was made with one.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// A key=value connection string for `database` as the superuser over TCP
    /// (`host=127.0.0.1 port=N user=sanctuary dbname=… [password=…] sslmode=…`), which libpq
    /// and the `postgres` crate's `Config::from_str` read. `sslmode` is `require` with
    /// [`Options::tls`] (check the server against [`root_certificate`](Self::root_certificate)),
    /// else `disable`.
    pub fn conninfo(&self, database: &str) -> String {
        let mut conninfo = format!(
            "host=127.0.0.1 port={} user={SUPERUSER} dbname={database}",
            self.port
        );
        if let Some(password) = &self.password {
            conninfo.push_str(&format!(" password={password}"));
        }
        conninfo.push_str(&format!(" sslmode={}", self.sslmode()));
        conninfo
    }

    /// The same as a URL:
    /// `postgresql://sanctuary[:password]@127.0.0.1:N/database?sslmode=…`.
    pub fn url(&self, database: &str) -> String {
        let credentials = match &self.password {
            Some(password) => format!("{SUPERUSER}:{password}"),
            None => SUPERUSER.to_string(),
        };
        format!(
            "postgresql://{credentials}@127.0.0.1:{}/{database}?sslmode={}",
            self.port,
            self.sslmode()
        )
    }

    fn sslmode(&self) -> &'static str {
        if self.tls { "require" } else { "disable" }
    }

    /// With [`Options::tls`], the server's self-signed certificate (PEM), to trust as the root
    /// when verifying it (libpq: `sslmode=verify-full sslrootcert=…`).
    pub fn root_certificate(&self) -> Option<PathBuf> {
        self.tls.then(|| self.data_dir().join("server.crt"))
    }

    /// Creates the database `name` (UTF-8), owned by the superuser. Panics on failure.
    pub fn create_database(&self, name: &str) {
        self.psql(
            "postgres",
            &format!("CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"),
        );
    }

    /// Runs `sql` (one or more statements) with `psql` in `database` over TCP, stopping at
    /// the first error, and returns what it printed, unaligned and without headers, trimmed.
    /// Panics with psql's message on failure.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let args = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"];
        match self.run_client("psql", database, &args, Some(sql)) {
            Ok(output) => String::from_utf8_lossy(&output.stdout).trim().to_string(),
            Err(error) => panic!("psql in {database}: {error}"),
        }
    }

    /// A plain-SQL `pg_dump` of `database`, as a backup would take it. Panics on failure.
    pub fn pg_dump(&self, database: &str) -> Vec<u8> {
        match self.run_client("pg_dump", database, &[], None) {
            Ok(output) => output.stdout,
            Err(error) => panic!("pg_dump of {database}: {error}"),
        }
    }

    /// The cluster's data folder (`base/`, `pg_wal/`, …).
    pub fn data_dir(&self) -> PathBuf {
        self.folder.path().join("data")
    }

    /// The server's log file (every statement with `log_statements`).
    pub fn log_path(&self) -> PathBuf {
        self.folder.path().join("server.log")
    }

    /// The path of a program in the server's binary folder (`pg_waldump`, `pg_dump`, …).
    pub fn bin(&self, program: &str) -> PathBuf {
        self.bin.join(program)
    }

    fn log_text(&self) -> String {
        std::fs::read(self.log_path())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    }

    /// Stops the server (fast shutdown: a clean checkpoint, so the data folder is complete)
    /// and keeps its files until the value is dropped. Panics if it does not stop.
    pub fn stop(&mut self) {
        if let Err(error) = self.pg_ctl_stop("fast") {
            panic!("the throwaway PostgreSQL did not stop: {error}");
        }
    }

    fn pg_ctl_stop(&mut self, mode: &str) -> Result<(), ClusterError> {
        if !self.running {
            return Ok(());
        }
        let data = self.data_dir().display().to_string();
        self.run_as_server("pg_ctl", &["-D", &data, "-m", mode, "-w", "stop"])?;
        self.running = false;
        Ok(())
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if self.pg_ctl_stop("fast").is_err() && self.pg_ctl_stop("immediate").is_err() {
            let line = format!(
                "warning: a throwaway PostgreSQL (port {}, {}) did not stop\n",
                self.port,
                self.folder.path().display()
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
        // The folder itself is removed when `folder` drops, after this.
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn run(mut command: Command, program: &str) -> Result<Output, ClusterError> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| ClusterError::Spawn {
            program: program.to_string(),
            source,
        })?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(ClusterError::Failed {
            program: program.to_string(),
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}
