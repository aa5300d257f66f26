import { Hono, type Context, type Next } from "hono";
import { HubhooksError } from "../errors.js";
import type { DeliveryFilter, DeliveryRecord, DeliveryStatus, DeliveryStore } from "../store/types.js";
import { DELIVERY_STATUSES } from "../store/types.js";
import { jsonDepthExceeds, storedJson, tooDeepMessage } from "../payload/json-depth.js";
import type { Clock } from "../internal/clock.js";
import { checkAccess } from "../http/dashboard-access.js";
import { isSameOrigin } from "../http/same-origin.js";
import { routeErrors, type RouteErrorDeps } from "../http/route-errors.js";
import { replayServed } from "./replay-served.js";

export interface ApiDeps extends RouteErrorDeps {
  store: () => DeliveryStore | undefined;
  clock: Clock;
  token?: string;
  exposed: () => boolean;
  /** The server's configured origins, which dashboard and API POSTs may come from (see `isSameOrigin`). */
  origins?: () => readonly string[];
  notify: () => void;
  render: () => Promise<{ body: string; contentType: string }>;
  /** Names of the endpoints this server serves (a replay for another endpoint would stay queued here). */
  endpoints?: () => string[];
}

/**
 * The 409 message for replaying a delivery whose endpoint this server does not serve (another app sharing the
 * delivery log): nothing here would run it, so it is refused instead of left queued without a word.
 * @example
 * notServedError("dlv_1", "train", ["bot"]); // "Delivery dlv_1 is for endpoint train, which this server does not serve…"
 */
export function notServedError(id: string, endpoint: string, served: readonly string[]): string {
  const list = served.length ? served.join(", ") : "none";
  return `Delivery ${id} is for endpoint ${endpoint}, which this server does not serve (it serves: ${list}); it would stay queued. Replay it from the app that has that endpoint.`;
}

/** A delivery as the API shows it: the payload parsed, the raw body left out (it is the same JSON). */
export type DeliveryJson = Omit<DeliveryRecord, "body"> & { event: string | null; payload: unknown };

/** The API form of a stored delivery. */
export function deliveryJson(d: DeliveryRecord): DeliveryJson {
  const { body, ...rest } = d;
  // Text when it is not JSON, or nests too deep to serialise (a row recorded before the limit existed).
  const payload = storedJson(body);
  return { ...rest, event: d.scope && d.action ? `${d.scope}.${d.action}` : null, payload };
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new HubhooksError("INVALID_OPTIONS", `Invalid ${name}: ${value}`, { status: 400 });
  return n;
}

/** Parse a filter from query parameters (or a JSON body for bulk replay). */
export function parseFilter(q: Record<string, string | undefined>): DeliveryFilter {
  const filter: DeliveryFilter = {};
  if (q.endpoint) filter.endpoint = q.endpoint;
  if (q.status) {
    const statuses = q.status.split(",").filter(Boolean) as DeliveryStatus[];
    for (const s of statuses) {
      if (!DELIVERY_STATUSES.includes(s)) {
        // The old word for a scheduled retry gets the new one named, not just the list.
        const renamed = s === ("failed" as string) ? ` (a scheduled retry is "retrying")` : "";
        throw new HubhooksError("INVALID_OPTIONS", `Invalid status "${s}"${renamed}; use ${DELIVERY_STATUSES.join(", ")}.`, {
          status: 400,
        });
      }
    }
    filter.status = statuses.length === 1 ? statuses[0] : statuses;
  }
  if (q.scope) filter.scope = q.scope;
  if (q.repo) filter.repo = q.repo;
  if (q.repoType) filter.repoType = q.repoType;
  const since = num(q.since, "since");
  const until = num(q.until, "until");
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  return filter;
}

const FILTER_FIELDS = new Set(["endpoint", "status", "scope", "repo", "repoType", "since", "until"]);

// A bulk replay's filter body. Anything but a JSON object of known fields is refused: an array, `null` or a
// misspelt field (`"stauts"`) would otherwise leave the filter empty and replay the whole log.
function replayFilterBody(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  if (jsonDepthExceeds(text)) throw new HubhooksError("JSON_TOO_DEEP", tooDeepMessage("The replay filter"), { status: 400 });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HubhooksError("INVALID_JSON", "Request body is not valid JSON.", { status: 400 });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HubhooksError("INVALID_OPTIONS", "The replay filter must be a JSON object, e.g. {\"status\": \"dead\"}.", { status: 400 });
  }
  const unknown = Object.keys(body).filter((key) => !FILTER_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new HubhooksError(
      "INVALID_OPTIONS",
      `Unknown filter field ${unknown.map((k) => JSON.stringify(k)).join(", ")}; use ${[...FILTER_FIELDS].join(", ")}.`,
      { status: 400 },
    );
  }
  return body as Record<string, unknown>;
}

/**
 * The delivery API the dashboard and the CLI use, and `/metrics`. Every route checks the dashboard token.
 * @example
 * GET  /api/deliveries?status=retrying,dead&endpoint=train&limit=50&cursor=…
 * GET  /api/deliveries/:id            → { delivery, attempts }
 * POST /api/deliveries/:id/replay     → { delivery }
 * POST /api/deliveries/replay  {"status":"dead","endpoint":"train"}  → { replayed: 3, notServed: { other: 1 } } (409 if the
 *                                    filter names an endpoint this server does not serve)
 */
export function apiRoutes(deps: ApiDeps, parts: { api?: boolean; metrics?: boolean } = {}): Hono {
  const api = new Hono();
  api.onError(routeErrors(deps));
  const guard = async (c: Context, next: Next) => {
    const access = checkAccess(c.req.raw, { token: deps.token, exposed: deps.exposed() });
    if (!access.ok) return c.json({ error: access.error }, access.status);
    await next();
  };
  // A page on another site must not make a browser replay deliveries (CSRF); scripts send no Origin.
  api.use("/api/*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && !isSameOrigin(c.req.raw, { origins: deps.origins?.(), trustHost: !!deps.token })) {
      return c.json({ error: "Cross-origin request refused." }, 403);
    }
    await next();
  });
  api.use("/api/*", guard);
  api.use("/metrics", guard);
  if (parts.api === false) api.all("/api/*", (c) => c.json({ error: `Not found: ${c.req.path}` }, 404));
  const store = () => {
    const s = deps.store();
    if (!s) throw new HubhooksError("STORE_UNAVAILABLE", "This server keeps no delivery log (database: false).", { status: 404 });
    return s;
  };
  if (parts.metrics !== false) {
    api.get("/metrics", async (c) => {
      const { body, contentType } = await deps.render();
      return c.body(body, 200, { "content-type": contentType });
    });
  }
  api.get("/api/deliveries", async (c) => {
    const q = c.req.query();
    const filter = parseFilter(q);
    const limit = Math.min(Math.max(num(q.limit, "limit") ?? 50, 1), 500);
    const page = await store().list(filter, { limit, cursor: q.cursor || undefined });
    return c.json({ items: page.items.map(deliveryJson), nextCursor: page.nextCursor });
  });
  api.post("/api/deliveries/replay", async (c) => {
    const body = replayFilterBody(await c.req.text());
    const raw = Object.fromEntries(Object.entries({ ...c.req.query(), ...body }).map(([k, v]) => [k, v == null ? undefined : String(v)]));
    const result = await replayServed(store(), parseFilter(raw), deps.endpoints?.(), deps.clock.now());
    deps.notify();
    return c.json(result);
  });
  api.get("/api/deliveries/:id", async (c) => {
    const s = store();
    const delivery = await s.get(c.req.param("id"));
    if (!delivery) return c.json({ error: `No delivery ${c.req.param("id")}.` }, 404);
    return c.json({ delivery: deliveryJson(delivery), attempts: await s.attempts(delivery.id) });
  });
  api.post("/api/deliveries/:id/replay", async (c) => {
    const s = store();
    const id = c.req.param("id");
    const existing = await s.get(id);
    if (!existing) return c.json({ error: `No delivery ${id}.` }, 404);
    const served = deps.endpoints?.();
    if (served && !served.includes(existing.endpoint)) return c.json({ error: notServedError(id, existing.endpoint, served) }, 409);
    const delivery = await s.replay(id, deps.clock.now());
    if (!delivery) return c.json({ error: `Delivery ${id} is running; replay it once it has settled.` }, 409);
    deps.notify();
    return c.json({ delivery: deliveryJson(delivery) });
  });
  return api;
}
