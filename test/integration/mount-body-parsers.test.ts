import type { AddressInfo } from "node:net";
import type { IncomingMessage, Server } from "node:http";
import express from "express";
import Fastify from "fastify";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeMiddleware } from "../../src/node/middleware.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { fixture } from "../../src/payload/fixtures.js";
import { silentLogger } from "../helpers/server.js";

// A body parser that ran before hubhooks has consumed the request stream. octokit's middleware then waits for a body
// that never comes (the request hangs until the client gives up); hubhooks must answer at once: with the raw bytes
// kept in req.rawBody the delivery goes through, without them a 500 whose one-line error names the fix. Real Express 5,
// Fastify 5 and Koa 3 servers; every request is bounded so a hang fails the test instead of stalling it.
// Loaded untyped: its types widen node:http's IncomingMessage (rawBody: string) for the whole program.
const { bodyParser } = (await import("@koa/bodyparser" as string)) as { bodyParser: () => Koa.Middleware };
const SECRET = "parser-secret";
const body = JSON.stringify(fixture("repo.content.update"));
const FIX = /^\[hubhooks\] The request body was already read by a body parser .*before hubhooks' middleware: mount createNodeMiddleware\(\) before it, or keep the raw bytes in req\.rawBody/;
const servers: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function hooks() {
  const app = new WebhooksServer({ webhookSecret: SECRET, database: false, logger: silentLogger, print: () => {}, env: {}, handleSignals: false });
  app.addWebhook("train", (payload) => ({ repo: payload.repo.name }));
  return app;
}

async function listening(server: Server): Promise<string> {
  servers.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const deliver = (base: string) =>
  fetch(`${base}/webhooks/train`, {
    method: "POST",
    headers: { "x-webhook-secret": SECRET, "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(5_000), // a hang fails here
  });

async function expectFixNamed(response: Response) {
  expect(response.status).toBe(500);
  expect(((await response.json()) as { error: string }).error).toMatch(FIX);
}

/** A hand-written parser like many in the wild: it reads the stream to its end and keeps only the parsed value. */
function drainingParser(req: IncomingMessage & { body?: unknown }, _res: unknown, next: () => void) {
  let text = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (text += chunk));
  req.on("end", () => ((req.body = JSON.parse(text)), next()));
}

describe("a body parser ran first: never a hang", () => {
  it("Express: express.json(), express.text() and express.raw() without rawBody answer the 500 naming the fix", async () => {
    for (const parser of [express.json(), express.text({ type: "*/*" }), express.raw({ type: "*/*" })]) {
      const app = express().use(parser).use(createNodeMiddleware(hooks()));
      await expectFixNamed(await deliver(await listening(app.listen(0, "127.0.0.1"))));
    }
  });

  it("Express: a parser that drained the stream without any flag (what hangs octokit) answers the same 500", async () => {
    const app = express().use(drainingParser).use(createNodeMiddleware(hooks()));
    await expectFixNamed(await deliver(await listening(app.listen(0, "127.0.0.1"))));
  });

  it("Express: a parser that read part of the body and stopped answers the same 500", async () => {
    const app = express()
      .use((req, _res, next) => void req.once("data", () => (req.pause(), next())))
      .use(createNodeMiddleware(hooks()));
    await expectFixNamed(await deliver(await listening(app.listen(0, "127.0.0.1"))));
  });

  it("Express: with the raw bytes kept (express.json's verify) the delivery goes through", async () => {
    const app = express()
      .use(express.json({ verify: (req, _res, buf) => void Object.assign(req, { rawBody: buf }) }))
      .use(createNodeMiddleware(hooks()));
    const ok = await deliver(await listening(app.listen(0, "127.0.0.1")));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ repo: "some-user/some-repo" });
  });

  it("Fastify: a route whose JSON body Fastify already parsed, handed to the middleware, answers the 500", async () => {
    const fastify = Fastify();
    const middleware = createNodeMiddleware(hooks());
    fastify.post("/webhooks/*", async (request, reply) => {
      reply.hijack();
      await middleware(request.raw, reply.raw);
    });
    await fastify.listen({ port: 0, host: "127.0.0.1" });
    servers.push(fastify);
    await expectFixNamed(await deliver(`http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`));
  });

  it("Koa: @koa/bodyparser app-wide answers the 500; its rawBody handed over as req.rawBody lets the delivery through", async () => {
    for (const keepRaw of [false, true]) {
      const koa = new Koa();
      const middleware = createNodeMiddleware(hooks());
      koa.use(bodyParser());
      koa.use(async (ctx) => {
        if (keepRaw) Object.assign(ctx.req, { rawBody: (ctx.request as unknown as { rawBody: string }).rawBody });
        ctx.respond = false;
        await middleware(ctx.req, ctx.res);
      });
      const response = await deliver(await listening(koa.listen(0, "127.0.0.1")));
      if (keepRaw) expect(await response.json()).toEqual({ repo: "some-user/some-repo" });
      else await expectFixNamed(response);
    }
  });
});
