// Checked before anything below loads fastify or better-sqlite3 (optional peer dependencies).
import { assertEmulatorDependencies } from "./dependencies";
assertEmulatorDependencies();

// Two ways in: startEmulator serves on a port (server.ts); buildEmulator builds the same server
// in-process, never listening, for app.inject() (app.ts). buildApp is buildEmulator(options).app.
export { buildApp, buildEmulator, DEFAULT_BODY_LIMIT, type AppOptions, type EmulatorApp } from "./app";
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
export { ShiftableClock, systemClock, type Clock } from "./clock";
export { FaultInjector, FaultSpecSchema, type FaultSpec, type FaultRule } from "./faults";
export { openSqliteStore, type Store } from "./store";
