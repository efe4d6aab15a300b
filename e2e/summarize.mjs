// Prints the closing line CI reads: "e2e: N passed, M failed".
import { readFileSync } from 'node:fs';
let stats = { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
try {
  stats = JSON.parse(readFileSync(new URL('./test-results/results.json', import.meta.url))).stats;
} catch {
  stats.unexpected = 1;
}
// A run that ran nothing (the server did not start) is a failure, not a pass.
const ran = stats.expected + stats.unexpected + stats.flaky;
const failed = stats.unexpected + stats.flaky + (ran === 0 ? 1 : 0);
console.log(`e2e: ${stats.expected} passed, ${failed} failed${stats.skipped ? `, ${stats.skipped} skipped` : ''}`);
