/*
 * The emulator's server and database (fastify, better-sqlite3) are optional peer dependencies of
 * pulumi-admindo: a program that only declares keys never loads them, and should not download or
 * build them. Whoever runs the emulator installs them; this module says so in one sentence.
 */

const EMULATOR_DEPENDENCIES = ["fastify", "better-sqlite3"] as const;

/** The dependencies that cannot be loaded here, each with the reason. */
export function missingEmulatorDependencies(): string[] {
  const missing: string[] = [];
  for (const name of EMULATOR_DEPENDENCIES) {
    try {
      require.resolve(name);
    } catch {
      missing.push(name);
    }
  }
  if (!missing.includes("better-sqlite3")) {
    // Installed is not enough: its native addon must load on this platform and Node.
    try {
      const Database = require("better-sqlite3");
      new Database(":memory:").close();
    } catch (error) {
      missing.push(`better-sqlite3 (installed, but it does not load here: ${firstLine(error)})`);
    }
  }
  return missing;
}

export function emulatorDependenciesMessage(missing: string[]): string {
  const { peerDependencies } = require("pulumi-admindo/package.json") as {
    peerDependencies: Record<string, string>;
  };
  const install = EMULATOR_DEPENDENCIES.map((name) => `${name}@${peerDependencies[name]}`).join(" ");
  return (
    `The Admin.do emulator needs ${missing.join(" and ")}, which pulumi-admindo does not install ` +
    `for programs that only declare keys: run \`npm install --save-dev ${install}\`.`
  );
}

/** Throws one clear sentence when the emulator cannot run here. */
export function assertEmulatorDependencies(): void {
  const missing = missingEmulatorDependencies();
  if (missing.length) throw new Error(emulatorDependenciesMessage(missing));
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
