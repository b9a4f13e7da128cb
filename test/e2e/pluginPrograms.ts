import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Pulumi YAML programs that reach the admindo provider plugin of this checkout (bin/, running
 * dist/plugin/main.js), for the end-to-end tests of the plugin.
 */

export const REPO = path.resolve(__dirname, "../..");
/** The folder holding pulumi-resource-admindo. */
export const PLUGIN_DIR = path.join(REPO, "bin");

/** The repository's key inventory (Pulumi.yaml at the root), pointed at this checkout's plugin. */
export function inventoryYaml(): string {
  const text = readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8");
  if (!text.includes("path: ./bin")) throw new Error("Pulumi.yaml no longer reaches the plugin at ./bin");
  return text.replace("path: ./bin", `path: ${PLUGIN_DIR}`);
}

/** A YAML program named `name` with the plugin and the given `resources:` (and `outputs:`) sections. */
export function yamlProgram(name: string, sections = ""): string {
  return `name: ${name}
runtime: yaml
plugins:
  providers:
    - name: admindo
      path: ${PLUGIN_DIR}
${sections}`;
}

/** A program directory (outside the checkout) holding `yaml` as its Pulumi.yaml. */
export function programDir(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "admindo-yaml-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
  return dir;
}

interface Step {
  op: string;
  urn: string;
  replaceReasons?: string[];
  diffReasons?: string[];
}

/** Steps of `pulumi preview --json` for one plugin resource type ("ApiKey" or "ApiKeyRestrictions"). */
export function pluginSteps(json: unknown, type: "ApiKey" | "ApiKeyRestrictions"): Step[] {
  return (json as { steps: Step[] }).steps.filter((step) => step.urn.includes(`::admindo:index:${type}::`));
}

/** The step of the resource `name`, or a "same" step when the preview lists none for it. */
export function stepOf(json: unknown, name: string): Step {
  const steps = (json as { steps: Step[] }).steps;
  return steps.find((step) => step.urn.endsWith(`::${name}`)) ?? { op: "same", urn: name };
}
