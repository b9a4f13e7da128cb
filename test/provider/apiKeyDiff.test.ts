import { diffApiKey } from "../../provider/apiKeyDiff";
import { UNKNOWN, type ApiKeyInputs, type ApiKeyState } from "../../resource";

const createdAt = "2026-01-01T00:00:00.000Z";
const inputs: ApiKeyInputs = {
  name: "svc",
  organization: "acme",
  scopes: ["functions:execute", "functions:read"],
  projects: ["shop"],
  restrictions: { ipAddresses: ["192.168.1.0/24"] },
  expiresIn: "30d",
  rotateBeforeExpiry: "5d",
};
const olds: ApiKeyState = {
  ...inputs,
  keyId: "key_1",
  key: "adk_secret",
  prefix: "adk_secret",
  lastFour: "cret",
  status: "active",
  createdAt,
  expiresAt: "2026-01-31T00:00:00.000Z",
  rotateAt: "2026-01-26T00:00:00.000Z",
};
const beforeRotation = new Date("2026-01-10T00:00:00Z");

describe("ApiKey diff", () => {
  test("unchanged inputs give no changes", () => {
    expect(diffApiKey(olds, inputs, beforeRotation)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("reordered, duplicated or differently written sets give no changes", () => {
    const news = {
      ...inputs,
      scopes: ["functions:read", "functions:execute", "functions:read"],
      restrictions: { ipAddresses: ["192.168.1.1/24", "192.168.1.0/24"] },
    } as ApiKeyInputs;
    expect(diffApiKey(olds, news, beforeRotation).changes).toBe(false);
  });

  test.each([
    ["scopes", { scopes: ["functions:read"] }],
    ["projects", { projects: ["shop", "blog"] }],
    ["name", { name: "renamed" }],
    ["description", { description: "now described" }],
    ["restrictions", { restrictions: { ipAddresses: ["10.0.0.0/8"] } }],
    ["expiresIn", { expiresIn: "60d" }],
  ])("a %s change updates in place", (_field, change) => {
    expect(diffApiKey(olds, { ...inputs, ...change } as ApiKeyInputs, beforeRotation)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("an organization change replaces, new key first", () => {
    expect(diffApiKey(olds, { ...inputs, organization: "other" }, beforeRotation)).toEqual({
      changes: true,
      replaces: ["organization"],
      deleteBeforeReplace: false,
    });
  });

  test("a rotation trigger change replaces", () => {
    expect(
      diffApiKey(olds, { ...inputs, rotationTriggers: { version: "2" } }, beforeRotation).replaces,
    ).toEqual(["rotationTriggers"]);
  });

  test("passing the rotation point replaces the key, even with unchanged inputs", () => {
    expect(diffApiKey(olds, inputs, new Date("2026-01-26T00:00:01Z")).replaces).toEqual([
      "rotateBeforeExpiry",
    ]);
    expect(diffApiKey(olds, inputs, new Date("2026-01-25T23:59:59Z")).replaces).toEqual([]);
  });

  test("a rotation period replaces the key once it has elapsed", () => {
    const periodic = { ...inputs, rotateBeforeExpiry: undefined, rotationPeriod: "7d" };
    const state = { ...olds, ...periodic };
    expect(diffApiKey(state, periodic, new Date("2026-01-08T00:00:01Z")).replaces).toEqual([
      "rotationPeriod",
    ]);
  });

  test("a key revoked or expired out of band (seen by refresh) is replaced", () => {
    expect(diffApiKey({ ...olds, status: "revoked" }, inputs, beforeRotation).replaces).toEqual(["status"]);
    expect(diffApiKey({ ...olds, status: "expired" }, inputs, beforeRotation).replaces).toEqual(["status"]);
  });

  test("restrictions left out of the program are not managed, so they never diff", () => {
    const { restrictions: _restrictions, ...unmanaged } = inputs;
    expect(diffApiKey(olds, unmanaged, beforeRotation).changes).toBe(false);
  });

  test("unknown values during preview count as changes, and an unknown organization as a replacement", () => {
    expect(
      diffApiKey(olds, { ...inputs, scopes: [UNKNOWN] } as unknown as ApiKeyInputs, beforeRotation).changes,
    ).toBe(true);
    expect(diffApiKey(olds, { ...inputs, organization: UNKNOWN }, beforeRotation).replaces).toEqual([
      "organization",
    ]);
  });
});
