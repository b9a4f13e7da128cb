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

/** Entries kept by each read cache before it starts afresh (unknown secrets are cached too). */
const CACHE_LIMIT = 10_000;

/**
 * Keys and secret hashes in SQLite, read through an in-memory cache: every request looks its key
 * up, and the cache keeps that off the database. The cache never serves stale data: any write
 * through this store empties it, `PRAGMA data_version` empties it when another connection
 * committed to the file, and nothing read inside a transaction (which may still roll back) is
 * cached.
 */
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
  // @organization NULL: every organization; @within NULL: any projects, else a JSON array the
  // key's projects must all belong to (a key bound to no project is bound to every one).
  const filter = `is_root = 0 AND (@organization IS NULL OR organization = @organization)
    AND (@within IS NULL OR (json_array_length(projects) > 0 AND NOT EXISTS (
      SELECT 1 FROM json_each(projects) AS bound WHERE bound.value NOT IN (SELECT value FROM json_each(@within)))))`;
  const listKeys = db.prepare<Record<string, unknown>, KeyRow>(
    `SELECT * FROM api_keys WHERE ${filter} ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
  );
  const countKeys = db.prepare<Record<string, unknown>, { n: number }>(
    `SELECT count(*) AS n FROM api_keys WHERE ${filter}`,
  );
  const deleteKey = db.prepare<[string]>(`DELETE FROM api_keys WHERE id = ?`);
  const touchKey = db.prepare<[number, string]>(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`);
  const insertSecret = db.prepare<[string, string, Buffer, number, number | null]>(
    `INSERT INTO key_secrets (key_id, prefix, hash, current, expires_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const secretByHash = db.prepare<[Buffer], SecretRow>(
    `SELECT key_id, hash, current, expires_at FROM key_secrets WHERE hash = ? LIMIT 1`,
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
  const dataVersion = db.prepare<[], number>(`PRAGMA data_version`).pluck();

  const keysById = new Map<string, KeyRecord | null>();
  const secretsByHash = new Map<string, SecretRecord | null>();
  let version = dataVersion.get();
  const invalidate = () => {
    keysById.clear();
    secretsByHash.clear();
  };
  /** True when reads may be served from (and stored in) the cache. */
  const cacheable = () => {
    if (db.inTransaction) return false;
    const current = dataVersion.get();
    if (current !== version) {
      version = current;
      invalidate();
    }
    return true;
  };
  const remember = <K, V>(cache: Map<K, V>, key: K, value: V) => {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  };

  /** A key by id, through the cache when `useCache`. */
  const readKey = (id: string, useCache: boolean): KeyRecord | undefined => {
    if (useCache) {
      const cached = keysById.get(id);
      if (cached !== undefined) return cached ?? undefined;
    }
    const row = getKey.get(id);
    const key = row ? fromRow(row) : undefined;
    if (useCache) remember(keysById, id, key ?? null);
    return key;
  };

  const replaceSecret = db.transaction(
    (keyId: string, hash: Buffer, prefix: string, previousExpiresAt: number | null) => {
      dropReplaced.run(keyId);
      if (previousExpiresAt === null) dropCurrent.run(keyId);
      else demoteCurrent.run(previousExpiresAt, keyId);
      insertSecret.run(keyId, prefix, hash, 1, null);
    },
  );
  const insert = db.transaction((key: KeyRecord, secretHash: Buffer) => {
    insertKey.run(toParams(key));
    insertSecret.run(key.id, key.prefix, secretHash, 1, null);
  });

  return {
    insert(key, secretHash) {
      invalidate();
      insert(key, secretHash);
    },
    get(id) {
      return readKey(id, cacheable());
    },
    list({ organization, withinProjects, limit, offset }): Page<KeyRecord> {
      const params = {
        organization: organization ?? null,
        within: withinProjects === undefined ? null : JSON.stringify(withinProjects),
      };
      return {
        items: listKeys.all({ ...params, limit, offset }).map(fromRow),
        total: countKeys.get(params)!.n,
      };
    },
    save(key) {
      invalidate();
      saveKey.run(toParams(key));
    },
    delete(id) {
      invalidate();
      return deleteKey.run(id).changes > 0;
    },
    touch(id, at) {
      touchKey.run(at, id);
      const cached = keysById.get(id);
      if (cached && !db.inTransaction) keysById.set(id, { ...cached, lastUsedAt: at });
      else keysById.delete(id);
    },
    findBySecretHash(hash) {
      // One freshness check for both reads: this is every request's first step.
      const useCache = cacheable();
      const cacheKey = useCache ? hash.toString("base64") : "";
      let secret = useCache ? secretsByHash.get(cacheKey) : undefined;
      if (secret === undefined) {
        const row = secretByHash.get(hash);
        secret = row
          ? { keyId: row.key_id, hash: row.hash, current: row.current === 1, expiresAt: row.expires_at }
          : null;
        if (useCache) remember(secretsByHash, cacheKey, secret);
      }
      if (secret === null) return undefined;
      const key = readKey(secret.keyId, useCache);
      return key && { secret, key };
    },
    replaceSecret(keyId, hash, prefix, previousExpiresAt) {
      invalidate();
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
