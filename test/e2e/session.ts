import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createStack, type TestStack } from "./harness";
import { startEmulatorProcess, type EmulatorProcess } from "./emulatorProcess";
import { LeakScan } from "./leakScan";

/**
 * The setup most end-to-end files share: one emulator process for the file (or `describe` block),
 * one leak scan over everything they touch, and stacks configured for that emulator. Call it at
 * the top of the file or block: it registers the `beforeAll` that starts the emulator and the
 * `afterAll` that destroys every stack made with `stack()`, then stops the emulator (hooks run in
 * the order they are declared: declare an `afterAll` that needs the emulator before calling this).
 * The object is the emulator itself (`url`, `rootKey`, `client`, `output()`), usable once
 * `beforeAll` ran.
 */
export interface TestEmulator extends EmulatorProcess {
  /** The leak scan of the file: the emulator's log and root key, and every stack made with `stack()`. */
  readonly scan: LeakScan;
  /**
   * A stack for the program in `programDir`, with `admindo:baseUrl` pointing at this emulator and
   * `admindo:apiKey` its root key (or `apiKey`); scanned for leaks, destroyed after the file.
   */
  stack(programDir: string, options?: StackOptions): Promise<TestStack>;
  /** Scans a stack made another way (e.g. from the packed tarball) and destroys it after the file. */
  adopt(stack: TestStack): TestStack;
}

export interface StackOptions {
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** The provider's credential (default: the emulator's root key). */
  apiKey?: string;
}

export function useEmulator(
  options: {
    /** An emulator database to start from (a fixture): a copy is used, the fixture stays as it is. */
    database?: string;
    rootKey?: string;
  } = {},
): TestEmulator {
  const scan = new LeakScan();
  const stacks: TestStack[] = [];
  let running: EmulatorProcess | undefined;
  let databaseDir: string | undefined;
  const adopt = (stack: TestStack): TestStack => {
    stacks.push(scan.stack(stack));
    return stack;
  };
  const started = (): EmulatorProcess => {
    if (!running) throw new Error("the emulator starts in beforeAll: use it in a test or a later hook");
    return running;
  };

  beforeAll(async () => {
    let dbPath: string | undefined;
    if (options.database) {
      databaseDir = mkdtempSync(path.join(os.tmpdir(), "admindo-e2e-db-"));
      dbPath = path.join(databaseDir, path.basename(options.database));
      copyFileSync(options.database, dbPath);
    }
    running = scan.emulator(await startEmulatorProcess({ dbPath, rootKey: options.rootKey }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.cleanup()));
    await running?.stop();
    if (databaseDir) rmSync(databaseDir, { recursive: true, force: true });
  });

  return {
    scan,
    get url() {
      return started().url;
    },
    get rootKey() {
      return started().rootKey;
    },
    get client() {
      return started().client;
    },
    output: () => started().output(),
    stop: () => started().stop(),
    async stack(programDir, stackOptions = {}) {
      const emulator = started();
      const stack = await createStack(programDir, {
        config: { "admindo:baseUrl": emulator.url, ...stackOptions.config },
        secrets: { "admindo:apiKey": stackOptions.apiKey ?? emulator.rootKey, ...stackOptions.secrets },
        env: stackOptions.env,
      });
      return adopt(stack);
    },
    adopt,
  };
}

/**
 * Imports the state an earlier release wrote (`<fixture>/state.json`, made on stack "dev") into
 * `stack` (stack "test"), and adds the secrets it holds to the leak scan: after a destroy, state
 * holds none left to harvest. Returns the state as imported.
 */
export async function importFixtureState<T>(
  emulator: TestEmulator,
  stack: TestStack,
  fixture: string,
): Promise<T> {
  const text = readFileSync(path.join(fixture, "state.json"), "utf8")
    .replaceAll("urn:pulumi:dev::", "urn:pulumi:test::")
    .replaceAll("::admindo-upgrade-dev", "::admindo-upgrade-test");
  stack.writeFile("state.json", text);
  await stack.run(["stack", "import", "--file", "state.json"]);
  await emulator.scan.harvest(stack);
  return JSON.parse(text) as T;
}
