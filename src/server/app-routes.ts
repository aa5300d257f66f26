import { Hono } from "hono";
import { dashboardRoutes, type DashboardDeps } from "../dashboard/dashboard-routes.js";
import { HubhooksError } from "../errors.js";
import { apiRoutes, type ApiDeps } from "./api-routes.js";
import { landingContent, page, type LandingInfo } from "./landing-page.js";
import type { CustomUi } from "./options.js";

export interface AppRoutesDeps extends ApiDeps, Omit<DashboardDeps, "store" | "clock" | "token" | "exposed" | "notify"> {
  ui: CustomUi | undefined;
  /** False with `database: false`: no log, so the plain landing page instead of the dashboard. */
  durable: boolean;
  landingInfo: (origin: string) => LandingInfo;
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
  app.onError((error, c) => {
    if (error instanceof HubhooksError) return c.json({ error: error.publicMessage }, error.status as 400);
    return c.json({ error: error.message || "Internal error." }, 500);
  });
  const parts = deps.parts ?? "all";
  const ui = parts === "dashboard" ? undefined : deps.ui;
  if (parts !== "dashboard") app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.route("/", apiRoutes(deps, { api: parts !== "public", metrics: parts !== "dashboard" }));
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
