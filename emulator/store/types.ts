import type { Restrictions } from "../../client/schemas";

/**
 * What the emulator persists, behind small interfaces so routes never see SQL. Times are epoch
 * milliseconds; wire formats (ISO strings, schemas) are the routes' business.
 */

export interface KeyRecord {
  id: string;
  /** True only for the bootstrap root key: every scope, any organization, no projects. */
  isRoot: boolean;
  /** Null only for the root key. */
  organization: string | null;
  name: string;
  description: string | null;
  scopes: string[];
  projects: string[];
  restrictions: Restrictions;
  expiresAt: number | null;
  revokedAt: number | null;
  revokedReason: string | null;
  previousKeyExpiresAt: number | null;
  prefix: string;
  lastFour: string;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
}

/** A stored secret: only its SHA-256 hash. `current` is false for a secret replaced by a rotation. */
export interface SecretRecord {
  keyId: string;
  hash: Buffer;
  current: boolean;
  /** For a replaced secret: the end of its grace period. */
  expiresAt: number | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface KeyStore {
  insert(key: KeyRecord, secretHash: Buffer): void;
  get(id: string): KeyRecord | undefined;
  /**
   * Non-root keys, newest first; all organizations when `organization` is undefined. With
   * `withinProjects`, only keys bound to some of those projects and to no other.
   */
  list(query: {
    organization?: string;
    withinProjects?: readonly string[];
    limit: number;
    offset: number;
  }): Page<KeyRecord>;
  /** Writes every mutable field of `key`. */
  save(key: KeyRecord): void;
  delete(id: string): boolean;
  touch(id: string, at: number): void;
  /** The stored secret with this SHA-256 hash and its key, if any. */
  findBySecretHash(hash: Buffer): { secret: SecretRecord; key: KeyRecord } | undefined;
  /**
   * Makes `hash` the key's current secret. The old current secret stays valid until
   * `previousExpiresAt` (or is dropped when null); any older replaced secret is dropped.
   */
  replaceSecret(keyId: string, hash: Buffer, prefix: string, previousExpiresAt: number | null): void;
  /** The root key, if one was stored. */
  root(): KeyRecord | undefined;
  /** Organizations and the projects of one organization, with how many keys name each (root excluded). */
  organizations(): Array<{ name: string; keys: number }>;
  projects(organization: string): Array<{ name: string; keys: number }>;
}

export interface IdempotencyRecord {
  callerKeyId: string;
  /** Derived from the Idempotency-Key value; the value itself is never stored. */
  lookup: Buffer;
  /** SHA-256 of method, path and body: a different request under the same key is a conflict. */
  requestHash: Buffer;
  status: number;
  /** The response body, AES-256-GCM encrypted under a key only the caller's Idempotency-Key yields. */
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  createdAt: number;
  expiresAt: number;
}

export interface IdempotencyStore {
  find(callerKeyId: string, lookup: Buffer, now: number): IdempotencyRecord | undefined;
  insert(record: IdempotencyRecord): void;
  purgeExpired(now: number): void;
}

export interface LogRecord {
  id: string;
  keyId: string;
  organization: string | null;
  timestamp: number;
  method: string;
  path: string;
  resource: string | null;
  project: string | null;
  status: number;
  latencyMs: number;
  ip: string;
  referrer: string | null;
  denialReason: string | null;
  /** Price of the request in micro-dollars, fixed when it was logged. */
  costMicros: number;
}

export type StatusFilter = "success" | "error" | number;

export interface LogQuery {
  keyId: string;
  from: number;
  to: number;
  status?: StatusFilter;
  limit: number;
  offset: number;
}

export type UsageGrouping = "hour" | "day" | "resource" | "project";

export interface UsageQuery {
  keyId?: string;
  organization?: string;
  from: number;
  to: number;
  resources?: string[];
  project?: string;
  groupBy: UsageGrouping;
}

/** One aggregate row: `key` is the bucket start (ms, as text) for time groupings. */
export interface UsageRow {
  key: string;
  requests: number;
  errors: number;
  costMicros: number;
}

export interface LogStore {
  /**
   * Queues an entry; queued entries are written in one transaction when the queue is full, after a
   * short delay, before any read of the log, and on close.
   */
  insert(entry: LogRecord): void;
  /** Writes every queued entry now. */
  flush(): void;
  get(keyId: string, logId: string): LogRecord | undefined;
  /** Newest first. */
  list(query: LogQuery): Page<LogRecord>;
  aggregate(query: UsageQuery): UsageRow[];
}

/**
 * Who owns stored data: an organization and a project within it. Project names are scoped to
 * their organization (acme's "web" and globex's "web" are unrelated); "" is the organization's
 * project-less space. The root key, which belongs to no organization, has a tenant of its own.
 */
export interface Tenant {
  organization: string;
  project: string;
}

/** The organization of the root key's own data (parentheses: no organization name has them). */
export const ROOT_TENANT = "(root)";

export interface FunctionRecord extends Tenant {
  id: string;
  name: string;
  description: string | null;
  input: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  code: string;
  createdAt: number;
}

export interface FunctionStore {
  insert(fn: FunctionRecord): void;
  get(tenant: Tenant, id: string): FunctionRecord | undefined;
  list(tenant: Tenant, limit: number, offset: number): Page<FunctionRecord>;
}

/**
 * A JSON document of one of the small services (workflows, agents, event subscriptions, events,
 * users). Users belong to their organization's project-less space.
 */
export interface DocumentRecord<T = unknown> extends Tenant {
  kind: string;
  id: string;
  data: T;
  createdAt: number;
}

export interface DocumentStore {
  insert<T>(doc: DocumentRecord<T>): void;
  get<T>(kind: string, tenant: Tenant, id: string): DocumentRecord<T> | undefined;
  /** Newest first. */
  list<T>(kind: string, tenant: Tenant, limit: number, offset: number): Page<DocumentRecord<T>>;
}

export interface DataItemRecord extends Tenant {
  collection: string;
  key: string;
  value: unknown;
  updatedAt: number;
}

export interface DataStore {
  put(item: DataItemRecord): void;
  get(tenant: Tenant, collection: string, key: string): DataItemRecord | undefined;
  list(tenant: Tenant, collection: string, limit: number, offset: number): Page<DataItemRecord>;
}

export interface Store {
  keys: KeyStore;
  idempotency: IdempotencyStore;
  logs: LogStore;
  functions: FunctionStore;
  documents: DocumentStore;
  data: DataStore;
  /** Runs `fn` atomically: everything it writes commits together or not at all. */
  transaction<T>(fn: () => T): T;
  /** Writes queued log entries, then closes the database. */
  close(): void;
}
