import { EXIT_ERROR, EXIT_ESCALATION, EXIT_OK, main, type CliIo } from "../../review/cli";
import { fixtureText } from "./helpers";

/** The CLI with its input and output in memory: arguments, formats, colour, exit codes. */

interface FakeIo extends CliIo {
  out: string;
  err: string;
  files: Record<string, string>;
}

function fakeIo(
  options: { stdin?: string; tty?: boolean; stdinTty?: boolean; env?: NodeJS.ProcessEnv } = {},
): FakeIo {
  const io: FakeIo = {
    out: "",
    err: "",
    files: {},
    stdin: async () => options.stdin ?? "",
    stdinIsTTY: options.stdinTty ?? false,
    stdout: { write: (text: string) => (io.out += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (io.err += text) },
    env: options.env ?? {},
    writeFile: (path, text) => (io.files[path] = text),
    readFile: (path) => {
      const name = /^fixtures\/(.+)\.json$/.exec(path)?.[1];
      if (!name) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
      return fixtureText(name);
    },
  };
  return io;
}

test("reads a file argument; without --format writes Markdown when stdout is not a terminal", async () => {
  const io = fakeIo();
  expect(await main(["fixtures/admin-scope-granted.json"], io)).toBe(EXIT_OK);
  expect(io.out).toMatch(/^<!-- admindo-review -->\n### Admin.do API key review/);
  expect(io.err).toBe("");
});

test("reads stdin when no file (or -) is given", async () => {
  for (const args of [[], ["-"]]) {
    const io = fakeIo({ stdin: fixtureText("scope-added") });
    expect(await main([...args, "--format", "json"], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.out).summary.update).toBe(1);
  }
});

test("on a terminal: text with colour, unless NO_COLOR is set", async () => {
  const tty = fakeIo({ tty: true });
  await main(["fixtures/admin-scope-granted.json"], tty);
  expect(tty.out).toContain("Admin.do API key review (stack test)");
  expect(tty.out).toContain("\u001b[");

  const noColor = fakeIo({ tty: true, env: { NO_COLOR: "1" } });
  await main(["fixtures/admin-scope-granted.json"], noColor);
  expect(noColor.out).toContain("Admin.do API key review");
  expect(noColor.out).not.toContain("\u001b[");

  const piped = fakeIo({ tty: false });
  await main(["fixtures/admin-scope-granted.json", "-f", "text"], piped);
  expect(piped.out).not.toContain("\u001b[");
});

test("--fail-on-escalation exits 2 when there is an escalation, 0 when there is none", async () => {
  const escalated = fakeIo();
  expect(await main(["fixtures/admin-scope-granted.json", "--fail-on-escalation"], escalated)).toBe(
    EXIT_ESCALATION,
  );
  expect(escalated.out).toContain("privileged-scope-granted");
  expect(escalated.err).toContain("1 escalation found");

  const calm = fakeIo();
  expect(await main(["fixtures/ip-narrowed.json", "--fail-on-escalation"], calm)).toBe(EXIT_OK);
  // Without the flag an escalation is reported but does not fail.
  expect(await main(["fixtures/admin-scope-granted.json"], fakeIo())).toBe(EXIT_OK);
});

test("--output writes the report to a file (never coloured)", async () => {
  const io = fakeIo({ tty: true });
  expect(await main(["fixtures/mixed.json", "-o", "review.md", "--format", "markdown"], io)).toBe(EXIT_OK);
  expect(io.out).toBe("");
  expect(io.files["review.md"]).toContain("### Admin.do API key review");
});

test.each([
  [["--format", "yaml", "fixtures/mixed.json"], /--format must be one of text, markdown, json/],
  [["--nope"], /Unknown option '--nope'/],
  [["a.json", "b.json"], /at most one input file/],
  [["missing.json"], /cannot read missing.json: ENOENT/],
])("bad usage %j exits 1 with a message", async (args, message) => {
  const io = fakeIo();
  expect(await main(args, io)).toBe(EXIT_ERROR);
  expect(io.err).toMatch(message);
  expect(io.out).toBe("");
});

test("input that is not preview JSON exits 1 with the reason", async () => {
  const io = fakeIo({ stdin: "error: failed to load the program" });
  expect(await main([], io)).toBe(EXIT_ERROR);
  expect(io.err).toContain("the input is not JSON");
});

test("no file and a terminal on stdin: usage instead of waiting", async () => {
  const io = fakeIo({ stdinTty: true });
  expect(await main([], io)).toBe(EXIT_ERROR);
  expect(io.err).toContain("no input");
});

test("--help prints usage and exits 0", async () => {
  const io = fakeIo();
  expect(await main(["--help"], io)).toBe(EXIT_OK);
  expect(io.out).toContain("Usage: admindo-review");
  expect(io.out).toContain("--fail-on-escalation");
});
