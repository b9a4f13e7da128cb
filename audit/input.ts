import { RestrictionsRecordSchema, type Restrictions } from "../client/schemas";
import { PENDING_ID_PREFIX } from "../provider/pendingCreate";
import { API_KEY, API_KEY_RESTRICTIONS } from "../resource";
import type { KeyAudit } from "./model";

/**
 * Which keys to audit: those of a stack, read from `pulumi stack export` (keys and what the
 * program declares for them) or `pulumi stack output --json` (key ids among the outputs), or
 * ids given by hand. Only ids, names and declared settings are read: the state's secrets stay
 * encrypted and untouched, and output values other than key ids are never looked at.
 */

export interface KeyTarget {
  keyId: string;
  resource: KeyAudit["resource"];
  declared: KeyAudit["declared"];
}

export interface Targets {
  kind: "stack-export" | "stack-output" | "ids";
  stack: string | null;
  project: string | null;
  keys: KeyTarget[];
}

export class AuditInputError extends Error {
  override name = "AuditInputError";
}

/** Both token families: the dynamic provider's (TypeScript) and the plugin's (YAML, imported keys). */
const isApiKey = (type: unknown) => typeof type === "string" && API_KEY.tokens.includes(type);
const isRestrictions = (type: unknown) =>
  typeof type === "string" && API_KEY_RESTRICTIONS.tokens.includes(type);

interface StateResource {
  urn?: unknown;
  type?: unknown;
  id?: unknown;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  delete?: unknown;
}

function urnParts(urn: string): { stack: string; project: string; name: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) return undefined;
  return { stack: parts[0].slice("urn:pulumi:".length), project: parts[1], name: parts.slice(3).join("::") };
}

const strings = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : undefined;

function restrictionsIn(value: unknown): Restrictions | undefined {
  const parsed = RestrictionsRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Keys of a `pulumi stack export` document (its `deployment.resources`). */
export function targetsFromStackExport(document: { deployment?: { resources?: unknown } }): Targets {
  const resources = (
    Array.isArray(document.deployment?.resources) ? document.deployment.resources : []
  ) as StateResource[];
  const restrictionsByKey = new Map<string, Restrictions>();
  for (const resource of resources) {
    if (!isRestrictions(resource.type) || resource.delete === true) continue;
    const props = resource.outputs ?? resource.inputs ?? {};
    const { keyId, overwrite: _overwrite, ...rest } = props;
    const restrictions = restrictionsIn(rest);
    if (typeof keyId === "string" && restrictions) restrictionsByKey.set(keyId, restrictions);
  }
  let stack: string | null = null;
  let project: string | null = null;
  const keys: KeyTarget[] = [];
  for (const resource of resources) {
    if (!isApiKey(resource.type) || resource.delete === true) continue;
    const props = resource.outputs ?? resource.inputs ?? {};
    const keyId =
      typeof props.keyId === "string"
        ? props.keyId
        : typeof resource.id === "string"
          ? resource.id
          : undefined;
    if (!keyId || keyId.startsWith(PENDING_ID_PREFIX)) continue;
    const urn = typeof resource.urn === "string" ? resource.urn : "";
    const parts = urnParts(urn);
    stack ??= parts?.stack ?? null;
    project ??= parts?.project ?? null;
    const inputs = resource.inputs ?? props;
    const restrictions = restrictionsByKey.get(keyId) ?? restrictionsIn(inputs.restrictions);
    keys.push({
      keyId,
      resource: { urn, name: parts?.name ?? urn },
      declared: {
        ...(strings(inputs.scopes) && { scopes: strings(inputs.scopes) }),
        ...(strings(inputs.projects) && { projects: strings(inputs.projects) }),
        ...(restrictions && { restrictions }),
      },
    });
  }
  return { kind: "stack-export", stack, project, keys };
}

const KEY_ID_NAME = /key_?id$/i;

/**
 * Key ids among `pulumi stack output --json`: string values of outputs (or of properties inside
 * object outputs) whose name ends in "keyId" / "key_id". Other values are not read.
 */
export function targetsFromStackOutput(outputs: Record<string, unknown>): Targets {
  const found = new Map<string, KeyTarget>();
  const visit = (name: string, value: unknown, depth: number) => {
    if (depth > 4) return;
    if (typeof value === "string") {
      if (KEY_ID_NAME.test(name.split(".").pop()!) && /^[A-Za-z0-9_-]{4,128}$/.test(value)) {
        if (!found.has(value)) found.set(value, { keyId: value, resource: null, declared: null });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${name}.${index}`, item, depth + 1));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) visit(`${name}.${key}`, item, depth + 1);
    }
  };
  for (const [name, value] of Object.entries(outputs)) visit(name, value, 0);
  return { kind: "stack-output", stack: null, project: null, keys: [...found.values()] };
}

export function targetsFromIds(ids: readonly string[]): Targets {
  const keys = [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))];
  return {
    kind: "ids",
    stack: null,
    project: null,
    keys: keys.map((keyId) => ({ keyId, resource: null, declared: null })),
  };
}

/** Reads either document: a stack export has `deployment`; anything else is taken as stack outputs. */
export function parseTargets(text: string): Targets {
  let document: unknown;
  try {
    document = JSON.parse(text.trim());
  } catch {
    throw new AuditInputError(
      "the input is not JSON: pass the output of `pulumi stack export` or `pulumi stack output --json`",
    );
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new AuditInputError(
      "the input is not a JSON object: pass the output of `pulumi stack export` or `pulumi stack output --json`",
    );
  }
  const targets =
    "deployment" in document
      ? targetsFromStackExport(document as { deployment?: { resources?: unknown } })
      : targetsFromStackOutput(document as Record<string, unknown>);
  if (targets.keys.length === 0) {
    throw new AuditInputError(
      targets.kind === "stack-export"
        ? "the stack export holds no Admin.do ApiKey resources"
        : 'the stack outputs hold no key id (an output, or a property of one, named like "keyId")',
    );
  }
  return targets;
}
