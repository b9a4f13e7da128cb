import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { Agent, type Dispatcher } from "undici";
import type { z } from "zod";
import { HEADERS, OPERATIONS, pathFor, type Operation, type OperationName } from "./contract";
import {
  AdminApiError,
  ConnectionError,
  InvalidResponseError,
  TimeoutError,
  ValidationError,
  defaultCodeFor,
  errorForStatus,
} from "./errors";
import { IdempotencyKeySchema, PATH_PARAM_SCHEMAS, ProjectHeaderSchema } from "./params";
import { encodeQuery } from "./query";
import { redactText, redactValue, safeCause, secretsIn } from "./redact";
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  retryableErrorCode,
  type RetryPolicy,
} from "./retry";
import { ErrorBodySchema, type FieldIssue } from "./schemas";
import { describeIssues, fieldIssues, parseInto } from "./validate";

export interface ClientOptions {
  /** Root of the API, e.g. "https://api.admin.do" or an emulator's "http://127.0.0.1:4100"; a path prefix is kept. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never part of an error. */
  apiKey: string;
  /** X-Admindo-Project for every request unless a call names another; default: none. */
  project?: string;
  /** undici dispatcher to send through (tests pass a MockAgent); default: a keep-alive Agent the client owns. */
  dispatcher?: Dispatcher;
  /** Retries after the first attempt on connection errors, 429 and 5xx; default 3. */
  maxRetries?: number;
  /** Deadline of each attempt in ms, response body included; default 30000. */
  timeoutMs?: number;
  /** Waits between retries; tests inject one that records delays; default: a timer the call's signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Backoff tuning: base and cap of the exponential backoff, cap of Retry-After, jitter and clock sources. */
  retry?: Partial<Omit<RetryPolicy, "maxRetries">>;
  /** User-Agent header; default "pulumi-admindo-client". */
  userAgent?: string;
}

/** Per-call options, accepted as the last argument of every method. */
export interface RequestOptions {
  /** Sent as X-Admindo-Project; overrides the client's `project`. */
  project?: string;
  /** Idempotency-Key to send; default: a random UUID for POSTs, reused across that call's retries. */
  idempotencyKey?: string;
  /** Cancels the call, retries included (the call then fails with code "aborted"). */
  signal?: AbortSignal;
  /** Deadline of each attempt in ms; overrides the client's `timeoutMs`. */
  timeoutMs?: number;
}

/** Where a call's parameters go: path template values, query parameters, JSON body. */
export interface CallInput {
  path?: Record<string, string>;
  query?: object;
  body?: unknown;
}

/** What an operation resolves to: its response schema's output, or nothing (204). */
export type OperationResult<N extends OperationName> = (typeof OPERATIONS)[N] extends {
  response: infer S extends z.ZodType;
}
  ? z.output<S>
  : void;

/** The one generic request function every resource method calls. */
export type Requester = <N extends OperationName>(
  name: N,
  input: CallInput,
  options?: RequestOptions,
) => Promise<OperationResult<N>>;

export interface Transport {
  request: Requester;
  /** Closes the client's own connection pool; a caller-supplied dispatcher is left open. */
  close(): Promise<void>;
}

/** A prepared request: validated, encoded, with the headers every attempt sends. */
interface Prepared {
  op: Operation;
  method: Operation["method"];
  /** Path with query, as sent. */
  target: string;
  /** Path without query, for messages. */
  label: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type AttemptResult =
  | { ok: true; value: unknown }
  | { ok: false; error: AdminApiError; retryable: boolean; retryAfterMs?: number };

export function createTransport(options: ClientOptions): Transport {
  const base = parseBaseUrl(options.baseUrl);
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
    throw new TypeError("createAdminClient: apiKey must be a non-empty string");
  }
  const apiKey = options.apiKey;
  const secrets = [apiKey];
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retry,
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
  };
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const userAgent = options.userAgent ?? "pulumi-admindo-client";
  // Keep-alive: a Pulumi run makes many small calls to one host; reusing sockets saves a
  // TLS handshake per call. Agent's own timeouts stay generous; ours is the AbortSignal below.
  const owned = options.dispatcher ? undefined : new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const dispatcher: Dispatcher = options.dispatcher ?? owned!;

  function prepare(name: OperationName, input: CallInput, call: RequestOptions): Prepared {
    const op: Operation = OPERATIONS[name];
    const issues: FieldIssue[] = [];
    const pathParams: Record<string, string> = {};
    for (const [param, value] of Object.entries(input.path ?? {})) {
      if (typeof value !== "string" || value === "") {
        issues.push({ field: param, path: [param], message: "must be a non-empty string" });
        continue;
      }
      const schema = PATH_PARAM_SCHEMAS[param];
      pathParams[param] = schema ? (parseInto(schema, value, issues, [param]) ?? value) : value;
    }
    const query = op.query ? parseInto(op.query, input.query ?? {}, issues) : undefined;
    const body = op.body ? parseInto(op.body, input.body, issues) : undefined;
    const project = call.project ?? options.project;
    if (project !== undefined) parseInto(ProjectHeaderSchema, project, issues, ["project"]);
    if (call.idempotencyKey !== undefined) {
      parseInto(IdempotencyKeySchema, call.idempotencyKey, issues, ["idempotencyKey"]);
    }
    if (issues.length > 0) {
      const redacted = redactIssues(issues, secrets);
      throw new ValidationError(`Invalid parameters for ${name}: ${describeIssues(redacted)}`, redacted);
    }

    const label = base.prefix + pathFor(op.path, pathParams);
    const encoded = query ? encodeQuery(query as Record<string, unknown>) : "";
    const headers: Record<string, string> = {
      authorization: `Bearer ${apiKey}`,
      accept: "application/json",
      "user-agent": userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (project !== undefined) headers[HEADERS.project] = project;
    // One key per call, generated before the first attempt, so every retry of a POST is
    // recognizably the same request and the server applies it at most once.
    const idempotencyKey = call.idempotencyKey ?? (op.method === "POST" ? randomUUID() : undefined);
    if (idempotencyKey !== undefined) headers[HEADERS.idempotencyKey] = idempotencyKey;
    return {
      op,
      method: op.method,
      target: encoded ? `${label}?${encoded}` : label,
      label,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    };
  }

  async function attempt(req: Prepared, call: RequestOptions, retries: number): Promise<AttemptResult> {
    const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
    // One controller and a timer we clear: AbortSignal.timeout() (plus AbortSignal.any()) cost
    // about a third of a bare request, and left a live 30 s timer behind every call.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallAbort = () => controller.abort(call.signal?.reason);
    if (call.signal?.aborted) controller.abort(call.signal.reason);
    else call.signal?.addEventListener("abort", onCallAbort, { once: true });
    const where = `${req.method} ${req.label}`;
    const tries = retries > 0 ? ` (after ${retries + 1} attempts)` : "";
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await dispatcher.request({
        origin: base.origin,
        path: req.target,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
      });
      status = response.statusCode;
      headers = response.headers;
      // Always read the body to the end, even of errors, so the socket returns to the pool.
      text = await response.body.text();
    } catch (error) {
      const cause = safeCause(error, secrets);
      if (call.signal?.aborted) {
        return {
          ok: false,
          retryable: false,
          error: new ConnectionError(`${where} was aborted`, { code: "aborted", cause }),
        };
      }
      if (timedOut) {
        const message = `No response to ${where} within ${timeoutMs} ms${tries}`;
        return { ok: false, retryable: true, error: new TimeoutError(message, { code: "timeout", cause }) };
      }
      const code = retryableErrorCode(error);
      const reason = redactText(error instanceof Error ? error.message : String(error), secrets);
      const message = `Could not reach Admin.do at ${base.origin} for ${where}${tries}: ${reason}`;
      return {
        ok: false,
        retryable: code !== undefined,
        error: new ConnectionError(message, { code: "connection_error", cause }),
      };
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onCallAbort);
    }

    const requestId = header(headers, HEADERS.requestId);
    if (status >= 200 && status < 300) return { ok: true, value: parseSuccess(req, status, text, requestId) };

    const json = tryJson(text);
    const parsed = ErrorBodySchema.safeParse(json);
    const body = parsed.success ? parsed.data.error : undefined;
    const bodySecrets = [...secrets, ...secretsIn(json)];
    const code = body?.code ?? defaultCodeFor(status);
    const retryAfterMs = parseRetryAfter(headers[HEADERS.retryAfter], policy.now());
    const id = requestId ?? body?.requestId;
    const serverMessage = redactText(body?.message ?? `HTTP ${status}`, bodySecrets);
    const message = `${serverMessage} (${status} ${code} from ${where}${id ? `, request ${id}` : ""})${tries}`;
    const error = errorForStatus(status, message, {
      code,
      requestId: id,
      details: body?.details === undefined ? undefined : redactValue(body.details, bodySecrets),
      retryAfterMs,
    });
    return { ok: false, error, retryable: isRetryableStatus(status), retryAfterMs };
  }

  function parseSuccess(req: Prepared, status: number, text: string, requestId: string | undefined): unknown {
    const schema = req.op.response;
    if (!schema || req.op.status === 204) return undefined;
    const where = `${req.method} ${req.label}`;
    const json = tryJson(text);
    if (json === undefined) {
      // The body may hold a secret (create, rotate): describe it, never quote it.
      const message = `${where} answered ${status} with a body that is not JSON (${text.length} characters)`;
      throw new InvalidResponseError(message, { code: "invalid_response", status, requestId });
    }
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const bodySecrets = [...secrets, ...secretsIn(json)];
    const issues = redactIssues(fieldIssues(result.error.issues), bodySecrets);
    const message = `${where} answered ${status} with a body that does not match the API contract: ${describeIssues(issues)}`;
    throw new InvalidResponseError(message, { code: "invalid_response", status, requestId, details: issues });
  }

  const request = async (name: OperationName, input: CallInput, call: RequestOptions = {}) => {
    const req = prepare(name, input, call);
    for (let retries = 0; ; retries++) {
      const result = await attempt(req, call, retries);
      if (result.ok) return result.value;
      if (!result.retryable || retries >= policy.maxRetries) throw result.error;
      try {
        await sleep(retryDelay(retries, result.retryAfterMs, policy), call.signal);
      } catch (cause) {
        if (!call.signal?.aborted) throw cause;
      }
      if (call.signal?.aborted) {
        throw new ConnectionError(`${req.method} ${req.label} was aborted`, {
          code: "aborted",
          cause: call.signal.reason,
        });
      }
    }
  };

  return {
    request: request as Requester,
    async close() {
      await owned?.close();
    },
  };
}

function parseBaseUrl(baseUrl: string): { origin: string; prefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`createAdminClient: baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`createAdminClient: baseUrl must be http(s), got ${url.protocol}`);
  }
  // `origin` drops any user:password, so credentials in the URL cannot leak into messages.
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, "") };
}

/** Issues quote inputs in messages and, for unknown fields, in paths: scrub both. */
function redactIssues(issues: FieldIssue[], secrets: readonly string[]): FieldIssue[] {
  return issues.map((issue) => ({
    field: redactText(issue.field, secrets),
    path: issue.path.map((part) => (typeof part === "string" ? redactText(part, secrets) : part)),
    message: redactText(issue.message, secrets),
  }));
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
