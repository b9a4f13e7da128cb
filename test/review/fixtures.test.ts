import { ReviewReportSchema, type Rule } from "../../review/output/model";
import { SCENARIOS } from "./capture/scenarios";
import { SPECIAL_CAPTURES } from "./capture/capture";
import { fixtureNames, fixtureText, resource, reviewFixture } from "./helpers";

/**
 * The review of every real capture in test/review/fixtures/ (see capture/scenarios.ts for what
 * each one changes): which resources change, how, and which changes are escalations.
 */

const rulesOf = (name: string): Rule[] =>
  reviewFixture(name).escalations.map((escalation) => escalation.rule);

test("every scenario has a captured fixture, and every fixture is real CLI output of the review program", () => {
  const expected = [...SCENARIOS.map((scenario) => scenario.name), ...SPECIAL_CAPTURES].sort();
  expect(fixtureNames()).toEqual(expected);
  for (const name of fixtureNames()) {
    const text = fixtureText(name);
    expect(text).toContain(
      '"urn": "urn:pulumi:test::e2e-review-keys::pulumi:pulumi:Stack::e2e-review-keys-test"',
    );
    expect(text).toContain('"changeSummary"');
  }
});

test("no fixture holds a plaintext secret: keys appear only as [secret]", () => {
  for (const name of fixtureNames()) {
    const text = fixtureText(name);
    expect(text).not.toMatch(/adk_[0-9A-Za-z]{32}/);
    expect(text).not.toMatch(/"key": "(?!\[secret\])/);
  }
});

test.each(fixtureNames())("the JSON report of %s matches the documented schema", (name) => {
  expect(() => ReviewReportSchema.parse(reviewFixture(name))).not.toThrow();
});

test("an unchanged program reviews as no changes and no escalations", () => {
  const report = reviewFixture("no-changes");
  expect(report.resources).toEqual([]);
  expect(report.summary).toMatchObject({ resources: 0, escalations: 0 });
  expect(report).toMatchObject({ stack: "test", project: "e2e-review-keys" });
});

test("an added read scope is looser but no escalation; a removed scope is stricter", () => {
  const added = resource(reviewFixture("scope-added"), "reports");
  expect(added.op).toBe("update");
  expect(added.changes).toEqual([
    expect.objectContaining({
      setting: "scopes",
      added: ["functions:read"],
      removed: [],
      effect: "looser",
      escalation: null,
    }),
  ]);
  const removed = resource(reviewFixture("scope-removed"), "storefront");
  expect(removed.changes).toEqual([
    expect.objectContaining({
      setting: "scopes",
      added: [],
      removed: ["functions:execute"],
      effect: "stricter",
    }),
  ]);
  expect(rulesOf("scope-added")).toEqual([]);
  expect(rulesOf("scope-removed")).toEqual([]);
});

test("granting admin and execute scopes is an escalation naming both scopes", () => {
  const report = reviewFixture("admin-scope-granted");
  expect(report.escalations).toEqual([
    expect.objectContaining({
      name: "reports",
      type: "ApiKey",
      op: "update",
      rule: "privileged-scope-granted",
      reason: "grants privileged scopes `admin:write` and `functions:execute`",
    }),
  ]);
});

test("project access: gaining a project or losing the project limit is an escalation", () => {
  const moved = resource(reviewFixture("projects-changed"), "storefront");
  expect(moved.changes[0]).toMatchObject({
    setting: "projects",
    added: ["checkout"],
    removed: ["storefront"],
  });
  expect(moved.escalations).toEqual([
    { rule: "project-access-widened", reason: "gains access to projects `checkout`" },
  ]);
  const unbound = resource(reviewFixture("projects-unbound"), "reports");
  expect(unbound.changes[0]).toMatchObject({
    setting: "projects",
    before: ["reports"],
    after: [],
    effect: "looser",
  });
  expect(unbound.escalations[0].reason).toContain("every project");
});

test("IP ranges compare by network: widening and removal escalate, narrowing (with host bits) does not", () => {
  const widened = resource(reviewFixture("ip-widened"), "storefront");
  expect(widened.changes).toEqual([
    expect.objectContaining({
      setting: "ipAddresses",
      added: ["203.0.0.0/16"],
      removed: ["203.0.113.0/24"],
      effect: "looser",
    }),
  ]);
  expect(widened.escalations[0]).toMatchObject({ rule: "network-widened" });
  expect(widened.escalations[0].reason).toContain("admits `203.0.0.0/16`");

  const narrowed = resource(reviewFixture("ip-narrowed"), "storefront");
  // The program wrote 203.0.113.77/26 and 2001:db8:1:5::1/64; the review shows networks.
  expect(narrowed.changes).toEqual([
    expect.objectContaining({
      setting: "ipAddresses",
      added: ["2001:db8:1:5::/64", "203.0.113.64/26"],
      effect: "stricter",
      escalation: null,
    }),
  ]);

  const removed = resource(reviewFixture("ip-removed"), "storefront");
  expect(removed.changes[0]).toMatchObject({ setting: "ipAddresses", after: [], effect: "looser" });
  expect(removed.escalations[0].reason).toMatch(/^removes the IP restriction: any address may use the key/);
});

test("referrers widened to a wildcard and another site is an escalation listing what is newly admitted", () => {
  const storefront = resource(reviewFixture("referrers-changed"), "storefront");
  expect(storefront.escalations).toEqual([
    {
      rule: "referrers-widened",
      reason: "widens the referrers: admits `*.example.com` and `partner.example.net`; was shop.example.com",
    },
  ]);
});

test("a higher rate limit and a wider time window are escalations", () => {
  const rate = resource(reviewFixture("rate-limit-raised"), "storefront");
  expect(rate.changes[0]).toMatchObject({
    setting: "rateLimit",
    before: "600 per minute",
    after: "100 per second",
    effect: "looser",
  });
  expect(rate.escalations[0].rule).toBe("rate-limit-raised");
  const time = resource(reviewFixture("time-window-widened"), "storefront");
  expect(time.changes[0]).toMatchObject({
    setting: "timeRestrictions",
    before: "Mon–Fri, 08:00–18:00 (Europe/Berlin)",
    after: "any time",
  });
  expect(time.escalations[0].rule).toBe("time-window-widened");
});

test("clearing every inline restriction escalates once per restriction", () => {
  expect(rulesOf("restrictions-cleared")).toEqual([
    "network-widened",
    "referrers-widened",
    "rate-limit-raised",
    "time-window-widened",
  ]);
});

test("a longer lifetime and a removed expiry are escalations", () => {
  const longer = resource(reviewFixture("expiry-lengthened"), "storefront");
  expect(longer.changes).toEqual([expect.objectContaining({ setting: "expiry", effect: "looser" })]);
  expect(longer.changes[0].before).toMatch(/^30d after creation \(expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
  expect(longer.changes[0].after).toMatch(/^90d after creation/);
  expect(longer.escalations[0].rule).toBe("lifetime-lengthened");

  const removed = resource(reviewFixture("expiry-removed"), "reports");
  expect(removed.changes[0]).toMatchObject({ setting: "expiry", after: "never expires", effect: "looser" });
  expect(removed.escalations[0].reason).toMatch(/^removes the expiry: the key never expires; was expires/);
});

test("replacements say why: organization change, rotation trigger, schedule, revoked key", () => {
  const organization = resource(reviewFixture("organization-changed"), "reports");
  expect(organization.op).toBe("replace");
  expect(organization.replaceReasons).toEqual([
    expect.objectContaining({ property: "organization", kind: "organization" }),
  ]);
  expect(organization.changes).toEqual([
    expect.objectContaining({ setting: "organization", before: "acme", after: "globex" }),
  ]);
  // A read-only key moving organization gains no privileged access.
  expect(organization.escalations).toEqual([]);

  const trigger = resource(reviewFixture("rotation-trigger"), "reports");
  expect(trigger.replaceReasons).toEqual([
    { property: "rotationTriggers", kind: "trigger", text: "rotation trigger changed (`version`)" },
  ]);
  expect(trigger.changes).toEqual([]);

  const scheduled = resource(reviewFixture("scheduled-rotation"), "rotating");
  expect(scheduled.replaceReasons).toEqual([
    expect.objectContaining({ property: "rotationPeriod", kind: "rotation" }),
  ]);

  const revoked = reviewFixture("revoked-key-refresh");
  // `preview --refresh` lists a refresh step per resource; only the planned replacement is reviewed.
  expect(revoked.resources.map((item) => [item.name, item.op])).toEqual([["storefront", "replace"]]);
  expect(revoked.resources[0].replaceReasons).toEqual([
    { property: "status", kind: "status", text: "the key is revoked in Admin.do" },
  ]);
  for (const name of [
    "organization-changed",
    "rotation-trigger",
    "scheduled-rotation",
    "revoked-key-refresh",
  ]) {
    expect(reviewFixture(name).summary.replace).toBe(1);
  }
});

test("a deleted key is reported with the breakage it causes, and is no escalation", () => {
  const report = reviewFixture("key-deleted");
  expect(resource(report, "reports")).toMatchObject({ op: "delete", changes: [], escalations: [] });
  expect(resource(report, "reports").notes[0]).toContain("stops working");
});

test("a new key with privileged scopes is an escalation; a new read-only key and its restrictions are not", () => {
  const report = reviewFixture("key-created");
  expect(report.summary).toMatchObject({ create: 3, escalations: 1 });
  expect(report.escalations).toEqual([
    expect.objectContaining({
      name: "billing-admin",
      rule: "new-privileged-key",
      reason: "new key with privileged scopes `admin:billing` and `admin:read`",
    }),
  ]);
  expect(
    resource(report, "billing-admin").changes.find((change) => change.setting === "projects"),
  ).toMatchObject({
    summary: "every project",
  });
  // The restrictions' keyId is unknown during preview; the engine's dependencies name the key.
  const network = resource(report, "dashboard-network");
  expect(network.restricts).toBe("dashboard");
  expect(network.changes.map((change) => [change.setting, change.after, change.effect])).toEqual([
    ["ipAddresses", ["198.51.100.0/24"], "new"],
    ["referrers", ["dash.example.com"], "new"],
  ]);
});

test("scopes known only after apply are shown as such and flagged: the review cannot rule out an escalation", () => {
  const mirror = resource(reviewFixture("unknown-scopes"), "mirror");
  expect(mirror.changes.find((change) => change.setting === "scopes")).toMatchObject({
    summary: "(known after apply)",
    after: "(known after apply)",
    effect: "unknown",
  });
  expect(mirror.escalations).toEqual([expect.objectContaining({ rule: "unknown-at-preview" })]);
});

test("an ApiKeyRestrictions change compares like inline restrictions, and deleting it removes restrictions", () => {
  const changed = resource(reviewFixture("restrictions-resource-changed"), "ingest-network");
  expect(changed).toMatchObject({ type: "ApiKeyRestrictions", op: "update", restricts: "ingest" });
  expect(
    changed.changes.map((change) => [change.setting, change.effect, change.escalation?.rule ?? null]),
  ).toEqual([
    ["ipAddresses", "looser", "network-widened"],
    ["rateLimit", "looser", "rate-limit-raised"],
    ["timeRestrictions", "stricter", null],
  ]);

  const deleted = resource(reviewFixture("restrictions-resource-deleted"), "ingest-network");
  expect(deleted.escalations).toEqual([
    {
      rule: "restrictions-removed",
      reason: "key `ingest` loses every restriction (IP 10.20.0.0/16; rate 300 per minute)",
    },
  ]);
});

test("several changes at once: each resource reviewed, in a stable order, escalations gathered first", () => {
  const report = reviewFixture("mixed");
  expect(report.summary).toMatchObject({
    resources: 5,
    create: 1,
    update: 2,
    replace: 1,
    delete: 1,
    escalations: 3,
  });
  // Escalated resources first, then by name, whatever order the engine planned them in.
  expect(report.resources.map((item) => item.name)).toEqual([
    "auditor",
    "ingest",
    "ingest-network",
    "reports",
    "storefront",
  ]);
  expect(report.escalations.map((escalation) => [escalation.name, escalation.rule])).toEqual([
    ["auditor", "new-privileged-key"],
    ["ingest", "privileged-scope-granted"],
    ["ingest", "lifetime-lengthened"],
  ]);
  // ingest is updated, so the keyId its restrictions read is unknown during preview: Pulumi plans
  // a replacement the review explains rather than reports as a move.
  const network = resource(report, "ingest-network");
  expect(network).toMatchObject({ op: "replace", changes: [], escalations: [] });
  expect(network.replaceReasons[0].text).toBe("the key id will be known only after apply");
  expect(network.notes[0]).toContain("updated in place");
});
