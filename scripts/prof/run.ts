import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInstalledStack, packTarball } from "../../test/e2e/installed";
import { startBenchEmulator } from "../bench/emulator";
const FIXTURE = path.resolve(__dirname, "../../test/e2e/fixtures/bench-keys");
async function main() {
  const emulator = await startBenchEmulator();
  const root = mkdtempSync(path.join(os.tmpdir(), "admindo-prof-"));
  const tarball = packTarball(root);
  const stacks: Record<string, Awaited<ReturnType<typeof createInstalledStack>>> = {};
  for (const kind of ["apiKey", "noop"]) {
    stacks[kind] = await createInstalledStack(FIXTURE, { tarball, root, config: { "admindo:baseUrl": emulator.url, count: "100", kind, organization: "bench" }, secrets: { "admindo:apiKey": emulator.rootKey } });
    await stacks[kind].preview();
  }
  for (const kind of ["apiKey", "noop"]) {
    let t = Date.now();
    await stacks[kind].up({ env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=/tmp/pp/up-${kind}` } });
    console.log(kind, "up", Date.now() - t);
    t = Date.now();
    await stacks[kind].preview({ env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=/tmp/pp/preview-${kind}` } });
    console.log(kind, "preview", Date.now() - t);
  }
  for (const kind of ["apiKey", "noop"]) await stacks[kind].cleanup();
  await emulator.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
