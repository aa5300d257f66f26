// The comparison stack a TypeScript team would build today for the same job: a bare node:http receiver (check the
// secret header, read the body, JSON.parse it, enqueue it with graphile-worker's addJob through one WorkerUtils made
// at startup, answer 202 once the job row is committed) and a graphile-worker runner with a no-op task. Same ready
// line shape as bench/servers/hubhooks.js.
//
//   node bench/servers/graphile-worker.js <postgres:// URL> [both|receiver|runner] [CONCURRENCY]
//
// both (default): receiver and runner in this one process (as hubhooks' accepted mode is one process);
// receiver / runner: only that half (a runner prints its ready line with no URL: `- POST none`).
// CONCURRENCY: the runner's concurrent jobs (default 8, hubhooks' default endpoint concurrency; graphile-worker's
// own default is 1). Everything else is graphile-worker's defaults (pool of 10 per utils / runner, LISTEN/NOTIFY
// for new jobs, 2 s poll interval, no job key). Its logs are silenced.
import http from "node:http";
import { Logger, makeWorkerUtils, run } from "graphile-worker";

const SECRET = "bench-secret";
const [connectionString, role = "both", concurrencyArg = "8"] = process.argv.slice(2);
if (!connectionString || !["both", "receiver", "runner"].includes(role)) {
  console.error("usage: graphile-worker.js <postgres:// URL> [both|receiver|runner] [CONCURRENCY]");
  process.exit(2);
}
const logger = new Logger(() => () => {});
let runs = 0;

const utils = await makeWorkerUtils({ connectionString, logger });
await utils.migrate(); // graphile-worker's schema (also done by run(); here once, before either half starts)
if (role === "runner") await utils.release();

const runner = role === "receiver" ? undefined : await run({
  connectionString,
  logger,
  concurrency: Number(concurrencyArg),
  noHandleSignals: true,
  taskList: { noop: async () => void runs++ },
});

let server;
if (role !== "runner") {
  server = http.createServer((request, response) => {
    const reply = (status, value) => {
      const text = JSON.stringify(value);
      response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      response.end(text);
    };
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      if (request.url === "/stats") return reply(200, { runs });
      if (request.headers["x-webhook-secret"] !== SECRET) return reply(403, { error: "Invalid webhook secret." });
      let payload;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(400, { error: "Invalid JSON." });
      }
      utils.addJob("noop", payload).then(
        (job) => reply(202, { accepted: true, id: job.id }),
        (error) => reply(503, { error: String(error?.message ?? error) }),
      );
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    const url = `http://127.0.0.1:${port}/webhooks/noop`;
    console.log(`  - POST ${url}`);
    console.log(`BENCH ${JSON.stringify({ driver: "pg (graphile-worker)", url, rss: process.memoryUsage().rss })}`);
  });
} else {
  console.log("  - POST none");
  console.log(`BENCH ${JSON.stringify({ driver: "pg (graphile-worker)", url: null, rss: process.memoryUsage().rss })}`);
}

process.once("SIGTERM", async () => {
  const hard = setTimeout(() => process.exit(1), 10_000);
  hard.unref();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await runner?.stop().catch(() => {});
  if (role !== "runner") await utils.release().catch(() => {});
  process.exit(0);
});
