import type Database from "better-sqlite3";
import { ROOT_TENANT } from "../types";

/** SQL to run, or a function for a change that needs decisions SQL alone cannot make. */
export type Migration = string | ((db: Database.Database) => void);

/**
 * Schema changes, oldest first. A database records how many it has applied in
 * `PRAGMA user_version`; opening it applies the rest, each in its own transaction. Never edit a
 * released migration: append a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
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
  // 2 (0.2.0): tenancy, secrets looked up by hash, nothing of the root secret in clear.
  tenancy,
];

/**
 * Until 0.1.0, functions, workflows, agents, events, subscriptions and data were stored per
 * project name only, shared by every organization. From here on each row belongs to an
 * organization too. Rows written before are given to the one organization they can only have
 * come from: the only organization of the database, else the only organization whose keys are
 * bound to (or were used in) the row's project. Rows that remain ambiguous go to the root key's
 * own space: readable with the root key, by no organization. Users were already stored per
 * organization (in `owner`); they move to their organization's project-less space.
 */
function tenancy(db: Database.Database): void {
  db.exec(`
  ALTER TABLE functions ADD COLUMN organization TEXT NOT NULL DEFAULT '${ROOT_TENANT}';
  DROP INDEX functions_project;
  CREATE INDEX functions_tenant ON functions (organization, project, seq);

  ALTER TABLE documents ADD COLUMN organization TEXT NOT NULL DEFAULT '${ROOT_TENANT}';
  UPDATE documents SET organization = owner, owner = '' WHERE kind = 'user';
  DROP INDEX documents_owner;
  CREATE INDEX documents_tenant ON documents (kind, organization, owner, seq);

  CREATE TABLE data_items_tenant (
    organization TEXT NOT NULL,
    project TEXT NOT NULL,
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (organization, project, collection, key)
  );
  INSERT INTO data_items_tenant SELECT '${ROOT_TENANT}', project, collection, key, value, updated_at FROM data_items;
  DROP TABLE data_items;
  ALTER TABLE data_items_tenant RENAME TO data_items;

  CREATE INDEX key_secrets_hash ON key_secrets (hash);
  UPDATE api_keys SET prefix = '', last_four = '' WHERE is_root = 1;
  UPDATE key_secrets SET prefix = '' WHERE key_id IN (SELECT id FROM api_keys WHERE is_root = 1);
  `);

  const tables = [
    { table: "functions", project: "project", where: "1" },
    { table: "documents", project: "owner", where: "kind <> 'user'" },
    { table: "data_items", project: "project", where: "1" },
  ];
  const assign = (organization: string, project?: string) => {
    for (const { table, project: column, where } of tables) {
      const onlyProject = project === undefined ? "" : ` AND ${column} = @project`;
      db.prepare(
        `UPDATE ${table} SET organization = @organization WHERE organization = @root AND ${where}${onlyProject}`,
      ).run({ organization, root: ROOT_TENANT, ...(project === undefined ? {} : { project }) });
    }
  };
  const organizations = db
    .prepare<[], string>(`SELECT DISTINCT organization FROM api_keys WHERE is_root = 0`)
    .pluck()
    .all();
  if (organizations.length === 1) return assign(organizations[0]);

  const candidates = db.prepare<{ project: string }, string>(`
    SELECT organization FROM api_keys, json_each(api_keys.projects) AS bound
      WHERE is_root = 0 AND bound.value = @project
    UNION
    SELECT organization FROM request_logs WHERE project = @project AND organization IS NOT NULL`);
  const projects = db
    .prepare<[], string>(
      tables
        .map(({ table, project, where }) => `SELECT ${project} FROM ${table} WHERE ${where}`)
        .join(" UNION "),
    )
    .pluck()
    .all();
  for (const project of projects) {
    if (project === "") continue;
    const owners = candidates.pluck().all({ project });
    if (owners.length === 1) assign(owners[0], project);
  }
}

/** Applies the migrations `db` has not seen yet; refuses a database written by a newer emulator. */
export function migrate(db: Database.Database): void {
  const applied = db.pragma("user_version", { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(
      `The database has schema version ${applied}, newer than this emulator knows (${MIGRATIONS.length}); upgrade pulumi-admindo.`,
    );
  }
  for (let version = applied; version < MIGRATIONS.length; version++) {
    const migration = MIGRATIONS[version];
    db.transaction(() => {
      if (typeof migration === "string") db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
