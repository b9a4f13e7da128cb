import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { runAudit } from "../../audit/audit";
import { KeyUsageAggregator } from "../../audit/aggregate";
import { targetsFromIds } from "../../audit/input";
import { DEFAULT_PREFIXES } from "../../audit/networks";
import { suggest } from "../../audit/suggest";
import { createAdminClient } from "../../client";
import { streamLogs } from "../../client/logStream";
import { LogEntrySchema, type ApiKey, type LogEntry } from "../../client/schemas";
import { buildEmulator, openSqliteStore } from "../../emulator";
import { startBenchEmulator } from "./emulator";
import { result, type Result } from "./report";

/**
 * admindo-audit on a large window: `entries` log entries of one key (a realistic mix of clients,
 * IPv6, projects, Referers, operations and denials over 29 days), written into an emulator's
 * database, then:
 *
 * - the audit as the CLI runs it (every entry read over HTTP from the emulator in its own process,
 *   parsed by the client, aggregated), against reading the same entries without aggregating,
 *   with the target of 10 s for 100,000 entries;
 * - the same audit with --verify (every request replayed against the suggestion);
 * - aggregation alone (in memory), against zod-parsing the same entries (the client's own cost
 *   per entry), and the heap the aggregator retains, against holding the entries themselves.
 */
export async function benchAudit(options: {
  entries: number;
  log: (line: string) => void;
}): Promise<{ results: Result[]; raw: Record<string, unknown> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "admindo-bench-audit-"));
  const dbPath = path.join(dir, "audit.db");
  const rootKey = `root_${randomBytes(18).toString("base64url")}`;
  const now = Date.now();
  try {
    const { keyId, auditor } = await seed(dbPath, rootKey, options.entries, now);
    const server = await startBenchEmulator({ dbPath, rootKey });
    try {
      const client = createAdminClient({ baseUrl: server.url, apiKey: auditor });
      const window = { start: now - 30 * 86_400_000, end: now + 60_000 };
      let read = 0;
      const fetchStart = performance.now();
      for await (const _ of streamLogs(client.apiKeys, keyId, window)) read++;
      const fetchSeconds = (performance.now() - fetchStart) / 1000;

      const auditStart = performance.now();
      const report = await runAudit({ apiKeys: client.apiKeys, targets: targetsFromIds([keyId]) });
      const auditSeconds = (performance.now() - auditStart) / 1000;
      const verifyStart = performance.now();
      const verified = await runAudit({
        apiKeys: client.apiKeys,
        targets: targetsFromIds([keyId]),
        verify: true,
      });
      const verifySeconds = (performance.now() - verifyStart) / 1000;
      const replay = verified.keys[0].verification!;
      options.log(
        `  --verify: ${verifySeconds.toFixed(1)} s, ${replay.admitted} of ${replay.replayed} successful and ${replay.denied.replayed} denied requests replayed (passed: ${replay.passed})`,
      );
      await client.close();
      const audited = report.keys[0].activity.requests;
      options.log(
        `  ${audited.toLocaleString("en-US")} entries: audit ${auditSeconds.toFixed(2)} s, reading them alone ${fetchSeconds.toFixed(2)} s (${read} read)`,
      );

      const memory = aggregateInMemory(options.entries, now);
      options.log(
        `  aggregation alone ${memory.aggregateMs.toFixed(0)} ms (zod parse ${memory.parseMs.toFixed(0)} ms); aggregator retains ${memory.aggregateHeapMb.toFixed(2)} MB (the entries held: ${memory.heldHeapMb.toFixed(1)} MB)`,
      );
      const label = `${(options.entries / 1000).toFixed(0)}k`;
      const results = [
        result({
          name: `admindo-audit, ${label} log entries (HTTP + aggregation)`,
          value: auditSeconds,
          baseline: fetchSeconds,
          unit: "s",
          baselineName: "reading them only",
          target: "< 10 s",
          holds: (_ratio, value) => value < 10 * (options.entries / 100_000),
        }),
        result({
          name: `admindo-audit --verify, ${label} log entries`,
          value: verifySeconds,
          baseline: auditSeconds,
          unit: "s",
          baselineName: "the audit without --verify",
          note: `replayed ${Math.round((replay.replayed * 2 + replay.denied.replayed) / (verifySeconds - auditSeconds))} requests/s over HTTP on loopback; passed: ${replay.passed}`,
        }),
        result({
          name: `audit aggregation alone, ${label} entries`,
          value: memory.aggregateMs,
          baseline: memory.parseMs,
          unit: "ms",
          baselineName: "zod-parsing the entries",
        }),
        result({
          name: `audit heap retained, ${label} entries`,
          value: memory.aggregateHeapMb,
          baseline: memory.heldHeapMb,
          unit: "MB",
          baselineName: "holding the entries",
        }),
      ];
      return {
        results,
        raw: {
          entries: options.entries,
          audited,
          auditSeconds,
          fetchSeconds,
          verifySeconds,
          replay,
          ...memory,
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const IPV4 = Array.from({ length: 60 }, (_, i) => `198.51.${100 + (i % 3)}.${10 + i}`);
const IPV6 = Array.from({ length: 20 }, (_, i) => `2001:db8:${i % 4}::${(i + 1).toString(16)}`);
const PROJECTS = ["shop", "blog", "checkout"];
const ROUTES: [string, string][] = [
  ["GET", "/functions"],
  ["POST", "/functions/fn_1/execute"],
  ["GET", "/workflows/wf_1"],
  ["PUT", "/data/orders/o1"],
  ["GET", "/events"],
];
const DENIALS = ["insufficient_scope", "ip_not_allowed", "rate_limited", "referrer_not_allowed"];

/** The i-th generated entry, newest first from `now`, spread over 29 days. */
function generated(i: number, count: number, now: number, keyId: string): LogEntry {
  const [method, routePath] = ROUTES[i % ROUTES.length];
  const denied = i % 20 === 0;
  return {
    id: `log_bench_${i}`,
    keyId,
    timestamp: new Date(now - 1000 - Math.floor((i * 29 * 86_400_000) / count)).toISOString(),
    method,
    path: routePath,
    resource: routePath.split("/")[1],
    project: PROJECTS[i % PROJECTS.length],
    status: denied ? 403 : 200,
    latencyMs: 1,
    ip: i % 4 === 0 ? IPV6[i % IPV6.length] : IPV4[i % IPV4.length],
    referrer: i % 7 === 0 ? null : `https://user:pw@app${i % 5}.example.com/page?x=${i}`,
    denialReason: denied ? DENIALS[(i / 20) % DENIALS.length] : null,
  };
}

/** A database holding the key, a read-only auditor key and the entries. */
async function seed(dbPath: string, rootKey: string, count: number, now: number) {
  const store = openSqliteStore(dbPath);
  const { app } = buildEmulator({ store, rootKey });
  const create = async (body: object) => {
    const response = await app.inject({
      method: "POST",
      url: "/api-keys",
      headers: { authorization: `Bearer ${rootKey}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });
    return response.json() as { id: string; key: string };
  };
  const key = await create({ name: "busy", organization: "bench", scopes: ["functions:read", "data:write"] });
  const auditor = await create({ name: "auditor", organization: "bench", scopes: ["admin:read"] });
  store.transaction(() => {
    for (let i = count - 1; i >= 0; i--) {
      const entry = generated(i, count, now, key.id);
      store.logs.insert({
        ...entry,
        timestamp: Date.parse(entry.timestamp),
        organization: "bench",
        // The API keeps the Referer without query or fragment.
        referrer: entry.referrer?.split("?")[0] ?? null,
        costMicros: 0,
      });
    }
  });
  await app.close();
  store.close();
  return { keyId: key.id, auditor: auditor.key };
}

/** A full garbage collection, so heap figures count what is retained, not garbage. */
function collectGarbage(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/**
 * Aggregation without the network: entries are made in chunks of 10,000 (not timed), then added.
 * The heap the aggregator retains (after a full collection) is set against the heap the same
 * entries take when held.
 */
function aggregateInMemory(count: number, now: number) {
  const gc = collectGarbage();
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const key = { restrictions: {} } as ApiKey;
  const chunk = (from: number) =>
    Array.from({ length: Math.min(10_000, count - from) }, (_, i) => generated(from + i, count, now, "k"));

  const raw = JSON.parse(JSON.stringify(chunk(0))) as unknown[];
  let start = performance.now();
  for (let done = 0; done < count; done += raw.length) for (const item of raw) LogEntrySchema.parse(item);
  const parseMs = performance.now() - start;

  const before = heap();
  const usage = new KeyUsageAggregator({ prefixes: DEFAULT_PREFIXES, timezone: "UTC" });
  let aggregateMs = 0;
  for (let from = 0; from < count; from += 10_000) {
    const entries = chunk(from);
    start = performance.now();
    for (const entry of entries) usage.add(entry);
    aggregateMs += performance.now() - start;
  }
  start = performance.now();
  suggest(key, usage, { ratePeriod: "minute" });
  aggregateMs += performance.now() - start;
  const aggregateHeapMb = heap() - before;
  if (usage.requests !== count) throw new Error("entries went missing");

  const beforeHeld = heap();
  const held: LogEntry[] = [];
  for (let from = 0; from < count; from += 10_000) held.push(...chunk(from));
  const heldHeapMb = heap() - beforeHeld;
  if (held.length !== count) throw new Error("entries went missing");
  return { parseMs, aggregateMs, aggregateHeapMb, heldHeapMb };
}
