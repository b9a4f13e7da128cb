import { z } from "zod";
import { API_KEY, API_KEY_RESTRICTIONS, IN_PLACE_ROTATION_REASONS } from "../../resource";

/**
 * The review report: what `admindo-review --format json` prints and what the Markdown and text
 * renderers read. This schema is the documented, stable shape (schemaVersion 1): fields may be
 * added, none removed or changed in meaning without a new schemaVersion.
 */

/** The resource types of the model (resource/), by name. */
const ResourceTypeSchema = z.enum([API_KEY.name, API_KEY_RESTRICTIONS.name]);

/** What Pulumi will do to the resource. */
const OperationSchema = z.enum(["create", "update", "replace", "delete", "import"]);

/** The settings a change can concern, and how reports name each. */
export const SETTING_LABELS = {
  organization: "organization",
  name: "name",
  description: "description",
  scopes: "scopes",
  projects: "projects",
  ipAddresses: "IP ranges",
  referrers: "referrers",
  rateLimit: "rate limit",
  timeRestrictions: "time window",
  restrictions: "restrictions",
  expiry: "expiry",
  rotation: "rotation",
  keyId: "key",
} as const;

export const SettingSchema = z.enum(
  Object.keys(SETTING_LABELS) as [keyof typeof SETTING_LABELS, ...(keyof typeof SETTING_LABELS)[]],
);

/**
 * new: the setting of a created resource; looser: the key is accepted where it was refused
 * before (or lives longer); stricter: the opposite; changed: neither or both; unknown: the new
 * value is known only after apply (or secret).
 */
const EffectSchema = z.enum(["new", "looser", "stricter", "changed", "unknown"]);

/** Escalation rules; docs: review/README.md. */
const RuleSchema = z.enum([
  "new-privileged-key",
  "privileged-scope-granted",
  "organization-changed",
  "project-access-widened",
  "network-widened",
  "referrers-widened",
  "rate-limit-raised",
  "time-window-widened",
  "restrictions-removed",
  "lifetime-lengthened",
  "unknown-at-preview",
]);

const EscalationSchema = z.object({
  rule: RuleSchema,
  /** One sentence a reviewer reads, e.g. "grants privileged scopes admin:write". */
  reason: z.string(),
});

/**
 * Before/after: a list for scopes, projects, ipAddresses and referrers (empty: no limit), text
 * for the others ("600 per minute", "never expires"); "(known after apply)" when not known yet;
 * null when there is no such side (before of a created resource).
 */
const ValueSchema = z.union([z.array(z.string()), z.string(), z.null()]);

const ChangeSchema = z.object({
  setting: SettingSchema,
  /** One line for people, e.g. "+ admin:write, - data:read". */
  summary: z.string(),
  before: ValueSchema,
  after: ValueSchema,
  /** Set-valued settings (scopes, projects, ipAddresses, referrers): entries added and removed. */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
  effect: EffectSchema,
  escalation: EscalationSchema.nullable(),
});

const ReplaceReasonSchema = z.object({
  /** The property the engine names in replaceReasons. */
  property: z.string(),
  kind: z.enum(["rotation", "organization", "trigger", "status", "key", "other"]),
  text: z.string(),
});

/**
 * An in-place rotation of an ApiKey's secret: same key id, restrictions and usage history, a new
 * secret, and the previous secret working for the overlap. Never an escalation: nothing is
 * granted, and the previous secret stops before the expiry it was issued with.
 */
const SecretRotationSchema = z.object({
  /**
   * What made it due: rotationPeriod, rotateBeforeExpiry, rotationTriggers, rotationOverlap (the
   * key switches to in-place rotation and is rotated once), rotatedOutsidePulumi (a refresh in
   * this preview found a new secret prefix: state's secret is stale and is replaced by rotating
   * again), or unknown (known only after apply).
   */
  reason: z.enum([...IN_PLACE_ROTATION_REASONS, "rotatedOutsidePulumi", "unknown"]),
  /**
   * How long the previous secret keeps working, as the program wrote it ("24h"), or "(known
   * after apply)"; null: it stops at once (a key without rotationOverlap).
   */
  overlap: z.string().nullable(),
  /** One sentence for reviewers. */
  text: z.string(),
});

const ResourceReviewSchema = z.object({
  urn: z.string(),
  /** The resource name in the program. */
  name: z.string(),
  type: ResourceTypeSchema,
  op: OperationSchema,
  /** ApiKeyRestrictions: the ApiKey resource (or key id) whose restrictions these are. */
  restricts: z.string().nullable(),
  replaceReasons: z.array(ReplaceReasonSchema),
  /** ApiKey updates only: the secret is rotated in place; null otherwise. */
  secretRotation: SecretRotationSchema.nullable(),
  changes: z.array(ChangeSchema),
  escalations: z.array(EscalationSchema),
  /** Facts a reviewer should know that are not changes of a setting. */
  notes: z.array(z.string()),
});

const ReportEscalationSchema = EscalationSchema.extend({
  urn: z.string(),
  name: z.string(),
  type: ResourceTypeSchema,
  op: OperationSchema,
});

export const ReviewReportSchema = z.object({
  schemaVersion: z.literal(1),
  stack: z.string().nullable(),
  project: z.string().nullable(),
  summary: z.object({
    /** ApiKey and ApiKeyRestrictions resources that change. */
    resources: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    replace: z.number().int(),
    delete: z.number().int(),
    import: z.number().int(),
    escalations: z.number().int(),
    /** Errors the preview itself reported; the review may then be incomplete. */
    previewErrors: z.number().int(),
  }),
  /** Every escalation of every resource, in resource order. */
  escalations: z.array(ReportEscalationSchema),
  resources: z.array(ResourceReviewSchema),
});

export type ResourceType = z.infer<typeof ResourceTypeSchema>;
export type Operation = z.infer<typeof OperationSchema>;
export type Setting = z.infer<typeof SettingSchema>;
export type Effect = z.infer<typeof EffectSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type Escalation = z.infer<typeof EscalationSchema>;
export type Change = z.infer<typeof ChangeSchema>;
export type ReplaceReason = z.infer<typeof ReplaceReasonSchema>;
export type SecretRotation = z.infer<typeof SecretRotationSchema>;
export type ResourceReview = z.infer<typeof ResourceReviewSchema>;
export type ReviewReport = z.infer<typeof ReviewReportSchema>;
