import type { WebhookPayload } from "../payload/schema.js";
import { checkUrl, destinationLabel } from "./destination-label.js";
import { skippedByFormat, type Destination, type ForwardInput } from "./destination.js";
import { postMessage, type SendOptions } from "./post-message.js";

/**
 * Options of {@link http}.
 * @example
 * http(url, { secret: process.env.RELAY_SECRET, transform: (p) => ({ repo: p.repo.name }) });
 */
export interface HttpOptions extends SendOptions {
  /** Extra request headers (e.g. an `Authorization`); never logged. */
  headers?: Record<string, string>;
  /** Sent as `X-Webhook-Secret`, the way the Hub sends its own. */
  secret?: string;
  /** The JSON body to send instead of the original payload, or `null` to skip this delivery here. */
  transform?: (payload: WebhookPayload, input: ForwardInput) => unknown;
}

/**
 * Relay deliveries to any URL: POST the original body (byte for byte) or `transform`'s JSON, with the original
 * `Webhook-Id` (the receiver can deduplicate as hubhooks does), `X-Hubhooks-Event`, `X-Hubhooks-Delivery` and an
 * optional `X-Webhook-Secret`. 2xx succeeds; 429 waits `Retry-After`; 5xx retries; other 4xx give up.
 * @example
 * import { http } from "hubhooks/forward";
 * app.addWebhook("relay").forward(http("https://ci.example.com/hooks/hf", { secret: process.env.CI_SECRET }));
 */
export function http(url: string, options: HttpOptions = {}): Destination {
  checkUrl("http", url);
  const label = destinationLabel("http", url);
  const base = { "content-type": "application/json", "user-agent": "hubhooks", ...options.headers,
    ...(options.secret ? { "x-webhook-secret": options.secret } : {}) };
  const post = (body: string, headers: Record<string, string>, signal?: AbortSignal) =>
    postMessage({ url, label, signal, body, headers: { ...base, ...headers }, describe: (_s, text) => text }, options)
      .then(({ status }) => ({ sent: true as const, status }));
  return {
    kind: "http",
    label,
    async send(payload, input) {
      const headers: Record<string, string> = {};
      if (input.webhookId) headers["webhook-id"] = input.webhookId;
      if (input.event) headers["x-hubhooks-event"] = input.event;
      if (input.deliveryId) headers["x-hubhooks-delivery"] = input.deliveryId;
      let body: string;
      if (options.transform) {
        const value = await options.transform(payload, input);
        if (value === null) return skippedByFormat("transform returned null");
        body = typeof value === "string" ? value : JSON.stringify(value);
      } else {
        body = input.rawBody ? new TextDecoder().decode(input.rawBody) : JSON.stringify(payload);
      }
      return post(body, headers, input.signal);
    },
    notify: (text, signal) => post(JSON.stringify({ text }), {}, signal),
  };
}
