import { HubhooksError, httpErrorResponse } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import type { Dispatcher } from "../server/dispatcher.js";
import type { Endpoint } from "../server/endpoint.js";
import { urlForStorage } from "../server/handler-context.js";
import { receivedHeaders, type ReceivedHeaders } from "./received-headers.js";
import { parseJsonBody, readBody, type BodySource } from "./read-body.js";
import { verifySecret } from "./verify-secret.js";

export type InvalidReason = "secret" | "too_large" | "json" | "payload";

export interface ReceiveDeps {
  secrets: readonly string[];
  bodyLimit: number;
  dispatcher: Dispatcher;
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
export async function receive(
  request: BodySource,
  url: URL,
  endpoint: Endpoint,
  deps: ReceiveDeps,
  headers: ReceivedHeaders = receivedHeaders(request as Request), // a reader (the Node fast path) passes its headers
): Promise<Response> {
  try {
    verifySecret(headers, url, deps.secrets);
    const rawBody = await readBody(request, deps.bodyLimit, headers.get("content-length"));
    const { text, value } = parseJsonBody(rawBody);
    const validation = await endpoint.validate(value);
    const delivery = {
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
    return await deps.dispatcher.dispatch({ ...delivery, payload: validation.payload });
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
