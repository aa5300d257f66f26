import type { Destination } from "../forward/destination.js";
import type { Alerts, SuspendedWebhook } from "../forward/alerts.js";
import type { Clock } from "../internal/clock.js";
import type { FailureHooks } from "../queue/types.js";

/**
 * The `alerts` server option, loaded at its first alert (the root import stays light): `deliveryDead` for the
 * onDead hook, `webhookSuspended` for the Hub-suspension hook.
 * @example
 * const alerts = lazyAlerts([discord(url)], clock);
 * await alerts?.webhookSuspended({ id: "6390e855e30d9209411de93b", url: "https://me-bot.hf.space/webhooks/notify" });
 */
export function lazyAlerts(destinations: Destination | readonly Destination[] | undefined, clock: Clock | undefined): Alerts | undefined {
  const list = destinations === undefined ? [] : Array.isArray(destinations) ? [...destinations] : [destinations as Destination];
  if (!list.length) return undefined;
  let loaded: Promise<Alerts> | undefined;
  const get = () => (loaded ??= import("../forward/alerts.js").then((m) => m.createAlerts(list, { ...(clock ? { clock } : {}) })));
  return {
    deliveryDead: async (failure) => (await get()).deliveryDead(failure),
    webhookSuspended: async (webhook: SuspendedWebhook) => (await get()).webhookSuspended(webhook),
  };
}

/**
 * The onDead hook with the alert after the user's own (a failure of either is logged by the caller).
 * @example
 * hooks.onDead = withDeadAlert(options.onDead, lazyAlerts(options.alerts, options.clock));
 */
export function withDeadAlert(onDead: FailureHooks["onDead"], alerts: Alerts | undefined): FailureHooks["onDead"] {
  if (!alerts) return onDead;
  return async (failure) => {
    try {
      await onDead?.(failure);
    } finally {
      await alerts.deliveryDead(failure);
    }
  };
}
