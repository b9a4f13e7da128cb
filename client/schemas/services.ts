import { z } from "zod";
import { ProjectSchema } from "./apiKey";
import { PageQuerySchema, TimestampSchema, pageOf } from "./common";
import { FunctionSchema } from "./functions";

/*
 * Wire schemas of the Admin.do services beside functions: workflows, agents, data, events and the
 * admin directory (users, organizations, projects, billing). The emulator implements them
 * minimally so that every scope guards a real route.
 */

const Name = z.string().trim().min(1).max(128);
const Description = z.string().max(1024);
const Id = z.string().min(1).max(128);
/** Collection names and data keys: URL-safe, so they fit in a path segment. */
const Segment = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, {
  error: "must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
});
/** Event types such as "order.created"; subscriptions may end in ".*" to match a family. */
const EventType = z.string().regex(/^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, {
  error: 'must be dot-separated lower-case words, e.g. "order.created"',
});
const EventPattern = z.string().regex(/^(\*|[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*(\.\*)?)$/, {
  error: 'must be an event type, optionally ending in ".*" (e.g. "order.*"), or "*"',
});

// Workflows: an ordered list of functions; each step's output is the next step's input.
export const WorkflowStepSchema = z.strictObject({ name: Name.optional(), functionId: Id });
export const CreateWorkflowParamsSchema = z.strictObject({
  name: Name,
  description: Description.optional(),
  steps: z.array(WorkflowStepSchema).min(1).max(50),
});
export const WorkflowSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  steps: z.array(z.object({ name: z.string().optional(), functionId: z.string() })),
  project: z.string().nullable(),
  createdAt: TimestampSchema,
});
export const ExecuteWorkflowParamsSchema = z.record(z.string(), z.unknown());
export const WorkflowRunSchema = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: z.enum(["succeeded"]),
  output: z.unknown(),
  steps: z.array(z.object({ functionId: z.string(), output: z.unknown(), durationMs: z.number().min(0) })),
  durationMs: z.number().min(0),
});

// Agents: named instructions that answer messages.
export const CreateAgentParamsSchema = z.strictObject({
  name: Name,
  description: Description.optional(),
  instructions: z.string().min(1).max(10_000),
});
export const AgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  instructions: z.string(),
  project: z.string().nullable(),
  createdAt: TimestampSchema,
});
export const AgentMessageParamsSchema = z.strictObject({ message: z.string().min(1).max(10_000) });
export const AgentReplySchema = z.object({
  agentId: z.string(),
  reply: z.string(),
  createdAt: TimestampSchema,
});

// Data: JSON values by collection and key.
export const DataPathSchema = z.object({ collection: Segment, key: Segment });
export const PutDataItemParamsSchema = z.strictObject({ value: z.json() });
export const DataItemSchema = z.object({
  collection: z.string(),
  key: z.string(),
  value: z.unknown(),
  project: z.string().nullable(),
  updatedAt: TimestampSchema,
});

// Events: subscriptions route triggered events to functions.
export const CreateSubscriptionParamsSchema = z.strictObject({ event: EventPattern, functionId: Id });
export const SubscriptionSchema = z.object({
  id: z.string(),
  event: z.string(),
  functionId: z.string(),
  project: z.string().nullable(),
  createdAt: TimestampSchema,
});
export const TriggerEventParamsSchema = z.strictObject({
  type: EventType,
  data: z.record(z.string(), z.unknown()).optional(),
});
export const EventSchema = z.object({
  id: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  project: z.string().nullable(),
  createdAt: TimestampSchema,
  /** One entry per subscription the event matched: the function's output or its error. */
  deliveries: z.array(
    z.object({
      subscriptionId: z.string(),
      functionId: z.string(),
      output: z.unknown().optional(),
      error: z.string().optional(),
    }),
  ),
});

// Admin directory. Organization names follow the same rule as project names.
export const USER_ROLES = ["owner", "admin", "member", "viewer"] as const;
export const CreateUserParamsSchema = z.strictObject({
  email: z.email(),
  name: Name.optional(),
  role: z.enum(USER_ROLES),
  /** Required for the root key; other keys create users in their own organization. */
  organization: ProjectSchema.optional(),
});
export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(USER_ROLES),
  organization: z.string(),
  createdAt: TimestampSchema,
});
/** The query of admin reports: the caller's organization unless one is named (the root key must name one). */
export const OrganizationQuerySchema = z.strictObject({ organization: ProjectSchema.optional() });
/** The query of admin directory lists: a page of the caller's organization, or of the one named. */
export const OrganizationPageQuerySchema = PageQuerySchema.extend(OrganizationQuerySchema.shape);
export const OrganizationSummarySchema = z.object({ name: z.string(), keys: z.number().int().min(0) });
export const ProjectSummarySchema = z.object({ name: z.string(), keys: z.number().int().min(0) });
const CostSchema = z.object({
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
  cost: z.number().min(0),
});
export const BillingSchema = z.object({
  organization: z.string(),
  /** The current calendar month (UTC) up to now. */
  start: TimestampSchema,
  end: TimestampSchema,
  currency: z.literal("USD"),
  total: CostSchema,
  byResource: z.array(CostSchema.extend({ resource: z.string() })),
});

export const FunctionPageSchema = pageOf(FunctionSchema);
export const WorkflowPageSchema = pageOf(WorkflowSchema);
export const AgentPageSchema = pageOf(AgentSchema);
export const DataItemPageSchema = pageOf(DataItemSchema);
export const SubscriptionPageSchema = pageOf(SubscriptionSchema);
export const EventPageSchema = pageOf(EventSchema);
export const UserPageSchema = pageOf(UserSchema);
export const OrganizationPageSchema = pageOf(OrganizationSummarySchema);
export const ProjectPageSchema = pageOf(ProjectSummarySchema);

export type Workflow = z.infer<typeof WorkflowSchema>;
export type WorkflowRun = z.infer<typeof WorkflowRunSchema>;
export type Agent = z.infer<typeof AgentSchema>;
export type DataItem = z.infer<typeof DataItemSchema>;
export type Subscription = z.infer<typeof SubscriptionSchema>;
export type AdminEvent = z.infer<typeof EventSchema>;
export type User = z.infer<typeof UserSchema>;
export type Billing = z.infer<typeof BillingSchema>;
