import { renderMarkdown, renderText } from "../../review/output/render";
import { UNKNOWN } from "../../resource";
import { fixtureDocument, resource, review, reviewFixture, stepOf } from "./helpers";
import { fixtureNames } from "./helpers";

/**
 * In-place rotation (rotationOverlap) in the review, on real captures: the secret rotation is
 * reported with its reason and overlap, and never as an escalation.
 */

test("a triggered in-place rotation is an update with its reason and overlap, and no escalation", () => {
  const report = reviewFixture("in-place-rotation-trigger");
  expect(report.summary).toMatchObject({ update: 2, replace: 0, escalations: 0 });
  const partner = resource(report, "partner");
  expect(partner).toMatchObject({
    op: "update",
    replaceReasons: [],
    secretRotation: { reason: "rotationTriggers", overlap: "24h" },
    changes: [],
    escalations: [],
  });
  expect(partner.secretRotation!.text).toBe(
    "rotates the secret in place: rotation trigger changed (`generation`). Same key id, restrictions and usage history; the previous secret keeps working for `24h`.",
  );
  // Its restrictions stay with it, and the review says so.
  const network = resource(report, "partner-network");
  expect(network).toMatchObject({ op: "update", secretRotation: null, changes: [], escalations: [] });
  expect(network.notes).toEqual([
    expect.stringContaining("the new secret is held to these restrictions from its first use"),
  ]);
  expect(network.notes[0]).toContain("Pulumi plans an update here");
});

test("a scheduled in-place rotation names the rule that made it due", () => {
  const rotating = resource(reviewFixture("in-place-scheduled-rotation"), "rotating");
  expect(rotating).toMatchObject({
    op: "update",
    secretRotation: { reason: "rotationPeriod", overlap: "2s" },
    escalations: [],
  });
  expect(rotating.secretRotation!.text).toContain("the rotation period (`5s`) has passed");
});

test("adding rotationOverlap rotates the key once in place: a changed rotation setting, not an escalation", () => {
  const report = reviewFixture("overlap-adopted");
  const reports = resource(report, "reports");
  expect(reports.secretRotation).toMatchObject({ reason: "rotationOverlap", overlap: "24h" });
  expect(reports.secretRotation!.text).toContain("rotated once to start its schedule");
  expect(reports.changes).toEqual([
    expect.objectContaining({
      setting: "rotation",
      before: "no rotation",
      after: "on trigger changes, in place with a 24h overlap",
      effect: "changed",
      escalation: null,
    }),
  ]);
  expect(report.escalations).toEqual([]);
});

test("a key rotated outside Pulumi, seen by preview --refresh, is reported as rotated again", () => {
  const partner = resource(reviewFixture("out-of-band-rotation-refresh"), "partner");
  expect(partner).toMatchObject({
    op: "update",
    secretRotation: { reason: "rotatedOutsidePulumi", overlap: "24h" },
    escalations: [],
    notes: [],
  });
  expect(partner.secretRotation!.text).toContain("the refresh found it rotated outside Pulumi");
});

test("without the refresh in the same preview, an update with no setting change gets an explanatory note", () => {
  const document = fixtureDocument("out-of-band-rotation-refresh");
  document.steps = document.steps.filter((step) => step.op !== "refresh");
  const partner = resource(review(JSON.stringify(document)).report, "partner");
  expect(partner.secretRotation).toBeNull();
  expect(partner.notes).toEqual([expect.stringContaining("the key was rotated outside Pulumi")]);
});

test("a rotation marker known only after apply may rotate; an unchanged marker is no rotation", () => {
  const unknown = fixtureDocument("in-place-rotation-trigger");
  stepOf(unknown, "partner").newState!.inputs.rotation = UNKNOWN;
  const partner = resource(review(JSON.stringify(unknown)).report, "partner");
  expect(partner.secretRotation).toMatchObject({ reason: "unknown" });
  expect(partner.secretRotation!.text).toMatch(/^may rotate the secret in place/);

  const same = fixtureDocument("in-place-rotation-trigger");
  const step = stepOf(same, "partner");
  step.newState!.inputs.rotation = step.oldState!.outputs!.rotation;
  expect(resource(review(JSON.stringify(same)).report, "partner").secretRotation).toBeNull();
});

test("the Markdown and text reports put the rotation on the resource's heading", () => {
  const report = reviewFixture("in-place-rotation-trigger");
  expect(renderMarkdown(report)).toContain(
    "#### `partner` · ApiKey · update: rotates the secret in place: rotation trigger changed (`generation`). Same key id, restrictions and usage history; the previous secret keeps working for `24h`.",
  );
  expect(renderText(report)).toContain(
    "~  partner  ApiKey  update: rotates the secret in place: rotation trigger changed (generation).",
  );
});

test("keys replaced on rotation, and every other capture, report no secret rotation", () => {
  const rotating = [
    "in-place-rotation-trigger",
    "in-place-scheduled-rotation",
    "overlap-adopted",
    "out-of-band-rotation-refresh",
  ];
  for (const name of fixtureNames().filter((fixture) => !rotating.includes(fixture))) {
    for (const item of reviewFixture(name).resources) expect(item.secretRotation).toBeNull();
  }
  expect(resource(reviewFixture("scheduled-rotation"), "rotating")).toMatchObject({
    op: "replace",
    secretRotation: null,
  });
});
