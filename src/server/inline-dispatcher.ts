import type { HubClient } from "../hub/hub-client.js";
import { randomUUID } from "node:crypto";
import { context, type Span } from "@opentelemetry/api";
import { handlerFailed, httpErrorResponse, toError } from "../errors.js";
import { loggedError, type Logger } from "../internal/logger.js";
import { toResponse } from "../http/to-response.js";
import type { Dispatcher, IncomingDelivery } from "./dispatcher.js";
import { Endpoint } from "./endpoint.js";
import { buildContext, LazyAbort } from "./handler-context.js";
import { Skipped } from "../queue/skipped.js";
import { errorType, Telemetry } from "../telemetry/telemetry.js";
import { toTraceparent } from "../telemetry/traceparent.js";

/**
 * Runs the handler inside the request, without a delivery log (`database: false`): the Python server's behaviour,
 * for serverless runtimes and tests. No retry, no record. Traced like a delivery of the log: a receive span for the
 * request and, inside it, a process span for the handler.
 */
export class InlineDispatcher implements Dispatcher {
  readonly #running = new Set<{ done: Promise<unknown>; abort: LazyAbort }>();

  constructor(
    private readonly logger: Logger,
    private readonly secrets: readonly string[],
    private readonly hub?: HubClient,
    private readonly telemetry: Telemetry = new Telemetry(),
  ) {}

  async start(): Promise<void> {}

  async dispatch(delivery: IncomingDelivery): Promise<Response> {
    const id = `dlv_${randomUUID().replaceAll("-", "")}`;
    const span = this.telemetry.startReceive(delivery, delivery.endpointRef.route);
    const attempt = this.telemetry.startAttempt(
      { id, endpoint: delivery.endpoint, attempts: 1, webhookId: delivery.webhookId, traceparent: toTraceparent(span.spanContext()) },
      true,
    );
    span.setAttribute("messaging.message.id", id);
    try {
      return this.telemetry.endReceive(span, await context.with(attempt.context, () => this.#run(delivery, id, attempt.span)));
    } catch (error) {
      this.telemetry.failReceive(span, error);
      throw error;
    }
  }

  async #run(delivery: IncomingDelivery, id: string, span: Span): Promise<Response> {
    const abort = new LazyAbort(); // a controller only if the handler reads ctx.signal
    const ctx = buildContext({
      delivery: { ...delivery, id },
      event: Endpoint.eventOf(delivery.payload),
      attempt: 1,
      signal: abort,
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
