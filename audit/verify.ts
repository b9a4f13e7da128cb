import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "undici";
import { DENIAL_CODES, ErrorBodySchema, type ApiKey } from "../client/schemas";
import { emulatorDependenciesMessage, missingEmulatorDependencies } from "../emulator/dependencies";
import type { Suggestion, Tally, Verification } from "./model";
import type { ReplayRecord, Spool } from "./spool";

/**
 * Proof that a suggestion admits what the key did: every request of the window is replayed, oldest
 * first and each at its original time (so time windows and rate limits decide as they did), with
 * its method, path, project, client address and Referer host, against the Admin.do emulator in
 * this process (on a loopback port), on a key created with exactly the suggested scopes,
 * projects and restrictions.
 * The replay sends no body: authorization happens before a body is read, so a request the key
 * admits ends in its handler (404 for ids that exist only in the real API, 400 for the missing
 * body) and a refused one ends with a denial code, which is all that is classified.
 *
 * Successful requests go to one key, alone, so nothing else uses up its rate limit: all of them
 * must pass. When the window holds denied requests, every request, denied ones included, also
 * goes to a second key with the same settings, whose answers to the denied requests say which of
 * them would still be denied.
 */

const DENIALS = new Set<string>(DENIAL_CODES);
/** Denials decided by a key's settings (the authorization checks), which a replay can repeat. */
const SETTING_DENIALS = new Set([
  "ip_not_allowed",
  "referrer_not_allowed",
  "outside_allowed_time",
  "rate_limited",
  "project_required",
  "project_not_allowed",
  "insufficient_scope",
]);

export class VerifyUnavailableError extends Error {
  override name = "VerifyUnavailableError";
}

/** Throws one sentence naming what to install when the emulator cannot run here. */
export function assertVerifyAvailable(): void {
  const missing = missingEmulatorDependencies();
  if (missing.length > 0) {
    throw new VerifyUnavailableError(
      `--verify replays requests in the local emulator. ${emulatorDependenciesMessage(missing)}`,
    );
  }
}

function tallies(counts: Map<string, number>): Tally[] {
  return [...counts]
    .map(([value, requests]) => ({ value, requests }))
    .sort((a, b) => b.requests - a.requests || a.value.localeCompare(b.value));
}

const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

export async function verifySuggestion(
  key: Pick<ApiKey, "organization" | "projects">,
  suggestion: Suggestion,
  spool: Spool,
): Promise<Verification> {
  assertVerifyAvailable();
  // Loaded only here: fastify and better-sqlite3 are optional peer dependencies.
  const { buildEmulator, openSqliteStore } = require("../emulator") as typeof import("../emulator");
  const dir = mkdtempSync(path.join(tmpdir(), "admindo-audit-replay-"));
  const store = openSqliteStore(path.join(dir, "replay.db"));
  let now = 0;
  const rootKey = `adk_${randomBytes(24).toString("base64url")}`;
  // Real HTTP on the loopback interface, the client address given as X-Forwarded-For (trusted
  // here only): fastify's inject() retains every response (about 10 KB each, light-my-request
  // 6.8), which a window of 100,000 requests cannot afford.
  const { app } = buildEmulator({ store, rootKey, clock: () => new Date(now), trustProxy: true });
  let connection: Client | undefined;
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as { port: number };
    const http = (connection = new Client(`http://127.0.0.1:${port}`));
    const call = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
      const response = await http.request({
        method: method as "GET",
        path: url,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.statusCode, text: await response.body.text() };
    };
    const records = spool.oldestFirst();
    const first = records.next();
    if (first.done) return emptyVerification();
    now = first.value.t;
    const create = async () => {
      const response = await call(
        "POST",
        "/api-keys",
        { authorization: `Bearer ${rootKey}` },
        {
          name: "admindo-audit replay",
          organization: key.organization,
          scopes: suggestion.scopes,
          projects: suggestion.projects,
          restrictions: suggestion.restrictions,
        },
      );
      if (response.status !== 201) {
        throw new Error(`the emulator refused a key with the suggested settings: ${response.text}`);
      }
      return (JSON.parse(response.text) as { key: string }).key;
    };
    const alone = await create();
    // Only needed when there are denied requests to replay in the traffic's company.
    const shared = spool.denied > 0 ? await create() : undefined;

    const send = async (secret: string, record: ReplayRecord): Promise<string | null> => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${secret}`,
        "x-forwarded-for": record.ip,
      };
      if (record.project !== null) headers["x-admindo-project"] = record.project;
      if (record.referrer !== null) headers.referer = record.referrer;
      const response = await call(record.method, record.path, headers);
      if (response.status < 400) return null;
      const body = ErrorBodySchema.safeParse(safeJson(response.text));
      const code = body.success ? body.data.error.code : `http_${response.status}`;
      return DENIALS.has(code) || code === "unauthenticated" ? code : null;
    };

    let replayed = 0;
    let admitted = 0;
    let deniedReplayed = 0;
    const refused = new Map<string, number>();
    const stillDenied = new Map<string, number>();
    const nowAdmitted = new Map<string, number>();
    const notReplayed = new Map<string, number>();
    for (let item: IteratorResult<ReplayRecord> = first; !item.done; item = records.next()) {
      const record = item.value;
      now = record.t;
      if (record.denial === null) {
        replayed++;
        const denial = await send(alone, record);
        if (denial === null) admitted++;
        else bump(refused, denial);
        if (shared) await send(shared, record);
        continue;
      }
      // project_not_allowed also comes from handlers (a key granting projects outside its own);
      // the authorization check gives it only to a bound key, for a project outside its list.
      const decidedByHandler =
        record.denial === "project_not_allowed" &&
        (key.projects.length === 0 || (record.project !== null && key.projects.includes(record.project)));
      if (!SETTING_DENIALS.has(record.denial) || decidedByHandler) {
        bump(notReplayed, record.denial);
        continue;
      }
      deniedReplayed++;
      const denial = await send(shared!, record);
      if (denial === null) bump(nowAdmitted, record.denial);
      else bump(stillDenied, denial);
    }
    return {
      replayed,
      admitted,
      refused: tallies(refused),
      denied: {
        replayed: deniedReplayed,
        stillDenied: tallies(stillDenied),
        nowAdmitted: tallies(nowAdmitted),
        notReplayed: tallies(notReplayed),
      },
      passed: admitted === replayed,
    };
  } finally {
    await connection?.close();
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function emptyVerification(): Verification {
  return {
    replayed: 0,
    admitted: 0,
    refused: [],
    denied: { replayed: 0, stillDenied: [], nowAdmitted: [], notReplayed: [] },
    passed: true,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
