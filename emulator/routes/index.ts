import type { FastifyInstance } from "fastify";
import type { Services } from "../http/state";
import { registerAdminRoutes } from "./admin";
import { registerAgentRoutes } from "./agents";
import { registerApiKeyUsageRoutes } from "./apiKeyUsage";
import { registerApiKeyRoutes } from "./apiKeys";
import { registerControlRoutes } from "./control";
import { registerDataRoutes } from "./data";
import { registerEventRoutes } from "./events";
import { registerFunctionRoutes } from "./functions";
import { registerHealthRoutes } from "./health";
import { registerWorkflowRoutes } from "./workflows";

export function registerRoutes(app: FastifyInstance, services: Services): void {
  registerHealthRoutes(app);
  registerApiKeyRoutes(app, services);
  registerApiKeyUsageRoutes(app, services);
  registerFunctionRoutes(app, services);
  registerWorkflowRoutes(app, services);
  registerAgentRoutes(app, services);
  registerDataRoutes(app, services);
  registerEventRoutes(app, services);
  registerAdminRoutes(app, services);
  registerControlRoutes(app, services);
}
