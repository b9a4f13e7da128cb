import type Database from "better-sqlite3";
import type { LogRecord, LogStore, StatusFilter, UsageGrouping, UsageRow } from "../types";

interface LogRow {
  id: string;
  key_id: string;
  organization: string | null;
  timestamp: number;
  method: string;
  path: string;
  resource: string | null;
  project: string | null;
  status: number;
  latency_ms: number;
  ip: string;
  referrer: string | null;
  denial_reason: string | null;
  cost_micros: number;
}

function fromRow(row: LogRow): LogRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    organization: row.organization,
    timestamp: row.timestamp,
    method: row.method,
    path: row.path,
    resource: row.resource,
    project: row.project,
    status: row.status,
    latencyMs: row.latency_ms,
    ip: row.ip,
    referrer: row.referrer,
    denialReason: row.denial_reason,
    costMicros: row.cost_micros,
  };
}

/** Status filter as an inclusive range: "success" is 2xx/3xx (and 1xx), "error" 4xx/5xx. */
function statusRange(filter: StatusFilter | undefined): { min: number; max: number } {
  if (filter === "success") return { min: 0, max: 399 };
  if (filter === "error") return { min: 400, max: 999 };
  if (typeof filter === "number") return { min: filter, max: filter };
  return { min: 0, max: 999 };
}

/** Project-less requests are grouped under this key; project names cannot contain parentheses. */
export const NO_PROJECT = "(none)";

const GROUP_EXPRESSIONS: Record<UsageGrouping, string> = {
  hour: "CAST((timestamp / 3600000) * 3600000 AS TEXT)",
  day: "CAST((timestamp / 86400000) * 86400000 AS TEXT)",
  resource: "coalesce(resource, 'unknown')",
  project: `coalesce(project, '${NO_PROJECT}')`,
};

/** Queued entries written together once this many are waiting… */
const LOG_BATCH_SIZE = 500;
/** …or this long after the first of them was queued. */
export const LOG_FLUSH_DELAY_MS = 50;

/**
 * The request log. Inserts are queued and written in one transaction (one WAL commit for many
 * entries instead of one each): when LOG_BATCH_SIZE entries wait, LOG_FLUSH_DELAY_MS after the
 * first was queued, before every read of the log, and on close. So a crash of the process loses
 * at most the entries of the last LOG_FLUSH_DELAY_MS (and never more than LOG_BATCH_SIZE), and a
 * clean shutdown loses none.
 */
export function sqliteLogStore(db: Database.Database): LogStore {
  // Positional parameters: binding from an object by name costs a quarter more per entry.
  const insert = db.prepare<unknown[]>(`
    INSERT INTO request_logs (id, key_id, organization, timestamp, method, path, resource, project, status,
      latency_ms, ip, referrer, denial_reason, cost_micros)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const getOne = db.prepare<[string, string], LogRow>(
    `SELECT * FROM request_logs WHERE key_id = ? AND id = ?`,
  );
  const where = `key_id = @keyId AND timestamp >= @from AND timestamp <= @to AND status BETWEEN @min AND @max`;
  const list = db.prepare<Record<string, unknown>, LogRow>(
    `SELECT * FROM request_logs WHERE ${where} ORDER BY timestamp DESC, seq DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare<Record<string, unknown>, { n: number }>(
    `SELECT count(*) AS n FROM request_logs WHERE ${where}`,
  );

  // One prepared statement per (grouping, owner column), built once.
  const aggregates = new Map<string, Database.Statement<Record<string, unknown>, UsageRow>>();
  for (const [grouping, expression] of Object.entries(GROUP_EXPRESSIONS)) {
    for (const owner of ["key_id", "organization"]) {
      aggregates.set(
        `${grouping}:${owner}`,
        db.prepare(`
          SELECT ${expression} AS key, count(*) AS requests,
            sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, sum(cost_micros) AS costMicros
          FROM request_logs
          WHERE ${owner} = @owner AND timestamp >= @from AND timestamp <= @to
            AND (@resources IS NULL OR resource IN (SELECT value FROM json_each(@resources)))
            AND (@project IS NULL OR project = @project)
          GROUP BY 1 ORDER BY 1`),
      );
    }
  }

  let queue: LogRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  const writeAll = db.transaction((entries: LogRecord[]) => {
    for (const e of entries) {
      insert.run(
        e.id,
        e.keyId,
        e.organization,
        e.timestamp,
        e.method,
        e.path,
        e.resource,
        e.project,
        e.status,
        e.latencyMs,
        e.ip,
        e.referrer,
        e.denialReason,
        e.costMicros,
      );
    }
  });
  const schedule = () => {
    if (timer !== undefined) return;
    timer = setTimeout(flushQuietly, LOG_FLUSH_DELAY_MS);
    // A pending write must not keep a process alive that is otherwise done; close() flushes.
    timer.unref();
  };
  /** Writes the queue. Inside a transaction it waits: a rollback would take the entries with it. */
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (queue.length === 0 || !db.open) return;
    if (db.inTransaction) return schedule();
    const entries = queue;
    queue = [];
    try {
      writeAll(entries);
    } catch (error) {
      queue = entries.concat(queue);
      throw error;
    }
  };
  /** A flush nobody waits for: a failure (busy or full disk) is a warning, and is tried again. */
  function flushQuietly() {
    try {
      flush();
    } catch (error) {
      const bound = 100 * LOG_BATCH_SIZE;
      if (queue.length > bound) queue.splice(0, queue.length - bound);
      process.emitWarning(`admindo emulator: writing the request log failed: ${(error as Error).message}`);
      schedule();
    }
  }

  return {
    insert(entry) {
      queue.push(entry);
      if (queue.length >= LOG_BATCH_SIZE) flushQuietly();
      else schedule();
    },
    flush,
    get(keyId, logId) {
      flush();
      const row = getOne.get(keyId, logId);
      return row && fromRow(row);
    },
    list({ keyId, from, to, status, limit, offset }) {
      flush();
      const params = { keyId, from, to, ...statusRange(status) };
      return {
        items: list.all({ ...params, limit, offset }).map(fromRow),
        total: count.get(params)!.n,
      };
    },
    aggregate({ keyId, organization, from, to, resources, project, groupBy }) {
      flush();
      const owner = keyId !== undefined ? "key_id" : "organization";
      const statement = aggregates.get(`${groupBy}:${owner}`)!;
      return statement.all({
        owner: keyId ?? organization ?? null,
        from,
        to,
        resources: resources && resources.length > 0 ? JSON.stringify(resources) : null,
        project: project ?? null,
      });
    },
  };
}
