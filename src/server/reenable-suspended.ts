import type { HubClient } from "../hub/hub-client.js";
import type { WebhookInfo } from "../hub/webhook-info.js";
import type { Logger } from "../internal/logger.js";

/**
 * The `autoReenable` rule: enable again each webhook the Hub suspended (`state: "suspended"`; never one its owner
 * disabled, `disabled: true`), only while this server can take deliveries (`ready()`, what `/readyz` answers: a
 * webhook re-enabled towards a server that fails would be suspended again, and the Hub e-mails its owner each time),
 * and at most once per `intervalMs` per webhook (`lastTried` remembers when). Returns the webhooks as the Hub
 * answered the enable calls that succeeded; a failure is logged.
 * @example
 * const healed = await reenableSuspended(webhooks, { hub, logger, now: Date.now(), intervalMs: 300_000, lastTried, ready });
 */
export async function reenableSuspended(
  webhooks: readonly WebhookInfo[],
  options: {
    hub: HubClient;
    logger: Logger;
    now: number;
    intervalMs: number;
    lastTried: Map<string, number>;
    ready: () => Promise<boolean>;
  },
): Promise<WebhookInfo[]> {
  const { hub, logger, now, intervalMs, lastTried } = options;
  const due = webhooks.filter((w) => {
    const last = lastTried.get(w.id);
    return w.state === "suspended" && (last === undefined || now - last >= intervalMs);
  });
  if (due.length === 0) return [];
  if (!(await options.ready().catch(() => false))) {
    logger.warn({ webhooks: due.map((w) => w.id) }, "not re-enabling the suspended webhook(s): this server is not ready (see /readyz)");
    return [];
  }
  const healed: WebhookInfo[] = [];
  for (const webhook of due) {
    lastTried.set(webhook.id, now);
    try {
      healed.push(await hub.enableWebhook(webhook.id));
      logger.warn({ webhook: webhook.id }, `re-enabled webhook ${webhook.id}, which the Hub had suspended after failed deliveries (autoReenable)`);
    } catch (error) {
      logger.error({ err: error, webhook: webhook.id }, `could not re-enable the suspended webhook ${webhook.id}`);
    }
  }
  return healed;
}
