import { API_KEY, API_KEY_RESTRICTIONS } from "../../resource";
import type { Operation, ResourceReview, ResourceType, ReviewReport } from "../output/model";
import { parseUrn, type PreviewDigest, type PreviewStep } from "../input/preview";
import { reviewApiKey, reviewApiKeyRestrictions } from "./resources";

/**
 * The review of a whole preview: every ApiKey and ApiKeyRestrictions step that changes
 * something, escalated resources first, with every escalation also gathered at the top. A pure function of
 * the preview and the time (which decides how long a replacement key lives).
 */

/** Engine step operations the review reports, by the operation it reports them as. */
const OPERATIONS: Record<string, Operation> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
  import: "import",
  "import-replacement": "import",
};

/** When one URN has several steps (replacement steps shown), the one that describes the change. */
const PREFERENCE = ["replace", "create-replacement", "delete-replaced"];

/** The reviewed resource types, by their type tokens (the dynamic provider's and the plugin's). */
const RESOURCE_TYPES = new Map<string, ResourceType>(
  [API_KEY, API_KEY_RESTRICTIONS].flatMap((model) =>
    model.tokens.map((token) => [token, model.name] as const),
  ),
);

function resourceType(step: PreviewStep): ResourceType | undefined {
  const type = step.newState?.type ?? step.oldState?.type ?? parseUrn(step.urn)?.type;
  return type === undefined ? undefined : RESOURCE_TYPES.get(type);
}

/** One step per URN, in the order the URNs first appear. */
function relevantSteps(digest: PreviewDigest): PreviewStep[] {
  const byUrn = new Map<string, PreviewStep>();
  for (const step of digest.steps ?? []) {
    if (!(step.op in OPERATIONS) || !resourceType(step)) continue;
    const seen = byUrn.get(step.urn);
    const rank = (op: string) => (PREFERENCE.includes(op) ? PREFERENCE.indexOf(op) : PREFERENCE.length);
    if (!seen || rank(step.op) < rank(seen.op)) byUrn.set(step.urn, step);
  }
  return [...byUrn.values()];
}

export interface ReviewOptions {
  /** The time of the preview (default: now). */
  now?: Date;
}

export function reviewPreview(digest: PreviewDigest, options: ReviewOptions = {}): ReviewReport {
  const now = options.now ?? new Date();
  const steps = relevantSteps(digest);
  const plannedOps = new Map(steps.map((step) => [step.urn, OPERATIONS[step.op]]));
  // With --refresh, each resource's refresh step holds the state from before the refresh.
  const beforeRefresh = new Map(
    (digest.steps ?? []).filter((step) => step.op === "refresh").map((step) => [step.urn, step.oldState]),
  );
  const input = (step: PreviewStep) => ({
    step,
    op: OPERATIONS[step.op],
    name: parseUrn(step.urn)?.name ?? step.urn,
    now,
    plannedOps,
    beforeRefresh: beforeRefresh.get(step.urn),
  });
  // Keys first: their restrictions resources say whether the key's secret is rotated in place.
  const keys = new Map(
    steps
      .filter((step) => resourceType(step) === "ApiKey")
      .map((step) => [step.urn, reviewApiKey(input(step))]),
  );
  const rotatedInPlace = new Set([...keys].filter(([, key]) => key.secretRotation).map(([urn]) => urn));
  const resources: ResourceReview[] = steps.map(
    (step) => keys.get(step.urn) ?? reviewApiKeyRestrictions({ ...input(step), rotatedInPlace }),
  );
  // Resources with escalations first, then by name: the engine's order varies from run to run,
  // and a pull-request comment should not reshuffle on every push.
  resources.sort(
    (a, b) =>
      Number(b.escalations.length > 0) - Number(a.escalations.length > 0) ||
      a.name.localeCompare(b.name) ||
      a.urn.localeCompare(b.urn),
  );
  const count = (op: Operation) => resources.filter((resource) => resource.op === op).length;
  const escalations = resources.flatMap((resource) =>
    resource.escalations.map((escalation) => ({
      urn: resource.urn,
      name: resource.name,
      type: resource.type,
      op: resource.op,
      ...escalation,
    })),
  );
  const firstUrn = parseUrn(digest.steps?.[0]?.urn ?? "");
  return {
    schemaVersion: 1,
    stack: firstUrn?.stack ?? null,
    project: firstUrn?.project ?? null,
    summary: {
      resources: resources.length,
      create: count("create"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
      import: count("import"),
      escalations: escalations.length,
      previewErrors: (digest.diagnostics ?? []).filter((diagnostic) => diagnostic.severity === "error")
        .length,
    },
    escalations,
    resources,
  };
}
