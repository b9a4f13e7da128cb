import { z } from "zod";
import {
  ApiKeyPageSchema,
  ApiKeySchema,
  ApiKeyWithSecretSchema,
  CreateApiKeyParamsSchema,
  CreateFunctionParamsSchema,
  ExecuteFunctionParamsSchema,
  ExecutionResultSchema,
  FunctionSchema,
  FunctionPageSchema,
  AgentMessageParamsSchema,
  AgentPageSchema,
  AgentReplySchema,
  AgentSchema,
  BillingSchema,
  CreateAgentParamsSchema,
  CreateSubscriptionParamsSchema,
  CreateUserParamsSchema,
  CreateWorkflowParamsSchema,
  DataItemPageSchema,
  DataItemSchema,
  EventPageSchema,
  EventSchema,
  ExecuteWorkflowParamsSchema,
  OrganizationPageSchema,
  ProjectPageSchema,
  PutDataItemParamsSchema,
  SubscriptionPageSchema,
  SubscriptionSchema,
  TriggerEventParamsSchema,
  UserPageSchema,
  UserSchema,
  WorkflowPageSchema,
  WorkflowRunSchema,
  WorkflowSchema,
  LogEntrySchema,
  LogPageSchema,
  RestrictionsSchema,
  RevokeApiKeyParamsSchema,
  RotateApiKeyParamsSchema,
  UpdateApiKeyParamsSchema,
  UsageSchema,
  type Scope,
} from "./schemas";

/**
 * The REST contract of the Admin.do API, written once. The client builds its requests from it,
 * the emulator registers its routes from it, and docs/openapi.json is generated from it.
 *
 * Conventions: JSON bodies; `Authorization: Bearer <key>`; `Idempotency-Key` on every POST;
 * `X-Request-Id` on every response; `Retry-After` on 429 and 503; errors as `{ error: { code,
 * message, details?, requestId? } }`; a request names its project with the `X-Admindo-Project`
 * header. Query parameters of GET routes: `limit`, `offset`, `organization` (list); `range`
 * (a duration such as "7d") or `start`/`end` (ISO timestamps); `resources` (comma-separated);
 * `groupBy`; `status` ("success", "error" or an HTTP status).
 */
export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Fastify-style path template: `:name` marks a path parameter. */
  path: string;
  /** HTTP status of a successful response. */
  status: 200 | 201 | 204;
  /** The scope a caller's key must hold. */
  scope: Scope;
  summary: string;
  body?: z.ZodType;
  response?: z.ZodType;
}

export const HEADERS = {
  idempotencyKey: "idempotency-key",
  requestId: "x-request-id",
  project: "x-admindo-project",
  retryAfter: "retry-after",
} as const;

export const OPERATIONS = {
  "apiKeys.create": {
    method: "POST",
    path: "/api-keys",
    status: 201,
    scope: "admin:write",
    summary: "Create a key. The secret `key` is returned once, in this response only.",
    body: CreateApiKeyParamsSchema,
    response: ApiKeyWithSecretSchema,
  },
  "apiKeys.list": {
    method: "GET",
    path: "/api-keys",
    status: 200,
    scope: "admin:read",
    summary: "List keys, newest first, one page at a time. Never returns secrets.",
    response: ApiKeyPageSchema,
  },
  "apiKeys.get": {
    method: "GET",
    path: "/api-keys/:id",
    status: 200,
    scope: "admin:read",
    summary: "Get one key. Never returns the secret.",
    response: ApiKeySchema,
  },
  "apiKeys.update": {
    method: "PATCH",
    path: "/api-keys/:id",
    status: 200,
    scope: "admin:write",
    summary: "Change name, description, expiresAt, scopes, projects or restrictions.",
    body: UpdateApiKeyParamsSchema,
    response: ApiKeySchema,
  },
  "apiKeys.delete": {
    method: "DELETE",
    path: "/api-keys/:id",
    status: 204,
    scope: "admin:write",
    summary: "Delete a key; it stops working at once.",
  },
  "apiKeys.revoke": {
    method: "POST",
    path: "/api-keys/:id/revoke",
    status: 200,
    scope: "admin:write",
    summary: "Revoke a key: it stops working at once; the record and reason are kept.",
    body: RevokeApiKeyParamsSchema,
    response: ApiKeySchema,
  },
  "apiKeys.rotate": {
    method: "POST",
    path: "/api-keys/:id/rotate",
    status: 200,
    scope: "admin:write",
    summary:
      "Issue a new secret for the same key id, returned once; the old one stops after the grace period.",
    body: RotateApiKeyParamsSchema,
    response: ApiKeyWithSecretSchema,
  },
  "apiKeys.updateRestrictions": {
    method: "PUT",
    path: "/api-keys/:id/restrictions",
    status: 200,
    scope: "admin:write",
    summary: "Replace the restrictions of a key.",
    body: RestrictionsSchema,
    response: ApiKeySchema,
  },
  "apiKeys.getUsage": {
    method: "GET",
    path: "/api-keys/:id/usage",
    status: 200,
    scope: "admin:read",
    summary: "Request counts and cost, per time bucket, resource or project.",
    response: UsageSchema,
  },
  "apiKeys.getResourceUsage": {
    method: "GET",
    path: "/api-keys/:id/usage/resources/:resource",
    status: 200,
    scope: "admin:read",
    summary: "Usage of one resource kind.",
    response: UsageSchema,
  },
  "apiKeys.getProjectUsage": {
    method: "GET",
    path: "/api-keys/:id/usage/projects/:project",
    status: 200,
    scope: "admin:read",
    summary: "Usage within one project.",
    response: UsageSchema,
  },
  "apiKeys.getLogs": {
    method: "GET",
    path: "/api-keys/:id/logs",
    status: 200,
    scope: "admin:read",
    summary: "Request log entries, newest first.",
    response: LogPageSchema,
  },
  "apiKeys.getLog": {
    method: "GET",
    path: "/api-keys/:id/logs/:logId",
    status: 200,
    scope: "admin:read",
    summary: "One request log entry.",
    response: LogEntrySchema,
  },
  "functions.create": {
    method: "POST",
    path: "/functions",
    status: 201,
    scope: "functions:write",
    summary: "Store a function in the caller's project.",
    body: CreateFunctionParamsSchema,
    response: FunctionSchema,
  },
  "functions.execute": {
    method: "POST",
    path: "/functions/:id/execute",
    status: 200,
    scope: "functions:execute",
    summary: "Run a function with the request body as its input.",
    body: ExecuteFunctionParamsSchema,
    response: ExecutionResultSchema,
  },
  // The services below exist so that every documented scope guards a real route. Their lists
  // take `limit`/`offset`; everything a project-bound key touches lives in its request's project.
  "functions.list": {
    method: "GET",
    path: "/functions",
    status: 200,
    scope: "functions:read",
    summary: "List the functions of the caller's project, newest first.",
    response: FunctionPageSchema,
  },
  "functions.get": {
    method: "GET",
    path: "/functions/:id",
    status: 200,
    scope: "functions:read",
    summary: "Get one function.",
    response: FunctionSchema,
  },
  "workflows.create": {
    method: "POST",
    path: "/workflows",
    status: 201,
    scope: "workflows:write",
    summary: "Store a workflow: functions run in order, each step's output feeding the next.",
    body: CreateWorkflowParamsSchema,
    response: WorkflowSchema,
  },
  "workflows.list": {
    method: "GET",
    path: "/workflows",
    status: 200,
    scope: "workflows:read",
    summary: "List the workflows of the caller's project, newest first.",
    response: WorkflowPageSchema,
  },
  "workflows.get": {
    method: "GET",
    path: "/workflows/:id",
    status: 200,
    scope: "workflows:read",
    summary: "Get one workflow.",
    response: WorkflowSchema,
  },
  "workflows.execute": {
    method: "POST",
    path: "/workflows/:id/execute",
    status: 200,
    scope: "workflows:execute",
    summary: "Run a workflow with the request body as the first step's input.",
    body: ExecuteWorkflowParamsSchema,
    response: WorkflowRunSchema,
  },
  "agents.create": {
    method: "POST",
    path: "/agents",
    status: 201,
    scope: "agents:write",
    summary: "Store an agent.",
    body: CreateAgentParamsSchema,
    response: AgentSchema,
  },
  "agents.list": {
    method: "GET",
    path: "/agents",
    status: 200,
    scope: "agents:read",
    summary: "List the agents of the caller's project, newest first.",
    response: AgentPageSchema,
  },
  "agents.get": {
    method: "GET",
    path: "/agents/:id",
    status: 200,
    scope: "agents:read",
    summary: "Get one agent.",
    response: AgentSchema,
  },
  "agents.execute": {
    method: "POST",
    path: "/agents/:id/execute",
    status: 200,
    scope: "agents:execute",
    summary: "Send a message to an agent and get its reply.",
    body: AgentMessageParamsSchema,
    response: AgentReplySchema,
  },
  "data.list": {
    method: "GET",
    path: "/data/:collection",
    status: 200,
    scope: "data:read",
    summary: "List the items of a collection, by key.",
    response: DataItemPageSchema,
  },
  "data.get": {
    method: "GET",
    path: "/data/:collection/:key",
    status: 200,
    scope: "data:read",
    summary: "Read one item.",
    response: DataItemSchema,
  },
  "data.put": {
    method: "PUT",
    path: "/data/:collection/:key",
    status: 200,
    scope: "data:write",
    summary: "Create or replace one item.",
    body: PutDataItemParamsSchema,
    response: DataItemSchema,
  },
  "events.subscribe": {
    method: "POST",
    path: "/events/subscriptions",
    status: 201,
    scope: "events:write",
    summary: "Route events of a type (or a `type.*` family) to a function.",
    body: CreateSubscriptionParamsSchema,
    response: SubscriptionSchema,
  },
  "events.listSubscriptions": {
    method: "GET",
    path: "/events/subscriptions",
    status: 200,
    scope: "events:read",
    summary: "List the event subscriptions of the caller's project.",
    response: SubscriptionPageSchema,
  },
  "events.trigger": {
    method: "POST",
    path: "/events",
    status: 201,
    scope: "events:trigger",
    summary: "Trigger an event: every matching subscription's function runs with it.",
    body: TriggerEventParamsSchema,
    response: EventSchema,
  },
  "events.list": {
    method: "GET",
    path: "/events",
    status: 200,
    scope: "events:read",
    summary: "List triggered events of the caller's project, newest first.",
    response: EventPageSchema,
  },
  "admin.listUsers": {
    method: "GET",
    path: "/admin/users",
    status: 200,
    scope: "admin:users",
    summary: "List the users of an organization (query `organization`, required for the root key).",
    response: UserPageSchema,
  },
  "admin.createUser": {
    method: "POST",
    path: "/admin/users",
    status: 201,
    scope: "admin:users",
    summary: "Add a user to an organization.",
    body: CreateUserParamsSchema,
    response: UserSchema,
  },
  "admin.listOrganizations": {
    method: "GET",
    path: "/admin/organizations",
    status: 200,
    scope: "admin:organizations",
    summary: "List organizations that hold keys: all for the root key, its own for any other key.",
    response: OrganizationPageSchema,
  },
  "admin.listProjects": {
    method: "GET",
    path: "/admin/projects",
    status: 200,
    scope: "admin:projects",
    summary: "List the projects keys of an organization are bound to.",
    response: ProjectPageSchema,
  },
  "admin.getBilling": {
    method: "GET",
    path: "/admin/billing",
    status: 200,
    scope: "admin:billing",
    summary: "Requests and cost of an organization in the current calendar month.",
    response: BillingSchema,
  },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

/** Fills a path template: `pathFor("/api-keys/:id", { id })`, escaping every parameter. */
export function pathFor(template: string, params: Record<string, string> = {}): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === "") throw new TypeError(`missing path parameter "${name}"`);
    return encodeURIComponent(value);
  });
}
