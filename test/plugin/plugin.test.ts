import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { adminClient } from "../../provider/config";
import { configureFrom } from "../../plugin/configuration";
import { implementationFor, resourceNameOf } from "../../plugin/resources";
import { unwrapSecrets } from "../../plugin/secrets";
import { SECRET_SIGNATURE } from "../../resource";

const URN = "urn:pulumi:dev::inventory::admindo:index:ApiKey::ci::deployer";

test("a resource's name is everything after the type in its URN, even with '::' in it", () => {
  expect(resourceNameOf(URN)).toBe("ci::deployer");
});

test("each token is served by its provider module; an unknown type is named with the ones there are", () => {
  expect(implementationFor(URN).withDefaults("ci", { scopes: [] })).toEqual({ name: "ci", scopes: [] });
  expect(implementationFor(URN).withDefaults("ci", { name: "CI" })).toEqual({ name: "CI" });
  expect(() => implementationFor("urn:pulumi:dev::inventory::admindo:index:Token::t")).toThrow(
    'admindo has no resource type "admindo:index:Token" (it has admindo:index:ApiKey, admindo:index:ApiKeyRestrictions)',
  );
});

test("import inputs are the key's settings as read, never its secret or server facts", () => {
  const inputs = implementationFor(URN).importInputs({
    name: "ci",
    organization: "acme",
    scopes: ["workflows:read"],
    projects: [],
    key: "adk_secret",
    keyId: "key_1",
    status: "active",
    createdAt: "2026-01-01T00:00:00Z",
    description: null,
  });
  expect(inputs).toEqual({ name: "ci", organization: "acme", scopes: ["workflows:read"], projects: [] });
});

test("wrapped secrets in provider configuration are unwrapped, at any depth", () => {
  const wrapped = { [SECRET_SIGNATURE]: "1b47061264138c4ac30d75fd1eb44270", value: "adk_x" };
  expect(unwrapSecrets({ apiKey: wrapped, list: [wrapped], n: 1 })).toEqual({
    apiKey: "adk_x",
    list: ["adk_x"],
    n: 1,
  });
});

describe("configuration: typed arguments, then the admindo:config:* variables, then the environment", () => {
  const env = { ...process.env };
  let server: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(`${request.headers.host} ${request.headers.authorization}`);
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "not_found", message: "no such key" } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => {
    process.env = { ...env };
  });

  /** The host and credential the configured provider sends. */
  async function sent(): Promise<string> {
    seen.length = 0;
    await adminClient()
      .apiKeys.get("key_1")
      .catch(() => undefined);
    return seen[0];
  }

  test("typed arguments win over variables, variables over the environment", async () => {
    process.env.ADMINDO_API_KEY = "adk_environment";
    process.env.ADMINDO_BASE_URL = "http://127.0.0.1:9";
    const host = url.slice("http://".length);
    await configureFrom([["admindo:config:apiKey", "adk_variable"]], { apiKey: "adk_typed", baseUrl: url });
    expect(await sent()).toBe(`${host} Bearer adk_typed`);
    await configureFrom(
      [
        ["admindo:config:apiKey", "adk_variable"],
        ["admindo:config:baseUrl", url],
      ],
      {},
    );
    expect(await sent()).toBe(`${host} Bearer adk_variable`);
    process.env.ADMINDO_BASE_URL = url;
    await configureFrom([], {});
    expect(await sent()).toBe(`${host} Bearer adk_environment`);
  });

  test("with no credential anywhere, the missing-credential message", async () => {
    delete process.env.ADMINDO_API_KEY;
    await configureFrom([], {});
    expect(() => adminClient()).toThrow("admindo:apiKey is not set");
  });
});
