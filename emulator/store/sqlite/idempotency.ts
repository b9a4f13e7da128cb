import type Database from "better-sqlite3";
import type { IdempotencyRecord, IdempotencyStore } from "../types";

interface Row {
  caller_key_id: string;
  lookup: Buffer;
  request_hash: Buffer;
  status: number;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  created_at: number;
  expires_at: number;
}

export function sqliteIdempotencyStore(db: Database.Database): IdempotencyStore {
  const find = db.prepare<[string, Buffer, number], Row>(
    `SELECT * FROM idempotency_records WHERE caller_key_id = ? AND lookup = ? AND expires_at > ?`,
  );
  // REPLACE: an expired record under the same key may still be present until the next purge.
  const insert = db.prepare(`
    INSERT OR REPLACE INTO idempotency_records
      (caller_key_id, lookup, request_hash, status, iv, tag, ciphertext, created_at, expires_at)
    VALUES (@callerKeyId, @lookup, @requestHash, @status, @iv, @tag, @ciphertext, @createdAt, @expiresAt)`);
  const purge = db.prepare<[number]>(`DELETE FROM idempotency_records WHERE expires_at <= ?`);

  return {
    find(callerKeyId, lookup, now) {
      const row = find.get(callerKeyId, lookup, now);
      if (!row) return undefined;
      return {
        callerKeyId: row.caller_key_id,
        lookup: row.lookup,
        requestHash: row.request_hash,
        status: row.status,
        iv: row.iv,
        tag: row.tag,
        ciphertext: row.ciphertext,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },
    insert(record: IdempotencyRecord) {
      insert.run(record);
    },
    purgeExpired(now) {
      purge.run(now);
    },
  };
}
