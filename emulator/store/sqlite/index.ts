import Database from "better-sqlite3";
import type { Store } from "../types";
import { sqliteDataStore, sqliteDocumentStore } from "./documents";
import { sqliteFunctionStore } from "./functions";
import { sqliteIdempotencyStore } from "./idempotency";
import { sqliteKeyStore } from "./keys";
import { sqliteLogStore } from "./logs";
import { migrate } from "./migrations";

export { MIGRATIONS } from "./migrations";
export { NO_PROJECT } from "./logs";

/**
 * Opens (creating if needed) the emulator's SQLite database: ":memory:" for tests, a file path to
 * keep state across restarts. WAL lets readers (e.g. a test inspecting the file) run beside the
 * server; statements are prepared once, here.
 */
export function openSqliteStore(path = ":memory:"): Store {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  const logs = sqliteLogStore(db);
  return {
    keys: sqliteKeyStore(db),
    idempotency: sqliteIdempotencyStore(db),
    logs,
    functions: sqliteFunctionStore(db),
    documents: sqliteDocumentStore(db),
    data: sqliteDataStore(db),
    transaction: (fn) => db.transaction(fn)(),
    close: () => {
      if (!db.open) return;
      try {
        logs.flush();
      } finally {
        db.close();
      }
    },
  };
}
