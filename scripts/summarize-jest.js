// Prints jest's totals as "N passed, N failed[, N skipped]" (the closing line CI reads), summed over
// every JSON result file given (one per Node line), after one line per file.
// Suites that failed to run at all (syntax errors, failing hooks) count as failures too.
const fs = require("node:fs");

const files = process.argv.slice(2);
const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of files.length ? files : ["test-results.json"]) {
  if (!fs.existsSync(file)) {
    console.log(`${file}: missing (the run did not finish)`);
    total.failed += 1;
    continue;
  }
  const results = JSON.parse(fs.readFileSync(file, "utf8"));
  const brokenSuites = results.testResults.filter(
    (suite) => suite.status === "failed" && suite.assertionResults.every((test) => test.status !== "failed"),
  ).length;
  const counts = {
    passed: results.numPassedTests,
    failed: results.numFailedTests + brokenSuites,
    skipped: results.numPendingTests + results.numTodoTests,
  };
  if (files.length > 1) console.log(`${file}: ${counts.passed} passed, ${counts.failed} failed`);
  for (const k of Object.keys(total)) total[k] += counts[k];
}
console.log(
  `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
