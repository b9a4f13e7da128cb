import { referrerOf } from "../../emulator/http/requestLog";
import { MAX_JSON_DEPTH, jsonProblem } from "../../emulator/http/jsonBody";
import { START, expectError, setup, type Emulator } from "./helpers";

/** Inputs that used to get a 500, or be accepted and then misbehave. */

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const nested = (depth: number, inner = "1") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;

async function member(scopes: string[]) {
  const key = await emu.createKey({ scopes: scopes as never });
  return key;
}

describe("deeply nested JSON is a 400 wherever a body takes free-form JSON", () => {
  test.each([
    ["a data value", "PUT", "/data/c/k", (json: string) => `{"value":${json}}`, ["data:write"]],
    [
      "an execute input",
      "POST",
      "/functions/fn_x/execute",
      (json: string) => `{"a":${json}}`,
      ["functions:execute"],
    ],
    [
      "an event's data",
      "POST",
      "/events",
      (json: string) => `{"type":"t","data":{"a":${json}}}`,
      ["events:trigger"],
    ],
    [
      "a workflow input",
      "POST",
      "/workflows/wf_x/execute",
      (json: string) => `{"a":${json}}`,
      ["workflows:execute"],
    ],
  ] as const)("%s", async (_name, method, url, wrap, scopes) => {
    const key = await member([...scopes]);
    for (const depth of [100, 100_000]) {
      const response = await emu.request(method, url, { key: key.key, payload: wrap(nested(depth)) });
      expectError(response, 400, "invalid_request");
      expect(response.json().error.message).toMatch(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    }
    // The bound leaves room for real data.
    const fine = await emu.request(method, url, { key: key.key, payload: wrap(nested(50)) });
    expect(fine.statusCode).not.toBe(400);
    expect(fine.statusCode).toBeLessThan(500);
  });

  test("the depth scan sees through strings and escapes", () => {
    expect(jsonProblem(`{"a":"${"[".repeat(500)}"}`)).toBeUndefined();
    expect(jsonProblem(`{"a":"\\"${"[".repeat(500)}"}`)).toBeUndefined();
    expect(jsonProblem(nested(64))).toBeUndefined();
    expect(jsonProblem(nested(65))).toMatch(/nested/);
    expect(jsonProblem('"\\ud83d\\ude00 and 😀"')).toBeUndefined();
    expect(jsonProblem('"\\ud83d"')).toMatch(/lone surrogate/);
    expect(jsonProblem('"\\ude00"')).toMatch(/lone surrogate/);
    expect(jsonProblem('"x\\ud83dx"')).toMatch(/lone surrogate/);
  });
});

describe("durations are bounded", () => {
  test("a grace period beyond a year is a 400, not a 500", async () => {
    const key = await member(["data:read"]);
    for (const gracePeriod of ["1000000w", "99999999999999999999w", "366d", "53w"]) {
      const response = await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: { gracePeriod } });
      expectError(response, 400, "invalid_request");
      expect(response.json().error.details).toEqual([
        { path: "gracePeriod", message: "must be at most 365d" },
      ]);
    }
    expect(
      (await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: { gracePeriod: "365d" } })).statusCode,
    ).toBe(200);
  });

  test("the clock cannot be moved beyond what timestamps express", async () => {
    for (const body of [
      { advance: "1000000w" },
      { advanceMs: 9e15 },
      { advanceMs: -9e15 },
      { set: "9999-12-31T23:59:59Z" },
    ]) {
      expectError(await emu.request("POST", "/_emulator/clock", { body }), 400, "invalid_request");
    }
    expect((await emu.request("GET", "/api-keys")).statusCode).toBe(200);
  });
});

describe("strings must be well-formed Unicode", () => {
  test("a lone surrogate in a name is a 400, so nothing is answered one way and stored another", async () => {
    const response = await emu.request("POST", "/api-keys", {
      payload: '{"name":"key \\ud800","organization":"acme","scopes":["data:read"]}',
    });
    expectError(response, 400, "invalid_request");
    expect(response.json().error.message).toMatch(/lone surrogate/);
    expect((await emu.request("GET", "/api-keys?organization=acme")).json().total).toBe(0);
  });

  test("a surrogate pair is fine and stored as sent", async () => {
    const created = await emu.createKey({ name: "key 😀" });
    expect((await emu.request("GET", `/api-keys/${created.id}`)).json().name).toBe("key 😀");
  });
});

describe("restrictions match as they validate", () => {
  test("IP allow-list entries with surrounding spaces match", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: [" 10.0.0.0/8 ", "192.0.2.7 "] } });
    expect((await emu.request("GET", "/functions", { key: key.key, ip: "10.1.2.3" })).statusCode).toBe(200);
    expect((await emu.request("GET", "/functions", { key: key.key, ip: "192.0.2.7" })).statusCode).toBe(200);
    expectError(
      await emu.request("GET", "/functions", { key: key.key, ip: "192.0.2.8" }),
      403,
      "ip_not_allowed",
    );
  });

  test("a referrer pattern with :443 matches an https Referer", async () => {
    const key = await emu.createKey({ restrictions: { referrers: ["app.example.com:443"] } });
    const from = (referer: string) => emu.request("GET", "/functions", { key: key.key, referer });
    expect((await from("https://app.example.com/checkout")).statusCode).toBe(200);
    expectError(await from("http://app.example.com/checkout"), 403, "referrer_not_allowed");
    expectError(await from("https://app.example.com:8443/"), 403, "referrer_not_allowed");
  });
});

describe("the request log keeps no credentials of a Referer", () => {
  test("user-info, query and fragment are dropped", async () => {
    const key = await emu.createKey();
    await emu.request("GET", "/functions", {
      key: key.key,
      referer: "https://user:hunter2@app.example.com/cb?token=t#f",
    });
    const logs = (await emu.request("GET", `/api-keys/${key.id}/logs`)).json();
    expect(logs.data[0].referrer).toBe("https://app.example.com/cb");
    expect(JSON.stringify(logs)).not.toMatch(/hunter2|user:/);
  });

  test.each([
    ["https://user:pass@host.example/p?q", "https://host.example/p"],
    ["user:pass@host.example/path", "host.example/path"],
    ["//user@host/p", "//host/p"],
    ["not a url at all", "not a url at all"],
    [`https://a.example/${"x".repeat(2000)}`, `https://a.example/${"x".repeat(512 - 18)}`],
  ])("%s is logged as %s", (referer, logged) => {
    expect(referrerOf(referer)).toBe(logged);
  });
});

test("expiry in the past is still a 400 (the clock bound did not loosen validation)", async () => {
  const response = await emu.request("POST", "/api-keys", {
    body: {
      name: "k",
      organization: "acme",
      scopes: ["data:read"],
      expiresAt: new Date(START.getTime() - 1).toISOString(),
    },
  });
  expectError(response, 400, "invalid_request");
});
