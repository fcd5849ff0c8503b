// Prints the fault table once, at the end of the run, whatever files ran: each scenario appended its formatted row
// (test/faults/kit/result-table.ts) to the run's fault-results.jsonl. Jest calls this before the global teardown
// removes the run directory.
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

class FaultTableReporter {
  onRunComplete() {
    const raw = process.env.MLC_TEST_SERVICES;
    if (!raw) return;
    const file = path.join(path.dirname(JSON.parse(raw).workflowBundle), 'fault-results.jsonl');
    if (!existsSync(file)) return;
    const entries = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    if (entries.length === 0) return;
    const notes = entries.filter((e) => e.note).map((e) => e.note);
    const lines = [...entries[0].header, ...entries.map((e) => e.row), ...(notes.length ? ['', ...notes] : [])];
    process.stdout.write(`\nFault scenarios (${entries.length}):\n${lines.join('\n')}\n`);
  }
}
module.exports = FaultTableReporter;
