import type { Clock } from "../internal/clock.js";
import type { FailedAttempt } from "../queue/types.js";
import type { Destination } from "./destination.js";

/** The part of a Hub webhook an alert names (a `HubWebhookState` or a `WebhookInfo` fits). */
export interface SuspendedWebhook {
  id: string;
  url?: string | null;
  disabled?: unknown;
}

/**
 * Options of {@link createAlerts}.
 * @example
 * createAlerts([discord(url)], { clock, minIntervalMs: 10 * 60_000 });
 */
export interface AlertsOptions {
  clock?: Clock;
  /** At most one alert per subject (an endpoint's dead deliveries, one Hub webhook) in this window. Default 5 min. */
  minIntervalMs?: number;
}

/** What the server calls: a delivery went dead, the Hub suspended one of this server's webhooks. */
export interface Alerts {
  deliveryDead(failure: FailedAttempt): Promise<void>;
  webhookSuspended(webhook: SuspendedWebhook): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 5 * 60_000;

/**
 * Operational alerts through forward destinations, rate-limited per subject: the first alert of a window goes out,
 * the next ones are counted and the following alert says how many were held back. A destination that fails makes
 * the call throw after every destination was tried (the server logs it; the delivery is not affected).
 * @example
 * const alerts = createAlerts([discord(process.env.ALERTS_DISCORD_URL!)]);
 * await alerts.deliveryDead({ delivery, error, attempt: 5, nextAttemptAt: null });
 */
export function createAlerts(destinations: readonly Destination[], options: AlertsOptions = {}): Alerts {
  const windowMs = options.minIntervalMs ?? DEFAULT_INTERVAL_MS;
  const now = () => (options.clock ?? Date).now();
  const last = new Map<string, { at: number; held: number }>();

  async function send(subject: string, text: string): Promise<void> {
    const at = now();
    const previous = last.get(subject);
    if (previous && at - previous.at < windowMs) {
      previous.held++;
      return;
    }
    last.set(subject, { at, held: 0 });
    const held = previous?.held ? ` (${previous.held} more since the last alert)` : "";
    const results = await Promise.allSettled(destinations.map((d) => d.notify(text + held, AbortSignal.timeout(30_000))));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  return {
    deliveryDead({ delivery, error, attempt }) {
      const event = delivery.scope ? ` (${delivery.scope}${delivery.action ? `.${delivery.action}` : ""}${delivery.repoName ? ` on ${delivery.repoName}` : ""})` : "";
      const why = error.message.replace(/^\[hubhooks\] /, "").slice(0, 500);
      return send(`dead:${delivery.endpoint}`,
        `⚠️ hubhooks: delivery ${delivery.id} to /webhooks/${delivery.endpoint}${event} is dead after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${why}. Replay it from the dashboard once fixed.`);
    },
    webhookSuspended(webhook) {
      // The path only: a Hub webhook URL may carry ?secret=.
      const path = webhook.url && URL.canParse(webhook.url) ? ` (${new URL(webhook.url).pathname})` : "";
      return send(`suspended:${webhook.id}`,
        `⚠️ hubhooks: the Hub suspended webhook ${webhook.id}${path} after failed deliveries. Re-enable it at https://huggingface.co/settings/webhooks (or: hubhooks webhooks enable ${webhook.id}).`);
    },
  };
}
