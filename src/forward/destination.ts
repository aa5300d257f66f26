import type { WebhookPayload } from "../payload/schema.js";

/**
 * What a destination gets for one delivery (a subset of the handler context, so alerts and tests can call it too).
 * @example
 * await discord(url).send(payload, { webhookId: null, signal: AbortSignal.timeout(5_000) });
 */
export interface ForwardInput {
  webhookId: string | null;
  signal?: AbortSignal;
  deliveryId?: string;
  /** The event key (`repo.content.update`), for the relay's headers. */
  event?: string;
  /** The body exactly as the Hub sent it (the relay forwards these bytes when it has no `transform`). */
  rawBody?: Uint8Array;
}

/** How one destination call ended: sent (with the service's status) or skipped by `format`/`transform` (with why). */
export type ForwardOutcome = { sent: true; status: number } | { sent: false; skipped: string };

/**
 * A place deliveries are forwarded to: `discord(url)`, `slack(url)` or `http(url)`. `label` is the redacted name
 * (`discord:…/1234`) used in step names, logs, errors and the dashboard; the URL itself never leaves the object.
 * @example
 * const d = discord(process.env.DISCORD_WEBHOOK_URL!);
 * app.addWebhook("notify").forward(d, { on: "repo.content.update" });
 */
export interface Destination {
  readonly kind: "discord" | "slack" | "http";
  readonly label: string;
  /** Send one delivery (throws `ForwardError` to retry, `NonRetryableError` to give up). */
  send(payload: WebhookPayload, input: ForwardInput): Promise<ForwardOutcome>;
  /** Post a plain operational message (alerts); the relay posts `{ text }`. */
  notify(text: string, signal?: AbortSignal): Promise<ForwardOutcome>;
}

const SKIPPED = "format returned null";

/**
 * The outcome of a `format` that returned null.
 * @example
 * if (message === null) return skippedByFormat();
 */
export function skippedByFormat(why = SKIPPED): ForwardOutcome {
  return { sent: false, skipped: why };
}
