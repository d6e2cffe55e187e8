//! Saved scenarios, their revisions and share links, in SQLite (the embedded default) or
//! PostgreSQL, through sqlx's `Any` driver with runtime queries: one code path and one set of
//! portable migrations for both.
//!
//! Every write is one transaction: a scenario row and its revision row are written together or
//! not at all. Concurrent saves never lose an update: the expected revision is part of the
//! `UPDATE`'s `WHERE` clause, so of two saves from the same revision exactly one matches.
//!
//! This module knows nothing of HTTP; the API's error type maps [`StoreError`] to responses.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor as _, Row};
use std::path::Path;
use std::time::Duration;

/// The schema, in order. A version is applied once, in its own transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "scenarios", include_str!("../migrations/0001_scenarios.sql")),
    (2, "share ids", include_str!("../migrations/0002_share_ids.sql")),
];

/// How much of a share token is kept to tell links apart: 36 of its 256 bits.
const TOKEN_PREFIX_CHARS: usize = 6;

/// The SQLite file's name inside the data directory.
pub const DATABASE_FILE: &str = "tco.sqlite3";

/// What the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No scenario (or share link) by that id or token.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The save was made from an older revision than the stored one.
    #[error("revision {expected} is stale: the scenario is at revision {current}; reload it and save again")]
    Conflict {
        /// The revision the client edited.
        expected: i64,
        /// The stored revision.
        current: i64,
    },
    /// The database URL names a backend this build does not have.
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// The data directory cannot be created.
    #[error("cannot create the data directory {dir}: {source}")]
    DataDir {
        /// The directory.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
}

/// What a save writes: the document, the report computed from it and the catalog used.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The scenario's name (the document's `name`).
    pub name: String,
    /// Free text for people.
    pub notes: String,
    /// The scenario document as JSON.
    pub document: String,
    /// The catalog snapshot the report was computed with.
    pub catalog_version: String,
    /// The report as JSON.
    pub report: String,
}

/// A stored scenario at its current revision.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Random, URL-safe.
    pub id: String,
    /// Starts at 1; each save adds one.
    pub revision: i64,
    /// What was saved.
    pub draft: Draft,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// A line of the scenario list.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The scenario's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its current revision.
    pub revision: i64,
    /// The catalog its report was computed with.
    pub catalog_version: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// A live share link, as far as the database knows it: not its token.
#[derive(Debug, Clone)]
pub struct Share {
    /// The link's own id, for listing and revoking.
    pub id: String,
    /// The token's first characters, to tell links apart (absent for links made before they
    /// were kept).
    pub token_prefix: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// A line of a scenario's history.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The revision number.
    pub revision: i64,
    /// The name it was saved under.
    pub name: String,
    /// The catalog its report was computed with.
    pub catalog_version: String,
    /// RFC 3339, UTC.
    pub saved_at: String,
}

/// The databases the store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A file in the data directory.
    Sqlite,
    /// A server, for teams.
    Postgres,
}

impl Backend {
    /// The backend a URL names, if this build has it.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':')?.0;
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

/// Any fixed number: it only has to keep concurrent start-ups on one server from migrating at
/// once.
const MIGRATION_LOCK: i64 = 0x0074_636f_5f6d_6967;

impl Store {
    /// Opens (creating if need be) `DATABASE_FILE` in `dir` and applies the migrations.
    pub async fn open_dir(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|source| StoreError::DataDir { dir: dir.display().to_string(), source })?;
        Store::open(&format!("sqlite://{}?mode=rwc", dir.join(DATABASE_FILE).display())).await
    }

    /// Opens a database by URL (`sqlite://PATH?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`)
    /// and applies the migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::of_url(url).ok_or_else(|| StoreError::UnsupportedUrl(redact(url)))?;
        sqlx::any::install_default_drivers();
        let mut options = AnyPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            restrict_sqlite_file(url).map_err(|source| StoreError::DataDir { dir: redact(url), source })?;
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL: readers never wait for the writer. The busy timeout queues writers
                    // instead of failing them; foreign keys make deletes cascade.
                    for pragma in
                        ["PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON"]
                    {
                        conn.execute(pragma).await?;
                    }
                    Ok(())
                })
            });
        }
        let store = Store { pool: options.connect(url).await? };
        store.migrate(backend).await?;
        Ok(store)
    }

    /// Applies the migrations not yet applied, each in a transaction with its record.
    async fn migrate(&self, backend: Backend) -> Result<(), StoreError> {
        if backend == Backend::Sqlite {
            sqlx::raw_sql(MIGRATIONS_TABLE).execute(&self.pool).await?;
        }
        for &(version, name, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            if backend == Backend::Postgres {
                // A server is shared: a second `tco serve` starting at the same time waits
                // here, rather than racing to create the same tables, until this transaction
                // ends. (`pg_advisory_xact_lock` returns `void`, which `Any` cannot carry.)
                sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                    .bind(MIGRATION_LOCK)
                    .execute(&mut *tx)
                    .await?;
                sqlx::raw_sql(MIGRATIONS_TABLE).execute(&mut *tx).await?;
            }
            // On SQLite a write first, so concurrent start-ups queue on the write lock rather
            // than race.
            let claimed = sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (version) DO NOTHING",
            )
            .bind(version)
            .bind(name)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            if claimed.rows_affected() == 1 {
                sqlx::raw_sql(sql).execute(&mut *tx).await?;
                tracing::info!(version, name, "applied migration");
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// Closes the pool, waiting for connections in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Saves a new scenario at revision 1.
    pub async fn create(&self, draft: Draft) -> Result<Stored, StoreError> {
        let id = random_id(12);
        let at = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO scenarios (id, name, notes, document, catalog_version, report, revision, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
        )
        .bind(&id)
        .bind(&draft.name)
        .bind(&draft.notes)
        .bind(&draft.document)
        .bind(&draft.catalog_version)
        .bind(&draft.report)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        insert_revision(&mut tx, &id, 1, &draft, &at).await?;
        tx.commit().await?;
        Ok(Stored { id, revision: 1, draft, created_at: at.clone(), updated_at: at })
    }

    /// Replaces the scenario if it is still at `expected`; the new revision is `expected + 1`.
    pub async fn update(&self, id: &str, expected: i64, draft: Draft) -> Result<Stored, StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await?;
        // The revision check is the WHERE clause: of concurrent saves from one revision,
        // exactly one matches a row.
        let updated = sqlx::query(
            "UPDATE scenarios SET name = $1, notes = $2, document = $3, catalog_version = $4, report = $5, \
             revision = revision + 1, updated_at = $6 WHERE id = $7 AND revision = $8",
        )
        .bind(&draft.name)
        .bind(&draft.notes)
        .bind(&draft.document)
        .bind(&draft.catalog_version)
        .bind(&draft.report)
        .bind(&at)
        .bind(id)
        .bind(expected)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            let current: Option<i64> = sqlx::query("SELECT revision FROM scenarios WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get(0))
                .transpose()?;
            tx.rollback().await?;
            return Err(match current {
                None => StoreError::NotFound("scenario"),
                Some(current) => StoreError::Conflict { expected, current },
            });
        }
        let revision = expected + 1;
        insert_revision(&mut tx, id, revision, &draft, &at).await?;
        let created_at: String = sqlx::query("SELECT created_at FROM scenarios WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        tx.commit().await?;
        Ok(Stored { id: id.to_string(), revision, draft, created_at, updated_at: at })
    }

    /// The scenario at its current revision.
    pub async fn get(&self, id: &str) -> Result<Stored, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM scenarios WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("scenario"))?;
        stored(&row)
    }

    /// Deletes the scenario with its history and share links.
    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let deleted = sqlx::query("DELETE FROM scenarios WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if deleted.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::NotFound("scenario"));
        }
        // Cascades too; spelled out so no backend setting is needed for it.
        sqlx::query("DELETE FROM scenario_revisions WHERE scenario_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM share_links WHERE scenario_id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every scenario, the most recently saved first.
    pub async fn list(&self) -> Result<Vec<Summary>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, revision, catalog_version, updated_at FROM scenarios ORDER BY updated_at DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Summary {
                    id: row.try_get(0)?,
                    name: row.try_get(1)?,
                    revision: row.try_get(2)?,
                    catalog_version: row.try_get(3)?,
                    updated_at: row.try_get(4)?,
                })
            })
            .collect()
    }

    /// A scenario's saved revisions, oldest first.
    pub async fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(
            "SELECT revision, name, catalog_version, saved_at FROM scenario_revisions \
             WHERE scenario_id = $1 ORDER BY revision",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound("scenario"));
        }
        rows.iter()
            .map(|row| {
                Ok(Revision {
                    revision: row.try_get(0)?,
                    name: row.try_get(1)?,
                    catalog_version: row.try_get(2)?,
                    saved_at: row.try_get(3)?,
                })
            })
            .collect()
    }

    /// One saved revision of a scenario, as it was saved (its `updated_at` is when).
    pub async fn revision(&self, id: &str, revision: i64) -> Result<Stored, StoreError> {
        let row = sqlx::query(
            "SELECT r.scenario_id, r.name, r.notes, r.document, r.catalog_version, r.report, r.revision, \
             s.created_at, r.saved_at FROM scenario_revisions r JOIN scenarios s ON s.id = r.scenario_id \
             WHERE r.scenario_id = $1 AND r.revision = $2",
        )
        .bind(id)
        .bind(revision)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("revision"))?;
        stored(&row)
    }

    /// A new read-only link to the scenario: a 256-bit random token, of which only the digest
    /// and the first few characters are stored. Returns the token, shown this once, and the
    /// link as it will be listed.
    pub async fn share(&self, id: &str) -> Result<(String, Share), StoreError> {
        let token = random_id(32);
        let share =
            Share { id: random_id(9), token_prefix: Some(token[..TOKEN_PREFIX_CHARS].to_string()), created_at: now() };
        let inserted = sqlx::query(
            "INSERT INTO share_links (token_sha256, id, token_prefix, scenario_id, created_at) \
             SELECT $1, $2, $3, id, $4 FROM scenarios WHERE id = $5",
        )
        .bind(digest(&token))
        .bind(&share.id)
        .bind(&share.token_prefix)
        .bind(&share.created_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::NotFound("scenario"));
        }
        Ok((token, share))
    }

    /// The scenario's live links, oldest first.
    pub async fn shares(&self, id: &str) -> Result<Vec<Share>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query("SELECT 1 FROM scenarios WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            return Err(StoreError::NotFound("scenario"));
        }
        let rows = sqlx::query(
            "SELECT id, token_prefix, created_at FROM share_links WHERE scenario_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| Ok(Share { id: row.try_get(0)?, token_prefix: row.try_get(1)?, created_at: row.try_get(2)? }))
            .collect()
    }

    /// The scenario a link shows, at its current revision.
    pub async fn shared(&self, token: &str) -> Result<Stored, StoreError> {
        let columns = COLUMNS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ");
        let row = sqlx::query(&format!(
            "SELECT {columns} FROM share_links l JOIN scenarios s ON s.id = l.scenario_id WHERE l.token_sha256 = $1"
        ))
        .bind(digest(token))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("share link"))?;
        stored(&row)
    }

    /// Revokes a link of the scenario's by the link's id.
    pub async fn revoke_by_id(&self, id: &str, share_id: &str) -> Result<(), StoreError> {
        let deleted = sqlx::query("DELETE FROM share_links WHERE id = $1 AND scenario_id = $2")
            .bind(share_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound("share link"));
        }
        Ok(())
    }

    /// Revokes a link of the scenario's by its token.
    pub async fn revoke(&self, id: &str, token: &str) -> Result<(), StoreError> {
        let deleted = sqlx::query("DELETE FROM share_links WHERE token_sha256 = $1 AND scenario_id = $2")
            .bind(digest(token))
            .bind(id)
            .execute(&self.pool)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound("share link"));
        }
        Ok(())
    }

    /// Checks that the database agrees with itself: every scenario has its current revision in
    /// the history and no revision is ahead of it; no link or revision is orphaned. Returns
    /// what is wrong, empty when all is well.
    pub async fn check_consistency(&self) -> Result<Vec<String>, StoreError> {
        let checks = [
            (
                "scenarios whose current revision is missing from the history",
                "SELECT COUNT(*) FROM scenarios s WHERE NOT EXISTS (SELECT 1 FROM scenario_revisions r \
                 WHERE r.scenario_id = s.id AND r.revision = s.revision AND r.document = s.document)",
            ),
            (
                "revisions ahead of their scenario or orphaned",
                "SELECT COUNT(*) FROM scenario_revisions r LEFT JOIN scenarios s ON s.id = r.scenario_id \
                 WHERE s.id IS NULL OR r.revision > s.revision",
            ),
            (
                "histories with gaps",
                "SELECT COUNT(*) FROM scenarios s WHERE \
                 (SELECT COUNT(*) FROM scenario_revisions r WHERE r.scenario_id = s.id) <> s.revision",
            ),
            (
                "orphaned share links",
                "SELECT COUNT(*) FROM share_links l LEFT JOIN scenarios s ON s.id = l.scenario_id WHERE s.id IS NULL",
            ),
        ];
        let mut problems = Vec::new();
        for (what, sql) in checks {
            let n: i64 = sqlx::query(sql).fetch_one(&self.pool).await?.try_get(0)?;
            if n != 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(problems)
    }
}

/// Which migrations have been applied.
const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations \
     (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

const COLUMNS: &str = "id, name, notes, document, catalog_version, report, revision, created_at, updated_at";

fn stored(row: &AnyRow) -> Result<Stored, StoreError> {
    Ok(Stored {
        id: row.try_get(0)?,
        draft: Draft {
            name: row.try_get(1)?,
            notes: row.try_get(2)?,
            document: row.try_get(3)?,
            catalog_version: row.try_get(4)?,
            report: row.try_get(5)?,
        },
        revision: row.try_get(6)?,
        created_at: row.try_get(7)?,
        updated_at: row.try_get(8)?,
    })
}

async fn insert_revision(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    revision: i64,
    draft: &Draft,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO scenario_revisions (scenario_id, revision, name, notes, document, catalog_version, report, saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(revision)
    .bind(&draft.name)
    .bind(&draft.notes)
    .bind(&draft.document)
    .bind(&draft.catalog_version)
    .bind(&draft.report)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `bytes` random bytes from the thread's CSPRNG (seeded by the OS), base64url without padding.
fn random_id(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// The hex SHA-256 of a share token: what the database keeps.
fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, as fixed-width RFC 3339 UTC with milliseconds, so times sort as text.
fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// A database URL without its password, for messages: the user-info part (`user:pass@`) and
/// every query parameter that names a password (`password=`, `sslpassword=`) are replaced.
pub fn redact(url: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &base[..scheme], &base[at + 1..]),
        _ => base.to_string(),
    };
    let Some(query) = query else { return base };
    let params: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.to_ascii_lowercase().contains("password") => format!("{key}=…"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", params.join("&"))
}

/// Creates the SQLite file of `url` readable by its owner only (mode 0600) before SQLite opens
/// it, and tightens one that exists: it holds every saved scenario. SQLite gives its WAL and
/// shared-memory files the database file's mode.
fn restrict_sqlite_file(url: &str) -> std::io::Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_redacted_wherever_it_sits_in_the_url() {
        assert_eq!(redact("postgres://tco:s3cret@db.internal:5432/tco"), "postgres://…@db.internal:5432/tco");
        assert_eq!(
            redact("postgres://db.internal/tco?user=tco&password=s3cret&sslmode=require"),
            "postgres://db.internal/tco?user=tco&password=…&sslmode=require"
        );
        assert_eq!(redact("postgres://u:p@h/db?sslpassword=k"), "postgres://…@h/db?sslpassword=…");
        assert_eq!(redact("sqlite:///var/lib/tco/tco.sqlite3?mode=rwc"), "sqlite:///var/lib/tco/tco.sqlite3?mode=rwc");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_database_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_dir(dir.path()).await.unwrap();
        drop(store);
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let entry = entry.unwrap();
            let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is {:o}", entry.path().display(), mode);
        }
    }
}
