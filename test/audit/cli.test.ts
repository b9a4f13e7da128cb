import { EXIT_ERROR, EXIT_OK, EXIT_UNUSED, main, type CliIo } from "../../audit/cli";
import { AuditReportSchema } from "../../audit/model";
import { AUDIT_MARKER } from "../../audit/render";
import { setup, type Emulator } from "../emulator/helpers";
import { KEYS, WEEK, freezableClock, scenario, send } from "./traffic";

jest.mock("../../emulator/dependencies", () => ({
  ...jest.requireActual("../../emulator/dependencies"),
  missingEmulatorDependencies: jest.fn(() => []),
}));
const dependencies = jest.requireMock("../../emulator/dependencies") as {
  missingEmulatorDependencies: jest.Mock;
};

let emu: Emulator;
let env: NodeJS.ProcessEnv;
const ids: Record<string, string> = {};
let auditorSecret: string;

beforeAll(async () => {
  const time = freezableClock();
  emu = setup({ clock: time.clock });
  emu.clock.set(new Date(`${WEEK}T08:00:00Z`));
  const secrets: Record<string, string> = {};
  for (const [name, params] of Object.entries(KEYS)) {
    const key = await emu.createKey(params);
    ids[name] = key.id;
    secrets[name] = key.key;
  }
  auditorSecret = (await emu.createKey({ name: "auditor", scopes: ["admin:read"] })).key;
  time.freeze();
  await send(emu, secrets, scenario());
  time.thaw();
  emu.clock.set(new Date("2026-03-07T15:00:00Z"));
  await emu.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = emu.app.server.address() as { port: number };
  env = { ADMINDO_API_KEY: auditorSecret, ADMINDO_BASE_URL: `http://127.0.0.1:${port}` };
});
afterAll(() => emu?.close());

function io(options: { stdin?: string; tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const out = { stdout: "", stderr: "", files: {} as Record<string, string> };
  const cli: CliIo = {
    stdin: async () => options.stdin ?? "",
    stdinIsTTY: options.stdin === undefined,
    stdout: { write: (text: string) => (out.stdout += text), isTTY: options.tty },
    stderr: { write: (text: string) => (out.stderr += text), isTTY: options.tty },
    env: options.env ?? env,
    writeFile: (path, text) => (out.files[path] = text),
    readFile: () => {
      throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    },
  };
  return { cli, out };
}

test("--key ids, JSON: the documented report, exit 0", async () => {
  const { cli, out } = io();
  const code = await main(["--key", ids.storefront, "--key", ids.ingest, "--format", "json"], cli);
  expect({ code, stderr: out.stderr }).toEqual({ code: EXIT_OK, stderr: "" });
  const report = AuditReportSchema.parse(JSON.parse(out.stdout));
  expect(report.keys.map((key) => key.name)).toEqual(["storefront", "ingest"]);
  expect(report.source.kind).toBe("ids");
});

test("stack outputs on stdin; Markdown by default when not on a terminal, JSON too with --json; --fail-on-unused exits 2", async () => {
  const { cli, out } = io({ stdin: JSON.stringify({ reportsKeyId: ids.reports, ingestKeyId: ids.ingest }) });
  const code = await main(["--fail-on-unused", "--json", "audit.json"], cli);
  expect(AuditReportSchema.parse(JSON.parse(out.files["audit.json"])).keys).toHaveLength(2);
  expect(code).toBe(EXIT_UNUSED);
  expect(out.stderr).toBe("admindo-audit: 2 keys are unused or hold unused scopes (--fail-on-unused)\n");
  expect(out.stdout.startsWith(`${AUDIT_MARKER}\n### Admin.do API key usage audit`)).toBe(true);
  expect(out.stdout).toContain("| `reports` | 0 | 0 | never | `data:read` | – |");
});

test("on a terminal: coloured text and a progress line on stderr, cleared at the end; NO_COLOR turns colour off", async () => {
  const { cli, out } = io({ tty: true });
  expect(await main(["-k", ids.storefront], cli)).toBe(EXIT_OK);
  expect(out.stdout).toContain("\u001b[1mAdmin.do API key usage audit\u001b[0m");
  expect(out.stderr).toContain("admindo-audit: key_");
  expect(out.stderr).toContain("22 of 22 log entries");
  expect(out.stderr.endsWith("\r\u001b[K")).toBe(true);

  const plain = io({ tty: true, env: { ...env, NO_COLOR: "1" } });
  expect(await main(["-k", ids.storefront, "-o", "report.txt"], plain.cli)).toBe(EXIT_OK);
  expect(plain.out.files["report.txt"]).not.toContain("\u001b[");
});

test("bad usage and missing credentials fail in one line, exit 1", async () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [["-k", "x"], {}, /set ADMINDO_API_KEY to an Admin.do key with the scope admin:read/],
    [["-k", "x", "--ipv4-prefix", "33"], env, /--ipv4-prefix must be a whole number from 1 to 32/],
    [["-k", "x", "--rate-period", "week"], env, /--rate-period must be one of second, minute, hour, day/],
    [["-k", "x", "--timezone", "Mars/Olympus"], env, /is not an IANA time zone/],
    [["-k", "x", "--window", "soon"], env, /window "soon" is not a duration/],
    [["-k", "x", "--until", "2026-01-01T00:00:00Z"], env, /--until needs --since/],
    [["missing.json"], env, /cannot read missing.json: ENOENT/],
  ];
  for (const [argv, environment, message] of cases) {
    const { cli, out } = io({ env: environment });
    expect({ argv, code: await main(argv, cli) }).toEqual({ argv, code: EXIT_ERROR });
    expect(out.stderr).toMatch(message);
  }
});

test("a key of another organization than the credential's is listed as unavailable", async () => {
  const foreign = await emu.createKey({ name: "foreign", organization: "globex" });
  const { cli, out } = io();
  expect(await main(["-k", foreign.id, "-k", ids.reports, "--format", "json"], cli)).toBe(EXIT_OK);
  const report = AuditReportSchema.parse(JSON.parse(out.stdout));
  expect(report.unavailable).toEqual([
    { keyId: foreign.id, resource: null, reason: "in another organization than the credential's" },
  ]);
  expect(report.keys.map((key) => key.name)).toEqual(["reports"]);
});

test("a credential without admin:read fails the audit, saying which scope it needs", async () => {
  const weak = (await emu.createKey({ name: "weak", scopes: ["functions:read"] })).key;
  const { cli, out } = io({ env: { ...env, ADMINDO_API_KEY: weak } });
  expect(await main(["-k", ids.storefront], cli)).toBe(EXIT_ERROR);
  expect(out.stderr).toMatch(/requires the scope admin:read.*403 insufficient_scope/);
  expect(out.stdout).toBe("");
});

test("an API error names the status and never the credential", async () => {
  const { cli, out } = io({ env: { ...env, ADMINDO_API_KEY: "adk_wrongKeyThatDoesNotExist0000000" } });
  expect(await main(["-k", ids.storefront], cli)).toBe(EXIT_ERROR);
  expect(out.stderr).toMatch(/401 unauthenticated/);
  expect(out.stderr).not.toContain("adk_wrongKey");
});

test("--verify without the emulator's dependencies says in one sentence what to install", async () => {
  dependencies.missingEmulatorDependencies.mockReturnValueOnce(["fastify", "better-sqlite3"]);
  const { cli, out } = io();
  expect(await main(["-k", ids.storefront, "--verify"], cli)).toBe(EXIT_ERROR);
  expect(out.stderr).toMatch(
    /^admindo-audit: --verify replays requests in the local emulator\. The Admin\.do emulator needs fastify and better-sqlite3, .*: run `npm install --save-dev fastify@\S+ better-sqlite3@\S+`\.\n$/,
  );
});

test("--verify exits 0 when every suggestion passes its replay", async () => {
  const { cli, out } = io();
  expect(await main(["-k", ids.storefront, "--verify", "--format", "json"], cli)).toBe(EXIT_OK);
  const report = AuditReportSchema.parse(JSON.parse(out.stdout));
  expect(report.summary).toMatchObject({ verified: 1, verificationFailed: 0 });
});
