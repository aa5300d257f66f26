import { HubhooksError, redactText, toError } from "../errors.js";
import { HubApiError, hubMessageFromBody } from "./hub-api-error.js";
import type { ResolvedHubClientOptions } from "./hub-client-options.js";
import { backoffDelay, isRetryableStatus, parseRetryAfter } from "./retry-delay.js";

/**
 * One call to the Hub, described as data so request builders stay pure and testable.
 * @example
 * const req: HubRequest = { method: "GET", path: "/api/settings/webhooks", auth: "required", response: "json" };
 */
export interface HubRequest {
  method: "GET" | "POST" | "DELETE";
  /** Path below the endpoint, already encoded, starting with `/` (may carry a query). */
  path: string;
  /** JSON body; when present `content-type: application/json` is sent. */
  body?: unknown;
  /** `required`: fail before any I/O without a token. `optional`: send the token if there is one. */
  auth: "required" | "optional";
  /** How to read a successful answer. */
  response: "json" | "text" | "none";
  /** Values (e.g. a webhook secret) that must never appear in an error message. */
  redact?: readonly string[];
}

/**
 * Send a request with bounded retries: 429, 5xx and network errors are retried with exponential backoff,
 * or after exactly `Retry-After` when the Hub sends one. A `Retry-After` longer than `retry.maxDelayMs`
 * ends the retries at once (a {@link HubApiError} with `retryAfterMs`), so callers can reschedule instead
 * of blocking. Other 4xx fail at once. Network failures after the last attempt throw a `HUB_API`
 * {@link HubhooksError} with status 502 and the cause attached.
 * Note: a retried POST may be applied twice if the Hub processed it before failing (e.g. a 504).
 * @example
 * const webhooks = await sendHubRequest(resolveHubClientOptions({ token }), {
 *   method: "GET", path: "/api/settings/webhooks", auth: "required", response: "json",
 * });
 */
export async function sendHubRequest(options: ResolvedHubClientOptions, request: HubRequest): Promise<unknown> {
  const { method, path } = request;
  if (request.auth === "required" && !options.token) {
    throw new HubhooksError(
      "UNAUTHORIZED",
      `Hub API ${method} ${path} needs a Hugging Face token: set HF_TOKEN (or pass { token } to HubClient)`,
      { status: 401 },
    );
  }
  const url = options.endpoint + path;
  const redact = [options.token ?? "", ...(request.redact ?? [])].filter((s) => s !== "");
  const headers: Record<string, string> = {
    accept: request.response === "text" ? "text/plain, */*" : "application/json",
    "user-agent": options.userAgent,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const { retry } = options;

  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await options.fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (cause) {
      if (attempt >= retry.maxAttempts) {
        const reason = redactText(toError(cause).message, redact);
        throw new HubhooksError(
          "HUB_API",
          `Hub API ${method} ${path} failed after ${attempt} attempt(s): network error (${reason})`,
          { status: 502, cause },
        );
      }
      await options.sleep(backoffDelay(attempt, retry));
      continue;
    }
    if (response.ok) return readSuccess(response, request);

    const hubMessage = hubMessageFromBody(await response.text().catch(() => ""), redact);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), options.clock.now());
    const tooLong = retryAfterMs !== undefined && retryAfterMs > retry.maxDelayMs;
    if (!isRetryableStatus(response.status) || attempt >= retry.maxAttempts || tooLong) {
      throw new HubApiError({
        method,
        url,
        status: response.status,
        hubMessage,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    await options.sleep(retryAfterMs ?? backoffDelay(attempt, retry));
  }
}

async function readSuccess(response: Response, request: HubRequest): Promise<unknown> {
  const text = await response.text();
  if (request.response === "none") return undefined;
  if (request.response === "text") return text;
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new HubhooksError("HUB_API", `Hub API ${request.method} ${request.path} returned invalid JSON`, {
      status: 502,
      cause,
    });
  }
}
