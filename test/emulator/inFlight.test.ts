import { connect } from "node:net";
import type { RunningEmulator } from "../../emulator";
import { call, closed, listening, openRequest } from "./wire";

/**
 * Authorization is decided when a request acts, not when its headers arrive. Each test sends the
 * headers of a request, changes the key on the server, and only then sends the body: the change
 * must win (revocation is the incident response). And a body that does not arrive in time ends
 * the request instead of holding the connection.
 */

let server: RunningEmulator;
beforeAll(async () => {
  server = await listening({ bodyTimeoutMs: 1_500 });
});
afterAll(() => server.close());

const ADMIN = ["admin:read", "admin:write", "functions:read"];

async function adminKey(extra: Record<string, unknown> = {}) {
  const created = await call(server, "POST", "/api-keys", {
    body: { name: "admin", organization: "acme", scopes: ADMIN, ...extra },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; key: string };
}

/** Sends the head of POST /api-keys as `key`, runs `meanwhile`, then the body; the answer. */
async function createKeyWhile(key: string, meanwhile: () => Promise<unknown>) {
  const body = JSON.stringify({ name: "minted", organization: "acme", scopes: ["admin:write"] });
  const exchange = openRequest(server, {
    method: "POST",
    path: "/api-keys",
    key,
    contentLength: Buffer.byteLength(body),
  });
  await new Promise((resolve) => setTimeout(resolve, 100)); // the head has been read and authorized
  await meanwhile();
  exchange.send(body);
  const answer = await exchange.answer;
  exchange.socket.destroy();
  return { status: answer.status, body: JSON.parse(answer.body) };
}

async function mintedKeys(): Promise<number> {
  const listed = await call(server, "GET", "/api-keys?organization=acme&limit=100");
  return (listed.body.data as Array<{ name: string }>).filter((key) => key.name === "minted").length;
}

test("a key revoked between headers and body creates nothing (403 key_revoked)", async () => {
  const admin = await adminKey();
  const before = await mintedKeys();
  const answer = await createKeyWhile(admin.key, () =>
    call(server, "POST", `/api-keys/${admin.id}/revoke`, { body: { reason: "leaked" } }),
  );
  expect(answer).toMatchObject({ status: 403, body: { error: { code: "key_revoked" } } });
  expect(JSON.stringify(answer.body)).not.toMatch(/adk_/);
  expect(await mintedKeys()).toBe(before);
});

test("a key deleted between headers and body is unknown (401)", async () => {
  const admin = await adminKey();
  const answer = await createKeyWhile(admin.key, () => call(server, "DELETE", `/api-keys/${admin.id}`));
  expect(answer).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
});

test("a key expired between headers and body is refused (403 key_expired)", async () => {
  const admin = await adminKey({
    expiresAt: new Date(server.clock.now().getTime() + 3_600_000).toISOString(),
  });
  const answer = await createKeyWhile(admin.key, async () => {
    await call(server, "POST", "/_emulator/clock", { body: { advance: "2h" } });
  });
  await call(server, "POST", "/_emulator/clock", { body: { reset: true } });
  expect(answer).toMatchObject({ status: 403, body: { error: { code: "key_expired" } } });
});

test("a key down-scoped between headers and body is refused (403 insufficient_scope)", async () => {
  const admin = await adminKey();
  const answer = await createKeyWhile(admin.key, () =>
    call(server, "PATCH", `/api-keys/${admin.id}`, { body: { scopes: ["admin:read"] } }),
  );
  expect(answer).toMatchObject({ status: 403, body: { error: { code: "insufficient_scope" } } });
});

test("a key that lost a scope it would grant between headers and body is refused (scope_escalation)", async () => {
  const admin = await adminKey({ scopes: [...ADMIN] });
  const body = JSON.stringify({ name: "minted", organization: "acme", scopes: ["functions:read"] });
  const exchange = openRequest(server, {
    method: "POST",
    path: "/api-keys",
    key: admin.key,
    contentLength: body.length,
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await call(server, "PATCH", `/api-keys/${admin.id}`, { body: { scopes: ["admin:read", "admin:write"] } });
  exchange.send(body);
  const answer = await exchange.answer;
  exchange.socket.destroy();
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.body).error.code).toBe("scope_escalation");
});

test("a secret rotated out (no grace period) between headers and body is unknown (401)", async () => {
  const admin = await adminKey();
  const answer = await createKeyWhile(admin.key, () =>
    call(server, "POST", `/api-keys/${admin.id}/rotate`, { body: {} }),
  );
  expect(answer).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
});

test("a key IP-restricted between headers and body is refused (403 ip_not_allowed)", async () => {
  const admin = await adminKey();
  const answer = await createKeyWhile(admin.key, () =>
    call(server, "PUT", `/api-keys/${admin.id}/restrictions`, { body: { ipAddresses: ["192.0.2.0/24"] } }),
  );
  expect(answer).toMatchObject({ status: 403, body: { error: { code: "ip_not_allowed" } } });
});

test("a key revoked while its function runs gets no result (403 key_revoked)", async () => {
  const created = await call(server, "POST", "/api-keys", {
    body: { name: "runner", organization: "acme", scopes: ["functions:write", "functions:execute"] },
  });
  const runner = created.body as { id: string; key: string };
  const fn = await call(server, "POST", "/functions", {
    key: runner.key,
    body: { name: "slow", code: "const end = Date.now() + 400; while (Date.now() < end) {} return 'done'" },
  });
  const running = call(server, "POST", `/functions/${fn.body.id}/execute`, { key: runner.key, body: {} });
  await new Promise((resolve) => setTimeout(resolve, 150));
  await call(server, "POST", `/api-keys/${runner.id}/revoke`, { body: { reason: "leaked" } });
  expect(await running).toMatchObject({ status: 403, body: { error: { code: "key_revoked" } } });
});

describe("bodies that do not arrive in time", () => {
  test("a body never sent is answered 408 with the error body, and the connection is closed", async () => {
    const started = Date.now();
    const exchange = openRequest(server, { method: "POST", path: "/api-keys", contentLength: 100 });
    const answer = await exchange.answer;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error).toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("did not arrive within 1500 ms"),
    });
    expect(answer.headers).toMatch(/connection: close/i);
    await closed(exchange.socket);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  test("a body that trickles in a byte at a time is cut off at the deadline", async () => {
    const body = JSON.stringify({ name: "slow", organization: "acme", scopes: ["data:read"] });
    const exchange = openRequest(server, { method: "POST", path: "/api-keys", contentLength: body.length });
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < body.length - 1 && !exchange.socket.destroyed) exchange.send(body[sent++]);
    }, 100);
    try {
      const answer = await exchange.answer;
      expect(answer.status).toBe(408);
    } finally {
      clearInterval(drip);
      exchange.socket.destroy();
    }
    expect((await call(server, "GET", "/api-keys?organization=acme&limit=100")).body.data).not.toContainEqual(
      expect.objectContaining({ name: "slow" }),
    );
  });

  test("headers that trickle in a line at a time are cut off too (Node's 408)", async () => {
    const socket = connect(server.port, "127.0.0.1");
    socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    let line = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Slow-${line++}: 1\r\n`);
    }, 200);
    const started = Date.now();
    try {
      await closed(socket);
    } finally {
      clearInterval(drip);
    }
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
