import type { HubClient } from "../hub/hub-client.js";
import { randomUUID } from "node:crypto";
import { handlerFailed, httpErrorResponse } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import { toResponse } from "../http/to-response.js";
import type { Dispatcher, IncomingDelivery } from "./dispatcher.js";
import { Endpoint } from "./endpoint.js";
import { buildContext } from "./handler-context.js";
import { Skipped } from "../queue/skipped.js";

/**
 * Runs the handler inside the request, without a delivery log (`database: false`): the Python server's behaviour,
 * for serverless runtimes and tests. No retry, no record.
 */
export class InlineDispatcher implements Dispatcher {
  readonly #running = new Set<{ done: Promise<unknown>; abort: AbortController }>();

  constructor(
    private readonly logger: Logger,
    private readonly secrets: readonly string[],
    private readonly hub?: HubClient,
  ) {}

  async start(): Promise<void> {}

  async dispatch(delivery: IncomingDelivery): Promise<Response> {
    const abort = new AbortController();
    const id = `dlv_${randomUUID().replaceAll("-", "")}`;
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
      return toResponse(value instanceof Skipped ? null : value);
    } catch (error) {
      ctx.logger.error({ err: error }, "handler failed");
      return httpErrorResponse(handlerFailed(error), this.secrets);
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
