import type { HubClient } from "../hub/hub-client.js";
import { context, type Span } from "@opentelemetry/api";
import { handlerFailed, httpErrorResponse, jsonResponse, toError } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import { loggedError } from "../internal/logged-error.js";
import { toResponse } from "../http/to-response.js";
import type { Dispatcher, IncomingDelivery } from "./dispatcher.js";
import { Endpoint } from "./endpoint.js";
import { buildContext } from "./handler-context.js";
import { Skipped } from "../queue/skipped.js";
import { errorType, Telemetry } from "../telemetry/telemetry.js";
import { toTraceparent } from "../telemetry/traceparent.js";

/**
 * Runs the handler inside the request, without a delivery log (`database: false`): the Python server's behaviour,
 * for serverless runtimes and tests. No retry, no record. An `"accepted"` endpoint whose host said how to work after
 * the answer (`runAfterResponse`: a Worker's waitUntil, Next's after) is answered 202 first. Traced like a delivery of the log: a receive span for the
 * request and, inside it, a process span for the handler.
 */
export class InlineDispatcher implements Dispatcher {
  readonly #running = new Set<{ done: Promise<unknown>; abort: AbortController }>();

  constructor(
    private readonly logger: Logger,
    private readonly secrets: readonly string[],
    private readonly hub?: HubClient,
    private readonly telemetry: Telemetry = new Telemetry(),
  ) {}

  async start(): Promise<void> {}

  async dispatch(delivery: IncomingDelivery): Promise<Response> {
    const id = `dlv_${crypto.randomUUID().replaceAll("-", "")}`; // Web Crypto: every runtime has it
    const span = this.telemetry.startReceive({ ...delivery, route: delivery.endpointRef.route });
    const attempt = this.telemetry.startAttempt(
      { id, endpoint: delivery.endpoint, attempts: 1, webhookId: delivery.webhookId, traceparent: toTraceparent(span.spanContext()) },
      true,
    );
    span.setAttribute("messaging.message.id", id);
    try {
      const run = context.with(attempt.context, () => this.#run(delivery, id, attempt.span));
      // An "accepted" endpoint on a host that keeps running after the answer (a Worker's waitUntil, Next's after):
      // 202 now, the handler after it. Its failure is logged by #run; there is no log to retry it from.
      if (delivery.afterResponse && delivery.endpointRef.options.mode === "accepted") {
        delivery.afterResponse(run.catch((error: unknown) => this.logger.error({ err: error, deliveryId: id }, "handler failed after the answer")));
        return this.telemetry.endReceive(span, jsonResponse({ deliveryId: id, status: "accepted" }, 202));
      }
      return this.telemetry.endReceive(span, await run);
    } catch (error) {
      this.telemetry.failReceive(span, error);
      throw error;
    }
  }

  async #run(delivery: IncomingDelivery, id: string, span: Span): Promise<Response> {
    const abort = new AbortController();
    const ctx = buildContext({
      delivery: { ...delivery, id },
      event: Endpoint.eventOf(delivery.payload),
      attempt: 1,
      signal: abort.signal,
      logger: this.logger,
      hub: this.hub,
    });
    const done = Promise.resolve().then(() => delivery.endpointRef.run(delivery.payload, ctx));
    const entry = { done, abort };
    this.#running.add(entry);
    try {
      const value = await done;
      this.telemetry.endAttempt(span, { status: value instanceof Skipped ? "skipped" : "succeeded" });
      return toResponse(value instanceof Skipped ? null : value);
    } catch (thrown) {
      const err = loggedError(toError(thrown), this.secrets);
      ctx.logger.error({ err }, "handler failed");
      this.telemetry.endAttempt(span, { status: "failed", error: { type: errorType(thrown), message: err.message, stack: err.stack ?? null } });
      return httpErrorResponse(handlerFailed(thrown), this.secrets);
    } finally {
      this.#running.delete(entry);
    }
  }

  async close(graceMs: number): Promise<void> {
    if (this.#running.size === 0) return;
    const all = Promise.allSettled([...this.#running].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) for (const r of this.#running) r.abort.abort(new Error("server shutting down"));
  }
}
