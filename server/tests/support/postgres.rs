//! A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, listening
//! only on a unix socket inside it (no port to collide on), stopped and deleted on drop.
//!
//! It needs Debian's `postgresql` package (`scripts/install-tools.sh` installs it); without it
//! the test fails and says so rather than passing without having run. PostgreSQL refuses to
//! run as root, so as root the server runs as the `postgres` user the package creates.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The port only names the socket file; nothing listens on TCP.
const PORT: u16 = 5432;

/// A running cluster; stopped and removed when dropped.
pub struct PostgresServer {
    bin: PathBuf,
    data: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<String>,
    _dir: tempfile::TempDir,
}

impl PostgresServer {
    /// Creates a cluster and starts it, waiting until it accepts connections.
    pub fn start() -> PostgresServer {
        let bin = find_bin_dir().unwrap_or_else(|| {
            panic!(
                "PostgreSQL's server programs (initdb, pg_ctl) were found neither on PATH nor in \
                 /usr/lib/postgresql/*/bin: install Debian's `postgresql` package \
                 (`scripts/install-tools.sh --test` does) to run the PostgreSQL tests"
            )
        });
        let dir = tempfile::Builder::new().prefix("tco-pg").tempdir().expect("a temporary directory");
        let (data, socket_dir, log) = (dir.path().join("data"), dir.path().join("socket"), dir.path().join("log"));
        let run_as = if is_root() { Some(unprivileged_user()) } else { None };
        for d in [&data, &socket_dir] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::write(&log, "").unwrap();
        if let Some(user) = &run_as {
            // The server's user needs to get through the temporary directory and own the rest.
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
            let (uid, gid) = (id(user, "-u"), id(user, "-g"));
            for p in [&data, &socket_dir, &log] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid)).unwrap();
            }
        }
        let server = PostgresServer { bin, data, socket_dir, run_as, _dir: dir };
        server.run(
            "initdb",
            &["--no-sync", "--auth=trust", "--username=postgres", "--encoding=UTF8", "-D", path(&server.data)],
        );
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -p {PORT} -c fsync=off -c full_page_writes=off",
            server.socket_dir.display()
        );
        // `-w`: pg_ctl returns once the server accepts connections.
        server.run("pg_ctl", &["start", "-w", "-t", "60", "-D", path(&server.data), "-l", path(&log), "-o", &options]);
        server
    }

    /// A URL for a database of this server's (`postgres` always exists).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@localhost:{PORT}/{database}?host={}", self.socket_dir.display())
    }

    /// `program args`, as the server's user.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let exe = self.bin.join(program);
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        command.args(args);
        command
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let out = self.command(program, args).output().unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        // Immediate: the cluster is thrown away, so there is nothing to flush.
        // Never a panic here: this may run while a failed test unwinds.
        let _ = self.command("pg_ctl", &["stop", "-w", "-m", "immediate", "-D", path(&self.data)]).output();
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// The directory holding `initdb` and `pg_ctl`: on PATH, else Debian's newest version.
fn find_bin_dir() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).find(|d| has_both(d))) {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| has_both(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    id_of(&[], "-u") == Some(0)
}

/// The user the server runs as when the tests run as root.
fn unprivileged_user() -> String {
    let user = "postgres";
    assert!(
        id_of(&[user], "-u").is_some(),
        "PostgreSQL will not run as root and there is no `{user}` user: install Debian's `postgresql` \
         package, which creates it, or run the tests as an ordinary user"
    );
    user.to_string()
}

fn id(user: &str, flag: &str) -> u32 {
    id_of(&[user], flag).unwrap()
}

/// `id FLAG [USER]`, parsed.
fn id_of(user: &[&str], flag: &str) -> Option<u32> {
    let out = Command::new("id").arg(flag).args(user).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}
