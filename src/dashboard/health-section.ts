import { html, type SafeHtml } from "../internal/html.js";
import type { LandingInfo } from "../server/landing-page.js";
import type { DeliveryStore } from "../store/types.js";
import { summarizeHealth, type HubStateLabel } from "./endpoint-health.js";
import { healthStrip } from "./views/health-strip.js";

const DAY_MS = 86_400_000;

/**
 * The health strip of the dashboard page: ONE store read (`deliveryHealth`, the last 24 h grouped), the Hub webhook
 * states the server's health check last saw (matched to each endpoint by URL), rendered. Nothing without a log, or
 * with a store that does not offer the read.
 * @example
 * const strip = await healthSection(app.store, app.landingInfo(origin), app.routes, Date.now());
 */
export async function healthSection(store: DeliveryStore | undefined, info: LandingInfo, routes: readonly string[], now: number): Promise<SafeHtml> {
  if (!store?.deliveryHealth) return html``;
  const rows = await store.deliveryHealth(now - DAY_MS);
  const names = routes.map((route) => route.replace(/^\/webhooks\//, ""));
  const hubStates: Record<string, HubStateLabel[]> = {};
  names.forEach((name, i) => {
    const url = (info.urls[i] ?? "").replace(/\?.*$/, "").replace(/\/+$/, "");
    const states = (info.hubWebhooks ?? []).filter((w) => w.url === url).map((w) => w.state);
    hubStates[name] = !info.hubChecked ? ["unknown"] : states.length ? states : ["none"];
  });
  return healthStrip(summarizeHealth(rows, names), { now, hubStates });
}
