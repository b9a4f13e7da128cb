import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { SECRET_SIGNATURE } from "../../resource";
import type { EmulatorProcess } from "./emulatorProcess";
import type { TestStack } from "./harness";

/**
 * One leak scan per end-to-end test file: tests register the stacks they drive, the emulator
 * processes they start and any secret they create outside a stack, and the file's last test
 * (`leakScanTest`) searches every CLI transcript, every state export, the CLI's own log files
 * (PULUMI_HOME/logs) and every emulator log of the file for every secret. Secrets come from
 * three places:
 *
 * - registered explicitly (`secret()`), e.g. a key created through the client, a root key;
 * - harvested from each registered stack's state at scan time (`stack export --show-secrets`,
 *   whose own output is never part of what is searched);
 * - recognized by shape: anything that looks like an Admin.do key secret (`adk_` and 32 base62
 *   characters) is a leak even if no test registered it, which covers keys that were replaced or
 *   deleted before the scan.
 *
 * Failures name the place and the secret's first characters only, never the whole secret.
 */

/** The shape of every secret the emulator issues (emulator/secrets.ts: `adk_` + 32 base62). */
const SECRET_SHAPE = /adk_[0-9A-Za-z]{32}(?![0-9A-Za-z])/g;
/** The emulator prints its root key at startup by design (it is how users learn it). */
const ROOT_KEY_BANNER = /^Root key: .*$/gm;

interface Source {
  name: string;
  text: () => string | Promise<string>;
}

export class LeakScan {
  private readonly secrets = new Set<string>();
  private readonly stacks = new Set<TestStack>();
  private readonly sources: Source[] = [];

  /** Secrets that must never be printed, logged or stored in plaintext. */
  secret(...values: (string | undefined)[]): void {
    for (const value of values) if (value) this.secrets.add(value);
  }

  /** Scans the stack's transcript and state, and harvests the secrets in its state. Returns the stack. */
  stack(stack: TestStack): TestStack {
    this.stacks.add(stack);
    return stack;
  }

  /** Scans the emulator's log output; its root key becomes a registered secret. Returns the emulator. */
  emulator(emulator: EmulatorProcess): EmulatorProcess {
    this.secret(emulator.rootKey);
    this.text(`emulator ${emulator.url} log`, () => emulator.output().replace(ROOT_KEY_BANNER, ""));
    return emulator;
  }

  /** Scans any other text (a tool's output, a log file), read at scan time. */
  text(name: string, text: string | (() => string | Promise<string>)): void {
    this.sources.push({ name, text: typeof text === "string" ? () => text : text });
  }

  /** The number of distinct secrets known so far (registered plus harvested). */
  get size(): number {
    return this.secrets.size;
  }

  /** Reads the secrets currently in the stack's state into the registry. */
  async harvest(stack: TestStack): Promise<void> {
    if (!existsSync(stack.workDir)) return;
    const result = await stack.run(["stack", "export", "--show-secrets"], { check: false });
    if (result.code !== 0) return;
    collectSecretValues(JSON.parse(result.stdout), (value) => this.secret(value));
  }

  /** Every leak found, as "<place>: <first characters of the secret>…". Empty when clean. */
  async findLeaks(): Promise<string[]> {
    const corpus: { name: string; text: string }[] = [];
    for (const stack of this.stacks) {
      // A stack already cleaned up (its directory removed) still has its transcript to scan.
      if (existsSync(stack.workDir)) {
        await this.harvest(stack);
        const state = await stack.run(["stack", "export"], { check: false });
        corpus.push({ name: `${stack.workDir} state`, text: state.stdout });
      }
      const logs = path.join(stack.workDir, ".pulumi-home", "logs");
      for (const file of existsSync(logs) ? readdirSync(logs) : []) {
        corpus.push({ name: `${logs}/${file}`, text: readFileSync(path.join(logs, file), "utf8") });
      }
      stack.transcript.forEach((entry, index) => {
        // Commands run with --show-secrets print secrets because they were asked to.
        if (!entry.includes("--show-secrets")) {
          corpus.push({ name: `${stack.workDir} ${entry.split("\n", 1)[0]} (#${index})`, text: entry });
        }
      });
    }
    for (const source of this.sources) corpus.push({ name: source.name, text: await source.text() });

    const leaks = new Set<string>();
    for (const { name, text } of corpus) {
      for (const secret of this.secrets)
        if (text.includes(secret)) leaks.add(`${name}: ${abbreviate(secret)}`);
      for (const match of text.matchAll(SECRET_SHAPE)) leaks.add(`${name}: ${abbreviate(match[0])}`);
    }
    return [...leaks];
  }
}

/**
 * Defines the file's leak test. Call it after every other test of the file: jest runs a file's
 * tests in order, so this one sees everything the others printed and stored.
 */
export function leakScanTest(
  scan: LeakScan,
  options: { minSecrets?: number; timeoutMs?: number } = {},
): void {
  test(
    "no secret created in this file appears in any CLI output, state export or emulator log",
    async () => {
      const leaks = await scan.findLeaks();
      // A scan that knows no secret proves nothing.
      expect(scan.size).toBeGreaterThanOrEqual(options.minSecrets ?? 1);
      expect(leaks).toEqual([]);
    },
    options.timeoutMs ?? 180_000,
  );
}

function abbreviate(secret: string): string {
  return `${secret.slice(0, 8)}…`;
}

/** Calls `found` with every string inside every secret value of a `--show-secrets` state export. */
function collectSecretValues(value: unknown, found: (secret: string) => void, inSecret = false): void {
  if (typeof value === "string") {
    // Short secret values (a flag, a port) would match everywhere; Admin.do secrets are long.
    if (inSecret && value.length >= 12) found(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecretValues(item, found, inSecret);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIGNATURE] !== undefined && typeof record.plaintext === "string") {
      collectSecretValues(JSON.parse(record.plaintext), found, true);
      return;
    }
    for (const item of Object.values(record)) collectSecretValues(item, found, inSecret);
  }
}
