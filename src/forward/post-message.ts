import { HubhooksError, NonRetryableError } from "../errors.js";
import { parseRetryAfter } from "../hub/retry-delay.js";
import { shorten } from "./event-message.js";

/**
 * How a destination sends: injected `fetch` and `wait` (tests drive rate limits without sleeping), the per-call
 * timeout, and how long a rate limit may hold the step before the attempt is given up to the queue's backoff.
 * @example
 * discord(url, { timeoutMs: 5_000, maxRateLimitWaitMs: 30_000 });
 */
export interface SendOptions {
  fetch?: typeof fetch;
  /** Per call. Default 10 s. */
  timeoutMs?: number;
  /** Longest total `Retry-After` wait of one call (beyond it the attempt fails and the queue retries). Default 60 s. */
  maxRateLimitWaitMs?: number;
  /** How a rate-limit wait happens. Default a timer; tests pass a function that records the wait. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * A destination call that failed in a way worth retrying (5xx, network, timeout, a rate limit too long to wait):
 * the queue retries it with the endpoint's backoff. Its message names the destination by its redacted label.
 * @example
 * if (error instanceof ForwardError) console.log(error.status); // 503, or null for a network error
 */
export class ForwardError extends HubhooksError {
  constructor(message: string, readonly responseStatus: number | null, readonly retryAfterMs?: number) {
    super("FORWARD_FAILED", message, { status: 502 });
    this.name = "ForwardError";
  }
}

/** One POST of a destination. */
export interface PostRequest {
  url: string;
  /** The redacted name used in every message (`discord:…/1234`). */
  label: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
  /** The service's own words for an error answer (Discord's JSON `message`, Slack's text). */
  describe: (status: number, text: string) => string;
  /** Milliseconds to wait from a 429's body (Discord's `retry_after`), when the service puts it there. */
  bodyRetryAfter?: (text: string) => number | undefined;
}

const RATE_LIMIT_RETRIES = 5;
const DEFAULTS = { timeoutMs: 10_000, maxRateLimitWaitMs: 60_000 };

/**
 * POST with the rules every destination shares: 2xx succeeds; 429 waits `Retry-After` (or the body's
 * `retry_after`) and tries again, up to 5 times and `maxRateLimitWaitMs` in all, without failing the attempt; 5xx, network errors and timeouts throw
 * a {@link ForwardError} (retried with the endpoint's backoff); any other 4xx throws a `NonRetryableError` with the
 * service's message. `signal` (the handler's) aborts the call and any wait.
 * @example
 * const { status } = await postMessage({ url, label, headers, body, describe: (s, t) => t }, {});
 */
export async function postMessage(req: PostRequest, options: SendOptions): Promise<{ status: number }> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxWait = options.maxRateLimitWaitMs ?? DEFAULTS.maxRateLimitWaitMs;
  const wait = options.wait ?? timerWait;
  const outer = req.signal ?? new AbortController().signal;
  let waited = 0;
  for (let retry = 0; ; retry++) {
    const signal = AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]);
    let response: Response;
    let text: string;
    try {
      // "manual", not "error": Workers (workerd) refuse redirect: "error" with a TypeError; a redirect is refused below.
      response = await doFetch(req.url, { method: "POST", headers: req.headers, body: req.body, signal, redirect: "manual" });
      text = await response.text();
    } catch (error) {
      if (outer.aborted) throw outer.reason;
      if (signal.aborted) throw new ForwardError(`${req.label}: no answer within ${timeoutMs} ms`, null);
      throw new ForwardError(`${req.label}: could not connect (${networkCode(error)})`, null);
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { status };
    // A webhook URL that redirects is a wrong URL (and following it would resend the body elsewhere): not retried.
    if (status === 0 || (status >= 300 && status < 400)) throw new NonRetryableError(`${req.label}: answered a redirect (${status || "opaque"}); check the URL`);
    const said = redact(shorten(req.describe(status, text).trim() || response.statusText, 300), req);
    if (status === 429) {
      const ms = req.bodyRetryAfter?.(text) ?? parseRetryAfter(response.headers.get("retry-after"), Date.now()) ?? 1000;
      // The waits of one call stay within one budget, well inside the handler's own timeout.
      if (retry >= RATE_LIMIT_RETRIES || waited + ms > maxWait) {
        throw new ForwardError(`${req.label}: rate limited (429: ${said}); retry after ${Math.ceil(ms / 1000)} s`, 429, ms);
      }
      waited += ms;
      await wait(ms, outer);
      continue;
    }
    const message = `${req.label}: answered ${status}${said ? ` (${said})` : ""}`;
    if (status >= 500 || status === 408) throw new ForwardError(message, status);
    throw new NonRetryableError(message);
  }
}

function networkCode(error: unknown): string {
  // undici puts the system error in `cause`; its message may name the host, never the path or token.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  return error instanceof Error ? error.name : "network error";
}

function redact(text: string, req: PostRequest): string {
  // A receiver may echo its own URL: the credential never reaches a log or the delivery log through it.
  const path = URL.canParse(req.url) ? new URL(req.url).pathname : "";
  let out = text.replaceAll(req.url, req.label);
  if (path.length > 8) out = out.replaceAll(path, "…");
  return out;
}

function timerWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
