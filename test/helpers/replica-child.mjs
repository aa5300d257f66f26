// One hubhooks replica in its own `node` process on a shared Postgres database, for the multi-replica stress test
// (it may get SIGKILLed). Plain JS on the built package (dist/).
//
//   node test/helpers/replica-child.mjs <postgres url> <schema> <handled log> <label> [leaseMs] [workMs]
//
// Every handled delivery appends "<label> <n>" to the handled log with a synchronous write (in the OS page cache
// before the handler returns: it survives a SIGKILL), then "works" for workMs so a kill finds handlers mid-run.
// Prints `READY <base url>` once listening.
import { appendFileSync } from "node:fs";
import { WebhooksServer } from "../../dist/index.js";

const [url, schema, handledLog, label, leaseArg = "2000", workArg = "5"] = process.argv.slice(2);
const workMs = Number(workArg);
const app = new WebhooksServer({
  database: url,
  databaseSchema: schema,
  leaseMs: Number(leaseArg),
  retentionMs: false,
  handleSignals: false,
  env: { LOG_LEVEL: "silent" },
  print: () => {},
});
app.addWebhook("hook", { mode: "accepted" }, async (payload) => {
  appendFileSync(handledLog, `${label} ${payload.n}\n`);
  if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
  return { handled: payload.n };
});
const info = await app.launch({ port: 0, host: "127.0.0.1" });
console.log(`READY ${info.localUrl}`);
