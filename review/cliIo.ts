import { readFileSync, writeFileSync } from "node:fs";

/**
 * What the command-line tools (`admindo-review`, `admindo-audit`) read and write, so that tests
 * pass their own: standard streams, the environment and files.
 */
export interface CliIo {
  stdin: () => Promise<string>;
  stdinIsTTY?: boolean;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  writeFile: (path: string, text: string) => void;
  readFile: (path: string) => string;
}

/**
 * Reads stdin as a stream: a synchronous read of fd 0 fails with EAGAIN when the writer of the
 * pipe (the Pulumi CLI, among others) left it non-blocking.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The process's own streams, environment and file system. */
export const processIo: CliIo = {
  stdin: readStdin,
  stdinIsTTY: process.stdin.isTTY === true,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  writeFile: (path, text) => writeFileSync(path, text),
  readFile: (path) => readFileSync(path, "utf8"),
};
