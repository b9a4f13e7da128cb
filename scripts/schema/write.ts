import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageSchema, PLUGIN_MODELS } from "./build";
import { modelDocs } from "./docs";

/**
 * `npm run schema`: writes schema.json, the provider plugin's package schema, from the resource
 * model. `--check` fails instead when the file differs (a test runs it, so the file cannot go stale).
 */
const ROOT = path.resolve(__dirname, "../..");
const SCHEMA_FILE = path.join(ROOT, "schema.json");

export function schemaText(): string {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const resources = PLUGIN_MODELS.map(({ exportName, model }) => ({ model, docs: modelDocs(exportName) }));
  return `${JSON.stringify(packageSchema(version, resources), null, 2)}\n`;
}

if (require.main === module) {
  const text = schemaText();
  if (process.argv.includes("--check")) {
    if (readFileSync(SCHEMA_FILE, "utf8") !== text) {
      console.error("schema.json is not what the resource model gives: run `npm run schema`");
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  }
}
