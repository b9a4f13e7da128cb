import { API_KEY, API_KEY_RESTRICTIONS } from "../../resource";
import { field, snapshot } from "./unknowns";

/** The kinds of resource this pack checks. */
export const API_KEY_TYPE = API_KEY.name;
export const API_KEY_RESTRICTIONS_TYPE = API_KEY_RESTRICTIONS.name;

/**
 * The kind of resource a type token names: both the dynamic provider's token and the plugin's
 * (`admindo:index:ApiKey`, from YAML and other languages) name the same resource.
 */
export function kindOf(type: string): typeof API_KEY_TYPE | typeof API_KEY_RESTRICTIONS_TYPE | undefined {
  if (API_KEY.tokens.includes(type)) return API_KEY_TYPE;
  if (API_KEY_RESTRICTIONS.tokens.includes(type)) return API_KEY_RESTRICTIONS_TYPE;
  return undefined;
}

/** A resource's properties as plain data: objects, arrays, scalars and UNKNOWN markers. */
export type Props = Record<string, unknown>;

/** What every rule needs to know about an ApiKey or ApiKeyRestrictions resource. */
export interface ResourceView {
  type: typeof API_KEY_TYPE | typeof API_KEY_RESTRICTIONS_TYPE;
  /** The Pulumi resource name. */
  name: string;
  /** How messages name it: `API key "ops"` or `ApiKeyRestrictions "ops-network"`. */
  subject: string;
  /** The resource's properties as plain data, unknowns marked. Never print them whole. */
  props: Props;
  /** The restriction fields: ApiKey's `restrictions`, or ApiKeyRestrictions' own properties. */
  restrictions: unknown;
  /** Prefix of restriction fields in messages: "restrictions." for ApiKey, "" for ApiKeyRestrictions. */
  restrictionsPath: string;
}

interface Described {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** A view of an admindo resource, or undefined for any other type. */
export function viewOf(resource: Described): ResourceView | undefined {
  const type = kindOf(resource.type);
  if (type === undefined) return undefined;
  const props = snapshot(resource.props) as Props;
  if (type === API_KEY_TYPE) {
    return {
      type,
      name: resource.name,
      subject: keySubject(resource.name, props),
      props,
      restrictions: props.restrictions,
      restrictionsPath: "restrictions.",
    };
  }
  return {
    type,
    name: resource.name,
    subject: `ApiKeyRestrictions ${quote(resource.name)}`,
    props,
    restrictions: props,
    restrictionsPath: "",
  };
}

/** A view of an ApiKey resource, or undefined for any other type. */
export function apiKeyOf(resource: Described): ResourceView | undefined {
  return kindOf(resource.type) === API_KEY_TYPE ? viewOf(resource) : undefined;
}

/** `API key "storefront"`, or `API key "Storefront caller" (resource "storefront")` when the names differ. */
export function keySubject(resourceName: string, props: Props): string {
  const keyName = props.name;
  if (typeof keyName === "string" && keyName !== resourceName) {
    return `API key ${quote(keyName)} (resource ${quote(resourceName)})`;
  }
  return `API key ${quote(resourceName)}`;
}

/** The names a config entry may use for a key: its resource name and its `name` input. */
export function keyNames(view: ResourceView): string[] {
  const keyName = view.props.name;
  return typeof keyName === "string" && keyName !== view.name ? [view.name, keyName] : [view.name];
}

/** A restriction field of the view (`ipAddresses`, `referrers`, `rateLimit`, `timeRestrictions`). */
export function restriction(view: ResourceView, name: string): unknown {
  if (view.restrictions === undefined || view.restrictions === null) return undefined;
  return field(view.restrictions, name);
}

/**
 * A value for a message: JSON-quoted and cut to a readable length. Only ever pass the offending
 * element of a field, never whole props (stack policies see outputs, which include the secret).
 */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** "a, b and c" */
export function listText(values: string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`;
}
