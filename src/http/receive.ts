import { HubhooksError, httpErrorResponse } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import { receivedHeaders, type ReceivedHeaders } from "./received-headers.js";
import { parseJsonBody, readBody, type BodySource } from "./read-body.js";
import { verifySecret } from "./verify-secret.js";
import { afterResponseOf, type AfterResponse } from "./after-response.js";

export type InvalidReason = "secret" | "too_large" | "json" | "payload";

/** What the receive path needs of an endpoint: its name and its validation (lenient, or the endpoint's schema). */
export interface ReceivingEndpoint {
  readonly name: string;
  validate(value: unknown): Promise<{ ok: true; payload: unknown } | { ok: false; error: HubhooksError }>;
}

/** A verified and parsed delivery, as the receive path hands it on (the secret out of the URL and headers). */
export interface ReceivedDelivery<E extends ReceivingEndpoint = ReceivingEndpoint> {
  endpointRef: E;
  endpoint: string;
  /** Absolute URL the delivery was posted to, without any `secret` query parameter. */
  url: string;
  body: string;
  /** Lower-cased request headers, without the ones never stored (the secret, cookies, authorization). */
  headers: Record<string, string>;
  webhookId: string | null;
}

/** Where a received delivery goes: recorded and run (the delivery log), or run in the request (inline). */
export interface DeliverySink<E extends ReceivingEndpoint = ReceivingEndpoint> {
  /** `afterResponse`: how the host keeps running after the answer (a Worker's waitUntil, Next's after), if it said. */
  dispatch(delivery: ReceivedDelivery<E> & { payload: unknown; afterResponse?: AfterResponse }): Promise<Response>;
  /** Record a delivery whose payload failed validation (absent: the request gets the validation error, 422). */
  quarantine?(delivery: ReceivedDelivery<E>, value: unknown, error: HubhooksError): Promise<Response>;
}

export interface ReceiveDeps<E extends ReceivingEndpoint = ReceivingEndpoint> {
  secrets: readonly string[];
  bodyLimit: number;
  dispatcher: DeliverySink<E>;
  logger: Logger;
  onInvalid?: (endpoint: string, reason: InvalidReason) => void;
}

const REASONS: Partial<Record<string, InvalidReason>> = {
  SECRET_MISSING: "secret",
  SECRET_INVALID: "secret",
  PAYLOAD_TOO_LARGE: "too_large",
  INVALID_JSON: "json",
  JSON_TOO_DEEP: "json",
  INVALID_PAYLOAD: "payload",
};

/**
 * The receive path of one POST to an endpoint, in this order: verify the secret (before the body is read, so an
 * unauthenticated caller learns nothing about payload rules) → read the raw body within the limit → parse JSON →
 * validate → hand to the dispatcher.
 */
export async function receive<E extends ReceivingEndpoint>(
  request: BodySource,
  url: URL,
  endpoint: E,
  deps: ReceiveDeps<E>,
  headers: ReceivedHeaders = receivedHeaders(request as Request), // a reader (the Node fast path) passes its headers
): Promise<Response> {
  try {
    await verifySecret(headers, url, deps.secrets);
    const rawBody = await readBody(request, deps.bodyLimit, headers.get("content-length"));
    const { text, value } = parseJsonBody(rawBody);
    const validation = await endpoint.validate(value);
    const delivery: ReceivedDelivery<E> = {
      endpointRef: endpoint,
      endpoint: endpoint.name,
      url: urlForStorage(url),
      body: text,
      headers: headers.forStorage(),
      // An empty Webhook-Id is no id (SPEC section 1): it must not make unrelated deliveries duplicates.
      webhookId: headers.get("webhook-id") || null,
    };
    if (!validation.ok) {
      if (!deps.dispatcher.quarantine) throw validation.error;
      deps.onInvalid?.(endpoint.name, "payload");
      return await deps.dispatcher.quarantine(delivery, value, validation.error);
    }
    const afterResponse = typeof request === "function" ? undefined : afterResponseOf(request);
    return await deps.dispatcher.dispatch({ ...delivery, payload: validation.payload, ...(afterResponse ? { afterResponse } : {}) });
  } catch (error) {
    if (error instanceof HubhooksError) {
      const reason = REASONS[error.code];
      if (reason) {
        deps.onInvalid?.(endpoint.name, reason);
        const webhookId = headers.get("webhook-id") || null;
        deps.logger.warn({ endpoint: endpoint.name, webhookId, code: error.code, status: error.status }, "rejected delivery");
      }
    } else {
      deps.logger.error({ err: error, endpoint: endpoint.name, webhookId: headers.get("webhook-id") || null }, "delivery failed");
    }
    return httpErrorResponse(error, deps.secrets);
  }
}

/**
 * The request URL without a `secret` query parameter: what is stored with the delivery and shown to handlers.
 * @example
 * urlForStorage(new URL("https://x.hf.space/webhooks/a?secret=s&v=1")); // "https://x.hf.space/webhooks/a?v=1"
 */
export function urlForStorage(url: URL): string {
  if (!url.searchParams.has("secret")) return url.toString();
  const copy = new URL(url);
  copy.searchParams.delete("secret");
  return copy.toString();
}
