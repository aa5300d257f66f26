/**
 * A local stand-in for smee.io (github.com/probot/smee.io), which tests cannot reach. It speaks the same protocol
 * over real HTTP on 127.0.0.1:
 * - `GET /new` → 307 redirect to `/<channel>` (12 random bytes, base64url, like smee.io);
 * - `POST /<channel>` with a JSON object → 200 with an empty body; the payload `{...headers, body, query, timestamp}`
 *   goes to every subscriber as an unnamed SSE event with an `id`;
 * - `GET /<channel>` with `Accept: text/event-stream` → SSE stream starting with a `ready` event, `ping` keep-alives.
 * Beyond smee.io (which numbers events per connection and forgets them), ids are per channel and a reconnect
 * with `Last-Event-ID` gets the missed events again, so tests can check resumption. `dropConnections()` cuts
 * every subscriber, as a network drop would.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeSmeeMessage {
  channel: string;
  id: number;
  payload: Record<string, unknown>;
}

export interface FakeSmee {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every accepted POST, in order. */
  readonly messages: FakeSmeeMessage[];
  /** How many channels `GET /new` created. */
  readonly channelsCreated: number;
  subscribers(channel?: string): number;
  /** Resolves when the subscriber count (of one channel, or overall) equals `count`. */
  waitForSubscribers(count: number, channel?: string): Promise<void>;
  /** Destroys every subscriber connection. */
  dropConnections(): void;
  /** Sends a `ping` event to every subscriber now. */
  ping(): void;
  close(): Promise<void>;
}

const CHANNEL = /^\/([a-zA-Z0-9_-]{1,128})$/;

/** `port`: listen there (default a free one), e.g. where a test first had nothing listening. */
export async function startFakeSmee(options: { pingIntervalMs?: number; port?: number } = {}): Promise<FakeSmee> {
  const changes = new EventEmitter();
  const subscribers = new Map<http.ServerResponse, string>();
  const messages: FakeSmeeMessage[] = [];
  let channelsCreated = 0;
  const count = (channel?: string) => [...subscribers.values()].filter((c) => channel === undefined || c === channel).length;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname === "/new" && (req.method === "GET" || req.method === "HEAD")) {
      channelsCreated++;
      res.writeHead(307, { location: `http://${req.headers.host}/${randomBytes(12).toString("base64url")}` }).end();
      return;
    }
    const channel = CHANNEL.exec(url.pathname)?.[1];
    if (!channel) return void res.writeHead(404).end();
    if (req.method === "GET" && req.headers.accept === "text/event-stream") return subscribe(channel, req, res);
    if (req.method === "GET") return void res.writeHead(200, { "content-type": "text/html" }).end("<h1>channel</h1>");
    if (req.method === "POST") return void receive(channel, url, req, res);
    res.writeHead(404).end();
  });

  const subscribe = (channel: string, req: http.IncomingMessage, res: http.ServerResponse) => {
    req.socket.setTimeout(0);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write("event: ready\ndata: {}\n\n");
    const lastId = Number(req.headers["last-event-id"]);
    if (Number.isInteger(lastId)) {
      for (const m of messages) if (m.channel === channel && m.id > lastId) res.write(frame(m));
    }
    subscribers.set(res, channel);
    changes.emit("change");
    res.on("close", () => {
      subscribers.delete(res);
      changes.emit("change");
    });
  };

  const receive = async (channel: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!(req.headers["content-type"] ?? "").includes("json")) return void res.writeHead(415).end();
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return void res.writeHead(400).end();
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return void res.writeHead(400).end();
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0] : values;
    }
    const previous = messages.filter((m) => m.channel === channel).length;
    const message = { channel, id: previous + 1, payload: { ...req.headers, body, query, timestamp: Date.now() } };
    messages.push(message);
    for (const [subscriber, c] of subscribers) if (c === channel) subscriber.write(frame(message));
    res.writeHead(200).end();
  };

  const pinger = options.pingIntervalMs ? setInterval(() => fake.ping(), options.pingIntervalMs) : undefined;
  pinger?.unref();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeSmee = {
    url: `http://127.0.0.1:${port}`,
    messages,
    get channelsCreated() {
      return channelsCreated;
    },
    subscribers: count,
    waitForSubscribers(expected, channel) {
      return new Promise((resolve) => {
        const check = () => {
          if (count(channel) !== expected) return;
          changes.off("change", check);
          resolve();
        };
        changes.on("change", check);
        check();
      });
    },
    dropConnections() {
      for (const res of subscribers.keys()) res.socket?.destroy();
    },
    ping() {
      for (const res of subscribers.keys()) res.write("event: ping\ndata: {}\n\n");
    },
    async close() {
      clearInterval(pinger);
      for (const res of subscribers.keys()) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function frame(message: FakeSmeeMessage): string {
  return `id: ${message.id}\ndata: ${JSON.stringify(message.payload)}\n\n`;
}
