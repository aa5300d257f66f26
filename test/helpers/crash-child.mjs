// A real hubhooks server in its own `node` process, for the crash-recovery test (it gets SIGKILLed).
// Plain JS on the built package (dist/), so a bare `node` runs it with no TypeScript loader.
//
//   node test/helpers/crash-child.mjs <database file> <handled log> <accepted|result> [leaseMs] [workMs]
//
// Every handled delivery appends its payload's `n` to the handled log with a synchronous write: the
// line is in the OS page cache before the handler returns, so it survives a SIGKILL of this process.
// Then the handler "works" for workMs (async), so a kill finds handlers mid-run whose rows are still
// "running": those are the ones the next process must re-claim once their lease expires.
// Prints `READY <base url>` on stdout once listening; its queue has started and resumes whatever
// the previous process left queued or running.
import { appendFileSync } from "node:fs";
import { WebhooksServer } from "../../dist/index.js";

const [database, handledLog, mode = "accepted", leaseArg = "2000", workArg = "5"] = process.argv.slice(2);
const workMs = Number(workArg);
if (!database || !handledLog || (mode !== "accepted" && mode !== "result")) {
  console.error("usage: crash-child.mjs <database> <handled log> <accepted|result> [leaseMs] [workMs]");
  process.exit(2);
}

const app = new WebhooksServer({
  database,
  leaseMs: Number(leaseArg),
  retentionMs: false,
  handleSignals: false,
  env: { LOG_LEVEL: "silent" },
  print: () => {},
});
app.addWebhook("crash", { mode }, async (payload) => {
  appendFileSync(handledLog, `${payload.n}\n`);
  if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
  return { handled: payload.n };
});

const info = await app.launch({ port: 0, host: "127.0.0.1" });
console.log(`READY ${info.localUrl} ${app.store?.driver ?? "none"}`);
