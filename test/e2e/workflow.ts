import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { load } from "js-yaml";
import { runProcess } from "./harness";

/**
 * Runs the `run:` steps of one job of a GitHub Actions workflow on this machine, as a runner would:
 * bash with `-eo pipefail`, the workflow's, job's and step's `env`, `working-directory`,
 * `$GITHUB_OUTPUT` per step read back into `steps.<id>.outputs`, `$GITHUB_STEP_SUMMARY`,
 * `$RUNNER_TEMP`, and `if:` conditions. `uses:` steps (checkout, setup-node, the Pulumi CLI
 * installer, github-script) are skipped: the caller provides what they would set up.
 *
 * Expressions: `env.*`, `steps.*.outputs.*`, `runner.temp`, `secrets.*`, `vars.*` are evaluated;
 * any other expression must be given, as its exact text, in `context` (or the run fails loudly).
 */

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

export interface StepRun {
  name: string;
  /** Whether its `if:` held (a `uses:` step is skipped here even when it did). */
  conditionMet: boolean;
  skipped: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

export interface JobRun {
  steps: StepRun[];
  /** What the job wrote to $GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The runner's temp directory ($RUNNER_TEMP), for files the steps wrote. */
  temp: string;
  failed: boolean;
}

export interface JobOptions {
  /** The repository checkout ($GITHUB_WORKSPACE). */
  workspace: string;
  /** Base environment of the runner (PATH with node and pulumi, ...). */
  env: NodeJS.ProcessEnv;
  /** Values of the workflow-level `env` to change, as a user edits the top of the file. */
  overrides?: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Values of other expressions, by their text, e.g. `{"github.event_name": "push"}`. */
  context?: Record<string, string>;
}

export function readWorkflow(file: string): Workflow {
  return load(readFileSync(file, "utf8")) as Workflow;
}

/** Each run's RUNNER_TEMP, removed after the test file (tests read its files after the run). */
const runnerTemps: string[] = [];
afterAll(() => {
  for (const temp of runnerTemps.splice(0)) rmSync(temp, { recursive: true, force: true });
});

export async function runJob(workflow: Workflow, jobName: string, options: JobOptions): Promise<JobRun> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`no job ${jobName}`);
  const temp = mkdtempSync(path.join(os.tmpdir(), "runner-temp-"));
  runnerTemps.push(temp);
  const summaryFile = path.join(temp, "step-summary.md");
  writeFileSync(summaryFile, "");
  const outputs: Record<string, Record<string, string>> = {};
  const steps: StepRun[] = [];
  let failed = false;

  const evaluate = (text: string, env: Record<string, string>): string =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_all, expression: string) => value(expression, env));
  const value = (expression: string, env: Record<string, string>): string => {
    let match: RegExpExecArray | null;
    if ((match = /^env\.(\w+)$/.exec(expression))) return env[match[1]] ?? "";
    if ((match = /^steps\.([\w-]+)\.outputs\.(\w+)$/.exec(expression)))
      return outputs[match[1]]?.[match[2]] ?? "";
    if ((match = /^secrets\.(\w+)$/.exec(expression))) return options.secrets?.[match[1]] ?? "";
    if ((match = /^vars\.(\w+)$/.exec(expression))) return options.vars?.[match[1]] ?? "";
    if (expression === "runner.temp") return temp;
    if (options.context && expression in options.context) return options.context[expression];
    throw new Error(`the workflow uses \${{ ${expression} }}: give its value in context`);
  };
  /** `success()`, `failure()`, `always()` and `<context> == '<literal>'`, joined by `&&`. */
  const condition = (text: string, env: Record<string, string>): boolean =>
    text.split("&&").every((term) => {
      const t = term.trim();
      if (t === "success()") return !failed;
      if (t === "failure()") return failed;
      if (t === "always()") return true;
      const comparison = /^(.+?)\s*==\s*'([^']*)'$/.exec(t);
      if (comparison) return value(comparison[1], env) === comparison[2];
      return value(t, env) === "true";
    });

  const workflowEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...workflow.env, ...options.overrides }))
    workflowEnv[k] = evaluate(String(v), workflowEnv);
  const jobEnv = { ...workflowEnv };
  for (const [k, v] of Object.entries(job.env ?? {})) jobEnv[k] = evaluate(String(v), jobEnv);

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${index}`;
    const env = { ...jobEnv };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = evaluate(String(v), env);
    const conditionMet = step.if ? condition(step.if, env) : !failed;
    if (step.run === undefined || !conditionMet) {
      steps.push({ name, conditionMet, skipped: true, code: 0, stdout: "", stderr: "" });
      continue;
    }
    const script = path.join(temp, `step-${index}.sh`);
    const outputFile = path.join(temp, `output-${index}`);
    writeFileSync(script, evaluate(step.run, env));
    writeFileSync(outputFile, "");
    const cwd = path.join(options.workspace, evaluate(step["working-directory"] ?? ".", env));
    const result = await runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd,
      env: {
        ...options.env,
        ...env,
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: temp,
        CI: "true",
      },
      timeoutMs: 280_000,
    });
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        readFileSync(outputFile, "utf8")
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    }
    steps.push({
      name,
      conditionMet,
      skipped: false,
      code: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
    });
    if (result.code !== 0) failed = true;
  }
  return { steps, summary: readFileSync(summaryFile, "utf8"), temp, failed };
}
