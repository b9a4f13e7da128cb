import { request } from "undici";
import { startEmulator } from "../../emulator";
import { FaultInjector } from "../../emulator/faults";
import { ROOT_KEY, START, expectError, setup, type Emulator } from "./helpers";

const BODY = { name: "k", organization: "acme", scopes: ["functions:read"] };

describe("in process", () => {
  let emu: Emulator;
  beforeEach(() => {
    emu = setup();
  });
  afterEach(() => emu.close());

  const keysTotal = async () => (await emu.request("GET", "/api-keys")).json().total;

  test("fails the next N matching requests with 503 and Retry-After, then recovers", async () => {
    emu.faults.inject({ status: 503, times: 2, retryAfter: 7, path: "/api-keys" });
    for (let i = 0; i < 2; i++) {
      const response = await emu.request("GET", "/api-keys");
      expectError(response, 503, "service_unavailable");
      expect(response.headers["retry-after"]).toBe("7");
    }
    expect((await emu.request("GET", "/api-keys")).statusCode).toBe(200);
  });

  test("injects 429 and 500 too", async () => {
    emu.faults.inject({ status: 429 });
    emu.faults.inject({ status: 500 });
    const limited = await emu.request("GET", "/health", { key: "" });
    expectError(limited, 429, "rate_limited");
    expect(limited.headers["retry-after"]).toBe("1");
    expectError(await emu.request("GET", "/health", { key: "" }), 500, "internal_error");
  });

  test("matches by method and path prefix", async () => {
    emu.faults.inject({ method: "post", path: "/functions", status: 500 });
    expect((await emu.request("GET", "/functions")).statusCode).toBe(200);
    expect((await emu.request("POST", "/api-keys", { body: BODY })).statusCode).toBe(201);
    expectError(
      await emu.request("POST", "/functions", { body: { name: "f", code: "1" } }),
      500,
      "internal_error",
    );
  });

  test("faults come before authentication and are not logged as usage", async () => {
    const key = await emu.createKey();
    emu.faults.inject({ status: 503, path: "/functions" });
    expectError(
      await emu.request("GET", "/functions", { key: "adk_unknown_but_faulted_first" }),
      503,
      "service_unavailable",
    );
    emu.faults.inject({ status: 503, path: "/functions" });
    await emu.request("GET", "/functions", { key: key.key });
    expect((await emu.request("GET", `/api-keys/${key.id}/logs`)).json().total).toBe(0);
  });

  test("after: the write commits, the response is lost as a 500", async () => {
    emu.faults.inject({ path: "/api-keys", method: "POST", status: 500, after: true });
    const lost = await emu.request("POST", "/api-keys", { body: BODY, idempotencyKey: "once" });
    expectError(lost, 500, "internal_error");
    expect(lost.body).not.toContain("adk_");
    expect(await keysTotal()).toBe(1);

    const retry = await emu.request("POST", "/api-keys", { body: BODY, idempotencyKey: "once" });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(await keysTotal()).toBe(1);
  });

  test("after: a delete commits even though its 204 is replaced by a 500", async () => {
    const key = await emu.createKey();
    emu.faults.inject({ method: "DELETE", status: 500, after: true });
    expectError(await emu.request("DELETE", `/api-keys/${key.id}`), 500, "internal_error");
    expectError(await emu.request("GET", `/api-keys/${key.id}`), 404, "not_found");
  });

  test("probabilistic faults repeat for the same seed", async () => {
    const pattern = async (seed: number) => {
      const faults = new FaultInjector();
      faults.inject({ probability: 0.5, seed, status: 500 });
      return Array.from({ length: 20 }, () => (faults.decide("GET", "/x") ? 1 : 0)).join("");
    };
    const a = await pattern(42);
    expect(await pattern(42)).toBe(a);
    expect(a).toMatch(/1/);
    expect(a).toMatch(/0/);
    expect(await pattern(7)).not.toBe(a);
  });

  test("probability 0 never fires and times caps a probabilistic rule", () => {
    const faults = new FaultInjector();
    faults.inject({ probability: 0 });
    expect(faults.decide("GET", "/x")).toBeUndefined();
    faults.clear();
    faults.inject({ probability: 1, times: 2 });
    expect(
      [faults.decide("GET", "/x"), faults.decide("GET", "/x"), faults.decide("GET", "/x")].filter(Boolean),
    ).toHaveLength(2);
  });

  test("a rule cannot both drop and answer", () => {
    expect(() => new FaultInjector().inject({ drop: true, status: 500 })).toThrow();
  });

  describe("over HTTP", () => {
    test("POST /_emulator/faults adds a rule, GET lists, DELETE clears", async () => {
      const added = await emu.request("POST", "/_emulator/faults", {
        body: { status: 503, path: "/api-keys", times: 5 },
      });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ id: 1, status: 503, times: 5, injected: 0 });
      expectError(await emu.request("GET", "/api-keys"), 503, "service_unavailable");
      expect((await emu.request("GET", "/_emulator/faults")).json().data[0].injected).toBe(1);
      expect((await emu.request("DELETE", "/_emulator/faults")).statusCode).toBe(204);
      expect((await emu.request("GET", "/api-keys")).statusCode).toBe(200);
    });

    test("control routes are never faulted", async () => {
      emu.faults.inject({ status: 500, times: 10 });
      expect((await emu.request("GET", "/_emulator/faults")).statusCode).toBe(200);
    });

    test("only the root key may use them", async () => {
      const admin = await emu.createKey({ scopes: ["admin:read", "admin:write"] });
      expectError(
        await emu.request("POST", "/_emulator/faults", { key: admin.key, body: { status: 500 } }),
        403,
        "insufficient_scope",
      );
      expectError(await emu.request("DELETE", "/_emulator/faults", { key: "" }), 401, "unauthenticated");
    });

    test("invalid rules are 400", async () => {
      expectError(
        await emu.request("POST", "/_emulator/faults", { body: { status: 418 } }),
        400,
        "invalid_request",
      );
      expectError(
        await emu.request("POST", "/_emulator/faults", { body: { drop: true, status: 500 } }),
        400,
        "invalid_request",
      );
    });

    test("POST /_emulator/clock moves time for every check", async () => {
      const key = await emu.createKey({ expiresAt: "2026-03-03T00:00:00Z" });
      const moved = await emu.request("POST", "/_emulator/clock", { body: { advance: "1d" } });
      expect(moved.json()).toEqual({ now: "2026-03-03T10:00:00.000Z", offsetMs: 86_400_000 });
      expectError(await emu.request("GET", "/functions", { key: key.key }), 403, "key_expired");
      await emu.request("POST", "/_emulator/clock", { body: { reset: true } });
      expect((await emu.request("GET", "/_emulator/clock")).json().now).toBe(START.toISOString());
      expect(
        (await emu.request("POST", "/_emulator/clock", { body: { set: "2026-01-01T00:00:00Z" } })).json().now,
      ).toBe("2026-01-01T00:00:00.000Z");
      expectError(await emu.request("POST", "/_emulator/clock", { body: {} }), 400, "invalid_request");
    });
  });
});

describe("on a listening server", () => {
  const headers = { authorization: `Bearer ${ROOT_KEY}`, "content-type": "application/json" };

  test("drop destroys the connection without a response, before or after the handler", async () => {
    const emu = await startEmulator({ rootKey: ROOT_KEY });
    try {
      emu.faults.inject({ path: "/api-keys", drop: true });
      await expect(request(`${emu.url}/api-keys`, { headers })).rejects.toThrow();

      emu.faults.inject({ path: "/api-keys", method: "POST", drop: true, after: true });
      await expect(
        request(`${emu.url}/api-keys`, { method: "POST", headers, body: JSON.stringify(BODY) }),
      ).rejects.toThrow();
      const list = await request(`${emu.url}/api-keys`, { headers });
      expect(((await list.body.json()) as { total: number }).total).toBe(1);
    } finally {
      await emu.close();
    }
  });

  test("delayMs holds the response back", async () => {
    const emu = await startEmulator({ rootKey: ROOT_KEY });
    try {
      emu.faults.inject({ path: "/health", delayMs: 150 });
      const started = Date.now();
      const response = await request(`${emu.url}/health`);
      expect(await response.body.json()).toEqual({ status: "ok" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await emu.close();
    }
  });
});
