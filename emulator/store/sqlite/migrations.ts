import type Database from "better-sqlite3";

/**
 * Schema changes, oldest first. A database records how many it has applied in
 * `PRAGMA user_version`; opening it applies the rest, each in its own transaction. Never edit a
 * released migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: keys, their secret hashes, idempotency records, request logs, functions, service data.
  `
  CREATE TABLE api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    is_root INTEGER NOT NULL DEFAULT 0,
    organization TEXT,
    name TEXT NOT NULL,
    description TEXT,
    scopes TEXT NOT NULL,
    projects TEXT NOT NULL,
    restrictions TEXT NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    revoked_reason TEXT,
    previous_key_expires_at INTEGER,
    prefix TEXT NOT NULL,
    last_four TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX api_keys_organization ON api_keys (organization, seq);

  CREATE TABLE key_secrets (
    key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    hash BLOB NOT NULL,
    current INTEGER NOT NULL,
    expires_at INTEGER
  );
  CREATE INDEX key_secrets_prefix ON key_secrets (prefix);
  CREATE INDEX key_secrets_key ON key_secrets (key_id);

  CREATE TABLE idempotency_records (
    caller_key_id TEXT NOT NULL,
    lookup BLOB NOT NULL,
    request_hash BLOB NOT NULL,
    status INTEGER NOT NULL,
    iv BLOB NOT NULL,
    tag BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (caller_key_id, lookup)
  );
  CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

  CREATE TABLE request_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    key_id TEXT NOT NULL,
    organization TEXT,
    timestamp INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    resource TEXT,
    project TEXT,
    status INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    ip TEXT NOT NULL,
    referrer TEXT,
    denial_reason TEXT,
    cost_micros INTEGER NOT NULL
  );
  CREATE INDEX request_logs_key_time ON request_logs (key_id, timestamp);
  CREATE INDEX request_logs_organization_time ON request_logs (organization, timestamp);

  CREATE TABLE functions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    input TEXT,
    output TEXT,
    code TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX functions_project ON functions (project, seq);

  CREATE TABLE documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX documents_owner ON documents (kind, owner, seq);

  CREATE TABLE data_items (
    project TEXT NOT NULL,
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (project, collection, key)
  );
  `,
];

/** Applies the migrations `db` has not seen yet; refuses a database written by a newer emulator. */
export function migrate(db: Database.Database): void {
  const applied = db.pragma("user_version", { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(
      `The database has schema version ${applied}, newer than this emulator knows (${MIGRATIONS.length}); upgrade pulumi-admindo.`,
    );
  }
  for (let version = applied; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
