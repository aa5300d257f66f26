import type { WebhooksServerOptions } from "../../src/server/options.js";
import type { WebhooksServer } from "../../src/server/webhooks-server.js";
import type { DeliveryChange } from "../../src/server/observe-store.js";
import { startServer } from "../helpers/server.js";

/**
 * A real WebhooksServer (127.0.0.1, port 0, in-memory SQLite log) with its dashboard: at `/`, or at `/dashboard`
 * when `customUi` (HTML for `/`) is given. `listeners()` counts the server's open delivery-change subscriptions
 * (the dashboard's live streams share one).
 */
export async function startDashboardServer(
  options: WebhooksServerOptions & { customUi?: string } = {},
  setup: (app: WebhooksServer) => void = () => {},
) {
  const { customUi, ...serverOptions } = options;
  let active = 0;
  const s = await startServer({ ...serverOptions, ...(customUi === undefined ? {} : { ui: customUi }) }, (app) => {
    // Count subscriptions by wrapping the method the dashboard calls (an own property shadows the prototype's).
    const subscribe = app.onDeliveryChange.bind(app);
    app.onDeliveryChange = (listener: (change: DeliveryChange) => void) => {
      active++;
      const off = subscribe(listener);
      return () => {
        active--;
        return off();
      };
    };
    setup(app);
  });
  return { ...s, url: s.info.localUrl, listeners: () => active };
}
