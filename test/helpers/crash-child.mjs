// A real hubhooks server in its own `node` process, for the crash-recovery test (it gets SIGKILLed).
// Plain JS on the built package (dist/), so a bare `node` runs it with no TypeScript loader.
//
//   node test/helpers/crash-child.mjs <database file> <handled log> <accepted|result> [leaseMs] [workMs]
//
// With HUBHOOKS_CRASH_AFTER_COMMIT=<n>: the process SIGKILLs itself right after the first group commit that
// recorded at least n deliveries committed, before any of that batch's requests is answered (it first writes
// the batch's payload numbers, one per line, to <handled log>.batch so the test knows what was committed).
//
// Every handled delivery appends its payload's `n` to the handled log with a synchronous write: the
// line is in the OS page cache before the handler returns, so it survives a SIGKILL of this process.
// Then the handler "works" for workMs (async), so a kill finds handlers mid-run whose rows are still
// "running": those are the ones the next process must re-claim once their lease expires.
// Prints `READY <base url>` on stdout once listening; its queue has started and resumes whatever
// the previous process left queued or running.
import { appendFileSync, writeFileSync } from "node:fs";
import { WebhooksServer } from "../../dist/index.js";
import { createSqliteStore } from "../../dist/store.js";

const [database, handledLog, mode = "accepted", leaseArg = "2000", workArg = "5"] = process.argv.slice(2);
const workMs = Number(workArg);
if (!database || !handledLog || (mode !== "accepted" && mode !== "result")) {
  console.error("usage: crash-child.mjs <database> <handled log> <accepted|result> [leaseMs] [workMs]");
  process.exit(2);
}

const crashAfter = Number(process.env.HUBHOOKS_CRASH_AFTER_COMMIT ?? 0);
let store;
if (crashAfter > 0) {
  const real = await createSqliteStore({ path: database });
  store = new Proxy(real, {
    get(target, prop) {
      if (prop === "writeBatch") {
        return async (batch) => {
          const out = await target.writeBatch(batch);
          if (batch.records.length >= crashAfter) {
            writeFileSync(`${handledLog}.batch`, batch.records.map((r) => `${JSON.parse(r.body).n}\n`).join(""));
            process.kill(process.pid, "SIGKILL"); // committed; no caller has been told
          }
          return out;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const app = new WebhooksServer({
  ...(store ? { store } : { database }),
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
