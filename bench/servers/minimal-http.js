// The receiving half every minimal bench server shares (baseline.js, ceiling-sqlite.js, ceiling-postgres.js): a bare
// node:http server that checks the secret header, reads the body, JSON.parses it and hands it on with a `reply`
// that answers JSON with a content-length. Then it prints the ready lines bench/spawn-server.js waits for.
import http from "node:http";

export const SECRET = "bench-secret";

/**
 * @example
 * minimalServer("none (baseline)", (request, text, payload, reply) => reply(200, { ok: true }));
 * @param {string} driver what the BENCH line reports
 * @param {(request: http.IncomingMessage, text: string, payload: unknown, reply: (status: number, value: unknown) => void) => void} onDelivery
 * @param {() => Promise<void> | void} [onClose] after the server closed, before exit (SIGTERM)
 */
export function minimalServer(driver, onDelivery, onClose) {
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
      const text = Buffer.concat(chunks).toString("utf8");
      let payload;
      try {
        payload = JSON.parse(text);
      } catch {
        return reply(400, { error: "Invalid JSON." });
      }
      onDelivery(request, text, payload, reply);
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    const url = `http://127.0.0.1:${port}/webhooks/noop`;
    console.log(`  - POST ${url}`);
    console.log(`BENCH ${JSON.stringify({ driver, url, rss: process.memoryUsage().rss })}`);
  });
  process.once("SIGTERM", () => server.close(async () => {
    await onClose?.();
    process.exit(0);
  }));
  return server;
}
