import type { HubClient } from "../hub/hub-client.js";
import type { Logger } from "../internal/logger.js";
import type { ResolvedEvent } from "../payload/index.js";
import type { HandlerContext } from "./endpoint.js";

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

export function buildContext(input: {
  delivery: DeliveryView;
  event: ResolvedEvent;
  attempt: number;
  signal: AbortSignal;
  logger: Logger;
  hub?: HubClient;
}): HandlerContext {
  const { delivery } = input;
  const headers = new Headers(delivery.headers);
  const rawBody = encoder.encode(delivery.body);
  return {
    request: new Request(delivery.url, { method: "POST", headers, body: delivery.body }),
    rawBody,
    headers,
    signal: input.signal,
    logger: input.logger.child({ deliveryId: delivery.id, endpoint: delivery.endpoint, attempt: input.attempt }),
    deliveryId: delivery.id,
    attempt: input.attempt,
    endpoint: delivery.endpoint,
    webhookId: delivery.webhookId,
    event: input.event,
    hub: input.hub,
  };
}

/** Lower-cased headers without the secret (it must never be stored, logged or shown). */
export function headersForStorage(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key !== "x-webhook-secret" && key !== "authorization" && key !== "cookie") out[key] = value;
  });
  return out;
}

/** The request URL without a `secret` query parameter. */
export function urlForStorage(url: URL): string {
  if (!url.searchParams.has("secret")) return url.toString();
  const copy = new URL(url);
  copy.searchParams.delete("secret");
  return copy.toString();
}
