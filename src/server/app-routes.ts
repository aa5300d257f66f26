import { Hono } from "hono";
import { dashboardRoutes, type DashboardDeps } from "../dashboard/dashboard-routes.js";
import { routeErrors } from "../http/route-errors.js";
import { pageHeaders } from "../dashboard/page-headers.js";
import { apiRoutes, type ApiDeps } from "./api-routes.js";
import { landingContent, page, type LandingInfo } from "./landing-page.js";
import type { CustomUi } from "./options.js";
import type { Readiness } from "./readiness.js";

export interface AppRoutesDeps extends ApiDeps, Omit<DashboardDeps, "store" | "clock" | "token" | "exposed" | "notify"> {
  ui: CustomUi | undefined;
  /** False with `database: false`: no log, so the plain landing page instead of the dashboard. */
  durable: boolean;
  landingInfo: (origin: string) => LandingInfo;
  /** What `/readyz` reports. */
  readiness?: () => Promise<Readiness>;
  /**
   * Which routes this app serves: `"all"` (default), `"dashboard"` (the dashboard and the delivery API only, for a
   * dashboard moved to its own prefix) or `"public"` (`/healthz`, `/metrics` and the landing page or custom UI).
   */
  parts?: "all" | "dashboard" | "public";
  /** The dashboard page's path as the browser sees it, when mounted under a prefix (its `<base href>`). */
  baseHref?: string;
}

/**
 * Every route that is not a webhook: `/healthz`, the delivery API and `/metrics`, the dashboard (at `/`, or at
 * `/dashboard` when a custom `ui` takes `/`), and the custom UI or landing page.
 */
export function appRoutes(deps: AppRoutesDeps): Hono {
  const app = new Hono();
  app.onError(routeErrors(deps));
  const parts = deps.parts ?? "all";
  const ui = parts === "dashboard" ? undefined : deps.ui;
  if (parts !== "dashboard") {
    // Liveness only: the process answers. Whether it can take deliveries is /readyz.
    app.get("/healthz", (c) => c.json({ status: "ok" }));
    app.get("/readyz", async (c) => {
      const r = (await deps.readiness?.()) ?? { ready: true, checks: {}, reasons: [] };
      return c.json({ status: r.ready ? "ready" : "unavailable", ...r }, r.ready ? 200 : 503, { "cache-control": "no-store" });
    });
  }
  app.route("/", apiRoutes(deps, { api: parts !== "public", metrics: parts !== "dashboard" }));
  // The built-in landing page gets the dashboard's security headers; a custom UI sets its own.
  if (!ui && !deps.durable && parts !== "dashboard") app.use("/", pageHeaders({ inSpace: deps.inSpace }));
  if (deps.durable && parts !== "public") {
    const basePath = ui ? "/dashboard" : "/";
    app.route("/", dashboardRoutes(deps, { basePath, ...(deps.baseHref ? { baseHref: deps.baseHref } : {}) }));
  }
  app.all("*", async (c) => {
    const request = c.req.raw;
    if (ui && typeof ui === "object") return ui.fetch(request);
    if (c.req.path !== "/") return c.json({ error: `Not found: ${c.req.path}` }, 404);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return c.json({ error: `Method ${request.method} not allowed.` }, 405, { allow: "GET" });
    }
    if (typeof ui === "string") return c.html(ui);
    if (typeof ui === "function") {
      const out = await ui(request);
      return out instanceof Response ? out : c.html(out);
    }
    return c.html(page("🤗 Webhooks", landingContent(deps.landingInfo(new URL(request.url).origin))));
  });
  return app;
}
