// Writes one closing line, `browser: N passed, N failed`, to stderr: CI and scripts/test.mjs read
// it (web-test-runner's own count lives only inside its progress bar).

/** @param {import('@web/test-runner').TestSuiteResult | undefined} suite */
function count(suite, totals) {
  if (!suite) return totals;
  for (const test of suite.tests) {
    if (test.skipped) continue;
    if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) count(child, totals);
  return totals;
}

/** @returns {import('@web/test-runner').Reporter} */
export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0 };
      for (const session of sessions) {
        const before = totals.failed;
        count(session.testResults, totals);
        // A file that fails to load or throws outside a test has no failed test of its own.
        if (!session.passed && totals.failed === before) totals.failed += 1;
      }
      process.stderr.write(`browser: ${totals.passed} passed, ${totals.failed} failed\n`);
    },
  };
}
