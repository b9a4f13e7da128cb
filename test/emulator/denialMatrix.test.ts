import { connect } from "node:net";
import type { ErrorCode } from "../../client/schemas";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ROOT_KEY, START, expectError, setup, type Emulator, type RequestOptions } from "./helpers";
import { call, closed, openRequest } from "./wire";

/**
 * The emulator under abuse: requests an attacker or a broken client would send, each answered
 * with the right status and the common error body with a clear message, never a 500, and the
 * server keeps serving afterwards. The plain cases (unknown, revoked, expired and rotated-out keys;
 * each restriction; scopes; malformed, oversized and unknown-field bodies) are covered in
 * enforcement, api-keys, scopes, privileges and errors tests; this matrix adds the tricks around
 * them. Denials of a valid key must also reach the key's request log with their reason.
 */

interface Row {
  name: string;
  /** Builds the request on a fresh emulator; `keyId` names the key whose log must record a denial. */
  arrange: (
    emu: Emulator,
  ) => Promise<{ method?: string; url?: string; opts: RequestOptions; keyId?: string }>;
  status: number;
  code: ErrorCode;
  message: RegExp;
}

const GRACE = { gracePeriod: "1h" };
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

const ROWS: Row[] = [
  // Keys that are wrong in less obvious ways.
  {
    name: "an empty Bearer token",
    arrange: async () => ({ opts: { key: "", headers: { authorization: "Bearer " } } }),
    status: 401,
    code: "unauthenticated",
    message: /Authorization: Bearer/,
  },
  {
    name: "a token with a space inside",
    arrange: async (emu) => {
      const key = await emu.createKey();
      return {
        opts: { key: "", headers: { authorization: `Bearer ${key.key.slice(0, 12)} ${key.key.slice(12)}` } },
      };
    },
    status: 401,
    code: "unauthenticated",
    message: /Authorization: Bearer/,
  },
  {
    name: "the root key with its last character changed",
    arrange: async () => ({ opts: { key: `${ROOT_KEY.slice(0, -1)}${ROOT_KEY.endsWith("Z") ? "Y" : "Z"}` } }),
    status: 401,
    code: "unauthenticated",
    message: /not valid/,
  },
  {
    name: "a 10 KB token",
    arrange: async () => ({ opts: { key: `adk_${"a".repeat(10_000)}` } }),
    status: 401,
    code: "unauthenticated",
    message: /not valid/,
  },
  {
    name: "the secret of a deleted key",
    arrange: async (emu) => {
      const key = await emu.createKey();
      await emu.request("DELETE", `/api-keys/${key.id}`);
      return { opts: { key: key.key } };
    },
    status: 401,
    code: "unauthenticated",
    message: /not valid/,
  },
  {
    name: "a rotated-out secret still in its grace period, of a key revoked since",
    arrange: async (emu) => {
      const key = await emu.createKey();
      await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: GRACE });
      await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "leaked" } });
      return { opts: { key: key.key }, keyId: key.id };
    },
    status: 403,
    code: "key_revoked",
    message: /revoked/,
  },
  {
    name: "a rotated-out secret still in its grace period, of a key expired since",
    arrange: async (emu) => {
      const key = await emu.createKey({ expiresAt: new Date(START.getTime() + 30 * 60_000).toISOString() });
      await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: GRACE });
      emu.clock.advance(31 * 60_000);
      return { opts: { key: key.key }, keyId: key.id };
    },
    status: 403,
    code: "key_expired",
    message: /expired/,
  },
  // Restrictions that a forged header must not get around.
  {
    name: "an IP-restricted key with a forged X-Forwarded-For inside its network",
    arrange: async (emu) => {
      const key = await emu.createKey({ restrictions: { ipAddresses: ["10.0.0.0/8"] } });
      return {
        opts: { key: key.key, ip: "192.0.2.1", headers: { "x-forwarded-for": "10.0.0.1" } },
        keyId: key.id,
      };
    },
    status: 403,
    code: "ip_not_allowed",
    message: /192\.0\.2\.1 are not allowed/,
  },
  {
    name: "a Referer whose user-info names the allowed host",
    arrange: async (emu) => {
      const key = await emu.createKey({ restrictions: { referrers: ["app.example.com"] } });
      return { opts: { key: key.key, referer: "https://app.example.com@evil.example.net/" }, keyId: key.id };
    },
    status: 403,
    code: "referrer_not_allowed",
    message: /Referer of this request is not allowed/,
  },
  {
    name: "a Referer that names the allowed host only in its query",
    arrange: async (emu) => {
      const key = await emu.createKey({ restrictions: { referrers: ["app.example.com"] } });
      return {
        opts: { key: key.key, referer: "https://evil.example.net/?next=app.example.com" },
        keyId: key.id,
      };
    },
    status: 403,
    code: "referrer_not_allowed",
    message: /Referer of this request is not allowed/,
  },
  {
    name: "a Referer that is not a URL",
    arrange: async (emu) => {
      const key = await emu.createKey({ restrictions: { referrers: ["app.example.com"] } });
      return { opts: { key: key.key, referer: "%%% not a url %%%" }, keyId: key.id };
    },
    status: 403,
    code: "referrer_not_allowed",
    message: /Referer of this request is not allowed/,
  },
  {
    name: "a project header in another case than the key's project",
    arrange: async (emu) => {
      const key = await emu.createKey({ projects: ["web"] });
      return { opts: { key: key.key, project: "WEB" }, keyId: key.id };
    },
    status: 403,
    code: "project_not_allowed",
    message: /project "WEB"/,
  },
  {
    name: "a key outside its time window that is also over its rate limit (time is checked first)",
    arrange: async (emu) => {
      const key = await emu.createKey({
        restrictions: { rateLimit: { requests: 1, period: "day" }, timeRestrictions: { hoursOfDay: [10] } },
      });
      await emu.request("GET", "/functions", { key: key.key });
      emu.clock.advance(60 * 60_000);
      return { opts: { key: key.key }, keyId: key.id };
    },
    status: 403,
    code: "outside_allowed_time",
    message: /may not be used at this time \(time zone UTC\)/,
  },
  // Bodies built to break a parser or pollute objects.
  {
    name: "a body with a __proto__ key",
    arrange: async () => ({
      method: "POST",
      url: "/api-keys",
      opts: {
        payload: '{"name":"k","organization":"acme","scopes":["functions:read"],"__proto__":{"isRoot":true}}',
      },
    }),
    status: 400,
    code: "invalid_request",
    message: /malformed/,
  },
  {
    name: "a body with constructor.prototype",
    arrange: async () => ({
      method: "POST",
      url: "/api-keys",
      opts: {
        payload:
          '{"name":"k","organization":"acme","scopes":["functions:read"],"constructor":{"prototype":{"isRoot":true}}}',
      },
    }),
    status: 400,
    code: "invalid_request",
    message: /malformed/,
  },
  {
    name: "JSON nested 50,000 levels deep",
    arrange: async () => ({ method: "POST", url: "/api-keys", opts: { payload: nested(50_000) } }),
    status: 400,
    code: "invalid_request",
    message: /invalid/,
  },
  {
    name: "a JSON null body",
    arrange: async () => ({ method: "POST", url: "/api-keys", opts: { payload: "null" } }),
    status: 400,
    code: "invalid_request",
    message: /invalid/,
  },
  {
    name: "a number beyond double range",
    arrange: async (emu) => {
      const key = await emu.createKey();
      return {
        method: "PUT",
        url: `/api-keys/${key.id}/restrictions`,
        opts: { payload: '{"rateLimit":{"requests":1e400,"period":"minute"}}' },
      };
    },
    status: 400,
    code: "invalid_request",
    message: /rateLimit\.requests/,
  },
  {
    name: "an operator-style query parameter",
    arrange: async () => ({ url: "/api-keys?organization[$ne]=x", opts: {} }),
    status: 400,
    code: "invalid_request",
    message: /invalid/,
  },
  // Paths built to escape a route.
  {
    name: "an encoded path traversal as a key id",
    arrange: async () => ({ url: "/api-keys/..%2f..%2fetc%2fpasswd", opts: {} }),
    status: 404,
    code: "not_found",
    message: /does not exist/,
  },
  {
    name: "a 5 KB key id",
    arrange: async () => ({ url: `/api-keys/key_${"x".repeat(5_000)}`, opts: {} }),
    status: 414,
    code: "invalid_request",
    message: /path parameter is too long/,
  },
  {
    name: "a malformed percent-encoding in the path",
    arrange: async () => ({ url: "/api-keys/%E0%A4%A", opts: {} }),
    status: 400,
    code: "invalid_request",
    message: /URL is malformed/,
  },
  // Tenancy: another organization's data does not exist for a key, whatever project it names.
  {
    name: "another organization's data item, named by project",
    arrange: async (emu) => {
      const acme = await emu.createKey({ scopes: ["data:write"] });
      await emu.request("PUT", "/data/orders/o1", {
        key: acme.key,
        project: "storefront",
        body: { value: 1 },
      });
      const evil = await emu.createKey({ organization: "evil", scopes: ["data:read"] });
      return { url: "/data/orders/o1", opts: { key: evil.key, project: "storefront" } };
    },
    status: 404,
    code: "not_found",
    message: /does not exist/,
  },
  {
    name: "another organization's function, executed",
    arrange: async (emu) => {
      const acme = await emu.createKey({ scopes: ["functions:write"] });
      const fn = await emu.request("POST", "/functions", {
        key: acme.key,
        body: { name: "f", code: "return 1" },
      });
      const evil = await emu.createKey({ organization: "evil", scopes: ["functions:execute"] });
      return { method: "POST", url: `/functions/${fn.json().id}/execute`, opts: { key: evil.key, body: {} } };
    },
    status: 404,
    code: "not_found",
    message: /does not exist/,
  },
  {
    name: "a subscription of another organization's function to events",
    arrange: async (emu) => {
      const acme = await emu.createKey({ scopes: ["functions:write"] });
      const fn = await emu.request("POST", "/functions", {
        key: acme.key,
        body: { name: "f", code: "return 1" },
      });
      const evil = await emu.createKey({ organization: "evil", scopes: ["events:write"] });
      return {
        method: "POST",
        url: "/events/subscriptions",
        opts: { key: evil.key, body: { event: "*", functionId: fn.json().id } },
      };
    },
    status: 400,
    code: "invalid_request",
    message: /no function/,
  },
  // Restrictions and lifetime are privileges.
  {
    name: "an IP-restricted admin key lifting its own restrictions",
    arrange: async (emu) => {
      const admin = await emu.createKey({
        scopes: ["admin:write"],
        restrictions: { ipAddresses: ["10.0.0.0/8"] },
      });
      return {
        method: "PUT",
        url: `/api-keys/${admin.id}/restrictions`,
        opts: { key: admin.key, ip: "10.0.0.1", body: {} },
        keyId: admin.id,
      };
    },
    status: 403,
    code: "scope_escalation",
    message: /looser than its own: ipAddresses/,
  },
  {
    name: "an expiring admin key minting a key that never expires",
    arrange: async (emu) => {
      const admin = await emu.createKey({
        scopes: ["admin:write", "data:read"],
        expiresAt: new Date(START.getTime() + 3_600_000).toISOString(),
      });
      return {
        method: "POST",
        url: "/api-keys",
        opts: { key: admin.key, body: { name: "k", organization: "acme", scopes: ["data:read"] } },
        keyId: admin.id,
      };
    },
    status: 403,
    code: "scope_escalation",
    message: /cannot grant a key that lives longer/,
  },
  {
    name: "an expiring admin key reviving an expired peer",
    arrange: async (emu) => {
      const admin = await emu.createKey({
        scopes: ["admin:write", "data:read"],
        expiresAt: new Date(START.getTime() + 7_200_000).toISOString(),
      });
      const peer = await emu.createKey({
        scopes: ["data:read"],
        expiresAt: new Date(START.getTime() + 60_000).toISOString(),
      });
      emu.clock.advance(120_000);
      return {
        method: "PATCH",
        url: `/api-keys/${peer.id}`,
        opts: { key: admin.key, body: { expiresAt: null } },
        keyId: admin.id,
      };
    },
    status: 403,
    code: "scope_escalation",
    message: /lives longer/,
  },
  {
    name: "a rotated-out secret in its grace period rotating its own key",
    arrange: async (emu) => {
      const admin = await emu.createKey({ scopes: ["admin:write"] });
      await emu.request("POST", `/api-keys/${admin.id}/rotate`, { key: admin.key, body: GRACE });
      return {
        method: "POST",
        url: `/api-keys/${admin.id}/rotate`,
        opts: { key: admin.key, body: {} },
        keyId: admin.id,
      };
    },
    status: 403,
    code: "insufficient_scope",
    message: /replaced by a rotation/,
  },
  {
    name: "a project-bound admin key reading an unbound key of its organization",
    arrange: async (emu) => {
      const admin = await emu.createKey({ scopes: ["admin:read"], projects: ["web"] });
      const unbound = await emu.createKey({ scopes: ["admin:write"] });
      return { url: `/api-keys/${unbound.id}`, opts: { key: admin.key, project: "web" }, keyId: admin.id };
    },
    status: 403,
    code: "project_not_allowed",
    message: /outside its view/,
  },
  // Bad input that used to be a 500, or stored other than answered.
  {
    name: "a data value nested 100,000 levels deep",
    arrange: async () => ({
      method: "PUT",
      url: "/data/c/k",
      opts: { payload: `{"value":${nested(100_000)}}` },
    }),
    status: 400,
    code: "invalid_request",
    message: /nested more than 64 levels/,
  },
  {
    name: "an execute input nested 100,000 levels deep",
    arrange: async () => ({
      method: "POST",
      url: "/functions/fn_x/execute",
      opts: { payload: `{"a":${nested(100_000)}}` },
    }),
    status: 400,
    code: "invalid_request",
    message: /nested more than 64 levels/,
  },
  {
    name: "event data nested 100,000 levels deep",
    arrange: async () => ({
      method: "POST",
      url: "/events",
      opts: { payload: `{"type":"t","data":{"a":${nested(100_000)}}}` },
    }),
    status: 400,
    code: "invalid_request",
    message: /nested more than 64 levels/,
  },
  {
    name: "a rotation with a grace period of a million weeks",
    arrange: async (emu) => {
      const key = await emu.createKey();
      return {
        method: "POST",
        url: `/api-keys/${key.id}/rotate`,
        opts: { body: { gracePeriod: "1000000w" } },
      };
    },
    status: 400,
    code: "invalid_request",
    message: /longer than a year/,
  },
  {
    name: "the clock moved a million weeks ahead",
    arrange: async () => ({
      method: "POST",
      url: "/_emulator/clock",
      opts: { body: { advance: "1000000w" } },
    }),
    status: 400,
    code: "invalid_request",
    message: /between 1970 and 9999/,
  },
  {
    name: "a lone surrogate in a key's name",
    arrange: async () => ({
      method: "POST",
      url: "/api-keys",
      opts: { payload: '{"name":"\\udc00","organization":"acme","scopes":["data:read"]}' },
    }),
    status: 400,
    code: "invalid_request",
    message: /lone surrogate/,
  },
  {
    name: "a function whose output is nested 10,000 levels deep",
    arrange: async (emu) => {
      const key = await emu.createKey({ scopes: ["functions:write", "functions:execute"] });
      const code = "let v = 1; for (let i = 0; i < 10000; i++) v = [v]; return v;";
      const fn = await emu.request("POST", "/functions", { key: key.key, body: { name: "f", code } });
      return { method: "POST", url: `/functions/${fn.json().id}/execute`, opts: { key: key.key, body: {} } };
    },
    status: 422,
    code: "execution_failed",
    message: /nested more than 64 levels/,
  },
];

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

test.each(ROWS)("$name: $status $code with a clear message, and the server keeps serving", async (row) => {
  const { method = "GET", url = "/functions", opts, keyId } = await row.arrange(emu);
  const response = await emu.request(method, url, opts);
  expectError(response, row.status, row.code);
  expect(response.json().error.message).toMatch(row.message);

  if (keyId !== undefined) {
    const logs = await emu.request("GET", `/api-keys/${keyId}/logs?limit=1`);
    expect(logs.json().data[0]).toMatchObject({ status: row.status, denialReason: row.code });
  }
  expect((await emu.request("GET", "/health", { key: "" })).statusCode).toBe(200);
  expect((await emu.request("GET", "/api-keys")).statusCode).toBe(200);
});

/**
 * Abuse below HTTP semantics, over a real socket: Node's HTTP parser answers these before fastify
 * sees them (so no JSON body), and the server must stay up.
 */
describe("on a listening server", () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await startEmulator({ port: 0, rootKey: ROOT_KEY });
  });
  afterAll(() => server.close());

  /** Sends raw bytes and returns the status line of the answer ("" when the server just closed). */
  function raw(bytes: string, options: { endAfterWrite?: boolean } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1");
      let answer = "";
      socket.setTimeout(5_000, () => socket.destroy(new Error("no answer within 5 s")));
      socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
      socket.on("error", (error) =>
        (error as NodeJS.ErrnoException).code === "ECONNRESET" ? resolve("") : reject(error),
      );
      socket.on("close", () => resolve(answer.split("\r\n", 1)[0]));
      socket.write(bytes);
      if (options.endAfterWrite) socket.end();
    });
  }

  const healthy = async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
  };

  test.each([
    ["garbage instead of a request line", "\x00\x01\x02 not http at all\r\n\r\n", /^HTTP\/1\.1 400/],
    [
      "headers over 16 KB",
      `GET /functions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${"a".repeat(20_000)}\r\n\r\n`,
      /^HTTP\/1\.1 431/,
    ],
    [
      "both Content-Length and Transfer-Encoding",
      "POST /api-keys HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      /^HTTP\/1\.1 400/,
    ],
  ])("%s is refused (%s) and the server keeps serving", async (_name, bytes, statusLine) => {
    expect(await raw(bytes, { endAfterWrite: true })).toMatch(statusLine);
    await healthy();
  });

  test("a body shorter than its Content-Length, then a closed socket, harms nothing", async () => {
    const request = `POST /api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ROOT_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`;
    await raw(request, { endAfterWrite: true });
    await healthy();
    const listed = await fetch(`${server.url}/api-keys`, {
      headers: { authorization: `Bearer ${ROOT_KEY}` },
    });
    expect(((await listed.json()) as { total: number }).total).toBe(0);
  });
});

/**
 * Abuse over time, on a listening server: a key revoked while its request's body is on the way, a
 * body that never comes, function code that hangs or rejects. Each is refused (or contained), and
 * the server keeps serving; inFlight.test.ts and functionIsolation.test.ts hold the variants.
 */
describe("on a listening server, over time", () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await startEmulator({
      port: 0,
      rootKey: ROOT_KEY,
      bodyTimeoutMs: 500,
      functions: { functionTimeoutMs: 200, requestBudgetMs: 1_000 },
    });
  });
  afterAll(() => server.close());

  const healthy = async () => expect((await fetch(`${server.url}/health`)).status).toBe(200);

  test("a key revoked after its headers were sent: the body arrives to 403 key_revoked", async () => {
    const admin = await call(server, "POST", "/api-keys", {
      body: { name: "a", organization: "acme", scopes: ["admin:write"] },
    });
    const body = JSON.stringify({ name: "late", organization: "acme", scopes: ["admin:write"] });
    const exchange = openRequest(server, {
      method: "POST",
      path: "/api-keys",
      key: admin.body.key,
      contentLength: body.length,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await call(server, "POST", `/api-keys/${admin.body.id}/revoke`, { body: { reason: "incident" } });
    exchange.send(body);
    const answer = await exchange.answer;
    exchange.socket.destroy();
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe("key_revoked");
    await healthy();
  });

  test("a body that never arrives: 408 with the error body, connection closed", async () => {
    const exchange = openRequest(server, { method: "POST", path: "/api-keys", contentLength: 50 });
    const answer = await exchange.answer;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error.code).toBe("invalid_request");
    await closed(exchange.socket);
    await healthy();
  });

  test.each([
    ["hangs", "for (;;) {}", 422],
    [
      "hangs where results used to be read",
      "Object.defineProperty(globalThis,'__result',{get(){for(;;){}}}); return 1;",
      200,
    ],
    ["rejects a promise nobody awaits", "Promise.reject(new Error('boom')); return 1;", 200],
    ["reads the environment", "return this.constructor.constructor('return process')().env", 422],
  ])("a function that %s: %s, and the server keeps serving", async (_name, code, status) => {
    const key = await call(server, "POST", "/api-keys", {
      body: { name: "f", organization: "acme", scopes: ["functions:write", "functions:execute"] },
    });
    const fn = await call(server, "POST", "/functions", { key: key.body.key, body: { name: "f", code } });
    const response = await call(server, "POST", `/functions/${fn.body.id}/execute`, {
      key: key.body.key,
      body: {},
    });
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).not.toContain(ROOT_KEY);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await healthy();
  });
});
