#!/usr/bin/env node
import { parseArgs } from "node:util";
import { processIo, type CliIo } from "./cliIo";
import { PreviewInputError } from "./input/preview";
import { FORMATS, reviewText, type Format } from "./report";
import { usageAnnotation } from "./input/usageFile";

/**
 * admindo-review: reads `pulumi preview --json` (a file or stdin) and writes a review of every
 * Admin.do API key change. Exit codes: 0 reviewed; 1 bad usage or unreadable input;
 * 2 escalations found and --fail-on-escalation given.
 */

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_ESCALATION = 2;

const USAGE = `Usage: admindo-review [options] [preview.json]

Reviews the Admin.do API key changes in the output of \`pulumi preview --json\`
(read from the file, or from stdin when no file or "-" is given).

Options:
  -f, --format <text|markdown|json>  report format (default: text on a terminal, else markdown)
  -o, --output <file>                write the report to a file instead of stdout
      --fail-on-escalation           exit 2 when any change is an escalation
      --usage <audit.json>           annotate changes with what the keys did (admindo-audit --format json)
  -h, --help                         show this help

Exit codes: 0 reviewed, 1 usage or input error, 2 escalation (with --fail-on-escalation).
`;

export type { CliIo };

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", short: "f" },
        output: { type: "string", short: "o" },
        "fail-on-escalation": { type: "boolean", default: false },
        usage: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`admindo-review: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 1) {
    io.stderr.write(`admindo-review: expected at most one input file, got ${positionals.length}\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  const toTerminal = !values.output && io.stdout.isTTY === true;
  const format = (values.format ?? (toTerminal ? "text" : "markdown")) as Format;
  if (!FORMATS.includes(format)) {
    io.stderr.write(
      `admindo-review: --format must be one of ${FORMATS.join(", ")}, not "${values.format}"\n`,
    );
    return EXIT_ERROR;
  }
  const color = toTerminal && !("NO_COLOR" in io.env && io.env.NO_COLOR !== "");

  const file = positionals[0];
  if ((file === undefined || file === "-") && io.stdinIsTTY) {
    io.stderr.write(`admindo-review: no input: pass a file or pipe in \`pulumi preview --json\`\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  let input: string;
  try {
    input = file === undefined || file === "-" ? await io.stdin() : io.readFile(file);
  } catch (error) {
    io.stderr.write(
      `admindo-review: cannot read ${file ?? "stdin"}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return EXIT_ERROR;
  }

  let annotate;
  try {
    annotate = values.usage === undefined ? undefined : usageAnnotation(io.readFile(values.usage));
  } catch (error) {
    io.stderr.write(`admindo-review: --usage ${values.usage}: ${(error as Error).message}\n`);
    return EXIT_ERROR;
  }

  let result;
  try {
    result = reviewText(input, { format, color, annotate });
  } catch (error) {
    if (error instanceof PreviewInputError) {
      io.stderr.write(`admindo-review: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
  if (values.output) io.writeFile(values.output, result.output);
  else io.stdout.write(result.output);

  const escalations = result.report.summary.escalations;
  if (values["fail-on-escalation"] && escalations > 0) {
    io.stderr.write(
      `admindo-review: ${escalations} escalation${escalations === 1 ? "" : "s"} found (--fail-on-escalation): an extra approval is needed\n`,
    );
    return EXIT_ESCALATION;
  }
  return EXIT_OK;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`admindo-review: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
