import { z } from "zod";
import { ProjectSchema, ResourceKindSchema } from "./schemas";

/**
 * How call parameters travel outside the JSON body and the query string (query.ts): path
 * parameters and headers. The client validates with these, the emulator too, and
 * docs/openapi.json documents them.
 */

/** Path parameters narrower than "a non-empty string"; ids are opaque and stay unchecked. */
export const PATH_PARAM_SCHEMAS: Record<string, z.ZodType<string>> = {
  resource: ResourceKindSchema,
  project: ProjectSchema,
};

/** The X-Admindo-Project header value follows the project-name rule. */
export const ProjectHeaderSchema = ProjectSchema;
/** Printable ASCII without spaces, so the key survives every proxy unchanged. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: "must be 1-255 printable ASCII characters without spaces" });
