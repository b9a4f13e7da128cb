import { z } from "zod";

/**
 * The parts of `pulumi preview --json` (the engine's "preview digest") that the review reads.
 * Unknown fields are tolerated and dropped: newer CLIs add fields, and the review must keep
 * working. Nullable where the CLI writes `null` (for example `"detailedDiff": null`).
 */

const PropertiesSchema = z.record(z.string(), z.unknown());

const ResourceStateSchema = z.object({
  urn: z.string().optional(),
  type: z.string().optional(),
  id: z.string().nullish(),
  inputs: PropertiesSchema.nullish(),
  outputs: PropertiesSchema.nullish(),
  /** For each input, the URNs of the resources its value came from. */
  propertyDependencies: z.record(z.string(), z.array(z.string()).nullable()).nullish(),
});

const PreviewStepSchema = z.object({
  /** same, create, update, delete, replace, create-replacement, delete-replaced, read, refresh, import, … */
  op: z.string(),
  urn: z.string(),
  provider: z.string().nullish(),
  oldState: ResourceStateSchema.nullish(),
  newState: ResourceStateSchema.nullish(),
  diffReasons: z.array(z.string()).nullish(),
  replaceReasons: z.array(z.string()).nullish(),
  detailedDiff: z.record(z.string(), z.object({ kind: z.string() }).loose()).nullish(),
});

const PreviewDiagnosticSchema = z.object({
  urn: z.string().nullish(),
  severity: z.string().nullish(),
});

const PreviewDigestSchema = z.object({
  steps: z.array(PreviewStepSchema).nullish(),
  diagnostics: z.array(PreviewDiagnosticSchema).nullish(),
  changeSummary: z.record(z.string(), z.number()).nullish(),
});

export type ResourceState = z.infer<typeof ResourceStateSchema>;
export type PreviewStep = z.infer<typeof PreviewStepSchema>;
export type PreviewDigest = z.infer<typeof PreviewDigestSchema>;

export class PreviewInputError extends Error {
  override name = "PreviewInputError";
}

/**
 * Parses the text `pulumi preview --json` printed: the raw document (for the secret scan) and
 * the digest the review reads. Text before the JSON document (a warning written to the same
 * stream, `2>&1`) is skipped.
 */
export function parsePreview(text: string): { document: unknown; digest: PreviewDigest } {
  const document = parseJsonDocument(text);
  const result = PreviewDigestSchema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PreviewInputError(
      `the input is not the output of \`pulumi preview --json\`: ${issue.path.join(".") || "document"}: ${issue.message}`,
    );
  }
  return { document, digest: result.data };
}

function parseJsonDocument(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed)
    throw new PreviewInputError("the input is empty: pipe in the output of `pulumi preview --json`");
  try {
    return JSON.parse(trimmed);
  } catch {
    // Fall back to the document that starts at the first line beginning with "{".
    const start = trimmed.search(/^\{/m);
    const end = trimmed.lastIndexOf("}");
    if (start >= 0 && end > start) {
      try {
        return JSON.parse(trimmed.slice(start, end + 1));
      } catch {
        // reported below
      }
    }
    throw new PreviewInputError("the input is not JSON: run `pulumi preview --json` and pass its output");
  }
}

/** The parts of a Pulumi URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export interface ParsedUrn {
  stack: string;
  project: string;
  /** The resource's own type, without its parents' types (after the last `$`). */
  type: string;
  name: string;
}

export function parseUrn(urn: string): ParsedUrn | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) return undefined;
  const qualifiedType = parts[2];
  return {
    stack: parts[0].slice("urn:pulumi:".length),
    project: parts[1],
    type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1),
    // A name may itself contain "::".
    name: parts.slice(3).join("::"),
  };
}
