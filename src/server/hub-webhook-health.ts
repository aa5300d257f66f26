import type { HubClient } from "../hub/hub-client.js";
import type { WebhookInfo, WebhookState } from "../hub/webhook-info.js";
import { systemClock, type Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import { DEFAULTS } from "../defaults.js";
import { timerDelay } from "../queue/timer-delay.js";
import { reenableSuspended } from "./reenable-suspended.js";

/** One Hub webhook that points at this server, as the Hub last described it. */
export interface HubWebhookState {
  id: string;
  /** Its URL without the query (the Hub may carry the secret in `?secret=`). */
  url: string;
  /** Enabled, disabled by its owner, or suspended by the Hub after failed deliveries. */
  state: WebhookState;
  /** True when it sends nothing (disabled or suspended). */
  disabled: boolean;
  /** What else the Hub returned about it (a suspension's details are undocumented: whatever fields it sends). */
  extra: Record<string, unknown>;
}

/** What the health check reports to, and whether it may heal (the server options of the same names). */
export interface HubWebhookHealthOptions {
  hub: HubClient;
  /** The full URLs of this server's endpoints (read at each check: endpoints added later count). */
  urls: () => readonly string[];
  logger: Logger;
  clock?: Clock;
  /** How often the Hub is asked. Default 5 min. */
  intervalMs?: number;
  /** Called once when a webhook pointing here becomes suspended (also when the first check finds it so). */
  onSuspended?: (webhook: WebhookInfo) => unknown;
  /** Called once when a webhook that was suspended is enabled again. */
  onRecovered?: (webhook: WebhookInfo) => unknown;
  /** Re-enable a suspended webhook when `ready()` (never one its owner disabled), at most once per interval. */
  autoReenable?: boolean;
  /** Whether this server can take deliveries now (`/readyz`): a webhook is re-enabled only then. */
  ready?: () => Promise<boolean>;
}

const KNOWN = new Set(["id", "url", "job", "watched", "domains", "secret", "disabled", "state"]);

/** How often the Hub is asked (never per delivery: the Hub's API has its own rate limits). */
export const HUB_HEALTH_INTERVAL_MS = DEFAULTS.webhookHealthIntervalMs;

/**
 * Finds the Hub webhooks whose URL points at this server (at start, then every `intervalMs`) and follows their state:
 * a suspension (the Hub stops a webhook whose deliveries keep failing; a suspended webhook sends nothing, so no
 * delivery can tell) is logged at error level and reported once to `onSuspended`, its end once to `onRecovered`.
 * The dashboard shows the state with the command that fixes it, and `/metrics` exports it. Checks run one at a time,
 * so two concurrent checks never report one transition twice.
 * @example
 * const health = new HubWebhookHealth({ hub, urls: () => app.info!.endpoints, logger, onSuspended: (w) => page(w.id) });
 * await health.check(); health.start();
 */
export class HubWebhookHealth {
  readonly #options: HubWebhookHealthOptions;
  #states: HubWebhookState[] = [];
  /** Last state seen per webhook id: a transition is a change from it. */
  readonly #seen = new Map<string, WebhookState>();
  /** When a re-enable was last tried per webhook id (at most one per interval). */
  readonly #reenabledAt = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #answered = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: HubWebhookHealthOptions) {
    this.#options = options;
  }

  /** The webhooks found at the last check. */
  get states(): readonly HubWebhookState[] {
    return this.#states;
  }

  /** Whether the Hub has answered a check yet (until then the states are unknown, not "none"). */
  get answered(): boolean {
    return this.#answered;
  }

  get intervalMs(): number {
    return this.#options.intervalMs ?? HUB_HEALTH_INTERVAL_MS;
  }

  /** Ask the Hub now. A failure (no network, a token without the scope) is logged and keeps the last answer. */
  check(): Promise<readonly HubWebhookState[]> {
    const run = this.#queue.then(() => this.#check());
    this.#queue = run.catch(() => {});
    return run;
  }

  async #check(): Promise<readonly HubWebhookState[]> {
    const { hub, urls, logger } = this.#options;
    let mine: WebhookInfo[];
    try {
      const ours = urls().map(withoutQuery);
      mine = (await hub.listWebhooks()).filter((w) => w.url && ours.includes(withoutQuery(w.url)));
    } catch (error) {
      logger.warn({ err: error }, "could not check this server's webhooks on the Hub");
      return this.#states;
    }
    this.#answered = true;
    for (const webhook of mine) await this.#observe(webhook);
    if (this.#options.autoReenable) {
      const now = (this.#options.clock ?? systemClock).now();
      const healed = await reenableSuspended(mine, {
        hub, logger, now, intervalMs: this.intervalMs, lastTried: this.#reenabledAt, ready: this.#options.ready ?? (async () => true),
      });
      for (const webhook of healed) await this.#observe(webhook);
      mine = mine.map((w) => healed.find((h) => h.id === w.id) ?? w);
    }
    this.#states = mine.map(toState);
    return this.#states;
  }

  /** Log and report a change of state (the first sighting of a suspended or disabled webhook counts as one). */
  async #observe(webhook: WebhookInfo): Promise<void> {
    const { logger } = this.#options;
    const before = this.#seen.get(webhook.id);
    this.#seen.set(webhook.id, webhook.state);
    if (before === webhook.state) return;
    const fields = { webhook: webhook.id, url: withoutQuery(webhook.url ?? "") };
    if (webhook.state === "suspended") {
      logger.error(fields, `the Hub suspended webhook ${webhook.id} after failed deliveries: it sends nothing until re-enabled (fix the cause, then: hubhooks webhooks enable ${webhook.id})`);
      await this.#report("onSuspended", webhook);
    } else if (webhook.state === "disabled") {
      logger.warn({ ...fields, disabled: webhook.disabledReason ?? true }, `webhook ${webhook.id} is disabled on the Hub: it sends nothing until enabled (hubhooks webhooks enable ${webhook.id})`);
    } else if (before === "suspended") {
      logger.info(fields, `webhook ${webhook.id} is enabled again on the Hub`);
      await this.#report("onRecovered", webhook);
    }
  }

  /** A hook that throws is logged; it never stops the check. It gets the webhook without its secret. */
  async #report(hook: "onSuspended" | "onRecovered", webhook: WebhookInfo): Promise<void> {
    try {
      await this.#options[hook]?.(withoutSecret(webhook));
    } catch (error) {
      this.#options.logger.error({ err: error, webhook: webhook.id }, `the ${hook === "onSuspended" ? "onWebhookSuspended" : "onWebhookRecovered"} hook failed`);
    }
  }

  /** Check every `intervalMs` from now on (the first check is the caller's). */
  start(): void {
    this.#timer ??= setInterval(() => void this.check(), timerDelay(this.intervalMs));
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
  if (w.state === "suspended") delete extra.disabledReason; // said by `state`
  return { id: w.id, url: withoutQuery(w.url!), state: w.state, disabled: w.disabled, extra };
}

function withoutSecret(w: WebhookInfo): WebhookInfo {
  const copy: WebhookInfo = { ...w, ...(w.url ? { url: withoutQuery(w.url) } : {}) };
  if (copy.secret !== undefined) copy.secret = "***";
  return copy;
}

/** The Hub may carry the secret in `?secret=`: compare (and show) URLs without their query. */
export function withoutQuery(url: string): string {
  const q = url.indexOf("?");
  return (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, "");
}
