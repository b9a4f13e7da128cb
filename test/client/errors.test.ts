import { inspect } from "node:util";
import {
  AdminApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  InvalidResponseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
  ERROR_CODES,
  ERROR_STATUSES,
  defaultCodeFor,
  errorForStatus,
} from "pulumi-admindo/client";
import { statusOfCode } from "../../client/schemas";
import { API_KEY, NEW_SECRET, apiKeyRecord, errorBody, harness, rejectionOf } from "./helpers";

/** Every way an error can be printed or shipped: none may contain `secret`. */
function expectNoSecret(error: unknown, ...secrets: string[]) {
  const texts = [
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error),
    String(error),
    (error as Error).stack ?? "",
  ];
  for (const secret of secrets) for (const text of texts) expect(text).not.toContain(secret);
}

describe("error mapping", () => {
  it.each([
    [400, "invalid_request", InvalidRequestError],
    [401, "unauthenticated", AuthenticationError],
    [403, "insufficient_scope", PermissionError],
    [404, "not_found", NotFoundError],
    [409, "conflict", ConflictError],
    [408, "invalid_request", InvalidRequestError],
    [413, "payload_too_large", InvalidRequestError],
    [414, "invalid_request", InvalidRequestError],
    [415, "invalid_request", InvalidRequestError],
    [422, "invalid_request", InvalidRequestError],
    [429, "rate_limited", RateLimitError],
    [500, "internal_error", ServerError],
    [502, "internal_error", ServerError],
    [503, "service_unavailable", ServerError],
  ])("status %i with code %s becomes %p", async (status, code, ErrorClass) => {
    const h = harness({ maxRetries: 0 });
    h.reply("GET", "/api-keys/key_123", status, errorBody(code, "it went wrong", { field: "x" }), {
      "x-request-id": "req_abc",
    });
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ code, status, requestId: "req_abc", details: { field: "x" } });
    expect((error as Error).name).toBe(ErrorClass.name);
    expect((error as Error).message).toContain("it went wrong");
    expect((error as Error).message).toContain("GET /api-keys/key_123");
  });

  it("keeps the server's specific code, e.g. key_revoked on 401", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 401, errorBody("key_revoked", "this key was revoked"));
    await expect(h.client.apiKeys.get("key_123")).rejects.toMatchObject({
      name: "AuthenticationError",
      code: "key_revoked",
    });
  });

  it("falls back to a code by status when the body is not an error body", async () => {
    const h = harness({ maxRetries: 0 });
    h.reply("GET", "/api-keys/key_123", 502, "<html>Bad gateway</html>", { "content-type": "text/html" });
    h.reply("GET", "/api-keys/key_456", 418, "");
    await expect(h.client.apiKeys.get("key_123")).rejects.toMatchObject({
      code: "internal_error",
      status: 502,
    });
    const teapot = await rejectionOf(h.client.apiKeys.get("key_456"));
    expect(teapot).toMatchObject({ code: "http_error", status: 418, name: "AdminApiError" });
  });

  it("reads a body-less 408, 414 and 415 as the API's invalid_request", () => {
    for (const status of [408, 414, 415]) {
      expect(defaultCodeFor(status)).toBe("invalid_request");
      expect(errorForStatus(status, "m", { code: defaultCodeFor(status) })).toBeInstanceOf(
        InvalidRequestError,
      );
    }
  });

  it("the table of error statuses gives every code a status, and every listed status a subclass", () => {
    for (const code of ERROR_CODES) expect(ERROR_STATUSES[statusOfCode(code)]).toBeDefined();
    for (const status of Object.keys(ERROR_STATUSES).map(Number)) {
      const error = errorForStatus(status, "m", { code: "x" });
      expect(error.constructor).not.toBe(AdminApiError);
      expect(error).toBeInstanceOf(AdminApiError);
    }
  });

  it("an invalid_request's details become field issues, as the client's own validation names them", async () => {
    const h = harness();
    h.reply(
      "PATCH",
      "/api-keys/key_123",
      400,
      errorBody("invalid_request", "bad", [{ path: "restrictions.ipAddresses.1", message: "not an IP" }]),
    );
    const error = await rejectionOf(h.client.apiKeys.update("key_123", { name: "n" }));
    expect((error as InvalidRequestError).issues).toEqual([
      {
        field: "restrictions.ipAddresses[1]",
        path: ["restrictions", "ipAddresses", 1],
        message: "not an IP",
      },
    ]);
    expect(new InvalidRequestError("m", { code: "payload_too_large" }).issues).toEqual([]);
  });

  it("uses the body's requestId when the header is missing", async () => {
    const error = errorForStatus(404, "gone", { code: "not_found", requestId: "from-body" });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.requestId).toBe("from-body");
  });

  it("delete of a missing key throws NotFoundError", async () => {
    const h = harness();
    h.reply("DELETE", "/api-keys/gone", 404, errorBody("not_found", "no API key gone"));
    const error = await rejectionOf(h.client.apiKeys.delete("gone"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "not_found", status: 404 });
  });

  it("RateLimitError carries retryAfterMs", async () => {
    const h = harness({ maxRetries: 0 });
    h.reply("GET", "/api-keys/key_123", 429, errorBody("rate_limited", "slow down"), { "retry-after": "7" });
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it("JSON.stringify shows code, status, requestId and details, but not the name or cause", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/x", 404, errorBody("not_found", "nope"), { "x-request-id": "req_9" });
    const error = await rejectionOf(h.client.apiKeys.get("x"));
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: "not_found", status: 404, requestId: "req_9" });
  });
});

describe("errors of another copy of the package", () => {
  /** The client's errors module loaded afresh: other classes, as in another node_modules folder. */
  const other = (): typeof import("../../client/errors") => {
    let copy: typeof import("../../client/errors") | undefined;
    jest.isolateModules(() => {
      copy = require("../../client/errors");
    });
    return copy!;
  };

  it("are instances of this copy's classes, and of no class they are not", () => {
    const copy = other();
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const theirs = new copy.NotFoundError("gone", { code: "not_found", status: 404 });
    expect(theirs).toBeInstanceOf(NotFoundError);
    expect(theirs).toBeInstanceOf(AdminApiError);
    expect(theirs).not.toBeInstanceOf(PermissionError);
    expect(new copy.TimeoutError("slow", { code: "timeout" })).toBeInstanceOf(ConnectionError);
    const ours = new ConflictError("taken", { code: "conflict", status: 409 });
    expect(ours).toBeInstanceOf(copy.ConflictError);
    expect(ours).not.toBeInstanceOf(copy.NotFoundError);
  });

  it("nothing else passes for one", () => {
    expect(new Error("x")).not.toBeInstanceOf(AdminApiError);
    expect({ code: "not_found", status: 404 }).not.toBeInstanceOf(NotFoundError);
    for (const value of [null, undefined, "not_found", 404]) {
      expect(AdminApiError[Symbol.hasInstance](value)).toBe(false);
    }
  });
});

describe("invalid responses", () => {
  it("a success body that does not match the schema is an InvalidResponseError naming the field", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 200, { ...apiKeyRecord(), status: "sleeping" });
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: "invalid_response", status: 200, requestId: "req_1" });
    expect((error as Error).message).toContain("status");
  });

  it("a success body that is not JSON is an InvalidResponseError", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 200, "not json");
    await expect(h.client.apiKeys.get("key_123")).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("an empty 200 where a body is expected is an InvalidResponseError", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 200, "");
    await expect(h.client.apiKeys.get("key_123")).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe("client-side validation", () => {
  it("rejects bad parameters before sending, naming every field path", async () => {
    const h = harness();
    const error = await rejectionOf(
      h.client.apiKeys.create({
        name: "",
        organization: "acme",
        scopes: ["functions:read", "functions:destroy" as "functions:read"],
        restrictions: { ipAddresses: ["10.0.0.0/8", "not-an-ip"] },
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.code).toBe("validation_failed");
    expect(validation.status).toBeUndefined();
    expect(validation.issues.map((issue) => issue.field)).toEqual(
      expect.arrayContaining(["name", "scopes[1]", "restrictions.ipAddresses[1]"]),
    );
    expect(validation.issues.find((issue) => issue.field === "scopes[1]")?.path).toEqual(["scopes", 1]);
    expect(validation.message).toContain("scopes[1]: unknown scope");
    expect(h.seen).toHaveLength(0);
  });

  it("rejects unknown body fields (request schemas are strict)", async () => {
    const h = harness();
    const params = { reason: "leaked", extra: 1 } as { reason: string };
    await expect(h.client.apiKeys.revoke("key_123", params)).rejects.toBeInstanceOf(ValidationError);
  });

  it("rejects an empty id, a bad resource kind, a bad project and bad query values", async () => {
    const h = harness();
    await expect(h.client.apiKeys.get("")).rejects.toMatchObject({ issues: [{ field: "id" }] });
    await expect(h.client.apiKeys.getResourceUsage("k", "spaceships" as "data")).rejects.toMatchObject({
      issues: [{ field: "resource" }],
    });
    await expect(h.client.apiKeys.getProjectUsage("k", "bad project!")).rejects.toMatchObject({
      issues: [{ field: "project" }],
    });
    await expect(h.client.apiKeys.list({ limit: 1000 })).rejects.toMatchObject({
      issues: [{ field: "limit" }],
    });
    await expect(h.client.apiKeys.getUsage("k", { timeRange: "forever" })).rejects.toMatchObject({
      issues: [{ field: "timeRange" }],
    });
    await expect(h.client.apiKeys.get("k", { project: "two words" })).rejects.toMatchObject({
      issues: [{ field: "project" }],
    });
    await expect(h.client.apiKeys.get("k", { idempotencyKey: "has space" })).rejects.toMatchObject({
      issues: [{ field: "idempotencyKey" }],
    });
    expect(h.seen).toHaveLength(0);
  });
});

describe("secrets never appear in errors", () => {
  it("not the API key in an HTTP error, even when the server echoes it", async () => {
    const h = harness();
    h.reply(
      "GET",
      "/api-keys/key_123",
      403,
      errorBody("insufficient_scope", `key ${API_KEY} may not`, { API_KEY }),
    );
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(PermissionError);
    expectNoSecret(error, API_KEY);
  });

  it("not a `key` secret from an error body", async () => {
    const h = harness({ maxRetries: 0 });
    h.reply("POST", "/api-keys/key_123/rotate", 500, {
      error: {
        code: "internal_error",
        message: `failed after minting ${NEW_SECRET}`,
        details: { key: NEW_SECRET },
      },
    });
    const error = await rejectionOf(h.client.apiKeys.rotate("key_123"));
    expectNoSecret(error, NEW_SECRET, API_KEY);
  });

  it("not the new secret when a create response fails to parse", async () => {
    const h = harness();
    h.reply("POST", "/api-keys", 201, { ...apiKeyRecord(), createdAt: NEW_SECRET, key: NEW_SECRET });
    const error = await rejectionOf(
      h.client.apiKeys.create({ name: "n", organization: "acme", scopes: ["data:read"] }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("createdAt");
    expectNoSecret(error, NEW_SECRET, API_KEY);
  });

  it("not the new secret when a create response is not JSON", async () => {
    const h = harness();
    h.reply("POST", "/api-keys", 201, `{"key": "${NEW_SECRET}"`);
    const error = await rejectionOf(
      h.client.apiKeys.create({ name: "n", organization: "acme", scopes: ["data:read"] }),
    );
    expectNoSecret(error, NEW_SECRET, API_KEY);
  });

  it("not the API key in a connection error whose cause quotes the request headers", async () => {
    // A header mismatch makes MockAgent's "not matched" error print the request headers, Authorization too.
    const h = harness();
    h.pool
      .intercept({ method: "GET", path: "/api-keys/key_123", headers: { "x-never": "sent" } })
      .reply(200, "{}");
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(ConnectionError);
    const cause = (error as ConnectionError).cause as Error & { code: string };
    expect(cause.message).toContain("authorization");
    expect(cause.code).toBe("UND_MOCK_ERR_MOCK_NOT_MATCHED");
    expectNoSecret(error, API_KEY);
  });

  it("not the API key in a validation error", async () => {
    const h = harness();
    const error = await rejectionOf(
      h.client.apiKeys.revoke("k", { reason: "", [API_KEY]: API_KEY } as never),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expectNoSecret(error, API_KEY);
  });

  it("not the API key when construction fails", () => {
    let error: unknown;
    try {
      harness({ baseUrl: "ftp://x" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expectNoSecret(error, API_KEY);
  });
});
