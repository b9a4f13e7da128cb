import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConnectionError, createAdminClient } from "pulumi-admindo/client";
import { API_KEY, apiKeyRecord, harness } from "./helpers";

describe("createAdminClient", () => {
  it("returns the apiKeys and functions namespaces and close", () => {
    const { client } = harness();
    expect(Object.keys(client.apiKeys).sort()).toEqual(
      [
        "create",
        "delete",
        "get",
        "getLog",
        "getLogs",
        "getProjectUsage",
        "getResourceUsage",
        "getUsage",
        "list",
        "listAll",
        "revoke",
        "rotate",
        "update",
        "updateRestrictions",
      ].sort(),
    );
    expect(Object.keys(client.functions).sort()).toEqual(["create", "execute"]);
    expect(typeof client.close).toBe("function");
  });

  it.each(["", "not a url", "ftp://admindo.test"])("rejects the base URL %j", (baseUrl) => {
    expect(() => createAdminClient({ baseUrl, apiKey: API_KEY })).toThrow(TypeError);
  });

  it("rejects an empty API key", () => {
    expect(() => createAdminClient({ baseUrl: "http://admindo.test", apiKey: " " })).toThrow(/apiKey/);
  });

  it("leaves a caller-supplied dispatcher open on close", async () => {
    const h = harness();
    await h.client.close();
    h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
    await expect(h.client.apiKeys.get("key_123")).resolves.toMatchObject({ id: "key_123" });
  });
});

describe("the client's own keep-alive agent, against a real server", () => {
  let server: Server;
  let baseUrl: string;
  const sockets = new Set<unknown>();
  const requests: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      sockets.add(req.socket);
      req.resume();
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "real" });
      res.end(JSON.stringify(apiKeyRecord()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("reuses connections across calls and closes cleanly", async () => {
    const client = createAdminClient({ baseUrl, apiKey: API_KEY });
    for (let i = 0; i < 4; i++) {
      await expect(client.apiKeys.get("key_123")).resolves.toMatchObject({ id: "key_123" });
    }
    expect(requests).toHaveLength(4);
    // undici's pool may alternate between two idle sockets, but it never opens one per call
    expect(sockets.size).toBeLessThanOrEqual(2);
    expect(requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    await client.close();
  });

  it("retries a refused connection, then fails with a ConnectionError", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const sleeps: number[] = [];
    const client = createAdminClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      maxRetries: 2,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const error = await client.apiKeys.get("key_123").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: "connection_error" });
    expect(sleeps).toHaveLength(2);
    await client.close();
  });
});
