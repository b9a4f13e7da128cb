import { z } from "zod";
import { DAYS_OF_WEEK, KEY_STATUSES, RestrictionsRecordSchema, RestrictionsSchema } from "../client/schemas";

/**
 * The audit report: what `admindo-audit --format json` prints, what the Markdown and text
 * renderers read and what `admindo-review --usage` annotates a review with. This schema is the
 * documented, stable shape (schemaVersion 1): fields may be added, none removed or changed in
 * meaning without a new schemaVersion.
 */

const Timestamp = z.string();
const Count = z.number().int().min(0);

/** How many requests one value (an address, a project, a host, …) accounts for. */
const TallySchema = z.object({ value: z.string(), requests: Count });

/** Sources of a group of requests; lists hold the values with the most requests first. */
const SourcesSchema = z.object({
  /** Client networks at the audit's minimum prefix (a /32 is one IPv4 address). */
  addresses: z.array(TallySchema),
  /** Projects named in X-Admindo-Project; "(none)" for requests without one. */
  projects: z.array(TallySchema),
  /** Referer hosts only, never a full Referer; "(none)" for requests without one. */
  referrerHosts: z.array(TallySchema),
  /** Distinct values left out of the lists above (only the first few are listed). */
  more: Count,
});

const DenialSchema = z.object({
  /** The API's denial code, e.g. ip_not_allowed, insufficient_scope, rate_limited. */
  reason: z.string(),
  requests: Count,
  sources: SourcesSchema,
});

const ScopeUseSchema = z.object({
  scope: z.string(),
  requests: Count,
  lastAt: Timestamp,
  /** Contract operations (e.g. functions.execute) that used the scope. */
  operations: z.array(TallySchema),
});

const MissingScopeSchema = z.object({
  scope: z.string(),
  /** Requests refused with 403 insufficient_scope for lack of it. */
  requests: Count,
  operations: z.array(TallySchema),
  sources: SourcesSchema,
});

export const UsageBucketSchema = z.object({
  key: z.string(),
  requests: Count,
  errors: Count,
  cost: z.number(),
});

const SlotSchema = z.object({ day: z.enum(DAYS_OF_WEEK), hour: z.number().int(), requests: Count });

const PeaksSchema = z.object({ second: Count, minute: Count, hour: Count, day: Count });

const SuggestionSchema = z.object({
  scopes: z.array(z.string()),
  /** Empty: the key is used without a project (or in every project) and stays unbound. */
  projects: z.array(z.string()),
  /** The tightest restrictions that admit every successful request; a missing field restricts nothing. */
  restrictions: RestrictionsSchema,
});

const FindingKindSchema = z.enum([
  "unused-key",
  "unused-scopes",
  "missing-scopes",
  "outside-projects",
  "refused-by-declared",
  "unused-networks",
  "denied-requests",
  "rate-limit-headroom",
  "time-window-use",
  "incomplete",
  "unknown-operations",
]);

const FindingSchema = z.object({
  kind: FindingKindSchema,
  /** One sentence for people; values as inline code in backticks. */
  text: z.string(),
});

const VerificationSchema = z.object({
  /** The successful requests of the window replayed against a key with exactly the suggestion. */
  replayed: Count,
  /** How many of them the key admitted: all of them, or the suggestion is wrong. */
  admitted: Count,
  /** Replayed successful requests the suggested key refused, by denial code. */
  refused: z.array(TallySchema),
  /** Denied requests of the window, replayed as well: still denied, or admitted now. */
  denied: z.object({
    replayed: Count,
    stillDenied: z.array(TallySchema),
    /** By original denial code: requests the suggested key would admit. */
    nowAdmitted: z.array(TallySchema),
    /** Denials no setting of a key decides (revoked, expired, handler rules), by code. */
    notReplayed: z.array(TallySchema),
  }),
  passed: z.boolean(),
});

const KeyAuditSchema = z.object({
  keyId: z.string(),
  /** The key's name in Admin.do. */
  name: z.string(),
  /** The Pulumi resource that manages it, when the keys came from a stack. */
  resource: z.object({ urn: z.string(), name: z.string() }).nullable(),
  organization: z.string().nullable(),
  status: z.enum(KEY_STATUSES).nullable(),
  /** When the key was last used at all (from the API), inside the window or not. */
  lastUsedAt: Timestamp.nullable(),
  granted: z.object({
    scopes: z.array(z.string()),
    projects: z.array(z.string()),
    restrictions: RestrictionsRecordSchema,
  }),
  /** What the program declares, when the keys came from a stack export (may differ by drift). */
  declared: z
    .object({
      scopes: z.array(z.string()).optional(),
      projects: z.array(z.string()).optional(),
      restrictions: RestrictionsRecordSchema.optional(),
    })
    .nullable(),
  activity: z.object({
    requests: Count,
    admitted: Count,
    denied: Count,
    /** Responses with status >= 400, denials included. */
    errors: Count,
    firstAt: Timestamp.nullable(),
    lastAt: Timestamp.nullable(),
    /** False when the log entries read differ from the usage total (entries added or expired meanwhile). */
    complete: z.boolean(),
  }),
  /** Requests, errors and cost in the window per resource kind and per project, from the usage API. */
  usage: z.object({ byResource: z.array(UsageBucketSchema), byProject: z.array(UsageBucketSchema) }),
  scopes: z.object({
    used: z.array(ScopeUseSchema),
    /** Granted scopes no admitted request needed in the window. */
    unused: z.array(z.string()),
    missing: z.array(MissingScopeSchema),
  }),
  denials: z.array(DenialSchema),
  /** Where admitted requests came from: every address network, project and Referer host seen. */
  admitted: SourcesSchema.extend({
    /** Admitted requests without a readable Referer. */
    withoutReferrer: Count,
    /** True when there were too many distinct addresses to list (then no networks are suggested). */
    truncated: z.boolean(),
  }),
  rate: z.object({ peaks: PeaksSchema }),
  time: z.object({
    /** The time zone days and hours are counted in: the key's, else the audit's (default UTC). */
    timezone: z.string(),
    /** Admitted requests per weekday and hour (only those with requests), Monday first. */
    slots: z.array(SlotSchema),
  }),
  /** Requests whose method and path match no operation of the contract. */
  unknownOperations: Count,
  suggestion: SuggestionSchema.nullable(),
  findings: z.array(FindingSchema),
  verification: VerificationSchema.nullable(),
});

export const AuditReportSchema = z.object({
  schemaVersion: z.literal(1),
  generatedAt: Timestamp,
  window: z.object({
    start: Timestamp,
    end: Timestamp,
    /** For people: "30 days", "7 days", "12 hours". */
    label: z.string(),
  }),
  options: z.object({
    ipv4Prefix: z.number().int(),
    ipv6Prefix: z.number().int(),
    ratePeriod: z.enum(["second", "minute", "hour", "day"]),
    timezone: z.string(),
  }),
  source: z.object({
    kind: z.enum(["stack-export", "stack-output", "ids"]),
    stack: z.string().nullable(),
    project: z.string().nullable(),
  }),
  summary: z.object({
    keys: Count,
    unused: Count,
    withUnusedScopes: Count,
    withMissingScopes: Count,
    requests: Count,
    denied: Count,
    /** Keys whose suggestion was replayed (--verify), and how many of them passed. */
    verified: Count,
    verificationFailed: Count,
  }),
  keys: z.array(KeyAuditSchema),
  /** Keys of the input the API could not show (deleted outside the stack, another organization, …). */
  unavailable: z.array(
    z.object({
      keyId: z.string(),
      resource: z.object({ urn: z.string(), name: z.string() }).nullable(),
      reason: z.string(),
    }),
  ),
});

export type Tally = z.infer<typeof TallySchema>;
export type Sources = z.infer<typeof SourcesSchema>;
export type Suggestion = z.infer<typeof SuggestionSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type Verification = z.infer<typeof VerificationSchema>;
export type KeyAudit = z.infer<typeof KeyAuditSchema>;
export type AuditReport = z.infer<typeof AuditReportSchema>;

/** How the report names "no project" and "no Referer" in tallies. */
export const NONE = "(none)";
