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
  /** Non-root keys, newest first; all organizations when `organization` is undefined. */
  list(query: { organization?: string; limit: number; offset: number }): Page<KeyRecord>;
  /** Writes every mutable field of `key`. */
  save(key: KeyRecord): void;
  delete(id: string): boolean;
  touch(id: string, at: number): void;
  /** Candidate secrets whose public prefix matches; the caller compares hashes. */
  secretsByPrefix(prefix: string): SecretRecord[];
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
  insert(entry: LogRecord): void;
  get(keyId: string, logId: string): LogRecord | undefined;
  /** Newest first. */
  list(query: LogQuery): Page<LogRecord>;
  aggregate(query: UsageQuery): UsageRow[];
}

export interface FunctionRecord {
  id: string;
  /** "" when the function was created without a project. */
  project: string;
  name: string;
  description: string | null;
  input: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  code: string;
  createdAt: number;
}

export interface FunctionStore {
  insert(fn: FunctionRecord): void;
  get(project: string, id: string): FunctionRecord | undefined;
  list(project: string, limit: number, offset: number): Page<FunctionRecord>;
}

/** A JSON document of one of the small services (workflows, agents, events, users…). */
export interface DocumentRecord<T = unknown> {
  kind: string;
  /** The project (or organization) that owns it; "" for none. */
  owner: string;
  id: string;
  data: T;
  createdAt: number;
}

export interface DocumentStore {
  insert<T>(doc: DocumentRecord<T>): void;
  get<T>(kind: string, owner: string, id: string): DocumentRecord<T> | undefined;
  /** Newest first. */
  list<T>(kind: string, owner: string, limit: number, offset: number): Page<DocumentRecord<T>>;
}

export interface DataItemRecord {
  project: string;
  collection: string;
  key: string;
  value: unknown;
  updatedAt: number;
}

export interface DataStore {
  put(item: DataItemRecord): void;
  get(project: string, collection: string, key: string): DataItemRecord | undefined;
  list(project: string, collection: string, limit: number, offset: number): Page<DataItemRecord>;
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
  close(): void;
}
