import { readFileSync } from "node:fs";
import { OPERATIONS, type OperationName } from "pulumi-admindo/client";
import { OPENAPI_FILE, buildOpenApi, renderOpenApi } from "../../scripts/openapi";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; security: Record<string, string[]>[] }>>;
  components: Record<string, Record<string, unknown>>;
};

describe("docs/openapi.json", () => {
  const doc = buildOpenApi() as Doc;

  it("is up to date with the contract (run `npm run openapi` after changing it)", () => {
    expect(readFileSync(OPENAPI_FILE, "utf8")).toBe(renderOpenApi());
  });

  it("is OpenAPI 3.1 with bearer security and the shared headers and error body", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.components.headers)).toEqual(["X-Request-Id", "Retry-After"]);
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: "Idempotency-Key", in: "header" });
    expect(doc.components.parameters.Project).toMatchObject({ name: "X-Admindo-Project", in: "header" });
    expect(doc.components.schemas.ErrorBody).toMatchObject({ required: ["error"] });
    expect(doc.components.responses.RateLimited).toMatchObject({
      headers: { "Retry-After": expect.anything() },
    });
  });

  it("documents every operation of the contract under its method and path, with its scope", () => {
    for (const [name, op] of Object.entries(OPERATIONS) as [
      OperationName,
      (typeof OPERATIONS)[OperationName],
    ][]) {
      const path = op.path.replace(/:([A-Za-z]+)/g, "{$1}");
      const operation = doc.paths[path]?.[op.method.toLowerCase()];
      expect(operation).toBeDefined();
      expect(operation.operationId).toBe(name);
      expect(operation.security).toEqual([{ bearerAuth: [op.scope] }]);
    }
  });

  it("documents the wire query parameters of usage and log queries", () => {
    const params = (path: string) =>
      (doc.paths[path].get as unknown as { parameters: { name?: string }[] }).parameters
        .map((p) => p.name)
        .filter(Boolean);
    expect(params("/api-keys/{id}/usage")).toEqual(["id", "range", "start", "end", "resources", "groupBy"]);
    expect(params("/api-keys/{id}/logs")).toEqual([
      "id",
      "limit",
      "offset",
      "range",
      "start",
      "end",
      "status",
    ]);
    expect(params("/api-keys")).toEqual(["limit", "offset", "organization"]);
    // every other list takes limit/offset
    expect(params("/functions")).toEqual(["limit", "offset"]);
  });
});
