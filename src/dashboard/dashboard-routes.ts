import { Hono, type Context, type Next } from "hono";
import { HubhooksError } from "../errors.js";
import { checkAccess, presentedToken } from "../http/dashboard-access.js";
import type { Clock } from "../internal/clock.js";
import { html } from "../internal/html.js";
import { timingSafeEqual } from "../internal/timing-safe-equal.js";
import { FIXTURE_NAMES, getFixture, listFixtures } from "../payload/index.js";
import type { LandingInfo } from "../server/landing-page.js";
import type { DeliveryChange } from "../server/observe-store.js";
import type { DeliveryStore } from "../store/types.js";
import { ChangeFeed } from "./change-feed.js";
import { CLIENT_SCRIPT } from "./client-script.js";
import { pageHeaders } from "./page-headers.js";
import { parseDashboardQuery, toDeliveryFilter, type DashboardQuery } from "./dashboard-query.js";
import { detailView, rowView } from "./delivery-view.js";
import { eventStreamResponse } from "./event-stream-response.js";
import { parsePayloadField, readForm, wantsJson } from "./form-input.js";
import { isSameOrigin } from "../http/same-origin.js";
import { routeErrors, type RouteErrorDeps } from "../http/route-errors.js";
import { clearedTokenCookie, tokenCookie } from "./token-cookie.js";
import { FAVICON_SVG } from "./views/hugging-face-logo.js";
import { notServedError } from "../server/api-routes.js";
import { replayServed } from "../server/replay-served.js";
import { dashboardHeader } from "./views/dashboard-header.js";
import { healthSection } from "./health-section.js";
import { dashboardPage } from "./views/dashboard-page.js";
import { deliveriesTable } from "./views/deliveries-table.js";
import { deliveryDetail } from "./views/delivery-detail.js";
import { gateBody } from "./views/gate-page.js";
import { testEventForm } from "./views/test-event-form.js";

/**
 * What the dashboard needs from the server (the server passes its own parts; tests can pass their own).
 * @example
 * const deps: DashboardDeps = { store: () => app.store, routes: () => app.routes, landingInfo: (o) => app.landingInfo(o),
 *   exposed: () => false, inSpace: false, onDeliveryChange: (l) => app.onDeliveryChange(l),
 *   sendTestEvent: (route, payload) => app.sendTestEvent(route, payload), clock: systemClock, notify: () => app.queue?.notify() };
 */
export interface DashboardDeps extends RouteErrorDeps {
  store: () => DeliveryStore | undefined;
  /** Routes of the registered endpoints, e.g. `["/webhooks/train"]`. */
  routes: () => string[];
  /** Names of the endpoints served here; a replay for another one is refused (409) rather than left queued. */
  endpoints?: () => string[];
  landingInfo: (origin: string) => LandingInfo;
  token?: string;
  /** True when the server is reachable beyond this machine (a Space, or a non-loopback host). */
  exposed: () => boolean;
  inSpace: boolean;
  onDeliveryChange: (listener: (c: DeliveryChange) => void) => () => void;
  /** Send a test event through the real endpoint (a route from `routes()`), with the secret, server-side. */
  sendTestEvent: (endpoint: string, payload: unknown) => Promise<{ status: number; body: string; deliveryId: string | null }>;
  clock: Clock;
  /** Wake the queue after a replay so it runs at once rather than at the next poll. */
  notify?: () => void;
  /** The server's configured origins, which the dashboard's POSTs may come from (see `isSameOrigin`). */
  origins?: () => readonly string[];
}

/**
 * Where the dashboard lives and how it streams.
 * @example
 * dashboardRoutes(deps, { basePath: "/dashboard", keepAliveMs: 15_000, pageSize: 50 });
 */
export interface DashboardOptions {
  /** `/` when it replaces the landing page, `/dashboard` next to a custom `ui`. */
  basePath: "/" | "/dashboard";
  /** Keep-alive comment interval of the live stream. Default 15 s. */
  keepAliveMs?: number;
  /** Rows per page. Default 50. */
  pageSize?: number;
  /**
   * The page's URL path as the browser sees it when the app is mounted under a prefix (e.g. `"/api/hooks/"`):
   * written as `<base href>` so the page's relative links resolve under the prefix with or without a trailing `/`.
   */
  baseHref?: string;
}

// Sub-resources always live under /dashboard/…: the relative URL "dashboard/x" reaches them from the page at "/"
// and from the page at "/dashboard" alike, under any path prefix.
const SUB = "/dashboard";
const NO_STORE = { "cache-control": "no-store" };

/**
 * The dashboard: the page at `basePath` (the public landing content for visitors without access), its script,
 * live stream and actions under `/dashboard/…`. Routes are absolute: mount the returned app at the root,
 * e.g. `app.route("/", dashboardRoutes(deps, { basePath: "/dashboard" }))`, before any catch-all.
 * @example
 * const dashboard = dashboardRoutes({
 *   store: () => server.store, routes: () => server.routes, landingInfo: (o) => server.landingInfo(o),
 *   token: process.env.HUBHOOKS_DASHBOARD_TOKEN, exposed: () => false, inSpace: false,
 *   onDeliveryChange: (l) => server.onDeliveryChange(l), sendTestEvent, clock: systemClock,
 * }, { basePath: "/" });
 * hono.route("/", dashboard); // GET / → dashboard, GET /dashboard/events → live stream
 */
export function dashboardRoutes(deps: DashboardDeps, options: DashboardOptions): Hono {
  const app = new Hono();
  const pagePath = options.basePath;
  // Where a form POST (at /dashboard/x) sends the browser back to.
  const backToPage = pagePath === "/" ? "../" : "../dashboard";
  const feed = new ChangeFeed(deps.onDeliveryChange);
  const accessOf = (c: Context) => checkAccess(c.req.raw, { token: deps.token, exposed: deps.exposed() });
  const store = () => {
    const s = deps.store();
    if (!s) throw new HubhooksError("STORE_UNAVAILABLE", "This server keeps no delivery log (database: false).", { status: 404 });
    return s;
  };
  const guard = async (c: Context, next: Next) => {
    const access = accessOf(c);
    if (!access.ok) return c.json({ error: access.error }, access.status);
    await next();
  };
  const sameOrigin = async (c: Context, next: Next) => {
    if (!isSameOrigin(c.req.raw, { origins: deps.origins?.(), trustHost: !!deps.token })) return c.json({ error: "Cross-origin request refused." }, 403);
    await next();
  };
  const reply = (c: Context, data: Record<string, unknown>, redirect: string) =>
    wantsJson(c) ? c.json(data, 200, NO_STORE) : c.redirect(backToPage + redirect, 303);

  app.onError(routeErrors(deps));
  const headers = pageHeaders({ inSpace: deps.inSpace });
  app.use(pagePath, headers);
  app.use(`${SUB}/*`, headers);

  app.get(pagePath, async (c) => {
    const info = deps.landingInfo(new URL(c.req.url).origin);
    const access = accessOf(c);
    if (!access.ok) {
      const rejected = deps.token && (presentedToken(c.req.raw) !== null || c.req.query("login") === "failed");
      const error = rejected ? "Invalid dashboard token." : undefined;
      return c.html(dashboardPage("🤗 Webhooks", gateBody(info, { tokenConfigured: !!deps.token, error }), { script: false, base: options.baseHref }));
    }
    const q = parseDashboardQuery(c.req.query());
    const header = dashboardHeader(info, { signOut: !!deps.token });
    const main = q.id ? await detailSection(q) : await tableSection(q);
    const strip = q.id ? "" : await healthSection(deps.store(), info, deps.routes(), deps.clock.now());
    return c.html(dashboardPage("🤗 Webhooks dashboard", html`${header}${strip}${main}`, { base: options.baseHref }), 200, NO_STORE);
  });
  if (pagePath === "/") app.get(SUB, (c) => c.redirect("./", 302));
  app.get(`${SUB}/`, (c) => c.redirect(backToPage, 302));

  // Browsers ask for /favicon.ico on their own, whatever the page says.
  app.get("/favicon.ico", (c) => c.body(FAVICON_SVG, 200, { "content-type": "image/svg+xml", "cache-control": "max-age=86400" }));
  app.get(`${SUB}/app.js`, (c) => c.body(CLIENT_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }));

  // Always answers with a redirect to the page (which explains what went wrong): a page rendered at
  // /dashboard/login would resolve its relative links against the wrong directory.
  app.post(`${SUB}/login`, sameOrigin, async (c) => {
    if (!deps.token) return c.redirect(backToPage, 303);
    const form = await readForm(c);
    if (!timingSafeEqual(form.token ?? "", deps.token)) return c.redirect(`${backToPage}?login=failed`, 303);
    c.header("set-cookie", tokenCookie(deps.token, c.req.raw, deps.inSpace));
    return c.redirect(backToPage, 303);
  });
  app.post(`${SUB}/logout`, sameOrigin, (c) => {
    c.header("set-cookie", clearedTokenCookie(c.req.raw, deps.inSpace));
    return c.redirect(backToPage, 303);
  });

  app.get(`${SUB}/events`, guard, (c) =>
    eventStreamResponse(feed, {
      lastEventId: c.req.header("last-event-id") ?? null,
      keepAliveMs: options.keepAliveMs ?? 15_000,
      signal: c.req.raw.signal,
    }),
  );
  app.get(`${SUB}/rows`, guard, async (c) => {
    const page = await listPage(parseDashboardQuery(c.req.query()));
    return c.json({ rows: page.items.map(rowView), nextCursor: page.nextCursor }, 200, NO_STORE);
  });
  app.get(`${SUB}/delivery`, guard, async (c) => {
    const id = c.req.query("id") ?? "";
    const delivery = await store().get(id);
    if (!delivery) return c.json({ error: `No delivery ${id}.` }, 404);
    return c.json(detailView(delivery, await store().attempts(delivery.id)), 200, NO_STORE);
  });
  app.get(`${SUB}/fixture`, guard, (c) => {
    const payload = getFixture(c.req.query("name") ?? "");
    return c.body(JSON.stringify(payload, null, 2), 200, { "content-type": "application/json; charset=utf-8" });
  });

  app.post(`${SUB}/replay`, sameOrigin, guard, async (c) => {
    const id = (await readForm(c)).id ?? "";
    const s = store();
    const existing = await s.get(id);
    if (!existing) return c.json({ error: `No delivery ${id}.` }, 404);
    const served = deps.endpoints?.();
    if (served && !served.includes(existing.endpoint)) return c.json({ error: notServedError(id, existing.endpoint, served) }, 409);
    if (!(await s.replay(id, deps.clock.now()))) {
      return c.json({ error: "This delivery is running; replay it once it has settled." }, 409);
    }
    deps.notify?.();
    return reply(c, { message: "Replayed: queued again.", id }, `?id=${encodeURIComponent(id)}`);
  });
  app.post(`${SUB}/replay-all`, sameOrigin, guard, async (c) => {
    const filter = toDeliveryFilter(parseDashboardQuery(await readForm(c)));
    const { replayed, notServed } = await replayServed(store(), filter, deps.endpoints?.(), deps.clock.now());
    if (replayed > 0) deps.notify?.();
    const skipped = Object.entries(notServed).map(([endpoint, n]) => `${endpoint} (${n})`);
    const note = skipped.length ? ` Not replayed, this server does not serve: ${skipped.join(", ")}.` : "";
    return reply(c, { message: `Replayed ${replayed} ${replayed === 1 ? "delivery" : "deliveries"}.${note}`, replayed, notServed }, "");
  });
  app.post(`${SUB}/test-event`, sameOrigin, guard, async (c) => {
    const form = await readForm(c);
    const route = form.endpoint ?? "";
    if (!deps.routes().includes(route)) return c.json({ error: `No endpoint ${route}.` }, 400);
    const payload = parsePayloadField(form.payload, form.fixture);
    const sent = await deps.sendTestEvent(route, payload);
    const message = `Sent to ${route}: HTTP ${sent.status}${sent.deliveryId ? `, delivery ${sent.deliveryId}.` : "."}`;
    const data = { message, status: sent.status, body: sent.body.slice(0, 2000), deliveryId: sent.deliveryId };
    return reply(c, data, sent.deliveryId ? `?id=${encodeURIComponent(sent.deliveryId)}` : "");
  });

  async function listPage(q: DashboardQuery) {
    const filter = toDeliveryFilter(q);
    const limit = options.pageSize ?? 50;
    try {
      return await store().list(filter, { limit, cursor: q.cursor || undefined });
    } catch (error) {
      // A stale or mangled cursor in a bookmarked URL: show the newest page rather than an error.
      if (q.cursor && error instanceof HubhooksError && error.status === 400) return store().list(filter, { limit });
      throw error;
    }
  }

  async function tableSection(q: DashboardQuery) {
    const routes = deps.routes();
    const form = testEventForm(routes, listFixtures(), JSON.stringify(getFixture(FIXTURE_NAMES[0]!), null, 2));
    if (!deps.store()) {
      return html`<p class="notice">This server keeps no delivery log (<code>database: false</code>), so there is nothing to list.</p>${form}`;
    }
    const page = await listPage(q);
    const endpoints = routes.map((r) => r.replace(/^\/webhooks\//, ""));
    return html`${deliveriesTable({ query: q, endpoints, rows: page.items.map(rowView), nextCursor: page.nextCursor })}${form}`;
  }

  async function detailSection(q: DashboardQuery) {
    const s = store();
    const delivery = await s.get(q.id);
    return deliveryDetail(delivery ? detailView(delivery, await s.attempts(delivery.id)) : null, q);
  }

  return app;
}
