import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { buildEmulator, type AppOptions } from "./app";
import type { Clock, ShiftableClock } from "./clock";
import type { FaultInjector } from "./faults";
import { newSecret } from "./secrets";
import { openSqliteStore } from "./store";

export interface EmulatorOptions extends Pick<AppOptions, "bodyTimeoutMs" | "functions"> {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the emulator is for this machine only). */
  host?: string;
  /** SQLite database file, kept across restarts (default ":memory:"). */
  dbPath?: string;
  /**
   * Root key secret (default: $ADMINDO_ROOT_KEY, else a new random one each start). The variable
   * is removed from the process environment once read.
   */
  rootKey?: string;
  clock?: Clock;
  logger?: FastifyServerOptions["logger"];
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  rootKey: string;
  /** Fault injection for the running server (same as POST /_emulator/faults). */
  faults: FaultInjector;
  /** The emulator's clock; `advance()` moves time for every key check. */
  clock: ShiftableClock;
  app: FastifyInstance;
  /** Stops listening, waits for open requests, closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the emulator on a port. Resolves once it accepts connections. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const rootKey = options.rootKey ?? process.env.ADMINDO_ROOT_KEY ?? newSecret();
  // The secret must not stay where anything else in the process (or a child it starts) can read it.
  delete process.env.ADMINDO_ROOT_KEY;
  const store = openSqliteStore(options.dbPath ?? ":memory:");
  let emulator;
  try {
    emulator = buildEmulator({
      store,
      rootKey,
      clock: options.clock,
      logger: options.logger,
      bodyTimeoutMs: options.bodyTimeoutMs,
      functions: options.functions,
    });
    await emulator.app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  } catch (error) {
    await emulator?.app.close();
    store.close();
    throw error;
  }
  const { app, faults, clock } = emulator;
  const address = app.server.address();
  if (address === null || typeof address === "string")
    throw new Error("the emulator is not listening on TCP");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    rootKey,
    faults,
    clock,
    app,
    close() {
      closing ??= app.close().finally(() => store.close());
      return closing;
    },
  };
}
