import type { HubClient } from "../hub/hub-client.js";
import type { Logger } from "../internal/logger.js";
import type { ResolvedEvent } from "../payload/index.js";
import type { HandlerContext } from "./endpoint.js";
import type { ChangedFile } from "../triggers/parse-diff.js";
import type { RefChange } from "../triggers/ref-changes.js";
import type { ConfigOptions, PayloadRepo } from "./repo-config.js";

/** A delivery as handlers see it, rebuilt the same way on the first attempt and on every retry. */
export interface DeliveryView {
  id: string;
  endpoint: string;
  /** Absolute URL the delivery was posted to, without any `secret` query parameter. */
  url: string;
  body: string;
  /** Lower-cased request headers with the secret removed. */
  headers: Record<string, string>;
  webhookId: string | null;
}

const encoder = new TextEncoder();

interface ContextInput {
  delivery: DeliveryView;
  event: ResolvedEvent;
  attempt: number;
  /** The attempt's signal, or a {@link LazyAbort} that makes one only if the handler reads `ctx.signal`. */
  signal: AbortSignal | LazyAbort;
  logger: Logger;
  hub?: HubClient;
  completedSteps?: readonly string[];
}

/**
 * The handler's `ctx`. What costs something to build (a web `Request`, `Headers`, the body bytes, a child
 * logger, with a {@link LazyAbort} the abort signal) is built on first use: most handlers read the payload and
 * nothing else.
 */
class DeliveryContext implements HandlerContext {
  readonly deliveryId: string;
  readonly attempt: number;
  step = "handler";
  refs: readonly RefChange[] = [];
  changedFiles: () => Promise<ChangedFile[]> = async () => [];
  readonly completedSteps: readonly string[];
  readonly endpoint: string;
  readonly webhookId: string | null;
  readonly event: ResolvedEvent;
  readonly hub?: HubClient;
  readonly #input: ContextInput;
  #headers?: Headers;
  #rawBody?: Uint8Array;
  #request?: Request;
  #logger?: Logger;

  constructor(input: ContextInput) {
    this.#input = input;
    this.deliveryId = input.delivery.id;
    this.attempt = input.attempt;
    this.completedSteps = input.completedSteps ?? [];
    this.endpoint = input.delivery.endpoint;
    this.webhookId = input.delivery.webhookId;
    this.event = input.event;
    if (input.hub) this.hub = input.hub;
  }

  get signal(): AbortSignal {
    const signal = this.#input.signal;
    return signal instanceof LazyAbort ? signal.signal : signal;
  }
  get headers(): Headers {
    return (this.#headers ??= new Headers(this.#input.delivery.headers));
  }
  get rawBody(): Uint8Array {
    return (this.#rawBody ??= encoder.encode(this.#input.delivery.body));
  }
  get request(): Request {
    const { url, body } = this.#input.delivery;
    return (this.#request ??= new Request(url, { method: "POST", headers: this.headers, body }));
  }
  // The reader (and its YAML parser) loads with the first call; the payload's repo is read from the stored body.
  async config<T = Record<string, unknown>>(path?: string, options?: ConfigOptions<T>): Promise<T> {
    const { readRepoConfig } = await import("./repo-config.js");
    return readRepoConfig(this.hub, this.#repo(), path, options, this.signal);
  }
  async cardData(): Promise<Record<string, unknown>> {
    const { readCardData } = await import("./repo-config.js");
    return readCardData(this.hub, this.#repo(), this.signal);
  }
  #repo(): PayloadRepo {
    const repo = (JSON.parse(this.#input.delivery.body) as { repo?: Partial<PayloadRepo> }).repo;
    return { type: String(repo?.type ?? ""), name: String(repo?.name ?? ""), headSha: repo?.headSha ?? null };
  }
  get logger(): Logger {
    const { delivery, attempt, logger } = this.#input;
    return (this.#logger ??= logger.child({ deliveryId: delivery.id, endpoint: delivery.endpoint, webhookId: delivery.webhookId, attempt }));
  }
}

/**
 * An `AbortController` made only when its signal is read: most handlers never read `ctx.signal`, and a controller
 * (its signal, an event target) is the largest object of an attempt. `abort()` before any read is kept, so a signal
 * read afterwards is already aborted, with the reason.
 * @example
 * const abort = new LazyAbort();
 * const ctx = buildContext({ delivery, event, attempt: 1, signal: abort, logger });
 * abort.abort(new Error("server shutting down")); // ctx.signal.aborted === true, whenever it is read
 */
export class LazyAbort {
  #controller?: AbortController;
  #aborted = false;
  #reason: unknown;

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.#controller) this.#controller.abort(reason);
    else if (!this.#aborted) {
      this.#aborted = true;
      this.#reason = reason;
    }
  }
}

/**
 * The context a handler gets, equal on the first attempt and on every retry.
 * @example
 * const ctx = buildContext({ delivery, event: Endpoint.eventOf(payload), attempt: 1, signal, logger });
 */
export function buildContext(input: ContextInput): HandlerContext {
  return new DeliveryContext(input);
}

