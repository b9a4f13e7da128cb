#!/usr/bin/env node
import { parseArgs } from "node:util";
import { processIo, type CliIo } from "../review/cliIo";
import { createAdminClient } from "../client";
import { AdminApiError } from "../client/errors";
import { RATE_LIMIT_PERIODS, isTimeZone } from "../client/schemas";
import { runAudit, type AuditProgress } from "./audit";
import { AuditInputError, parseTargets, targetsFromIds, type Targets } from "./input";
import type { Period } from "./peaks";
import { FORMATS, renderAudit, type Format } from "./report";
import { VerifyUnavailableError } from "./verify";

/**
 * admindo-audit: how the keys of a stack were really used, and the least they need. Exit codes:
 * 0 audited; 1 bad usage, unreadable input or an API failure; 2 unused keys or scopes and
 * --fail-on-unused given; 3 a suggestion failed its replay (--verify).
 */

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_UNUSED = 2;
const EXIT_VERIFY_FAILED = 3;

const USAGE = `Usage: admindo-audit [options] [stack.json]

Reports how Admin.do API keys were used in a time window (requests, scopes used and refused,
denials, addresses, projects, Referer hosts, busiest periods, hours and days) and suggests the
least each key needs. Keys come from \`pulumi stack export\` or \`pulumi stack output --json\`
(read from the file, or from stdin when no file or "-" is given), or from --key.

Options:
  -k, --key <id>                     audit this key id (repeatable) instead of reading a stack
  -w, --window <duration>            window ending now (default 30d; e.g. 7d, 12h)
      --since <time>, --until <time> an absolute window instead (ISO 8601; --until default now)
      --ipv4-prefix <n>              cover each IPv4 address seen by its /n network (default 32)
      --ipv6-prefix <n>              cover each IPv6 address seen by its /n network (default 64)
      --rate-period <period>         period of suggested rate limits: second, minute, hour, day
                                     (default: the key's own, else minute)
      --timezone <zone>              count hours and days in this IANA time zone when the key
                                     has no time window of its own (default UTC)
      --verify                       replay the window against each suggestion in the local
                                     emulator (needs fastify and better-sqlite3)
      --base-url <url>               the API (default $ADMINDO_BASE_URL, else https://api.admin.do)
  -f, --format <text|markdown|json>  report format (default: text on a terminal, else markdown)
  -o, --output <file>                write the report to a file instead of stdout
      --json <file>                  also write the JSON report to a file (for admindo-review --usage)
      --fail-on-unused               exit 2 when a key is unused or has unused scopes
  -h, --help                         show this help

The credential is ADMINDO_API_KEY: a key with admin:read is enough (the audit changes nothing).
Exit codes: 0 audited, 1 usage, input or API error, 2 unused keys or scopes (with
--fail-on-unused), 3 a suggestion would refuse a request it should admit (with --verify).
`;

function prefix(value: string | undefined, name: string, max: number): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : `--${name} must be a whole number from 1 to ${max}`;
}

/** One progress line on a terminal, rewritten in place. */
function progressLine(stderr: CliIo["stderr"]) {
  let name = "";
  let last = 0;
  return {
    update(event: AuditProgress) {
      if (event.kind === "key") name = `${event.name} (${event.index + 1}/${event.count})`;
      if (event.kind === "entries" && Date.now() - last < 100 && event.read !== event.total) return;
      last = Date.now();
      const detail =
        event.kind === "entries"
          ? `${event.read.toLocaleString("en-US")} of ${event.total.toLocaleString("en-US")} log entries`
          : event.kind === "verify"
            ? "replaying the window against the suggestion"
            : "reading usage";
      stderr.write(`\r\u001b[K${`admindo-audit: ${name}: ${detail}`.replace(/[\u0000-\u001f]/g, " ")}`);
    },
    clear() {
      if (name) stderr.write("\r\u001b[K");
    },
  };
}

export type { CliIo };

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const fail = (message: string, usage = false) => {
    io.stderr.write(`admindo-audit: ${message}\n${usage ? `\n${USAGE}` : ""}`);
    return EXIT_ERROR;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: "string", short: "k", multiple: true },
        window: { type: "string", short: "w" },
        since: { type: "string" },
        until: { type: "string" },
        "ipv4-prefix": { type: "string" },
        "ipv6-prefix": { type: "string" },
        "rate-period": { type: "string" },
        timezone: { type: "string" },
        verify: { type: "boolean", default: false },
        "base-url": { type: "string" },
        format: { type: "string", short: "f" },
        output: { type: "string", short: "o" },
        json: { type: "string" },
        "fail-on-unused": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message, true);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 1) return fail(`expected at most one input file, got ${positionals.length}`, true);
  const toTerminal = !values.output && io.stdout.isTTY === true;
  const format = (values.format ?? (toTerminal ? "text" : "markdown")) as Format;
  if (!FORMATS.includes(format))
    return fail(`--format must be one of ${FORMATS.join(", ")}, not "${values.format}"`);
  const ipv4Prefix = prefix(values["ipv4-prefix"], "ipv4-prefix", 32) ?? 32;
  const ipv6Prefix = prefix(values["ipv6-prefix"], "ipv6-prefix", 128) ?? 64;
  if (typeof ipv4Prefix === "string") return fail(ipv4Prefix);
  if (typeof ipv6Prefix === "string") return fail(ipv6Prefix);
  const ratePeriod = values["rate-period"];
  if (ratePeriod !== undefined && !(RATE_LIMIT_PERIODS as readonly string[]).includes(ratePeriod)) {
    return fail(`--rate-period must be one of ${RATE_LIMIT_PERIODS.join(", ")}, not "${ratePeriod}"`);
  }
  if (values.timezone !== undefined && !isTimeZone(values.timezone)) {
    return fail(
      `--timezone ${JSON.stringify(values.timezone)} is not an IANA time zone (e.g. UTC, Europe/Berlin)`,
    );
  }
  for (const name of ["since", "until"] as const) {
    const value = values[name];
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      return fail(`--${name} ${JSON.stringify(value)} is not an ISO 8601 time (e.g. 2026-03-01T00:00:00Z)`);
    }
  }
  if (values.until !== undefined && values.since === undefined) return fail("--until needs --since");
  if (values.window !== undefined && values.since !== undefined)
    return fail("give --window or --since, not both");

  const apiKey = io.env.ADMINDO_API_KEY;
  if (!apiKey) return fail("set ADMINDO_API_KEY to an Admin.do key with the scope admin:read");
  const baseUrl = values["base-url"] ?? (io.env.ADMINDO_BASE_URL || "https://api.admin.do");

  let targets: Targets;
  try {
    if (values.key?.length) {
      if (positionals.length) return fail("give key ids (--key) or a stack file, not both", true);
      targets = targetsFromIds(values.key);
    } else {
      const file = positionals[0];
      if ((file === undefined || file === "-") && io.stdinIsTTY) {
        return fail("no input: pass a file, pipe in `pulumi stack export`, or name keys with --key", true);
      }
      let text: string;
      try {
        text = file === undefined || file === "-" ? await io.stdin() : io.readFile(file);
      } catch (error) {
        return fail(
          `cannot read ${file ?? "stdin"}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      targets = parseTargets(text);
    }
  } catch (error) {
    if (error instanceof AuditInputError) return fail(error.message);
    throw error;
  }

  const progress = io.stderr.isTTY ? progressLine(io.stderr) : undefined;
  let client;
  try {
    client = createAdminClient({ baseUrl, apiKey, maxRetries: 6, userAgent: "admindo-audit" });
  } catch (error) {
    return fail((error as Error).message);
  }
  let report;
  try {
    report = await runAudit({
      apiKeys: client.apiKeys,
      targets,
      window: values.window,
      since: values.since,
      until: values.until,
      prefixes: { ipv4Prefix, ipv6Prefix },
      ratePeriod: ratePeriod as Period | undefined,
      timezone: values.timezone,
      verify: values.verify,
      progress: progress?.update,
    });
  } catch (error) {
    progress?.clear();
    if (
      error instanceof AdminApiError ||
      error instanceof VerifyUnavailableError ||
      error instanceof RangeError
    ) {
      return fail(error.message);
    }
    throw error;
  } finally {
    await client.close();
  }
  progress?.clear();

  const color = toTerminal && !("NO_COLOR" in io.env && io.env.NO_COLOR !== "");
  const output = renderAudit(report, { format, color, secrets: [apiKey] });
  if (values.output) io.writeFile(values.output, output);
  else io.stdout.write(output);
  if (values.json) io.writeFile(values.json, renderAudit(report, { format: "json", secrets: [apiKey] }));

  if (report.summary.verificationFailed > 0) {
    io.stderr.write(
      `admindo-audit: ${report.summary.verificationFailed} suggestion(s) would refuse requests the key admitted: do not apply them; please report this\n`,
    );
    return EXIT_VERIFY_FAILED;
  }
  const unused = report.keys.filter(
    (key) => key.activity.admitted === 0 || key.scopes.unused.length > 0,
  ).length;
  if (values["fail-on-unused"] && unused > 0) {
    io.stderr.write(
      `admindo-audit: ${unused} key${unused === 1 ? " is" : "s are"} unused or hold unused scopes (--fail-on-unused)\n`,
    );
    return EXIT_UNUSED;
  }
  return EXIT_OK;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`admindo-audit: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
