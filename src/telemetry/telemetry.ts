import {
  context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace,
  type Context, type Link, type Span, type Tracer, type TracerProvider,
} from "@opentelemetry/api";
import { plainResponse } from "../errors.js";
import { urlPath } from "../internal/url-path.js";
import { parseTraceparent } from "./traceparent.js";

/** `messaging.system` of every span: hubhooks is the messaging system between the Hub and the handlers. */
export const MESSAGING_SYSTEM = "hubhooks";

/** What the receive span is told about a delivery the Hub posted. */
export interface ReceivedRequest {
  endpoint: string;
  /** The URL as received, without `?secret=`. */
  url: string;
  /** Lower-cased headers (the secret already removed): `traceparent` is read from them. */
  headers: Record<string, string>;
  webhookId: string | null;
  body: string;
}

/** What an attempt span needs to know about its delivery. */
export interface AttemptSubject {
  id: string;
  endpoint: string;
  attempts: number;
  webhookId: string | null;
  /** The context of the request that recorded it (W3C traceparent), if it was traced. */
  traceparent: string | null;
}

/** How an attempt ended, for its span. */
export interface AttemptEnd {
  /** The delivery's status after the attempt: succeeded, retrying (a retry is due), dead,
   * skipped, invalid; `failed` without the log (`database: false`: no retry of ours). */
  status: string;
  /** The failure, its text with the secrets already removed; `type` becomes `error.type`. */
  error?: { type: string; message: string; stack?: string | null };
}

/**
 * hubhooks' spans, through `@opentelemetry/api`: a no-op until the application registers an SDK (or passes a
 * `tracerProvider`). A SERVER span per received delivery (HTTP and messaging "receive" attributes), a CONSUMER
 * span per attempt (messaging "process"), which links to the request that recorded the delivery, from the context
 * stored with it: a retry tomorrow, in another process, still links to today's request.
 * @example
 * const telemetry = new Telemetry(provider); // or new Telemetry() for the global provider
 * const span = telemetry.startReceive({ endpoint: "bot", url, headers, webhookId, body }, "/webhooks/bot");
 */
export class Telemetry {
  readonly #provider: TracerProvider | undefined;
  #tracer: Tracer | undefined;

  constructor(provider?: TracerProvider) {
    this.#provider = provider;
  }

  /** The global provider's tracer is a proxy: an SDK registered after this call is still used. */
  get tracer(): Tracer {
    return (this.#tracer ??= (this.#provider ?? trace.getTracerProvider()).getTracer("hubhooks"));
  }

  /**
   * The span of one received delivery, as a child of the active span (an HTTP instrumentation's) or else of the
   * request's own trace context (`traceparent`, read by the application's propagator).
   */
  startReceive(request: ReceivedRequest, route: string): Span {
    const active = context.active();
    const nested = trace.getSpan(active) !== undefined;
    const parent = nested ? active : propagation.extract(active, request.headers);
    const span = this.tracer.startSpan(
      `POST ${route}`,
      {
        kind: nested ? SpanKind.INTERNAL : SpanKind.SERVER,
        // What a sampler may look at; the rest only when the span records (nothing to build without an SDK).
        attributes: {
          "http.request.method": "POST",
          "http.route": route,
          "messaging.system": MESSAGING_SYSTEM,
          "messaging.operation.type": "receive",
          "messaging.destination.name": request.endpoint,
        },
      },
      parent,
    );
    if (span.isRecording()) {
      span.setAttributes({
        "url.path": urlPath(request.url),
        "messaging.operation.name": "receive",
        "messaging.message.body.size": utf8Length(request.body),
        ...(request.webhookId ? { "hubhooks.webhook.id": request.webhookId } : {}),
      });
    }
    return span;
  }

  /** End a receive span with the response's status (and its delivery id); 5xx is an error, as for HTTP servers. */
  endReceive(span: Span, response: Response): Response {
    // A JSON answer's headers are read from what it was made of (reading a web Response's headers builds them).
    const plain = plainResponse(response);
    const id = plain ? plain.headers["x-hubhooks-delivery"] : response.headers.get("x-hubhooks-delivery");
    if (id) span.setAttribute("messaging.message.id", id);
    span.setAttribute("http.response.status_code", response.status);
    if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR }).setAttribute("error.type", String(response.status));
    span.end();
    return response;
  }

  /** End a receive span whose handling threw. */
  failReceive(span: Span, error: unknown): void {
    span.setStatus({ code: SpanStatusCode.ERROR }).setAttribute("error.type", errorType(error));
    span.end();
  }

  /**
   * The span of one attempt, and the context its handler runs in. It links to the recording request's context; the
   * first attempt run from memory in that request is also its child (one trace), every other one (a retry, a
   * restart, another replica) starts a trace of its own.
   */
  startAttempt(delivery: AttemptSubject, inRequest: boolean): { span: Span; context: Context } {
    const recorded = parseTraceparent(delivery.traceparent);
    const links: Link[] = recorded ? [{ context: recorded }] : [];
    const parent = recorded && inRequest ? trace.setSpanContext(ROOT_CONTEXT, { ...recorded, isRemote: false }) : ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      `process ${delivery.endpoint}`,
      {
        kind: SpanKind.CONSUMER,
        links,
        attributes: {
          "messaging.system": MESSAGING_SYSTEM,
          "messaging.operation.type": "process",
          "messaging.destination.name": delivery.endpoint,
        },
      },
      parent,
    );
    if (!span.isRecording()) {
      // No SDK: nothing to run the handler in. Sampled out: its context still goes down, so children are dropped too.
      return { span, context: isSpanContextValid(span.spanContext()) ? trace.setSpan(parent, span) : parent };
    }
    span.setAttributes({
      "messaging.operation.name": "process",
      "messaging.message.id": delivery.id,
      "hubhooks.delivery.attempt": delivery.attempts,
      ...(delivery.webhookId ? { "hubhooks.webhook.id": delivery.webhookId } : {}),
    });
    return { span, context: trace.setSpan(parent, span) };
  }

  /** End an attempt span once the attempt's outcome is written. */
  endAttempt(span: Span, end: AttemptEnd): void {
    span.setAttribute("hubhooks.delivery.status", end.status);
    const { error } = end;
    if (error) {
      span.recordException({ name: error.type, message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
      span.setAttribute("error.type", error.type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    span.end();
  }
}

/** `error.type`: the error's class name (low cardinality), `_OTHER` for what is not an Error. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return "_OTHER";
  return error.constructor?.name || error.name || "Error";
}

const encoder = new TextEncoder();
/** The body's size in bytes, with web APIs only (no `Buffer` in the Edge runtime); computed only for a recorded span. */
function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
