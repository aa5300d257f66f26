// Load generator: N keep-alive connections on raw `net` sockets, closed loop (one request in flight per
// connection), per-request latency. Cheap per request on purpose: each request is one pre-built HTTP/1.1
// buffer (a unique Webhook-Id spliced in) written in one `write`, and the answer is read by a minimal parser
// (status line, then a content-length or chunked body), so on a 2-core machine the client is not the
// bottleneck of a bare node:http server (the servers under test run in child processes; the client and the
// server each get about one core). Bounded: a fixed number of requests or a time cap, whichever comes first,
// and a timeout on every connect and every answer.
import net from "node:net";

const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");
const MAX_HEAD_BYTES = 64 * 1024;
const RECONNECT_DELAY_MS = 50;

/**
 * POST `body` to `url` up to `requests` times over `connections` keep-alive sockets, for at most `maxSeconds`
 * (no new request starts after that; the ones in flight finish). Each request carries `headers` and a
 * `Webhook-Id: <idPrefix><n>` header (n counts from 0). A request that fails (connect error, reset, timeout,
 * unparseable answer) counts in `errors` and its connection is re-opened.
 * With `urls` (several servers, e.g. replicas on one database) instead of `url`, connection c goes to
 * `urls[c % urls.length]` (round-robin by connection; each connection keeps its server, also when re-opened), and
 * the requests are still counted as one run (one request counter, one latency distribution).
 * @example
 * const r = await runLoad({ url: "http://127.0.0.1:7860/webhooks/noop", body, connections: 16, requests: 50_000, maxSeconds: 10 });
 * console.log(r.completed, r.rps, r.p50, r.p99, r.statuses, r.errors);
 * @param {{ url?: string, urls?: string[], body: Buffer, connections: number, requests: number, maxSeconds?: number,
 *   headers?: Record<string, string>, idPrefix?: string, timeoutMs?: number }} options
 */
export async function runLoad({
  url, urls, body, connections, requests, maxSeconds = Infinity, headers = {}, idPrefix = "bench-", timeoutMs = 30_000,
}) {
  const targets = (urls && urls.length > 0 ? urls : [url]).map((u) => {
    const target = new URL(u);
    return {
      port: Number(target.port || 80),
      host: target.hostname,
      head: Buffer.from(
        `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n` +
          Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("") +
          `Webhook-Id: ${idPrefix}`,
        "latin1",
      ),
    };
  });
  const tail = Buffer.concat([HEAD_END, body]);

  const latencies = new Float64Array(requests);
  const statuses = new Map();
  const errorKinds = new Map();
  let completed = 0;
  let errors = 0;
  let next = 0;
  let open = 0;
  let lastAnswerAt = 0;
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const cpuStarted = process.cpuUsage();
  const more = () => next < requests && performance.now() < deadline;

  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const conns = [];

  const fail = (conn, kind) => {
    if (conn.inFlight) {
      conn.inFlight = false;
      errors++;
      errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
    }
    if (conn.socket) {
      const socket = conn.socket;
      conn.socket = null;
      socket.destroy();
      open--;
    }
    if (more()) setTimeout(() => connect(conn), RECONNECT_DELAY_MS);
    else settleIfDone();
  };

  const settleIfDone = () => {
    if (conns.every((c) => !c.inFlight && !c.connecting) && !more()) finish();
  };

  const send = (conn) => {
    if (!more()) {
      settleIfDone();
      return;
    }
    const i = next++;
    conn.index = i;
    conn.inFlight = true;
    conn.state = 0;
    conn.sentAt = performance.now();
    conn.socket.write(Buffer.concat([conn.target.head, Buffer.from(String(i), "latin1"), tail]));
  };

  const answered = (conn) => {
    const now = performance.now();
    conn.inFlight = false;
    latencies[completed++] = now - conn.sentAt;
    lastAnswerAt = now;
    statuses.set(conn.status, (statuses.get(conn.status) ?? 0) + 1);
    if (conn.pending && conn.pending.length > 0) {
      conn.inFlight = true; // counted as an error too: the server sent more than one answer
      return fail(conn, "bytes after the answer");
    }
    if (conn.closeAfter) {
      conn.socket.destroy();
      conn.socket = null;
      open--;
      if (more()) connect(conn);
      else settleIfDone();
      return;
    }
    send(conn);
  };

  /** Parse what arrived; true while the connection is usable. */
  const parse = (conn) => {
    for (;;) {
      const buf = conn.pending;
      if (!buf || buf.length === 0) return true;
      if (!conn.inFlight) return fail(conn, "unsolicited bytes"), false;
      switch (conn.state) {
        case 0: { // status line and headers
          const end = buf.indexOf(HEAD_END);
          if (end < 0) {
            if (buf.length > MAX_HEAD_BYTES) return fail(conn, "response head too large"), false;
            return true;
          }
          const text = buf.latin1Slice(0, end).toLowerCase();
          conn.pending = buf.subarray(end + 4);
          if (!text.startsWith("http/1.")) return fail(conn, "not an HTTP/1 response"), false;
          const status = Number(text.slice(9, 12));
          if (status >= 100 && status < 200) continue; // 100 Continue etc.: the real answer follows
          conn.status = status;
          conn.closeAfter = /\r\nconnection: *close/.test(text) || text.startsWith("http/1.0");
          const te = /\r\ntransfer-encoding: *([^\r]*)/.exec(text);
          const cl = /\r\ncontent-length: *(\d+)/.exec(text);
          if (status === 204 || status === 304) {
            answered(conn);
          } else if (te && te[1].includes("chunked")) {
            conn.state = 2;
          } else if (cl) {
            conn.remaining = Number(cl[1]);
            conn.state = 1;
            if (conn.remaining === 0) answered(conn);
          } else {
            return fail(conn, "response without a length"), false;
          }
          if (!conn.socket) return false;
          break;
        }
        case 1: // content-length body
        case 3: { // chunk data (+ its CRLF)
          if (buf.length < conn.remaining) {
            conn.remaining -= buf.length;
            conn.pending = null;
            return true;
          }
          conn.pending = buf.subarray(conn.remaining);
          if (conn.state === 3) {
            conn.state = 2;
          } else {
            answered(conn);
            if (!conn.socket) return false;
          }
          break;
        }
        case 2: { // chunk-size line
          const end = buf.indexOf(CRLF);
          if (end < 0) return buf.length > 1024 ? (fail(conn, "bad chunk size"), false) : true;
          const size = parseInt(buf.latin1Slice(0, end), 16);
          conn.pending = buf.subarray(end + 2);
          if (!Number.isFinite(size) || size < 0) return fail(conn, "bad chunk size"), false;
          if (size === 0) conn.state = 4;
          else {
            conn.remaining = size + 2;
            conn.state = 3;
          }
          break;
        }
        case 4: { // trailers, up to the empty line
          const end = buf.indexOf(CRLF);
          if (end < 0) return buf.length > MAX_HEAD_BYTES ? (fail(conn, "trailers too large"), false) : true;
          conn.pending = buf.subarray(end + 2);
          if (end === 0) {
            answered(conn);
            if (!conn.socket) return false;
          }
          break;
        }
      }
    }
  };

  const connect = (conn) => {
    if (!more()) return settleIfDone();
    conn.connecting = true;
    conn.connectStartedAt = performance.now();
    conn.pending = null;
    const socket = net.connect({ host: conn.target.host, port: conn.target.port, noDelay: true });
    conn.socket = socket;
    open++;
    socket.on("connect", () => {
      conn.connecting = false;
      send(conn);
    });
    socket.on("data", (chunk) => {
      if (conn.socket !== socket) return;
      conn.pending = conn.pending && conn.pending.length > 0 ? Buffer.concat([conn.pending, chunk]) : chunk;
      parse(conn);
    });
    const lost = (kind) => () => {
      if (conn.socket !== socket) return;
      const wasConnecting = conn.connecting;
      conn.connecting = false;
      if (wasConnecting && !conn.inFlight && more()) {
        // The request about to be sent on this connection fails with it.
        next++;
        conn.inFlight = true;
      }
      fail(conn, kind);
    };
    socket.on("error", (error) => lost(error.code ?? "socket error")());
    socket.on("end", lost("closed by the server"));
    socket.on("close", lost("closed"));
  };

  // One watchdog for every connection (a timer per request would cost more than the request).
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const conn of conns) {
      if (conn.connecting && now - conn.connectStartedAt > timeoutMs) {
        conn.connecting = false;
        if (more()) {
          next++;
          conn.inFlight = true;
        }
        fail(conn, "connect timed out");
      } else if (conn.inFlight && !conn.connecting && now - conn.sentAt > timeoutMs) {
        fail(conn, "answer timed out");
      }
    }
    settleIfDone();
  }, Math.min(1000, Math.max(10, timeoutMs / 4)));

  for (let c = 0; c < connections; c++) {
    const conn = {
      target: targets[c % targets.length], socket: null, connecting: false, inFlight: false, pending: null, state: 0,
      status: 0, remaining: 0,
    };
    conns.push(conn);
    connect(conn);
  }
  // Everything above is bounded by the request count or the time cap plus one timeout; this is the backstop.
  const hardStop = setTimeout(finish, (Number.isFinite(maxSeconds) ? maxSeconds * 1000 : 3_600_000) + 2 * timeoutMs + 5_000);
  await finished;
  clearInterval(watchdog);
  clearTimeout(hardStop);
  const cpu = process.cpuUsage(cpuStarted);
  for (const conn of conns) {
    if (conn.inFlight) {
      errors++;
      errorKinds.set("unfinished at the hard stop", (errorKinds.get("unfinished at the hard stop") ?? 0) + 1);
      conn.inFlight = false;
    }
    const socket = conn.socket;
    conn.socket = null;
    socket?.destroy();
  }
  const seconds = ((lastAnswerAt || performance.now()) - started) / 1000;
  const sorted = latencies.subarray(0, completed).sort();
  return {
    /** Answers read (any status). */
    completed,
    /** Requests started (answered + failed). */
    attempted: next,
    capped: next < requests,
    seconds,
    rps: completed / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
    errors,
    errorKinds: Object.fromEntries(errorKinds),
    /** The client's own CPU time per wall-clock second (1 = one core busy). */
    clientCpu: (cpu.user + cpu.system) / 1e6 / (((lastAnswerAt || performance.now()) - started) / 1000),
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
