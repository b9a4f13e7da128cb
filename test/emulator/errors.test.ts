import { ErrorBodySchema } from "../../client/schemas";
import { openSqliteStore } from "../../emulator/store";
import { expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup({ bodyLimit: 64 * 1024 });
});
afterEach(() => emu.close());

const create = (body: unknown) => emu.request("POST", "/api-keys", { body });

describe("malformed requests", () => {
  test("zod issues become details with dotted paths", async () => {
    const response = await create({
      name: "k",
      organization: "acme",
      scopes: ["functions:read"],
      restrictions: { ipAddresses: ["10.0.0.0/8", "not-an-ip"] },
    });
    expectError(response, 400, "invalid_request");
    const details = response.json().error.details;
    expect(details).toEqual([
      { path: "restrictions.ipAddresses.1", message: expect.stringContaining("not-an-ip") },
    ]);
    expect(response.json().error.message).toContain("restrictions.ipAddresses.1");
  });

  test("every invalid field is reported", async () => {
    const response = await create({ name: "", organization: "acme", scopes: ["functions:fly"] });
    const paths = response
      .json()
      .error.details.map((issue: { path: string }) => issue.path)
      .sort();
    expect(paths).toEqual(["name", "scopes.0"]);
  });

  test("unknown fields are rejected, not ignored", async () => {
    const response = await create({
      name: "k",
      organization: "acme",
      scopes: ["functions:read"],
      scope: "x",
    });
    expectError(response, 400, "invalid_request");
    expect(JSON.stringify(response.json().error.details)).toContain("scope");
  });

  test("unknown fields inside nested objects are rejected", async () => {
    const response = await create({
      name: "k",
      organization: "acme",
      scopes: ["functions:read"],
      restrictions: { rateLimit: { requests: 1, period: "minute", burst: 5 } },
    });
    expectError(response, 400, "invalid_request");
    expect(response.json().error.details[0].path).toBe("restrictions.rateLimit");
  });

  test("a missing required body is a 400", async () => {
    expectError(await emu.request("POST", "/api-keys"), 400, "invalid_request");
  });

  test("invalid JSON is 400 invalid_request", async () => {
    expectError(await emu.request("POST", "/api-keys", { payload: '{"name": ' }), 400, "invalid_request");
  });

  test("a JSON body that is not an object is 400", async () => {
    expectError(await emu.request("POST", "/api-keys", { payload: "[1,2]" }), 400, "invalid_request");
  });

  test("a body over the limit is 413 payload_too_large", async () => {
    const payload = JSON.stringify({
      name: "k",
      organization: "acme",
      scopes: ["functions:read"],
      description: "x".repeat(70_000),
    });
    expectError(await emu.request("POST", "/api-keys", { payload }), 413, "payload_too_large");
  });

  test("a non-JSON content type is refused with the common error body", async () => {
    const response = await emu.request("POST", "/api-keys", {
      payload: "name=k",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.statusCode).toBe(415);
    expect(ErrorBodySchema.parse(response.json()).error.code).toBe("invalid_request");
  });

  test("unknown query parameters are rejected", async () => {
    const response = await emu.request("GET", "/api-keys?limt=5");
    expectError(response, 400, "invalid_request");
  });

  test("out-of-range pagination is rejected", async () => {
    const response = await emu.request("GET", "/api-keys?limit=1000");
    expectError(response, 400, "invalid_request");
    expect(response.json().error.details[0].path).toBe("query.limit");
  });

  test("an invalid Idempotency-Key header is a 400", async () => {
    const response = await emu.request("POST", "/api-keys", {
      body: { name: "k", organization: "acme", scopes: ["functions:read"] },
      idempotencyKey: "x".repeat(300),
    });
    expectError(response, 400, "invalid_request");
  });
});

describe("routes", () => {
  test("an unknown route is 404 not_found", async () => {
    expectError(await emu.request("GET", "/nope"), 404, "not_found");
    expectError(await emu.request("DELETE", "/functions"), 404, "not_found");
  });

  test("GET /health needs no key", async () => {
    const response = await emu.request("GET", "/health", { key: "" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  test("every response carries a fresh X-Request-Id", async () => {
    const responses = [
      await emu.request("GET", "/health", { key: "" }),
      await emu.request("GET", "/api-keys"),
      await emu.request("GET", "/nope"),
      await emu.request("GET", "/functions", { key: "" }),
      await emu.request("POST", "/api-keys", { payload: "{" }),
    ];
    const ids = responses.map((response) => response.headers["x-request-id"]);
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("a client cannot choose its request id", async () => {
    const response = await emu.request("GET", "/health", { key: "", headers: { "x-request-id": "forged" } });
    expect(response.headers["x-request-id"]).not.toBe("forged");
  });
});

test("unexpected failures are 500 internal_error without internals", async () => {
  const store = openSqliteStore(":memory:");
  const broken = setup({ store });
  store.keys.list = () => {
    throw new Error("disk on fire at /secret/path");
  };
  const response = await broken.request("GET", "/api-keys");
  expectError(response, 500, "internal_error");
  expect(response.body).not.toContain("/secret/path");
  await broken.close();
});
