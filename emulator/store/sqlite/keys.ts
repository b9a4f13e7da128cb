import type Database from "better-sqlite3";
import type { KeyRecord, KeyStore, Page, SecretRecord } from "../types";

interface KeyRow {
  id: string;
  is_root: number;
  organization: string | null;
  name: string;
  description: string | null;
  scopes: string;
  projects: string;
  restrictions: string;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_reason: string | null;
  previous_key_expires_at: number | null;
  prefix: string;
  last_four: string;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
}

interface SecretRow {
  key_id: string;
  hash: Buffer;
  current: number;
  expires_at: number | null;
}

function fromRow(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    isRoot: row.is_root === 1,
    organization: row.organization,
    name: row.name,
    description: row.description,
    scopes: JSON.parse(row.scopes),
    projects: JSON.parse(row.projects),
    restrictions: JSON.parse(row.restrictions),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    previousKeyExpiresAt: row.previous_key_expires_at,
    prefix: row.prefix,
    lastFour: row.last_four,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
  };
}

function toParams(key: KeyRecord) {
  return {
    id: key.id,
    is_root: key.isRoot ? 1 : 0,
    organization: key.organization,
    name: key.name,
    description: key.description,
    scopes: JSON.stringify(key.scopes),
    projects: JSON.stringify(key.projects),
    restrictions: JSON.stringify(key.restrictions),
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
    revoked_reason: key.revokedReason,
    previous_key_expires_at: key.previousKeyExpiresAt,
    prefix: key.prefix,
    last_four: key.lastFour,
    created_at: key.createdAt,
    updated_at: key.updatedAt,
    last_used_at: key.lastUsedAt,
  };
}

export function sqliteKeyStore(db: Database.Database): KeyStore {
  const insertKey = db.prepare(`
    INSERT INTO api_keys (id, is_root, organization, name, description, scopes, projects, restrictions,
      expires_at, revoked_at, revoked_reason, previous_key_expires_at, prefix, last_four, created_at,
      updated_at, last_used_at)
    VALUES (@id, @is_root, @organization, @name, @description, @scopes, @projects, @restrictions,
      @expires_at, @revoked_at, @revoked_reason, @previous_key_expires_at, @prefix, @last_four, @created_at,
      @updated_at, @last_used_at)`);
  const saveKey = db.prepare(`
    UPDATE api_keys SET organization = @organization, name = @name, description = @description,
      scopes = @scopes, projects = @projects, restrictions = @restrictions, expires_at = @expires_at,
      revoked_at = @revoked_at, revoked_reason = @revoked_reason,
      previous_key_expires_at = @previous_key_expires_at, prefix = @prefix, last_four = @last_four,
      updated_at = @updated_at, last_used_at = @last_used_at
    WHERE id = @id`);
  const getKey = db.prepare<[string], KeyRow>(`SELECT * FROM api_keys WHERE id = ?`);
  const getRoot = db.prepare<[], KeyRow>(`SELECT * FROM api_keys WHERE is_root = 1 LIMIT 1`);
  const listAll = db.prepare<[number, number], KeyRow>(
    `SELECT * FROM api_keys WHERE is_root = 0 ORDER BY seq DESC LIMIT ? OFFSET ?`,
  );
  const countAll = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM api_keys WHERE is_root = 0`);
  const listOrg = db.prepare<[string, number, number], KeyRow>(
    `SELECT * FROM api_keys WHERE is_root = 0 AND organization = ? ORDER BY seq DESC LIMIT ? OFFSET ?`,
  );
  const countOrg = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM api_keys WHERE is_root = 0 AND organization = ?`,
  );
  const deleteKey = db.prepare<[string]>(`DELETE FROM api_keys WHERE id = ?`);
  const touchKey = db.prepare<[number, string]>(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`);
  const insertSecret = db.prepare<[string, string, Buffer, number, number | null]>(
    `INSERT INTO key_secrets (key_id, prefix, hash, current, expires_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const secretsByPrefix = db.prepare<[string], SecretRow>(
    `SELECT key_id, hash, current, expires_at FROM key_secrets WHERE prefix = ?`,
  );
  const dropReplaced = db.prepare<[string]>(`DELETE FROM key_secrets WHERE key_id = ? AND current = 0`);
  const dropCurrent = db.prepare<[string]>(`DELETE FROM key_secrets WHERE key_id = ? AND current = 1`);
  const demoteCurrent = db.prepare<[number, string]>(
    `UPDATE key_secrets SET current = 0, expires_at = ? WHERE key_id = ? AND current = 1`,
  );
  const organizations = db.prepare<[], { name: string; keys: number }>(
    `SELECT organization AS name, count(*) AS keys FROM api_keys WHERE is_root = 0
     GROUP BY organization ORDER BY organization`,
  );
  const projects = db.prepare<[string], { name: string; keys: number }>(
    `SELECT project.value AS name, count(*) AS keys FROM api_keys, json_each(api_keys.projects) AS project
     WHERE is_root = 0 AND organization = ? GROUP BY project.value ORDER BY project.value`,
  );

  const replaceSecret = db.transaction(
    (keyId: string, hash: Buffer, prefix: string, previousExpiresAt: number | null) => {
      dropReplaced.run(keyId);
      if (previousExpiresAt === null) dropCurrent.run(keyId);
      else demoteCurrent.run(previousExpiresAt, keyId);
      insertSecret.run(keyId, prefix, hash, 1, null);
    },
  );

  return {
    insert: db.transaction((key: KeyRecord, secretHash: Buffer) => {
      insertKey.run(toParams(key));
      insertSecret.run(key.id, key.prefix, secretHash, 1, null);
    }),
    get(id) {
      const row = getKey.get(id);
      return row && fromRow(row);
    },
    list({ organization, limit, offset }): Page<KeyRecord> {
      const rows =
        organization === undefined ? listAll.all(limit, offset) : listOrg.all(organization, limit, offset);
      const total = organization === undefined ? countAll.get()!.n : countOrg.get(organization)!.n;
      return { items: rows.map(fromRow), total };
    },
    save(key) {
      saveKey.run(toParams(key));
    },
    delete(id) {
      return deleteKey.run(id).changes > 0;
    },
    touch(id, at) {
      touchKey.run(at, id);
    },
    secretsByPrefix(prefix): SecretRecord[] {
      return secretsByPrefix.all(prefix).map((row) => ({
        keyId: row.key_id,
        hash: row.hash,
        current: row.current === 1,
        expiresAt: row.expires_at,
      }));
    },
    replaceSecret(keyId, hash, prefix, previousExpiresAt) {
      replaceSecret(keyId, hash, prefix, previousExpiresAt);
    },
    root() {
      const row = getRoot.get();
      return row && fromRow(row);
    },
    organizations() {
      return organizations.all();
    },
    projects(organization) {
      return projects.all(organization);
    },
  };
}
