import { HubhooksError } from "../errors.js";

/** Longest Hub message kept on an error; a 502 from a proxy can be a whole HTML page. */
const MAX_HUB_MESSAGE = 1000;

/**
 * The Hub answered a request with an error status (4xx/5xx, after retries for 429/5xx).
 * `status` is the Hub's HTTP status; `hubMessage` is the Hub's own words. The URL never holds the token
 * (the token only travels in the `Authorization` header).
 * @example
 * try { await hub.getWebhook("nope"); }
 * catch (e) {
 *   if (e instanceof HubApiError && e.status === 404) console.log(e.hubMessage); // "Webhook not found"
 * }
 */
export class HubApiError extends HubhooksError {
  /** `GET`, `POST`, `DELETE`… */
  readonly method: string;
  /** Full URL of the request (no credentials in it). */
  readonly url: string;
  /** The Hub's message: the JSON `error` field if present, else the body text, trimmed. */
  readonly hubMessage: string;
  /** Set on 429/503 when the Hub asked to wait longer than the client's retry budget allows. */
  readonly retryAfterMs?: number;

  constructor(init: {
    method: string;
    url: string;
    status: number;
    hubMessage: string;
    retryAfterMs?: number;
  }) {
    const path = pathOf(init.url);
    const tail = init.hubMessage ? `: ${init.hubMessage}` : "";
    super("HUB_API", `Hub API ${init.method} ${path} failed with ${init.status}${tail}`, { status: init.status });
    this.name = "HubApiError";
    this.method = init.method;
    this.url = init.url;
    this.hubMessage = init.hubMessage;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Extract the Hub's message from an error body: `{"error": "..."}` → that string, else the text itself.
 * Secrets in `redact` are replaced by `***` in case the Hub echoes them.
 * @example
 * hubMessageFromBody('{"error":"Webhook not found"}'); // "Webhook not found"
 */
export function hubMessageFromBody(body: string, redact: readonly string[] = []): string {
  let message = body.trim();
  try {
    const parsed: unknown = JSON.parse(message);
    if (parsed !== null && typeof parsed === "object" && "error" in parsed) {
      const error = (parsed as { error: unknown }).error;
      message = (typeof error === "string" ? error : JSON.stringify(error)).trim();
    }
  } catch {
    // not JSON: keep the text
  }
  for (const secret of redact) if (secret) message = message.split(secret).join("***");
  return message.length > MAX_HUB_MESSAGE ? `${message.slice(0, MAX_HUB_MESSAGE)}…` : message;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}
