import { dashboardRoutes, type DashboardDeps } from "../../src/dashboard/dashboard-routes.js";
import { isLoopbackHost } from "../../src/http/dashboard-access.js";
import { systemClock } from "../../src/internal/clock.js";
import type { WebhooksServerOptions } from "../../src/server/options.js";
import type { WebhooksServer } from "../../src/server/webhooks-server.js";
import type { DeliveryChange } from "../../src/store/observed-store.js";
import { startServer } from "../helpers/server.js";

/**
 * A real WebhooksServer (127.0.0.1, port 0) serving the dashboard at `/` (or, with `customUi`, that HTML at `/` and
 * the dashboard at `/dashboard`), with the dependencies the server gives it. The dashboard is mounted through the
 * server's custom-`ui` hook (every request the server does not answer itself reaches it), so these tests need no
 * change in the server. `listeners()` counts open live-stream subscriptions.
 */
export async function startDashboardServer(
  options: WebhooksServerOptions & { keepAliveMs?: number; pageSize?: number; customUi?: string } = {},
  setup: (app: WebhooksServer) => void = () => {},
) {
  const { keepAliveMs, pageSize, customUi, ...serverOptions } = options;
  const basePath = customUi === undefined ? "/" : "/dashboard";
  let server: WebhooksServer | undefined;
  let active = 0;
  let dashboard: ReturnType<typeof dashboardRoutes> | undefined;
  const s = await startServer(
    {
      ...serverOptions,
      ui: {
        fetch: async (request: Request) => {
          const response = await dashboard!.fetch(request);
          if (response.status !== 404 || customUi === undefined || new URL(request.url).pathname !== "/") return response;
          return new Response(customUi, { headers: { "content-type": "text/html; charset=utf-8" } });
        },
      },
    },
    (app) => {
      server = app;
      setup(app);
    },
  );
  const app = server!;
  const env = serverOptions.env ?? {};
  const deps: DashboardDeps = {
    store: () => app.store,
    routes: () => app.routes,
    landingInfo: (origin) => app.landingInfo(origin),
    token: serverOptions.dashboardToken,
    exposed: () => !!env.SPACE_ID || !isLoopbackHost(app.info?.host),
    inSpace: !!env.SPACE_ID,
    secretConfigured: app.landingInfo("").secretConfigured,
    onDeliveryChange: (listener: (c: DeliveryChange) => void) => {
      active++;
      const off = app.onDeliveryChange(listener);
      return () => {
        active--;
        off();
      };
    },
    sendTestEvent: (endpoint, payload) => app.sendTestEvent(endpoint, payload),
    clock: serverOptions.clock ?? systemClock,
    notify: () => app.queue?.notify(),
  };
  dashboard = dashboardRoutes(deps, { basePath, keepAliveMs, pageSize });
  return { ...s, url: s.info.localUrl, listeners: () => active };
}
