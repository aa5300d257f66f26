import { HubhooksError, type HubhooksErrorCode } from "../errors.js";
import { baseUrlOption } from "./server-url.js";
import { redactUrlsInText } from "./display-url.js";

/** A delivery and an attempt as the server's delivery API returns them (`GET /api/deliveries/:id`). */
import type { DeliveryJson } from "../server/api-routes.js";
import type { AttemptRecord as AttemptJson } from "../store/types.js";

export type { AttemptJson, DeliveryJson };

/** Options of {@link DeliveryApiClient}. */
export interface DeliveryApiOptions {
  /** Base URL of a running hubhooks server, e.g. `http://127.0.0.1:7860`. */
  url: string;
  /** The server's `HUBHOOKS_DASHBOARD_TOKEN`; sent as `Authorization: Bearer …`, never printed. */
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const STATUS_CODES: Record<number, HubhooksErrorCode> = {
  400: "INVALID_OPTIONS",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
};

/**
 * Client of a hubhooks server's delivery API (what `hubhooks deliveries` calls). Errors are `HubhooksError`s
 * whose message carries the server's HTTP status and its `{error}` text.
 * @example
 * const api = new DeliveryApiClient({ url: "http://127.0.0.1:7860", token: "t0ken" });
 * const { items } = await api.list({ status: "retrying,dead", limit: "20" });
 * await api.replay(items[0].id);
 */
export class DeliveryApiClient {
  readonly url: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: DeliveryApiOptions) {
    this.url = baseUrlOption(options.url, "--url");
    this.#token = options.token || undefined;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** `GET /api/deliveries?…`, newest first; empty values are left out of the query. */
  list(query: Record<string, string | undefined>): Promise<{ items: DeliveryJson[]; nextCursor: string | null }> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, v);
    const qs = params.toString();
    return this.#call("GET", `/api/deliveries${qs ? `?${qs}` : ""}`);
  }

  /** `GET /api/deliveries/:id` */
  get(id: string): Promise<{ delivery: DeliveryJson; attempts: AttemptJson[] }> {
    return this.#call("GET", `/api/deliveries/${encodeURIComponent(id)}`);
  }

  /** `POST /api/deliveries/:id/replay` (409 while it runs). */
  replay(id: string): Promise<{ delivery: DeliveryJson }> {
    return this.#call("POST", `/api/deliveries/${encodeURIComponent(id)}/replay`);
  }

  /** `POST /api/deliveries/replay` with a filter body. */
  replayMatching(filter: Record<string, string>): Promise<{ replayed: number; notServed?: Record<string, number> }> {
    return this.#call("POST", "/api/deliveries/replay", filter);
  }

  async #call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await this.#fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw unreachable(this.url, error);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const said = isRecord(json) && typeof json.error === "string" ? json.error : text.trim().slice(0, 200);
      const hint = response.status === 401 ? " Pass --token or set HUBHOOKS_DASHBOARD_TOKEN." : "";
      throw new HubhooksError(
        STATUS_CODES[response.status] ?? "INTERNAL",
        `${method} ${path} answered ${response.status}${said ? `: ${said}` : ""}${hint}`,
        { status: response.status },
      );
    }
    if (json === undefined) {
      throw new HubhooksError("INTERNAL", `${method} ${path} answered ${response.status} with a body that is not JSON: is ${this.url} a hubhooks server?`);
    }
    return json as T;
  }
}

/**
 * The one-line error for a server that cannot be reached.
 * @example
 * throw unreachable("http://127.0.0.1:7860", error);
 */
export function unreachable(url: string, error: unknown): HubhooksError {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = isRecord(cause) && typeof cause.code === "string" ? cause.code : undefined;
  const reason =
    error instanceof Error && error.name === "TimeoutError"
      ? "timed out"
      : (code ?? (cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)));
  return new HubhooksError("NETWORK", `Cannot reach ${redactUrlsInText(url)} (${redactUrlsInText(reason)}). Is the server running (hubhooks serve app.ts)?`, {
    cause: error,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
