import { HubhooksError } from "../errors.js";
import { parseWatched } from "../hub/parse-watched.js";
import { WEBHOOK_DOMAINS, type WatchedItem, type WebhookDomain } from "../hub/webhook-info.js";

/**
 * What `--register` registers on the Hub for each endpoint.
 * @example
 * const options: RegisterOptions = { watch: ["model:me/my-model", "org:my-org"], domains: ["repo"], cleanup: "delete" };
 */
export interface RegisterOptions {
  /** Watched items as `type:name` (`model:openai-community/gpt2`, `org:huggingface`); at least one. */
  watch: string[];
  /** Domains to listen to (default both, `repo` and `discussion`). */
  domains?: ("repo" | "discussion")[];
  /** What to do with the webhooks when the server stops (default `disable`; the next run re-enables them). */
  cleanup?: "disable" | "delete";
}

/** {@link RegisterOptions} checked, parsed and with defaults applied. */
export interface ResolvedRegisterOptions {
  watched: WatchedItem[];
  domains: WebhookDomain[];
  cleanup: "disable" | "delete";
}

/** Cleanup modes `--cleanup` accepts. @example REGISTER_CLEANUP_MODES.includes("delete"); // true */
export const REGISTER_CLEANUP_MODES = ["disable", "delete"] as const;

/**
 * Check and parse register options; throws `INVALID_OPTIONS` with a message naming the CLI flag to fix.
 * Duplicates are dropped. Call it before opening a tunnel so a typo fails at once.
 * @example
 * resolveRegisterOptions({ watch: ["model:gpt2"] });
 * // { watched: [{ type: "model", name: "gpt2" }], domains: ["repo", "discussion"], cleanup: "disable" }
 */
export function resolveRegisterOptions(options: RegisterOptions): ResolvedRegisterOptions {
  const watch = (options.watch ?? []).flatMap((item) => item.split(",")).filter((item) => item.trim() !== "");
  if (watch.length === 0) {
    throw new HubhooksError(
      "INVALID_OPTIONS",
      "registering a Hub webhook needs at least one --watch type:name (e.g. --watch model:me/my-model --watch org:my-org)",
    );
  }
  const watched: WatchedItem[] = [];
  for (const item of watch.map(parseWatched)) {
    if (!watched.some((w) => w.type === item.type && w.name === item.name)) watched.push(item);
  }
  const domains = [...new Set(options.domains ?? WEBHOOK_DOMAINS)];
  for (const domain of domains) {
    if (!(WEBHOOK_DOMAINS as readonly string[]).includes(domain)) {
      throw new HubhooksError("INVALID_OPTIONS", `Invalid --domain "${domain}": use ${WEBHOOK_DOMAINS.join(" or ")}`);
    }
  }
  if (domains.length === 0) {
    throw new HubhooksError("INVALID_OPTIONS", `--domain needs ${WEBHOOK_DOMAINS.join(" or ")}`);
  }
  const cleanup = options.cleanup ?? "disable";
  if (!(REGISTER_CLEANUP_MODES as readonly string[]).includes(cleanup)) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid --cleanup "${cleanup}": use disable or delete`);
  }
  return { watched, domains, cleanup };
}

/**
 * The endpoint route a public URL leads to: the relay carries it in `?path=`, the other tunnels in the path
 * (possibly after a prefix). This is the key under which the webhook is remembered, so switching tunnel
 * providers updates the same Hub webhook.
 * @example
 * endpointRouteOf("https://smee.io/AbC?path=/webhooks/train"); // "/webhooks/train"
 * endpointRouteOf("https://x.trycloudflare.com/webhooks/train"); // "/webhooks/train"
 */
export function endpointRouteOf(publicUrl: string): string {
  if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid endpoint URL "${publicUrl}": expected an http(s) URL`);
  }
  const url = new URL(publicUrl);
  for (const candidate of [url.searchParams.get("path"), url.pathname]) {
    const at = candidate?.indexOf("/webhooks/") ?? -1;
    if (candidate && at !== -1) return candidate.slice(at).replace(/\/+$/, "");
  }
  return url.pathname.replace(/\/+$/, "") || "/";
}
