import type { HubClient } from "../hub/hub-client.js";
import type { WebhookInfo } from "../hub/webhook-info.js";
import type { Logger } from "../internal/logger.js";
import { timerDelay } from "../queue/timer-delay.js";

/** One Hub webhook that points at this server, as the Hub last described it. */
export interface HubWebhookState {
  id: string;
  url: string;
  disabled: boolean;
  /** What else the Hub returned about it (a suspension's reason is undocumented: whatever fields it sends). */
  extra: Record<string, unknown>;
}

const KNOWN = new Set(["id", "url", "job", "watched", "domains", "secret", "disabled"]);

/** How often the Hub is asked (never per delivery: the Hub's API has its own rate limits). */
export const HUB_HEALTH_INTERVAL_MS = 5 * 60_000;

/**
 * Finds the Hub webhooks whose URL points at this server (at start, then every five minutes) and remembers whether
 * the Hub has disabled them (it suspends a webhook whose deliveries keep failing, and e-mails its owner). The
 * dashboard shows a disabled one with the command that re-enables it, and `/metrics` exports the state.
 * @example
 * const health = new HubWebhookHealth({ hub, urls: () => app.info!.endpoints, logger });
 * await health.check(); health.start();
 */
export class HubWebhookHealth {
  readonly #o: { hub: HubClient; urls: () => readonly string[]; logger: Logger };
  #states: HubWebhookState[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: { hub: HubClient; urls: () => readonly string[]; logger: Logger }) {
    this.#o = options;
  }

  /** The webhooks found at the last check. */
  get states(): readonly HubWebhookState[] {
    return this.#states;
  }

  /** Ask the Hub now. A failure (no network, a token without the scope) is logged and keeps the last answer. */
  async check(): Promise<readonly HubWebhookState[]> {
    try {
      const ours = this.#o.urls().map(withoutQuery);
      const mine = (await this.#o.hub.listWebhooks()).filter((w) => w.url && ours.includes(withoutQuery(w.url)));
      this.#states = mine.map(toState);
      for (const w of this.#states.filter((s) => s.disabled)) {
        this.#o.logger.warn(
          { webhook: w.id, url: w.url, ...w.extra },
          `the Hub has disabled webhook ${w.id}: it sends nothing until re-enabled (hubhooks webhooks enable ${w.id})`,
        );
      }
    } catch (error) {
      this.#o.logger.warn({ err: error }, "could not check this server's webhooks on the Hub");
    }
    return this.#states;
  }

  start(intervalMs = HUB_HEALTH_INTERVAL_MS): void {
    this.#timer ??= setInterval(() => void this.check(), timerDelay(intervalMs));
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function toState(w: WebhookInfo): HubWebhookState {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(w)) if (!KNOWN.has(key)) extra[key] = value;
  return { id: w.id, url: withoutQuery(w.url!), disabled: w.disabled, extra };
}

/** The Hub may carry the secret in `?secret=`: compare (and show) URLs without their query. */
function withoutQuery(url: string): string {
  const q = url.indexOf("?");
  return (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, "");
}
