import type { FastifyInstance } from "fastify";

/** Liveness probe: unauthenticated, never logged, so scripts can wait for the emulator. */
export function registerHealthRoutes(app: FastifyInstance): void {
  app.get("/health", async () => ({ status: "ok" }));
}
