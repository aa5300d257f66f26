import { HubhooksError, redactText } from "../errors.js";
import { reasonOf } from "../internal/reason-of.js";
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
  /**
   * Whether sending it twice is harmless. Default: GET and DELETE are, POST is not (a comment, a merge, a new
   * webhook): a POST is retried only when it certainly did not reach the Hub (connection refused) or the Hub
   * refused it with 429/503 and a `Retry-After`.
   */
  idempotent?: boolean;
}

/** Per call: `signal` aborts the request and any wait between retries (handlers pass `ctx.signal`). */
export interface HubCallOptions {
  signal?: AbortSignal;
}

/**
 * Send a request with bounded retries: 429, 5xx and network errors are retried with exponential backoff,
 * or after exactly `Retry-After` when the Hub sends one. A `Retry-After` longer than `retry.maxDelayMs`
 * ends the retries at once (a {@link HubApiError} with `retryAfterMs`), so callers can reschedule instead
 * of blocking. Other 4xx fail at once. Network failures after the last attempt throw a `HUB_API`
 * {@link HubhooksError} with status 502 and the cause attached.
 * A request that is not idempotent (a POST, unless marked) is retried only when it certainly was not applied:
 * the connection was refused (nothing left this machine), or the Hub answered 429/503 with `Retry-After`. A
 * dropped connection, a timeout or another 5xx may come after the Hub applied it, so it is not sent again.
 * @example
 * const webhooks = await sendHubRequest(resolveHubClientOptions({ token }), {
 *   method: "GET", path: "/api/settings/webhooks", auth: "required", response: "json",
 * });
 */
export async function sendHubRequest(
  options: ResolvedHubClientOptions,
  request: HubRequest,
  call: HubCallOptions = {},
): Promise<unknown> {
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
  const idempotent = request.idempotent ?? method !== "POST";
  const { signal } = call;

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      response = await options.fetch(url, { method, headers, body, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      const mayHaveArrived = !connectionRefused(cause);
      if (attempt >= retry.maxAttempts || (!idempotent && mayHaveArrived)) {
        if (!idempotent && mayHaveArrived) {
          const reason = redactText(reasonOf(cause), redact);
          throw new HubhooksError(
            "HUB_API",
            `Hub API ${method} ${path} failed: network error reaching ${hostOf(url)} (${reason}); not retried, since the Hub may have applied it`,
            { status: 502, cause },
          );
        }
        const reason = redactText(reasonOf(cause), redact);
        throw new HubhooksError(
          "HUB_API",
          `Hub API ${method} ${path} failed after ${attempt} attempt(s): network error reaching ${hostOf(url)} (${reason})`,
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
    // Not idempotent: only an explicit "come back later" (429/503 with Retry-After) says it was not applied.
    const refused = (response.status === 429 || response.status === 503) && retryAfterMs !== undefined;
    if (!isRetryableStatus(response.status) || attempt >= retry.maxAttempts || tooLong || (!idempotent && !refused)) {
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

/** fetch's error when nothing was sent: the connection was refused (undici puts the errno in `cause`). */
function connectionRefused(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "ECONNREFUSED") return true;
  }
  return false;
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

// Offline, "fetch failed" alone does not say which Hub (HF_ENDPOINT may point elsewhere): name its host.
function hostOf(url: string): string {
  return new URL(url).host;
}
