import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readWorkflow } from "../e2e/workflow";

/**
 * The issue step of examples/ci/admindo-audit.yml (an actions/github-script script): run with a
 * recording stand-in for GitHub's API, as the action would run it.
 */

const workflow = readWorkflow(path.resolve(__dirname, "../../examples/ci/admindo-audit.yml"));
const step = workflow.jobs.audit.steps.find((item) => item.name === "Open, update or close the issue") as {
  with: { script: string };
  env: Record<string, string>;
};

const TITLE = "Admin.do API keys: unused access";

async function runScript(
  exit: string,
  openIssues: { number: number; title: string; pull_request?: object }[],
) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "audit-issue-"));
  const report = path.join(dir, "audit.md");
  writeFileSync(report, "<!-- admindo-audit -->\n### Admin.do API key usage audit\n");
  const calls: [string, Record<string, unknown>][] = [];
  const record = (name: string) => async (args: Record<string, unknown>) => {
    calls.push([name, args]);
    return { data: {} };
  };
  const github = {
    paginate: async () => openIssues,
    rest: {
      issues: {
        listForRepo: record("listForRepo"),
        create: record("create"),
        update: record("update"),
        createComment: record("createComment"),
      },
    },
  };
  const context = { repo: { owner: "acme", repo: "infra" }, serverUrl: "https://github.com", runId: 42 };
  const env = { ...process.env, ISSUE_TITLE: TITLE, WINDOW: "30d", AUDIT_EXIT: exit, REPORT_FILE: report };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  try {
    await new AsyncFunction("github", "context", "require", "process", step.with.script)(
      github,
      context,
      require,
      {
        ...process,
        env,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return calls;
}

test("unused access (exit 2): opens an issue with the report, or updates the open one", async () => {
  const created = await runScript("2", []);
  expect(created).toHaveLength(1);
  expect(created[0][0]).toBe("create");
  expect(created[0][1]).toMatchObject({ owner: "acme", repo: "infra", title: TITLE });
  expect(created[0][1].body).toMatch(/^<!-- admindo-audit -->\n### Admin.do API key usage audit\n/);
  expect(created[0][1].body).toContain("https://github.com/acme/infra/actions/runs/42");

  const updated = await runScript("2", [{ number: 7, title: TITLE }]);
  expect(updated.map(([name, args]) => [name, args.issue_number])).toEqual([["update", 7]]);
});

test("every key used in full (exit 0): the open issue is closed with a comment; none open, nothing happens", async () => {
  const closed = await runScript("0", [
    { number: 3, title: "other" },
    { number: 7, title: TITLE },
  ]);
  expect(closed.map(([name, args]) => [name, args.issue_number, args.state])).toEqual([
    ["createComment", 7, undefined],
    ["update", 7, "closed"],
  ]);
  expect(await runScript("0", [])).toEqual([]);
  expect(step.env.AUDIT_EXIT).toBe("${{ steps.audit.outputs.exit }}");
});
