#!/usr/bin/env node
// The demo: start the emulator on a local SQLite database, `pulumi up` examples/quickstart against
// it, call a function with the new key to show it works, inspect the key's usage and logs, then
// destroy everything. `npm run demo -- --keep` leaves the stack and emulator for you to explore.
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const DEMO = path.join(ROOT, ".demo");
const keep = process.argv.includes("--keep");

function step(title) {
  console.log(`\n\u001b[1m== ${title}\u001b[0m`);
}

function pulumi(args, options = {}) {
  console.log(`$ pulumi ${args.join(" ")}`);
  return execFileSync("pulumi", [...args, "--non-interactive"], {
    cwd: path.join(DEMO, "quickstart"),
    env: process.env,
    stdio: options.capture ? ["pipe", "pipe", "inherit"] : ["pipe", "inherit", "inherit"],
    input: options.input ?? "",
    encoding: "utf8",
  });
}

function startEmulator(rootKey) {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "dist/emulator/cli.js"), "--port", "0", "--db", path.join(DEMO, "admindo.db")],
    {
      env: { ...process.env, ADMINDO_ROOT_KEY: rootKey },
      stdio: ["ignore", "pipe", "inherit"],
      detached: keep,
    },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
}

async function main() {
  const binDir = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop();
  fs.rmSync(DEMO, { recursive: true, force: true });
  fs.mkdirSync(path.join(DEMO, "state"), { recursive: true });
  fs.cpSync(path.join(ROOT, "examples/quickstart"), path.join(DEMO, "quickstart"), { recursive: true });
  Object.assign(process.env, {
    PATH: `${binDir}:${process.env.PATH}`,
    PULUMI_HOME: path.join(DEMO, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(DEMO, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  });

  step("Start the Admin.do emulator (SQLite at .demo/admindo.db)");
  const rootKey = process.env.ADMINDO_ROOT_KEY ?? `root_${randomBytes(18).toString("base64url")}`;
  const emulator = await startEmulator(rootKey);
  console.log(`emulator at ${emulator.url}`);

  try {
    step("Create a stack for examples/quickstart, pointed at the emulator");
    pulumi(["stack", "init", "demo"]);
    pulumi(["config", "set", "admindo:baseUrl", emulator.url]);
    pulumi(["config", "set", "--secret", "admindo:apiKey"], { input: rootKey });

    step("pulumi up: declare the key");
    pulumi(["up", "--yes", "--skip-preview"]);

    step("Use the new key: execute a function with it");
    const outputs = JSON.parse(pulumi(["stack", "output", "--json", "--show-secrets"], { capture: true }));
    const { createAdminClient } = require(path.join(ROOT, "dist/client"));
    const admin = createAdminClient({ baseUrl: emulator.url, apiKey: rootKey });
    // Functions belong to an organization: create this one with a key of the new key's organization.
    const { organization } = await admin.apiKeys.get(outputs.keyId);
    const author = await admin.apiKeys.create({
      name: "demo-author",
      organization,
      scopes: ["functions:write"],
    });
    const asAuthor = createAdminClient({ baseUrl: emulator.url, apiKey: author.key });
    const fn = await asAuthor.functions.create({
      name: "greet",
      description: "Greets a person",
      input: { name: "string" },
      output: { greeting: "string" },
      code: "return { greeting: `Hello, ${input.name}!` }",
    });
    await asAuthor.close();
    await admin.apiKeys.delete(author.id);
    const caller = createAdminClient({ baseUrl: emulator.url, apiKey: outputs.apiKey });
    const result = await caller.functions.execute(fn.id, { name: "John" });
    console.log(`key ${outputs.keyPrefix}… executed ${fn.name}:`, JSON.stringify(result.output));
    const denied = await caller.functions.create({ name: "nope", code: "return 1" }).catch((error) => error);
    console.log(`and was refused what it may not do: ${denied.code} (${denied.status})`);

    step("Inspect: stack outputs (secret masked), the key on the server, its usage and logs");
    pulumi(["stack", "output"]);
    const key = await admin.apiKeys.get(outputs.keyId);
    console.log(`server: ${key.name} ${key.status} scopes=${key.scopes.join(",")} expires ${key.expiresAt}`);
    const usage = await admin.apiKeys.getUsage(outputs.keyId, { timeRange: "1h", groupBy: "resource" });
    console.log(
      `usage: ${usage.total.requests} requests, ${usage.total.errors} errors, $${usage.total.cost}`,
    );
    for (const entry of (await admin.apiKeys.getLogs(outputs.keyId, { limit: 5 })).data) {
      console.log(
        `log: ${entry.timestamp} ${entry.method} ${entry.path} -> ${entry.status}${entry.denialReason ? ` (${entry.denialReason})` : ""}`,
      );
    }
    await Promise.all([admin.close(), caller.close()]);

    if (keep) {
      console.log(
        `\nKept. Explore with:\n  export PATH=${binDir}:$PATH PULUMI_HOME=${process.env.PULUMI_HOME} PULUMI_BACKEND_URL=${process.env.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE=<the passphrase>\n  cd .demo/quickstart && pulumi stack output && pulumi destroy\nThe emulator (pid ${emulator.child.pid}) keeps running at ${emulator.url}.`,
      );
      emulator.child.unref();
      return;
    }
    step("pulumi destroy: the key is deleted on the server");
    pulumi(["destroy", "--yes", "--skip-preview"]);
    const left = await createAdminClient({ baseUrl: emulator.url, apiKey: rootKey }).apiKeys.list();
    console.log(`keys left on the server: ${left.total}`);
  } finally {
    if (!keep) emulator.child.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
