import { HubhooksError } from "../errors.js";
import { systemClock, type Clock } from "../internal/clock.js";
import type { RetryOptions } from "./retry-delay.js";
import { findHfToken } from "./hf-token.js";

/**
 * Options of {@link HubClient}; all optional.
 * @example
 * const options: HubClientOptions = { token: "hf_xxx", retry: { maxAttempts: 2 } };
 */
export interface HubClientOptions {
  /** Hub access token (`hf_…`); sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Base URL of the Hub (default `https://huggingface.co`; a trailing `/` is stripped). */
  endpoint?: string;
  /** `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Retry budget for 429, 5xx and network errors (defaults 4 attempts, 500 ms, 8000 ms). */
  retry?: Partial<RetryOptions>;
  /** How to wait between attempts (tests pass a function that records and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** `User-Agent` header (default `hubhooks`). */
  userAgent?: string;
  /** Time source used to read HTTP-date `Retry-After` headers. */
  clock?: Clock;
  /** Abort one attempt after this many milliseconds (default 30000); counts as a network error. */
  timeoutMs?: number;
}

/** {@link HubClientOptions} with every default applied. */
export interface ResolvedHubClientOptions {
  token: string | undefined;
  endpoint: string;
  fetch: typeof fetch;
  retry: RetryOptions;
  sleep: (ms: number) => Promise<void>;
  userAgent: string;
  clock: Clock;
  timeoutMs: number;
}

export const HUB_CLIENT_DEFAULTS = {
  endpoint: "https://huggingface.co",
  retry: { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 8000 },
  userAgent: "hubhooks",
  timeoutMs: 30_000,
} as const;

/** Bound on attempts whatever the caller asks, so a typo cannot loop for hours. */
const MAX_ATTEMPTS_CAP = 20;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Apply defaults and validate. Throws `INVALID_OPTIONS` for a malformed endpoint or retry budget.
 * @example
 * resolveHubClientOptions({ endpoint: "http://127.0.0.1:8080/" }).endpoint; // "http://127.0.0.1:8080"
 */
export function resolveHubClientOptions(options: HubClientOptions = {}): ResolvedHubClientOptions {
  const endpoint = (options.endpoint?.trim() || HUB_CLIENT_DEFAULTS.endpoint).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/i.test(endpoint) || !URL.canParse(endpoint)) {
    throw new HubhooksError("INVALID_OPTIONS", `Hub endpoint must be an http(s) URL, got "${endpoint}"`);
  }
  const retry: RetryOptions = { ...HUB_CLIENT_DEFAULTS.retry, ...definedOnly(options.retry ?? {}) };
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1 || retry.maxAttempts > MAX_ATTEMPTS_CAP) {
    throw new HubhooksError("INVALID_OPTIONS", `retry.maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_CAP}`);
  }
  for (const key of ["initialDelayMs", "maxDelayMs"] as const) {
    if (!Number.isFinite(retry[key]) || retry[key] < 0) {
      throw new HubhooksError("INVALID_OPTIONS", `retry.${key} must be a number >= 0`);
    }
  }
  const timeoutMs = options.timeoutMs ?? HUB_CLIENT_DEFAULTS.timeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new HubhooksError("INVALID_OPTIONS", "timeoutMs must be a number > 0");
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new HubhooksError("INVALID_OPTIONS", "no fetch available: pass { fetch } to HubClient");
  }
  return {
    token: options.token?.trim() || undefined,
    endpoint,
    fetch: fetchImpl,
    retry,
    sleep: options.sleep ?? realSleep,
    userAgent: options.userAgent ?? HUB_CLIENT_DEFAULTS.userAgent,
    clock: options.clock ?? systemClock,
    timeoutMs,
  };
}

/**
 * Read the token as the `hf` CLI finds it (`HF_TOKEN`, else the file `hf auth login` saved: `HF_TOKEN_PATH`,
 * `$HF_HOME/token`, `~/.cache/huggingface/token`; see `findHfToken`) and `HF_ENDPOINT` (empty values count as
 * unset); `overrides` win over the environment.
 * @example
 * hubClientOptionsFromEnv({ HF_TOKEN: "hf_xxx" }); // { token: "hf_xxx" }
 */
export function hubClientOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  overrides: HubClientOptions = {},
): HubClientOptions {
  const fromEnv: HubClientOptions = {};
  const token = overrides.token === undefined ? findHfToken(env)?.token : undefined; // no file read when one is given
  if (token) fromEnv.token = token;
  if (env.HF_ENDPOINT?.trim()) fromEnv.endpoint = env.HF_ENDPOINT.trim();
  return { ...fromEnv, ...definedOnly(overrides) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
