// A skipped or todo test is never counted as passing: the run fails and names it.
class NoSkipsReporter {
  onRunComplete(_contexts, results) {
    const skipped = [];
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status === 'pending' || t.status === 'todo' || t.status === 'skipped') skipped.push(`${file.testFilePath}: ${t.fullName}`);
      }
    }
    if (skipped.length > 0) {
      process.stderr.write(`\nSkipped tests are not allowed (${skipped.length}):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`);
      process.exitCode = 1;
    }
  }
}
module.exports = NoSkipsReporter;
