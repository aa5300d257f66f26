/** Shared pieces of the tunnel tests: a recording "local app" and a logger whose lines tests can wait for. */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  nthRequest(n: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** A plain node:http server standing for the local webhook app: records each request, answers 200 JSON. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const arrivals = new EventEmitter();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    arrivals.emit("request");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received: requests.length }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nthRequest(n) {
      return new Promise((resolve) => {
        const check = () => {
          if (requests.length < n) return;
          arrivals.off("request", check);
          resolve(requests[n - 1]);
        };
        arrivals.on("request", check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface CapturedLogger {
  logger: Logger;
  lines: Array<{ level: number; msg: string; [key: string]: unknown }>;
  /** Resolves when the n-th line (1-based) with this message has been logged. */
  waitFor(msg: string, n?: number): Promise<void>;
  count(msg: string): number;
}

/** A pino logger writing JSON lines into memory. */
export function captureLogger(): CapturedLogger {
  const lines: CapturedLogger["lines"] = [];
  const logged = new EventEmitter();
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      logged.emit("line");
      callback();
    },
  });
  const count = (msg: string) => lines.filter((line) => line.msg === msg).length;
  return {
    logger: pino({ level: "debug" }, sink),
    lines,
    count,
    waitFor(msg, n = 1) {
      return new Promise((resolve) => {
        const check = () => {
          if (count(msg) < n) return;
          logged.off("line", check);
          resolve();
        };
        logged.on("line", check);
        check();
      });
    },
  };
}

/** A controllable reconnect delay: every call waits until the test releases it. */
export function manualDelay() {
  const waiting: Array<() => void> = [];
  const calls = new EventEmitter();
  let count = 0;
  return {
    delay(_ms: number, signal: AbortSignal): Promise<void> {
      count++;
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
        calls.emit("call");
      });
    },
    /** Resolves once the n-th delay (1-based) has started. */
    started(n: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (count < n) return;
          calls.off("call", check);
          resolve();
        };
        calls.on("call", check);
        check();
      });
    },
    releaseAll() {
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}
