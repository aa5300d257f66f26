// Prints vitest's JSON results as one plain closing line: "<label>: N passed, N failed, N skipped".
import { readFileSync } from "node:fs";

const [label, file] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numFailedTests > 0 || r.numTotalTests === 0) process.exit(1);
