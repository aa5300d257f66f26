// Load generator: N concurrent keep-alive connections (node:http Agent), a fixed number of POSTs, per-request
// latency. In the bench's own process; the servers under test run in child processes, so on a 2-core machine
// the client and the server each get about one core.
import http from "node:http";

/**
 * POST `body` to `url` `requests` times over `connections` keep-alive sockets; each connection sends its next
 * request when the previous answer is fully read (closed loop). `headers(i)` adds per-request headers.
 * @example
 * const r = await runLoad({ url: "http://127.0.0.1:7860/webhooks/noop", body, connections: 32, requests: 20_000 });
 * console.log(r.rps, r.p50, r.p99);
 * @param {{ url: string, body: Buffer, connections: number, requests: number, headers?: (i: number) => Record<string, string> }} options
 */
export async function runLoad({ url, body, connections, requests, headers = () => ({}) }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies = new Float64Array(requests);
  const statuses = new Map();
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const started = performance.now();
      try {
        const status = await post(agent, target, body, headers(i));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      } catch {
        errors++;
      }
      latencies[i] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort();
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    statuses: Object.fromEntries(statuses),
    errors,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function post(agent, target, body, extraHeaders) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length, ...extraHeaders },
      },
      (response) => {
        response.on("data", () => {});
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    // A hung server must not hang the bench.
    request.setTimeout(30_000, () => request.destroy(new Error("request timed out")));
    request.on("error", reject);
    request.end(body);
  });
}
