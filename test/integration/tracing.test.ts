// OpenTelemetry spans of a delivery, recorded by a real SDK (sdk-trace-base's in-memory exporter) from a real server.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { propagation, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { fixture } from "../../src/payload/index.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { startServer } from "../helpers/server.js";

const track = closeAfterEach();
const tmpDb = () => join(mkdtempSync(join(tmpdir(), "hubhooks-trace-")), "hubhooks.db");
const noJitter = { maxAttempts: 3, initialDelayMs: 1_000, factor: 4, jitter: 0, maxDelayMs: 60_000 };
const CALLER = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" };
const TRACEPARENT = `00-${CALLER.traceId}-${CALLER.spanId}-01`;

function sdk() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const named = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
  return { exporter, provider, named };
}
const contextOf = (span: ReadableSpan) => ({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });

// The application's propagator (NodeSDK registers this one by default): how the request's traceparent is read.
beforeAll(() => void propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

describe("OpenTelemetry spans", () => {
  it("a SERVER span per received delivery, child of the request's traceparent, and a CONSUMER span per attempt", async () => {
    const { provider, named } = sdk();
    const s = track(await startServer({ tracerProvider: provider, webhookSecret: "s3cret" }, (app) =>
      app.addWebhook("bot", () => ({ ok: true })),
    ));
    const res = await s.post("/webhooks/bot?secret=s3cret", fixture("discussion.comment.create"), {
      traceparent: TRACEPARENT, "webhook-id": "wh-traced",
    });
    expect(res.status).toBe(200);
    const id = res.headers.get("x-hubhooks-delivery")!;
    await s.app.queue!.drain();
    const [receive] = named("POST /webhooks/bot");
    const [process] = named("process bot");
    expect(receive).toBeDefined();
    expect(receive!.kind).toBe(SpanKind.SERVER);
    expect(receive!.spanContext().traceId).toBe(CALLER.traceId);
    expect(receive!.parentSpanContext).toMatchObject({ ...CALLER, isRemote: true });
    expect(receive!.attributes).toEqual({
      "http.request.method": "POST",
      "http.route": "/webhooks/bot",
      "url.path": "/webhooks/bot",
      "http.response.status_code": 200,
      "messaging.system": "hubhooks",
      "messaging.operation.type": "receive",
      "messaging.operation.name": "receive",
      "messaging.destination.name": "bot",
      "messaging.message.id": id,
      "messaging.message.body.size": JSON.stringify(fixture("discussion.comment.create")).length,
      "hubhooks.webhook.id": "wh-traced",
    });
    expect(JSON.stringify(receive!.attributes)).not.toContain("s3cret");
    // The first attempt ran from memory in the request: its child (one trace), and linked to it as semconv asks.
    expect(process!.kind).toBe(SpanKind.CONSUMER);
    expect(process!.parentSpanContext?.spanId).toBe(receive!.spanContext().spanId);
    expect(process!.spanContext().traceId).toBe(CALLER.traceId);
    expect(process!.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual([contextOf(receive!)]);
    expect(process!.attributes).toEqual({
      "messaging.system": "hubhooks",
      "messaging.operation.type": "process",
      "messaging.operation.name": "process",
      "messaging.destination.name": "bot",
      "messaging.message.id": id,
      "hubhooks.delivery.attempt": 1,
      "hubhooks.webhook.id": "wh-traced",
      "hubhooks.delivery.status": "succeeded",
    });
    expect(process!.status.code).toBe(SpanStatusCode.UNSET);
    // The receive span's context is what the delivery keeps.
    const stored = await s.app.store!.get(id);
    expect(stored!.traceparent).toBe(`00-${receive!.spanContext().traceId}-${receive!.spanContext().spanId}-01`);
  });

  it("a retry (fake clock) starts its own trace, linked to the original request's span context", async () => {
    const { provider, named } = sdk();
    const clock = new ManualClock();
    let calls = 0;
    const s = track(await startServer({ tracerProvider: provider, clock }, (app) =>
      app.addWebhook("flaky", { retry: noJitter }, () => {
        if (++calls === 1) throw new TypeError("first attempt fails");
        return "ok";
      }),
    ));
    const res = await s.post("/webhooks/flaky", fixture("repo.content.update"));
    expect(await res.json()).toMatchObject({ status: "retrying" });
    clock.advance(1_000);
    await s.app.queue!.drain();
    const [receive] = named("POST /webhooks/flaky");
    const [first, retry] = named("process flaky");
    expect(first!.attributes).toMatchObject({ "hubhooks.delivery.attempt": 1, "hubhooks.delivery.status": "retrying", "error.type": "TypeError" });
    expect(first!.status).toEqual({ code: SpanStatusCode.ERROR, message: "first attempt fails" });
    expect(first!.events.map((e) => [e.name, e.attributes?.["exception.type"], e.attributes?.["exception.message"]])).toEqual([
      ["exception", "TypeError", "first attempt fails"],
    ]);
    expect(retry!.attributes).toMatchObject({ "hubhooks.delivery.attempt": 2, "hubhooks.delivery.status": "succeeded" });
    expect(retry!.parentSpanContext).toBeUndefined();
    expect(retry!.spanContext().traceId).not.toBe(receive!.spanContext().traceId);
    expect(retry!.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual([contextOf(receive!)]);
    expect(receive!.parentSpanContext).toBeUndefined(); // no incoming traceparent: the request's span is a root
  });

  it("links a retry after a restart (a real SQLite file, closed and reopened) to the first process's request", async () => {
    const database = tmpDb();
    const clock = new ManualClock();
    const before = sdk();
    const first = await startServer({ tracerProvider: before.provider, clock, database }, (app) =>
      app.addWebhook("later", { retry: noJitter }, () => {
        throw new Error("the Hub API is down");
      }),
    );
    const res = await first.post("/webhooks/later", fixture("repo.content.update"), { traceparent: TRACEPARENT });
    expect(await res.json()).toMatchObject({ status: "retrying" });
    const id = res.headers.get("x-hubhooks-delivery")!;
    await first.close();
    const [receive] = before.named("POST /webhooks/later");

    const after = sdk();
    clock.advance(24 * 3_600_000); // tomorrow
    const second = track(await startServer({ tracerProvider: after.provider, clock, database }, (app) =>
      app.addWebhook("later", { retry: noJitter }, () => "done"),
    ));
    await second.app.queue!.drain();
    expect((await second.app.store!.get(id))!.status).toBe("succeeded");
    const [retry] = after.named("process later");
    expect(retry!.attributes).toMatchObject({ "messaging.message.id": id, "hubhooks.delivery.attempt": 2 });
    expect(retry!.links).toHaveLength(1);
    expect(retry!.links[0]!.context).toMatchObject({ ...contextOf(receive!), isRemote: true });
    expect(receive!.spanContext().traceId).toBe(CALLER.traceId);
  });

  it("without a tracer provider: the caller's context passes through to the log, and with no propagator nothing is stored", async () => {
    const s = track(await startServer({}, (app) => app.addWebhook("plain", () => "ok")));
    const stored = async () => {
      const res = await s.post("/webhooks/plain", fixture("repo.content.update"), { traceparent: TRACEPARENT });
      expect(res.status).toBe(200);
      return (await s.app.store!.get(res.headers.get("x-hubhooks-delivery")!))!.traceparent;
    };
    expect(await stored()).toBe(TRACEPARENT); // only a propagator: the request's own context is what a retry links to
    propagation.disable(); // nothing registered at all: the API is a no-op
    try {
      expect(await stored()).toBeNull();
    } finally {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    }
  });

  it("database: false traces the request and the handler run inside it", async () => {
    const { provider, named } = sdk();
    const s = track(await startServer({ tracerProvider: provider, database: false }, (app) =>
      app.addWebhook("inline", () => {
        throw new Error("inline failure");
      }),
    ));
    const res = await s.post("/webhooks/inline", fixture("repo.content.update"), { traceparent: TRACEPARENT });
    expect(res.status).toBe(500);
    const [receive] = named("POST /webhooks/inline");
    const [process] = named("process inline");
    expect(receive!.attributes).toMatchObject({ "http.response.status_code": 500 });
    expect(receive!.status.code).toBe(SpanStatusCode.ERROR);
    expect(receive!.parentSpanContext?.spanId).toBe(CALLER.spanId);
    expect(process!.parentSpanContext?.spanId).toBe(receive!.spanContext().spanId);
    expect(process!.attributes).toMatchObject({ "hubhooks.delivery.status": "failed", "error.type": "Error" });
  });
});
