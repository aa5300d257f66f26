import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { buildContext, LazyAbort } from "../../src/server/handler-context.js";
import { Endpoint } from "../../src/server/endpoint.js";
import { fixture } from "../../src/payload/index.js";

const delivery = { id: "dlv_1", endpoint: "bot", url: "http://127.0.0.1/webhooks/bot", body: "{}", headers: {}, webhookId: null };
const context = (signal: LazyAbort) =>
  buildContext({ delivery, event: Endpoint.eventOf(fixture("repo.create")), attempt: 1, signal, logger: pino({ level: "silent" }) });

describe("LazyAbort: the attempt's AbortController, made only when ctx.signal is read", () => {
  it("hands out one signal, which a later abort() aborts with its reason", () => {
    const abort = new LazyAbort();
    const ctx = context(abort);
    const signal = ctx.signal;
    expect(ctx.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error("server shutting down");
    abort.abort(reason);
    expect([signal.aborted, signal.reason]).toEqual([true, reason]);
  });

  it("keeps an abort() that came before any read: the signal read afterwards is already aborted", () => {
    const abort = new LazyAbort();
    const reason = new Error("timed out");
    abort.abort(reason);
    abort.abort(new Error("a second reason is ignored, as AbortController does"));
    const signal = context(abort).signal;
    expect([signal.aborted, signal.reason]).toEqual([true, reason]);
  });
});
