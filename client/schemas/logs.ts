import { z } from "zod";
import { PageQuerySchema, TimeRangeSchema, TimestampSchema, pageOf } from "./common";

/** "success" matches 2xx/3xx, "error" 4xx/5xx, a number one exact HTTP status. */
export const LogStatusFilterSchema = z.union([
  z.enum(["success", "error"]),
  z.number().int().min(100).max(599),
]);

export const LogsParamsSchema = PageQuerySchema.extend({
  timeRange: TimeRangeSchema.optional(),
  status: LogStatusFilterSchema.optional(),
});

/** One request made with a key, allowed or denied. */
export const LogEntrySchema = z.object({
  id: z.string(),
  keyId: z.string(),
  timestamp: TimestampSchema,
  method: z.string(),
  path: z.string(),
  resource: z.string().nullable(),
  project: z.string().nullable(),
  status: z.number().int(),
  latencyMs: z.number().min(0),
  ip: z.string(),
  referrer: z.string().nullable(),
  /** Why the request was refused (an error code such as "ip_not_allowed"); null when it was allowed. */
  denialReason: z.string().nullable(),
});

export const LogPageSchema = pageOf(LogEntrySchema);

export type LogsParams = z.input<typeof LogsParamsSchema>;
export type LogEntry = z.infer<typeof LogEntrySchema>;
export type LogPage = z.infer<typeof LogPageSchema>;
