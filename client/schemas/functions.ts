import { z } from "zod";
import { TimestampSchema } from "./common";

/** The function shape of the Admin.do docs: `code` is JavaScript that computes `output` from `input`. */
export const CreateFunctionParamsSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  description: z.string().max(1024).optional(),
  /** Description of the input (free-form, e.g. `{ name: "string" }`). */
  input: z.record(z.string(), z.unknown()).optional(),
  /** Description of the output (free-form, e.g. `{ greeting: "string" }`). */
  output: z.record(z.string(), z.unknown()).optional(),
  code: z.string().min(1).max(100_000),
});

export const FunctionSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  input: z.record(z.string(), z.unknown()).nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
  code: z.string(),
  project: z.string().nullable(),
  createdAt: TimestampSchema,
});

export const ExecuteFunctionParamsSchema = z.record(z.string(), z.unknown());

export const ExecutionResultSchema = z.object({
  functionId: z.string(),
  output: z.unknown(),
  durationMs: z.number().min(0),
});

export type CreateFunctionParams = z.input<typeof CreateFunctionParamsSchema>;
export type AdminFunction = z.infer<typeof FunctionSchema>;
export type ExecutionResult = z.infer<typeof ExecutionResultSchema>;
