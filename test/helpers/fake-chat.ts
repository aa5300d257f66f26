/**
 * Local stand-ins for the services `hubhooks/forward` posts to, each a real `node:http` server on 127.0.0.1 that
 * answers as the real one does (SPEC section 3, "Where other services take a message"), records every request,
 * and takes scripted answers ahead of its default behaviour:
 * - Discord `POST /api/webhooks/{id}/{token}`: 204 empty; an empty message → 400 `{message: "Cannot send an empty
 *   message", code: 50006}`; content over 2,000 characters or more than 10 embeds → 400 "Invalid Form Body" (50035)
 *   with Discord's nested `errors`; any other id/token → 404 `{message: "Unknown Webhook", code: 10015}`.
 *   `rateLimit(seconds)` answers 429 `{message, retry_after, global: false}` with a `Retry-After` header.
 * - Slack `POST /services/{T}/{B}/{secret}`: 200 `ok` (text/html, as Slack sends it); body not JSON → 400
 *   `invalid_payload`; no `text` and no `blocks` → 400 `no_text`; another path → 404 `no_service`.
 * - A generic receiver: 200 `{"received": true}` at any path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  path: string;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface Scripted {
  status: number;
  body?: string | object;
  headers?: Record<string, string>;
  /** Drop the connection without an answer (a network error). */
  drop?: boolean;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
}

type Defaulter = (req: ChatRequest) => Scripted;

export interface ChatStandIn {
  url: string;
  /** The base URL, for building wrong webhook URLs. */
  origin: string;
  requests: ChatRequest[];
  /** Answers for the next requests, in order, before the default behaviour. */
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
}

async function standIn(path: string, defaults: Defaulter): Promise<ChatStandIn> {
  const requests: ChatRequest[] = [];
  const queue: Scripted[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
    const recorded = { path: req.url ?? "", headers, text, json };
    requests.push(recorded);
    const answer = queue.shift() ?? defaults(recorded);
    if (answer.drop) return void req.socket.destroy();
    if (answer.hang) return void hanging.push(res);
    const body = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    const type = typeof answer.body === "object" ? "application/json" : "text/html";
    res.writeHead(answer.status, { ...(body ? { "content-type": type } : {}), ...answer.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin + path,
    origin,
    requests,
    script: (...answers) => void queue.push(...answers),
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const DISCORD_PATH = "/api/webhooks/1187654321001234/discord-tok3n-x9";

/** A Discord webhook stand-in (see the file comment). */
export function fakeDiscord(): Promise<ChatStandIn & { rateLimit(seconds: number): Scripted }> {
  return standIn(DISCORD_PATH, (req) => {
    if (req.path.split("?")[0] !== DISCORD_PATH) return { status: 404, body: { message: "Unknown Webhook", code: 10015 } };
    const m = req.json;
    if (!m || typeof m !== "object") return { status: 400, body: { message: "Cannot send an empty message", code: 50006 } };
    if (typeof m.content === "string" && m.content.length > 2000) return formError("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
    if (Array.isArray(m.embeds) && m.embeds.length > 10) return formError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    if (!m.content && !(Array.isArray(m.embeds) && m.embeds.length)) return { status: 400, body: { message: "Cannot send an empty message", code: 50006 } };
    return { status: 204 };
  }).then((s) => ({
    ...s,
    rateLimit: (seconds: number) => ({
      status: 429,
      headers: { "retry-after": String(Math.ceil(seconds)), "x-ratelimit-scope": "user" },
      body: { message: "You are being rate limited.", retry_after: seconds, global: false },
    }),
  }));
}

function formError(field: string, code: string, message: string): Scripted {
  return { status: 400, body: { message: "Invalid Form Body", code: 50035, errors: { [field]: { _errors: [{ code, message }] } } } };
}

export const SLACK_PATH = "/services/T0001/B0000WXYZ/slack-tok3n-x9";

/** A Slack incoming-webhook stand-in (see the file comment). */
export function fakeSlack(): Promise<ChatStandIn> {
  return standIn(SLACK_PATH, (req) => {
    if (req.path !== SLACK_PATH) return { status: 404, body: "no_service" };
    if (req.json === undefined) return { status: 400, body: "invalid_payload" };
    if (!req.json.text && !req.json.blocks) return { status: 400, body: "no_text" };
    return { status: 200, body: "ok" };
  });
}

/** A generic receiver: 200 JSON at any path. */
export function fakeReceiver(): Promise<ChatStandIn> {
  return standIn("/hooks/relay-tok3n-x9", () => ({ status: 200, body: { received: true } }));
}
