#!/usr/bin/env node
import { parseArgs } from "node:util";
import { emulatorDependenciesMessage, missingEmulatorDependencies } from "./dependencies";

const USAGE = `Usage: admindo-emulator [--port 8787] [--host 127.0.0.1] [--db ./admindo.db]

Runs the local Admin.do API emulator.
  --port   TCP port (default 8787; 0 picks a free one)
  --host   interface to listen on (default 127.0.0.1)
  --db     SQLite file to keep state in (default: in memory, lost on exit)
  --log    log every request to stderr
Environment: ADMINDO_ROOT_KEY sets the root key (default: a new random key each start).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      db: { type: "string" },
      log: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port`);

  const missing = missingEmulatorDependencies();
  if (missing.length) {
    console.error(`admindo-emulator: ${emulatorDependenciesMessage(missing)}`);
    process.exit(1);
  }
  // Loaded only now: fastify and better-sqlite3 may be missing (see ./dependencies).
  const { startEmulator } = await import("./server");
  const emulator = await startEmulator({ port, host: values.host, dbPath: values.db, logger: values.log });
  console.log(`Admin.do emulator listening on ${emulator.url}`);
  console.log(`Database: ${values.db ?? ":memory: (state is lost on exit; use --db FILE to keep it)"}`);
  console.log(`Root key: ${emulator.rootKey}`);

  const stop = (signal: string) => {
    console.log(`${signal}: shutting down`);
    emulator.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: Error) => {
  console.error(`admindo-emulator: ${error.message}\n\n${USAGE}`);
  process.exit(1);
});
