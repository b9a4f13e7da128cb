import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { API_KEY } from "../../resource";
import type { StateDeployment, TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { useEmulator } from "./session";

/**
 * A `pulumi up` killed mid-run (SIGKILL to the CLI's process group and to those of its language
 * host and provider, as a CI runner that times out does), then the documented recovery, through
 * the real CLI (v3.274.1, file backend).
 *
 * What the kill leaves behind, and what Pulumi requires of the user:
 * - SIGKILL to the CLI's process group alone does not stop the run's plugins: the CLI starts the
 *   language host and the provider in process groups of their own; they outlive it (for hours,
 *   idle), and a provider whose create is in flight may still finish it;
 * - the file backend's lock stays: every `up`/`refresh` fails until `pulumi cancel --yes`;
 * - the creates in flight stay in state as pending CREATE operations without ids, while the
 *   server holds their keys: orphans, whose secrets nobody has;
 * - a non-interactive `pulumi refresh` keeps pending creates ("`pulumi refresh` will need to be
 *   run interactively to clear pending CREATE operations"), and a plain `pulumi up` only warns
 *   and creates the keys again: the orphans become duplicates;
 * - `pulumi refresh --import-pending-creates URN ID` (repeat the flag for URN, then for ID) turns
 *   the pending create into a pending import, and the refresh then drops it: no resource with that
 *   id is in state afterwards, so it cannot adopt orphans; an adopted orphan would have no secret
 *   anyway (the API shows it once);
 * - rarely, the kill lands while the backend writes `<stack>.json.attrs`, which is then empty and
 *   every command fails with "failed to load checkpoint: EOF" until that file is removed.
 *
 * The documented recovery (`recoverInterruptedUp` below does exactly this): remove an empty
 * .attrs file if there is one; `pulumi cancel --yes`; read the pending creates from
 * `pulumi stack export`; delete the keys of the same name and organization that are not in state
 * and were created since the interrupted run began; `pulumi refresh --clear-pending-creates`;
 * `pulumi up`.
 */

const FIXTURE = path.join(__dirname, "fixtures/bench-keys");
const API_KEY_TYPE = API_KEY.token;
const ORGANIZATION = "interrupted";
const COUNT = 12;

const emulator = useEmulator();
const { scan } = emulator;
let stack: TestStack;

beforeAll(async () => {
  stack = await emulator.stack(FIXTURE, { config: { count: String(COUNT), organization: ORGANIZATION } });
}, 120_000);

async function setSlowCreates(on: boolean): Promise<void> {
  // Every create commits at once and answers 1.5 s later, so a kill always finds keys that exist
  // on the server while their creates are still pending in Pulumi.
  const response = await request(`${emulator.url}/_emulator/faults`, {
    method: on ? "POST" : "DELETE",
    headers: { authorization: `Bearer ${emulator.rootKey}`, "content-type": "application/json" },
    body: on
      ? JSON.stringify({ method: "POST", path: "/api-keys", delayMs: 1_500, after: true, probability: 1 })
      : undefined,
  });
  await response.body.dump();
  expect(response.statusCode).toBeLessThan(300);
}

async function serverKeys(): Promise<{ id: string; name: string; createdAt: string }[]> {
  const keys: { id: string; name: string; createdAt: string }[] = [];
  for await (const key of emulator.client.apiKeys.listAll({ organization: ORGANIZATION })) keys.push(key);
  return keys;
}

function apiKeyIds(deployment: StateDeployment): string[] {
  return (deployment.resources ?? [])
    .filter((resource) => resource.type === API_KEY_TYPE)
    .map((resource) => resource.id!);
}

interface PendingCreate {
  type: string;
  resource: { urn: string; inputs?: { name?: string; organization?: string } };
}

function pendingCreates(deployment: StateDeployment): PendingCreate[] {
  return ((deployment.pending_operations ?? []) as PendingCreate[]).filter((op) => op.type === "creating");
}

/** Starts `pulumi up` in its own process group and SIGKILLs the group once `creates` keys were answered. */
async function upKilledAfter(creates: number): Promise<{ startedAt: number; output: string }> {
  const startedAt = Date.now();
  const logStart = emulator.output().length;
  const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"], {
    cwd: stack.workDir,
    env: stack.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise((resolve) => child.once("close", resolve));
  const answered = () =>
    (
      emulator
        .output()
        .slice(logStart)
        .match(/"statusCode":201/g) ?? []
    ).length;
  for (let waited = 0; answered() < creates; waited += 50) {
    if (waited > 120_000 || child.exitCode !== null)
      throw new Error(`pulumi up did not get far enough:\n${output}`);
    await sleep(50);
  }
  // The CLI starts its language host and provider in process groups of their own, so killing its
  // group alone leaves them running (and a provider may finish a create after the CLI is gone).
  // Kill every group of the run's process tree, as a CI runner's timeout would.
  const tree = processTree(child.pid!);
  for (const pgid of new Set([child.pid!, ...tree.map((proc) => proc.pgid)])) killGroup(pgid);
  await closed;
  for (let waited = 0; tree.some((proc) => alive(proc.pid)); waited += 50) {
    if (waited > 10_000) throw new Error("processes of the killed pulumi up are still running");
    await sleep(50);
  }
  stack.transcript.push(`$ pulumi up (killed)\n${output}`);
  return { startedAt, output };
}

/** Every descendant of `root` with its process group, read from /proc (Linux). */
function processTree(root: number): { pid: number; pgid: number }[] {
  const procs = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // Fields after the command name (which may contain spaces): state, ppid, pgrp, …
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return [{ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid) }];
      } catch {
        return [];
      }
    });
  const found: { pid: number; pgid: number }[] = [];
  for (let parents = new Set([root]); parents.size > 0;) {
    const children = procs.filter((proc) => parents.has(proc.ppid));
    found.push(...children);
    parents = new Set(children.map((proc) => proc.pid));
  }
  return found;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Zero-length `.attrs` files of the file backend, left when a kill lands during a state write. */
function emptyAttrsFiles(): string[] {
  const dir = path.join(stack.workDir, ".state", ".pulumi", "stacks");
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(d, entry.name)) : [path.join(d, entry.name)],
    );
  return walk(dir).filter((file) => file.endsWith(".attrs") && statSync(file).size === 0);
}

/**
 * The documented recovery after a killed `pulumi up`, step by step. Returns the ids of the
 * orphaned keys it deleted.
 */
async function recoverInterruptedUp(interruptedAt: number): Promise<string[]> {
  // 0. A kill during a state write can leave an empty .attrs file: "failed to load checkpoint: EOF".
  for (const file of emptyAttrsFiles()) rmSync(file);
  // 1. The killed CLI still holds the file backend's lock.
  await stack.run(["cancel", "--yes"]);
  // 2. The pending creates name the keys that may exist on the server without being in state.
  const { deployment } = await stack.exportState();
  const known = new Set(apiKeyIds(deployment));
  const orphans: string[] = [];
  for (const op of pendingCreates(deployment)) {
    const { name, organization } = op.resource.inputs ?? {};
    const candidates: { id: string; name: string; createdAt: string }[] = [];
    for await (const key of emulator.client.apiKeys.listAll({ organization })) candidates.push(key);
    for (const key of candidates) {
      // Same name and organization, not in state, created since the interrupted run began.
      if (key.name === name && !known.has(key.id) && Date.parse(key.createdAt) >= interruptedAt - 1_000) {
        // 3. Delete it: its secret was never stored anywhere, so nobody can be using it.
        await emulator.client.apiKeys.delete(key.id);
        orphans.push(key.id);
      }
    }
  }
  // 4. Drop the pending creates (non-interactive refresh keeps them otherwise), then re-apply.
  await stack.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]);
  await stack.up();
  return orphans;
}

test("a killed pulumi up leaves a lock, pending creates and orphaned keys; the documented recovery ends with exactly the keys in state", async () => {
  await setSlowCreates(true);
  const { startedAt } = await upKilledAfter(3);
  await setSlowCreates(false);

  // The lock stays: the CLI says to run `pulumi cancel`.
  for (const file of emptyAttrsFiles()) rmSync(file);
  const locked = await stack.up({ check: false });
  expect(locked.code).not.toBe(0);
  expect(locked.stdout + locked.stderr).toMatch(/the stack is currently locked.*pulumi cancel/s);

  // Keys exist on the server that state does not hold: the creates in flight when the CLI died.
  const { deployment } = await stack.exportState();
  const pending = pendingCreates(deployment);
  expect(pending.length).toBeGreaterThan(0);
  const inState = new Set(apiKeyIds(deployment));
  const orphansBefore = (await serverKeys()).filter((key) => !inState.has(key.id));
  expect(orphansBefore.length).toBeGreaterThan(0);
  // Each orphan is findable by name and organization from a pending create.
  const pendingNames = new Set(pending.map((op) => op.resource.inputs?.name));
  for (const orphan of orphansBefore) expect(pendingNames).toContain(orphan.name);

  const deleted = await recoverInterruptedUp(startedAt);
  await scan.harvest(stack);
  expect(deleted.sort()).toEqual(orphansBefore.map((key) => key.id).sort());

  const after = await stack.exportState();
  expect(pendingCreates(after.deployment)).toEqual([]);
  const ids = apiKeyIds(after.deployment);
  expect(ids).toHaveLength(COUNT);
  const onServer = await serverKeys();
  expect(onServer.map((key) => key.id).sort()).toEqual([...ids].sort());
  expect(new Set(onServer.map((key) => key.name)).size).toBe(COUNT);

  await stack.destroy();
  expect(await serverKeys()).toEqual([]);
}, 600_000);

test("without the recovery: refresh keeps pending creates, --import-pending-creates adopts nothing, and up duplicates the orphans", async () => {
  await stack.up();
  await stack.destroy();
  await setSlowCreates(true);
  await upKilledAfter(2);
  await setSlowCreates(false);
  for (const file of emptyAttrsFiles()) rmSync(file);
  await stack.run(["cancel", "--yes"]);

  // A non-interactive refresh leaves pending creates alone ("needs to be run interactively").
  await stack.refresh();
  const { deployment } = await stack.exportState();
  const pending = pendingCreates(deployment);
  expect(pending.length).toBeGreaterThan(0);

  // Importing the orphan of one pending create by its id: the pending create disappears, the key
  // is not adopted (3.274.1), so the orphan stays orphaned.
  const inState = new Set(apiKeyIds(deployment));
  const orphan = (await serverKeys()).find(
    (key) => key.name === pending[0].resource.inputs?.name && !inState.has(key.id),
  );
  expect(orphan).toBeDefined();
  const urn = pending[0].resource.urn;
  await stack.run([
    "refresh",
    "--yes",
    "--skip-preview",
    "--import-pending-creates",
    urn,
    "--import-pending-creates",
    orphan!.id,
  ]);
  const after = (await stack.exportState()).deployment;
  expect(pendingCreates(after).map((op) => op.resource.urn)).not.toContain(urn);
  expect(apiKeyIds(after)).not.toContain(orphan!.id);

  // A plain `pulumi up` warns about the interrupted creates and creates every key again: the
  // orphans become duplicates by name.
  const up = await stack.up();
  expect(up.stdout + up.stderr).toMatch(/interrupted while creating/);
  const names = (await serverKeys()).map((key) => key.name);
  expect(names.length).toBeGreaterThan(COUNT);
  expect(new Set(names).size).toBe(COUNT);

  await stack.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]);
  await stack.destroy();
  for (const key of await serverKeys()) await emulator.client.apiKeys.delete(key.id);
}, 600_000);

leakScanTest(scan, { minSecrets: COUNT + 1 });
