-- Saved scenarios, their revision history and their share links.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Times are UTC RFC 3339 text
-- with milliseconds (fixed width, so they sort as text); JSON is stored as text.

CREATE TABLE scenarios (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    notes TEXT NOT NULL,
    -- The scenario document, `{"name","workloads","assumptions"}`.
    document TEXT NOT NULL,
    -- The catalog snapshot the report was computed with.
    catalog_version TEXT NOT NULL,
    -- The report as computed then: reopening shows these numbers, not a recomputation.
    report TEXT NOT NULL,
    revision BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX scenarios_by_updated ON scenarios (updated_at);

-- Every saved revision, the current one included.
CREATE TABLE scenario_revisions (
    scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    name TEXT NOT NULL,
    notes TEXT NOT NULL,
    document TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    report TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (scenario_id, revision)
);

-- Read-only links. Only the SHA-256 of a token is kept: the database never holds a usable link.
CREATE TABLE share_links (
    token_sha256 TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE INDEX share_links_by_scenario ON share_links (scenario_id);
