// Prints jest's totals as "N passed, N failed[, N skipped]" (the closing line CI reads).
// Suites that failed to run at all (syntax errors, failing hooks) count as failures too.
const fs = require("node:fs");

const file = process.argv[2] ?? "test-results.json";
if (!fs.existsSync(file)) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, "utf8"));
const brokenSuites = results.testResults.filter(
  (suite) => suite.status === "failed" && suite.assertionResults.every((test) => test.status !== "failed"),
).length;
const passed = results.numPassedTests;
const failed = results.numFailedTests + brokenSuites;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
