import type { Setting } from "../../output/model";
import { shorten } from "../describe";
import type { KeySettings } from "../../input/settings";
import { isOpaque, opaqueText, type Field } from "../../input/values";
import { compareSet, opaqueFinding, type Finding } from "./finding";

/** Who the key is and what it may do: organization, name, description, scopes, projects. */

function compareText(
  setting: Setting,
  before: Field<string> | undefined,
  after: Field<string> | undefined,
  options: { created: boolean; format?: (text: string) => string },
): Finding | undefined {
  const format = options.format ?? ((text: string) => text);
  const text = (value: Field<string> | undefined) =>
    value === undefined ? null : isOpaque(value) ? opaqueText(value) : format(value);
  if (options.created) {
    return after === undefined
      ? undefined
      : { setting, summary: text(after)!, before: null, after: text(after), effect: "new", grants: [] };
  }
  if (after !== undefined && isOpaque(after)) return opaqueFinding(setting, text(before), after);
  if (before === after) return undefined;
  const [from, to] = [text(before), text(after)];
  return {
    setting,
    summary: `${from ?? "none"} → ${to ?? "none"}`,
    before: from,
    after: to,
    effect: "changed",
    grants: setting === "organization" && typeof after === "string" ? [after] : [],
  };
}

/**
 * Changes to identity and access. `before` is undefined for a created key. Name and description
 * of a created key are not listed: the resource name says who it is.
 */
export function compareAccess(before: KeySettings | undefined, after: KeySettings): Finding[] {
  const created = before === undefined;
  const findings = [
    compareText("organization", before?.organization, after.organization, { created }),
    created ? undefined : compareText("name", before.name, after.name, { created }),
    created
      ? undefined
      : compareText("description", before.description, after.description, {
          created,
          format: (text) => shorten(text),
        }),
    compareSet("scopes", before?.scopes, after.scopes),
    compareSet("projects", before?.projects, after.projects, { empty: "every project" }),
  ];
  return findings.filter((finding): finding is Finding => finding !== undefined);
}
