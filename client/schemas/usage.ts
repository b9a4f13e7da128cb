import { z } from "zod";
import { TimeRangeSchema, TimestampSchema } from "./common";
import { SERVICES, type Service } from "./scopes";

/** The kinds of resource a request can touch: one per service of the scope list. */
export const RESOURCE_KINDS = SERVICES;
export type ResourceKind = Service;
export const ResourceKindSchema = z.enum(RESOURCE_KINDS as [Service, ...Service[]], {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a resource kind: must be one of ${RESOURCE_KINDS.join(", ")}`,
});

export const USAGE_GROUPINGS = ["hour", "day", "resource", "project"] as const;
const GroupBySchema = z.enum(USAGE_GROUPINGS);

export const UsageParamsSchema = z.strictObject({
  timeRange: TimeRangeSchema.optional(),
  resources: z.array(ResourceKindSchema).optional(),
  groupBy: GroupBySchema.optional(),
});
export const ResourceUsageParamsSchema = UsageParamsSchema.omit({ resources: true });
export const ProjectUsageParamsSchema = UsageParamsSchema.omit({ groupBy: true });

const CountsSchema = z.object({
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
  /** Cost in US dollars, from the emulator's price list per resource kind. */
  cost: z.number().min(0),
});

export const UsageBucketSchema = CountsSchema.extend({
  /** Start of the bucket for time groupings; the key for resource/project groupings. */
  key: z.string(),
  start: TimestampSchema.optional(),
});

export const UsageSchema = z.object({
  keyId: z.string(),
  start: TimestampSchema,
  end: TimestampSchema,
  groupBy: GroupBySchema,
  resource: ResourceKindSchema.optional(),
  project: z.string().optional(),
  total: CountsSchema,
  buckets: z.array(UsageBucketSchema),
});

export type UsageParams = z.input<typeof UsageParamsSchema>;
export type ResourceUsageParams = z.input<typeof ResourceUsageParamsSchema>;
export type ProjectUsageParams = z.input<typeof ProjectUsageParamsSchema>;
export type Usage = z.infer<typeof UsageSchema>;
export type UsageBucket = z.infer<typeof UsageBucketSchema>;
