import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { resolveReconnect } from "../../src/tunnel/backoff.js";
import { followEventStream, type SseEvent } from "../../src/tunnel/event-stream.js";
import { silentLogger } from "../helpers/server.js";

// The reconnect loop around eventsource-parser, against a real local HTTP server speaking text/event-stream the way
// smee.io does (named ready events, ids, retry), in awkward chunks: what hubhooks adds to the library is tested here.
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Each connection gets the next script: chunks written one by one, then the connection ends (or stays open). */
async function sseServer(scripts: Array<{ chunks: string[]; stayOpen?: boolean }>) {
  const requests: IncomingHttpHeaders[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    requests.push(req.headers);
    const script = scripts[requests.length - 1] ?? { chunks: [], stayOpen: true };
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    open.add(res);
    for (const chunk of script.chunks) await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    if (!script.stayOpen) res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise<void>((resolve) => {
    for (const res of open) res.destroy();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/channel`, requests };
}

function follow(url: string, extra: { maxEventChars?: number } = {}) {
  const events: SseEvent[] = [];
  const waits: number[] = [];
  let reconnected: () => void = () => {};
  const second = new Promise<void>((resolve) => (reconnected = resolve));
  const stream = followEventStream({
    url, fetch, logger: silentLogger, idleTimeoutMs: 0, openTimeoutMs: 5_000, ...extra,
    // The wait is recorded, not slept: the loop's timing is its input.
    reconnect: resolveReconnect({ maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 10_000, delay: async (ms) => void waits.push(ms) }),
    onEvent: (event) => {
      events.push(event);
      if (event.data === "after the drop") reconnected();
    },
  });
  cleanup.push(() => stream.close());
  return { stream, events, waits, second };
}

describe("followEventStream (eventsource-parser inside)", () => {
  it("parses split CRLF, a BOM, comments and multi-line data; resumes with the last id (also from a block without data) after the server's retry", async () => {
    const sse = await sseServer([
      { chunks: ["\uFEFFid: 0\r\nevent: ready\r", "\ndata: {}\r\n\r\n", ": ping\n", "id: 1\ndata:  two\ndata:lines\n", "\n", "id: 2\n\n", "retry: 1500\n\n"] },
      { chunks: ["data: after the drop\n\n"], stayOpen: true },
    ]);
    const { stream, events, waits, second } = follow(sse.url);
    await stream.opened;
    await second;
    expect(events).toEqual([
      { type: "ready", data: "{}" },
      { type: "message", data: " two\nlines" },
      { type: "message", data: "after the drop" },
    ]);
    expect(sse.requests[0]!["last-event-id"]).toBeUndefined();
    expect(sse.requests[1]!["last-event-id"]).toBe("2");
    expect(waits).toEqual([1_500]); // the server's retry, longer than the backoff's 10 ms
  });

  it("ends a connection whose event outgrows maxEventChars with a TUNNEL error (a peer cannot grow memory without bound)", async () => {
    // An event that never ends: what is buffered while waiting for its blank line is what is bounded.
    const sse = await sseServer([{ chunks: ["data: ", "x".repeat(600), "\ndata: ", "x".repeat(600)], stayOpen: true }]);
    const { stream, events } = follow(sse.url, { maxEventChars: 1_000 });
    await expect(stream.opened).rejects.toThrow("[hubhooks] could not subscribe to the relay channel: relay event larger than 1000 characters");
    expect(events).toEqual([]);
  });
});
