import type { PolicyResource } from "@pulumi/policy";
import { API_KEY_RESTRICTIONS_TYPE, API_KEY_TYPE, kindOf, viewOf, type ResourceView } from "./resources";
import { isUnknown } from "./unknowns";

/** An ApiKey of the stack and every resource in the stack that sets its restrictions. */
export interface KeyInStack {
  key: ResourceView;
  urn: string;
  /**
   * The key itself when it sets `restrictions`, and each ApiKeyRestrictions that targets it.
   * Each one *replaces* the key's whole restriction set when applied, so a rule that requires a
   * restriction requires it of every source.
   */
  sources: ResourceView[];
}

/**
 * Links each ApiKeyRestrictions to the ApiKey it targets. During preview a new key's `keyId` is
 * unknown, so the link comes from the engine's property dependencies (`keyId: key.keyId` makes the
 * restrictions' `keyId` depend on the key's URN); once known, equal `keyId` values link as well.
 * Restrictions for a key outside the stack (a literal id, a stack reference) link to nothing here.
 */
export function keysInStack(resources: readonly PolicyResource[]): KeyInStack[] {
  const keys = new Map<string, KeyInStack>();
  for (const resource of resources) {
    if (kindOf(resource.type) !== API_KEY_TYPE) continue;
    const key = viewOf(resource)!;
    const setsOwn = key.restrictions !== undefined && key.restrictions !== null;
    keys.set(resource.urn, { key, urn: resource.urn, sources: setsOwn ? [key] : [] });
  }
  for (const resource of resources) {
    if (kindOf(resource.type) !== API_KEY_RESTRICTIONS_TYPE) continue;
    const view = viewOf(resource)!;
    for (const urn of targetsOf(resource, view, keys)) keys.get(urn)!.sources.push(view);
  }
  return [...keys.values()];
}

function targetsOf(resource: PolicyResource, view: ResourceView, keys: Map<string, KeyInStack>): Set<string> {
  const targets = new Set<string>();
  const propertyDependencies = resource.propertyDependencies ?? {};
  for (const dependency of propertyDependencies.keyId ?? []) {
    if (keys.has(dependency.urn)) targets.add(dependency.urn);
  }
  const keyId = view.props.keyId;
  if (typeof keyId === "string") {
    for (const [urn, entry] of keys) if (entry.key.props.keyId === keyId) targets.add(urn);
  }
  // An engine that reports no property dependencies: fall back to the resource's dependencies.
  if (targets.size === 0 && isUnknown(keyId) && propertyDependencies.keyId === undefined) {
    for (const dependency of resource.dependencies ?? []) {
      if (keys.has(dependency.urn)) targets.add(dependency.urn);
    }
  }
  return targets;
}
