// The baseline: a bare node:http server doing the least a webhook receiver must do (check the secret header,
// read the body, JSON.parse it, answer JSON), with the same ready line shape as bench/servers/hubhooks.js.
//
//   node bench/servers/baseline.js
import http from "node:http";

const SECRET = "bench-secret";

const server = http.createServer((request, response) => {
  const reply = (status, value) => {
    const text = JSON.stringify(value);
    response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    response.end(text);
  };
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    if (request.headers["x-webhook-secret"] !== SECRET) return reply(403, { error: "Invalid webhook secret." });
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(400, { error: "Invalid JSON." });
    }
    reply(200, { ok: true });
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}/webhooks/noop`;
  console.log(`  - POST ${url}`);
  console.log(`BENCH ${JSON.stringify({ driver: "none (baseline)", url, rss: process.memoryUsage().rss })}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
