import { HubhooksError } from "../errors.js";

/**
 * The two domains a webhook can listen to. Singular `discussion`: that is what the Hub accepts
 * (one Python constant says `discussions`; don't copy it).
 * @example
 * WEBHOOK_DOMAINS.includes("discussion"); // true
 */
export const WEBHOOK_DOMAINS = ["repo", "discussion"] as const;
/** @example const d: WebhookDomain = "repo"; */
export type WebhookDomain = (typeof WEBHOOK_DOMAINS)[number];

/**
 * Kinds of watched items. `bucket` is being added by the Hub.
 * @example
 * WATCHED_TYPES.includes("space"); // true
 */
export const WATCHED_TYPES = ["user", "org", "model", "dataset", "space", "bucket"] as const;
/** @example const t: WatchedType = "model"; */
export type WatchedType = (typeof WATCHED_TYPES)[number];

/**
 * A user, org or repo a webhook watches.
 * @example
 * const item: WatchedItem = { type: "model", name: "openai-community/gpt2" };
 */
export interface WatchedItem {
  type: WatchedType;
  name: string;
}

/**
 * What a webhook does now: `enabled`; `disabled` by its owner (the Hub's `disabled: true`, or a string the Hub
 * added later); `suspended` by the Hub because its deliveries kept failing (`disabled: "suspended-after-failure"`).
 * @example
 * WEBHOOK_STATES.includes("suspended"); // true
 */
export const WEBHOOK_STATES = ["enabled", "disabled", "suspended"] as const;
/** @example const s: WebhookState = "suspended"; */
export type WebhookState = (typeof WEBHOOK_STATES)[number];

/** The Hub's value of `disabled` for a webhook it suspended after failed deliveries. */
export const SUSPENDED_AFTER_FAILURE = "suspended-after-failure";

/**
 * A webhook as the Hub describes it. Unknown fields the Hub adds are kept.
 * @example
 * const info: WebhookInfo = await hub.getWebhook("6390e855e30d9209411de93b");
 * if (info.state === "suspended") await hub.enableWebhook(info.id);
 */
export interface WebhookInfo {
  id: string;
  /** Target URL (absent for webhooks that trigger a Job). */
  url?: string;
  /** The Job the webhook triggers, as the Hub returns it. */
  job?: Record<string, unknown>;
  watched: WatchedItem[];
  domains: WebhookDomain[];
  secret?: string;
  /** True when it sends nothing: disabled by its owner or suspended by the Hub (see `state`). */
  disabled: boolean;
  /** Enabled, disabled by its owner, or suspended by the Hub after failed deliveries. */
  state: WebhookState;
  /** The Hub's `disabled` when it was a string (`"suspended-after-failure"`, or a value unknown to hubhooks). */
  disabledReason?: string;
  [key: string]: unknown;
}

/**
 * Turn a Hub answer (`{"webhook": {...}}` or a bare webhook object) into a {@link WebhookInfo}, filling
 * `watched: []`, `domains: []` and `disabled: false` when the Hub leaves them out. The Hub types `disabled` as
 * `boolean | "suspended-after-failure"`: the string is read as `state: "suspended"`; any other string as
 * `disabled`, its value kept in `disabledReason` (a truthy string is never read as enabled).
 * Throws `HUB_API` when there is no object with a string `id`.
 * @example
 * toWebhookInfo({ webhook: { id: "abc", watched: [], domains: ["repo"], disabled: false } }).id; // "abc"
 * toWebhookInfo({ id: "abc", disabled: "suspended-after-failure" }).state; // "suspended"
 */
export function toWebhookInfo(value: unknown): WebhookInfo {
  const inner = isObject(value) && isObject(value.webhook) ? value.webhook : value;
  if (!isObject(inner) || typeof inner.id !== "string") {
    throw new HubhooksError("HUB_API", "Hub API returned an unexpected webhook object (no string id)", {
      status: 502,
    });
  }
  return {
    ...inner,
    id: inner.id,
    watched: Array.isArray(inner.watched) ? (inner.watched as WatchedItem[]) : [],
    domains: Array.isArray(inner.domains) ? (inner.domains as WebhookDomain[]) : [],
    ...readDisabled(inner.disabled),
  };
}

/** The Hub's `disabled` field (boolean or string) as `disabled`, `state` and, for a string, `disabledReason`. */
function readDisabled(value: unknown): Pick<WebhookInfo, "disabled" | "state" | "disabledReason"> {
  if (typeof value === "string") {
    const state = value === SUSPENDED_AFTER_FAILURE ? "suspended" : "disabled";
    return { disabled: true, state, disabledReason: value };
  }
  return value === true ? { disabled: true, state: "disabled" } : { disabled: false, state: "enabled" };
}

/**
 * Read the list answer: a JSON array (also accepts `{"webhooks": [...]}` and `{webhook}` entries).
 * @example
 * toWebhookList([{ id: "a", watched: [], domains: [], disabled: false }]).length; // 1
 */
export function toWebhookList(value: unknown): WebhookInfo[] {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.webhooks) ? value.webhooks : null;
  if (!list) {
    throw new HubhooksError("HUB_API", "Hub API returned an unexpected webhook list (not an array)", { status: 502 });
  }
  return list.map(toWebhookInfo);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
