// A hubhooks server with one no-op endpoint, in its own process, on the built package (dist/).
//
//   node bench/servers/hubhooks.js <result|accepted|inline> <database file or postgres:// URL> [LOG_LEVEL] [SCHEMA] [DIST]
//
// SCHEMA: the Postgres schema of the delivery log (default hubhooks; ignored on SQLite, "" for the default).
// DIST: another build's dist/ directory (the bench's BENCH_BEFORE_DIST: an earlier commit measured in the same run).
// Prints the library's own banner (the bench times startup until its "- POST" line), then
// `BENCH {"driver","url","rss"}`. Logs go to stderr at LOG_LEVEL (default info, as a user gets it).
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [mode = "result", database = ":memory:", level = "info", schema, dist] = process.argv.slice(2);
const { WebhooksServer } = await import(dist ? pathToFileURL(resolve(dist, "index.js")).href : "../../dist/index.js");
if (!["result", "accepted", "inline"].includes(mode)) {
  console.error("usage: hubhooks.js <result|accepted|inline> <database file or postgres:// URL> [LOG_LEVEL] [SCHEMA]");
  process.exit(2);
}

const app = new WebhooksServer({
  webhookSecret: "bench-secret",
  database: mode === "inline" ? false : database,
  ...(schema ? { databaseSchema: schema } : {}),
  handleSignals: true,
  env: { LOG_LEVEL: level },
});
app.addWebhook("noop", { mode: mode === "accepted" ? "accepted" : "result" }, () => undefined);

const info = await app.launch({ port: 0, host: "127.0.0.1" });
const driver = app.store?.driver ?? "none (database: false)";
console.log(`BENCH ${JSON.stringify({ driver, url: `${info.localUrl}/webhooks/noop`, rss: process.memoryUsage().rss })}`);
