import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { fixture } from "../../src/payload/index.js";
import type { WebhooksServer } from "../../src/server/webhooks-server.js";
import { WebhooksServer as Server } from "../../src/server/webhooks-server.js";
import { nodeListener } from "../../src/node/node-listener.js";
import { silentLogger, startServer } from "../helpers/server.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const track = closeAfterEach();
const SECRET = "fast-path-secret";

/** One endpoint per way a handler answers: a value, its own Response, a throw (retried: 202). */
function setup(app: WebhooksServer): void {
  app.addWebhook("value", () => ({ ok: true }));
  app.addWebhook("own", () => new Response("custom", { status: 201, headers: { "x-own": "yes", "content-type": "text/plain" } }));
  app.addWebhook("throws", () => {
    throw new Error("boom");
  });
  app.addWebhook("accepted", { mode: "accepted" }, () => null);
}

interface Case {
  name: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
}

const comment = JSON.stringify(fixture("discussion.comment.create"));
const CASES: Case[] = [
  { name: "a delivery", path: "/webhooks/value", body: comment },
  { name: "the secret in ?secret=", path: `/webhooks/value?secret=${SECRET}`, body: comment, headers: { "x-webhook-secret": "" } },
  { name: "a trailing slash", path: "/webhooks/value/", body: comment },
  { name: "the handler's own Response", path: "/webhooks/own", body: comment },
  { name: "a handler that throws", path: "/webhooks/throws", body: comment },
  { name: "accepted mode", path: "/webhooks/accepted", body: comment },
  { name: "a payload that fails validation", path: "/webhooks/value", body: '{"event":42}' },
  { name: "a wrong secret", path: "/webhooks/value", body: comment, headers: { "x-webhook-secret": "wrong" } },
  { name: "no secret", path: "/webhooks/value", body: comment, headers: { "x-webhook-secret": "" } },
  { name: "invalid JSON", path: "/webhooks/value", body: "{nope" },
  { name: "an empty body", path: "/webhooks/value", body: "" },
  { name: "a body over the limit", path: "/webhooks/value", body: JSON.stringify({ pad: "x".repeat(5000) }) },
  { name: "an unknown endpoint", path: "/webhooks/missing", body: comment },
  { name: "dot segments", path: "/webhooks/x/../value", body: comment },
];

/** What must agree between the two paths: status, content type, body (ids and times blanked), delivery header. */
async function shape(response: Response) {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text, (key, value) => (key === "deliveryId" || key === "nextAttemptAt" ? "<blank>" : value));
  } catch {
    /* text */
  }
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    own: response.headers.get("x-own"),
    delivery: response.headers.has("x-hubhooks-delivery"),
    body,
  };
}

describe("the Node fast path of launch() (real listening server)", () => {
  it("answers a webhook POST without going through app.fetch, and everything else through it", async () => {
    let viaFetch = 0;
    const s = track(await startServer({ webhookSecret: SECRET }, (app) => {
      setup(app);
      const fetch = app.fetch;
      app.fetch = (request, env) => {
        viaFetch++;
        return fetch(request, env);
      };
    }));
    const delivered = await s.post("/webhooks/value", comment, { "x-webhook-secret": SECRET });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ ok: true });
    expect(delivered.headers.get("content-length")).toBe("11");
    expect(viaFetch).toBe(0);
    expect((await fetch(`${s.info.localUrl}/webhooks/value`)).status).toBe(405);
    expect((await fetch(`${s.info.localUrl}/healthz`)).status).toBe(200);
    expect(viaFetch).toBe(2);
  });

  it("answers every case exactly as app.fetch does (status, content type, body, delivery header)", async () => {
    const s = track(await startServer({ webhookSecret: SECRET, bodyLimit: 4096 }, setup));
    for (const c of CASES) {
      const headers = { "content-type": "application/json", "x-webhook-secret": SECRET, ...c.headers };
      if (headers["x-webhook-secret"] === "") delete (headers as Record<string, string>)["x-webhook-secret"];
      const fast = await fetch(s.info.localUrl + c.path, { method: "POST", headers, body: c.body });
      const web = await s.app.fetch(new Request(s.info.localUrl + c.path, { method: "POST", headers, body: c.body }));
      expect({ case: c.name, ...(await shape(fast)) }).toEqual({ case: c.name, ...(await shape(web)) });
    }
  });

  it("records nothing for a client that hangs up mid-body, and keeps serving", async () => {
    const s = track(await startServer({ webhookSecret: SECRET }, setup));
    const { port } = new URL(s.info.localUrl);
    const socket = net.connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST /webhooks/value HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `X-Webhook-Secret: ${SECRET}\r\nContent-Length: ${comment.length}\r\n\r\n${comment.slice(0, 20)}`,
    );
    await new Promise<void>((resolve) => socket.end(() => resolve()));
    socket.destroy();
    const next = await s.post("/webhooks/value", comment, { "x-webhook-secret": SECRET });
    expect(next.status).toBe(200);
    await s.app.queue!.drain();
    expect(await s.app.store!.count({})).toBe(1);
  });

  it("stores https:// for a request that came over TLS (its socket encrypted), as the web path does", async () => {
    const app = track(new Server({ webhookSecret: SECRET, database: ":memory:", logger: silentLogger, print: () => {}, handleSignals: false, env: {} }));
    app.addWebhook("value", () => null);
    await app.start();
    const listener = nodeListener(app);
    // What node:https hands over, minus the TLS: a socket whose `encrypted` is true.
    const server = http.createServer((req, res) => {
      Object.defineProperty(req.socket, "encrypted", { value: true, configurable: true });
      void listener(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    track({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/value`, { method: "POST", headers: { "x-webhook-secret": SECRET }, body: comment });
    expect(res.status).toBe(200);
    const { items } = await app.store!.list({}, { limit: 5 });
    expect(items.map((d) => d.url)).toEqual([`https://127.0.0.1:${port}/webhooks/value`]);
  });
});
