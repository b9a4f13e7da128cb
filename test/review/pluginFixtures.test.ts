import { readdirSync } from "node:fs";
import path from "node:path";
import { EXIT_OK, main, type CliIo } from "../../review/cli";
import type { ReviewReport } from "../../review/output/model";
import { PLUGIN_SCENARIOS } from "./capture/capture";
import { fixtureText, review } from "./helpers";

/**
 * admindo-review on previews of Pulumi YAML programs run through the provider plugin: real
 * `pulumi preview --json` captured into fixtures/plugin/ (capture.ts, PLUGIN_SCENARIOS) from the
 * review-keys program written in YAML. Each is reviewed exactly like the capture of the same change
 * made through the dynamic provider (fixtures/<name>.json): the tokens differ, the review does not.
 */

const pluginText = (name: string) => fixtureText(`plugin/${name}`);

/** The CLI (review/cli.ts, the package's admindo-review) on one preview, as text. */
async function cliText(preview: string): Promise<string> {
  let out = "";
  const io: CliIo = {
    stdin: async () => preview,
    stdinIsTTY: false,
    stdout: { write: (text: string) => (out += text), isTTY: false },
    stderr: { write: () => undefined },
    env: { NO_COLOR: "1" },
    writeFile: () => undefined,
    readFile: () => {
      throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    },
  };
  expect(await main(["--format", "text"], io)).toBe(EXIT_OK);
  return out;
}

/**
 * What a review says about the changes: everything but times, which differ between captures, with
 * the dynamic provider's tokens in URNs written as the plugin's.
 */
function substance(report: ReviewReport) {
  report = JSON.parse(
    JSON.stringify(report).replaceAll("::pulumi-nodejs:dynamic/admindo:", "::admindo:index:"),
  ) as ReviewReport;
  return {
    summary: report.summary,
    resources: report.resources.map((resource) => ({
      ...resource,
      changes: resource.changes.filter((change) => change.setting !== "expiry"),
    })),
    escalations: report.escalations,
  };
}

test("every plugin scenario has a capture, made through the plugin's tokens only", () => {
  const captured = readdirSync(path.join(__dirname, "fixtures/plugin"))
    .map((file) => file.replace(/\.json$/, ""))
    .sort();
  expect(captured).toEqual([...PLUGIN_SCENARIOS].sort());
  for (const name of PLUGIN_SCENARIOS) {
    const text = pluginText(name);
    expect(text).toContain(
      '"urn": "urn:pulumi:test::e2e-review-keys::pulumi:pulumi:Stack::e2e-review-keys-test"',
    );
    expect(text).not.toContain("pulumi-nodejs:dynamic");
    expect(text).not.toMatch(/adk_[0-9A-Za-z]{32}/);
    if (name !== "no-changes") expect(text).toContain("::admindo:index:ApiKey");
    // The dynamic capture of the same change is made through the dynamic provider.
    if (name !== "no-changes") expect(fixtureText(name)).toContain("::pulumi-nodejs:dynamic/admindo:ApiKey");
  }
});

test.each(PLUGIN_SCENARIOS.map((name) => [name]))(
  "%s: the review through the plugin matches the review through the dynamic provider",
  (name) => {
    const plugin = review(pluginText(name)).report;
    const dynamic = review(fixtureText(name)).report;
    expect(substance(plugin)).toEqual(substance(dynamic));
  },
);

test("a scope change and a replacement read the same in the CLI's text report", async () => {
  for (const name of ["scope-added", "scope-removed", "admin-scope-granted", "organization-changed"]) {
    expect(await cliText(pluginText(name))).toBe(await cliText(fixtureText(name)));
  }
  const replaced = review(pluginText("organization-changed")).report;
  expect(replaced.resources).toEqual([
    expect.objectContaining({
      name: "reports",
      type: "ApiKey",
      op: "replace",
      replaceReasons: [expect.objectContaining({ property: "organization", kind: "organization" })],
    }),
  ]);
  const added = review(pluginText("scope-added")).report;
  expect(added.resources).toEqual([
    expect.objectContaining({
      name: "reports",
      op: "update",
      changes: [expect.objectContaining({ setting: "scopes", added: ["functions:read"], effect: "looser" })],
    }),
  ]);
  expect(review(pluginText("admin-scope-granted")).report.escalations).toEqual([
    expect.objectContaining({ name: "reports", rule: "privileged-scope-granted" }),
  ]);
});
