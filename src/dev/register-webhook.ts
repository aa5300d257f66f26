import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { HubhooksError } from "../errors.js";
import { HubApiError } from "../hub/hub-api-error.js";
import type { HubClient } from "../hub/hub-client.js";
import type { WatchedItem } from "../hub/webhook-info.js";
import type { UpdateWebhookOptions } from "../hub/webhook-requests.js";
import type { Logger } from "../internal/logger.js";
import { devStatePath, readDevState, secretFingerprint, writeDevState } from "./dev-state.js";
import { endpointRouteOf, resolveRegisterOptions, type RegisterOptions, type ResolvedRegisterOptions } from "./register-options.js";

/**
 * Input of {@link registerWebhook}.
 * @example
 * const input: RegisterWebhookInput = {
 *   hub: HubClient.fromEnv(), urls: [tunnel.publicUrlFor("/webhooks/train")],
 *   options: { watch: ["model:me/my-model"] }, logger, print: console.log,
 * };
 */
export interface RegisterWebhookInput {
  /** A client with a token (`HubClient.fromEnv()` reads `HF_TOKEN` and `HF_ENDPOINT`). */
  hub: HubClient;
  /** Public URL of each endpoint (one Hub webhook each). */
  urls: string[];
  options: RegisterOptions;
  /** Where `dev-webhooks.json` lives (default `.hubhooks` under the working directory). */
  stateDir?: string;
  /** The server's secret; when absent, the one remembered in the state, else a new one (remembered). */
  secret?: string;
  logger: Pick<Logger, "info" | "warn">;
  /** Where the human lines go (what was created or updated, with its Hub settings link). */
  print: (line: string) => void;
}

/**
 * What {@link registerWebhook} did.
 * @example
 * const { secret, webhooks, cleanup } = await registerWebhook(input);
 * webhooks[0]; // { id: "65…", url: "https://smee.io/AbC?path=/webhooks/train", action: "created" }
 */
export interface RegisteredWebhooks {
  /** The secret every webhook sends in `X-Webhook-Secret`: give it to the server. Never print it. */
  secret: string;
  webhooks: { id: string; url: string; action: "created" | "updated" }[];
  /** Disable (or delete, then forget) the webhooks. Never throws: failures are printed and logged. Idempotent. */
  cleanup: () => Promise<void>;
}

/**
 * Create a Hub webhook for each endpoint URL, or bring the one created last time for that endpoint up to date
 * (only changed fields are sent; a disabled one is re-enabled; one the Hub no longer knows is created again).
 * The ids and a generated secret are remembered in `<stateDir>/dev-webhooks.json` (mode 0600).
 * Throws `UNAUTHORIZED` without a token and `INVALID_OPTIONS` for bad options, both before any request.
 * @example
 * const registered = await registerWebhook({
 *   hub: HubClient.fromEnv(), urls: info.endpoints, options: { watch: ["model:me/my-model"] },
 *   logger, print: console.log,
 * });
 * const app = new WebhooksServer({ webhookSecret: registered.secret });
 * process.once("SIGINT", () => void registered.cleanup());
 */
export async function registerWebhook(input: RegisterWebhookInput): Promise<RegisteredWebhooks> {
  const options = resolveRegisterOptions(input.options);
  const { hub, print } = input;
  if (!hub.hasToken) {
    throw new HubhooksError(
      "UNAUTHORIZED",
      "registering a Hub webhook needs a Hugging Face token: set HF_TOKEN (a token with write access, from https://huggingface.co/settings/tokens)",
      { status: 401 },
    );
  }
  const routes = input.urls.map(endpointRouteOf);
  const duplicate = routes.find((route, i) => routes.indexOf(route) !== i);
  if (duplicate) throw new HubhooksError("INVALID_OPTIONS", `two endpoint URLs lead to ${duplicate}`);

  const stateDir = input.stateDir ?? join(process.cwd(), ".hubhooks");
  const state = await readDevState(stateDir);
  let secret = input.secret;
  if (!secret) {
    secret = state.secret ?? randomBytes(24).toString("base64url");
    if (!state.secret) {
      state.secret = secret;
      await writeDevState(stateDir, state);
      print(`Generated a webhook secret, kept in ${devStatePath(stateDir)} (set WEBHOOK_SECRET to choose your own).`);
    }
  }

  const webhooks: RegisteredWebhooks["webhooks"] = [];
  for (const [i, url] of input.urls.entries()) {
    const route = routes[i];
    const known = state.webhooks[route];
    const result = known?.hub === hub.endpoint ? await refresh(hub, known.id, url, secret, options, known.secretSha256) : undefined;
    const id = result?.id ?? (await hub.createWebhook({ watched: options.watched, url, domains: options.domains, secret })).id;
    state.webhooks[route] = { id, hub: hub.endpoint, url, secretSha256: secretFingerprint(secret) };
    await writeDevState(stateDir, state);
    const action = result ? "updated" : "created";
    webhooks.push({ id, url, action });
    print(`${describe(action, route, id, result)}: ${settingsLink(hub, id)}`);
    input.logger.info({ id, route, action, changed: result?.changed ?? [] }, "dev: Hub webhook registered");
  }
  return { secret, webhooks, cleanup: once(() => cleanupWebhooks(input, stateDir, options.cleanup, routes)) };
}

interface Changes {
  id: string;
  /** Fields sent in the update (`url`, `watched`, `domains`, `secret`). */
  changed: string[];
  reenabled: boolean;
}

/** Bring a known webhook up to date; `undefined` when the Hub no longer knows it (404), so it must be created. */
async function refresh(
  hub: HubClient,
  id: string,
  url: string,
  secret: string,
  options: ResolvedRegisterOptions,
  secretSha256: string | undefined,
): Promise<Changes | undefined> {
  const found = await ifFound(() => hub.getWebhook(id));
  if (!found) return undefined;
  const current = found.value;
  const update: UpdateWebhookOptions = {};
  if (current.url !== url) update.url = url;
  if (!sameWatched(current.watched, options.watched)) update.watched = options.watched;
  if (!sameSet(current.domains, options.domains)) update.domains = options.domains;
  // The Hub may not echo secrets back; then the fingerprint of the one we last sent decides.
  const secretChanged =
    typeof current.secret === "string" ? current.secret !== secret : secretSha256 !== secretFingerprint(secret);
  if (secretChanged) update.secret = secret;
  const changed = Object.keys(update);
  if (changed.length > 0 && !(await ifFound(() => hub.updateWebhook(id, update)))) return undefined;
  const reenabled = current.disabled;
  if (reenabled && !(await ifFound(() => hub.enableWebhook(id)))) return undefined;
  return { id, changed, reenabled };
}

async function cleanupWebhooks(
  input: RegisterWebhookInput,
  stateDir: string,
  mode: "disable" | "delete",
  routes: string[],
): Promise<void> {
  const { hub, print, logger } = input;
  for (const route of routes) {
    let id = "?";
    try {
      // Read afresh each time: another endpoint's cleanup may have just written the file.
      const state = await readDevState(stateDir);
      const entry = state.webhooks[route];
      if (!entry || entry.hub !== hub.endpoint) continue;
      id = entry.id;
      const found = await ifFound<unknown>(() => (mode === "delete" ? hub.deleteWebhook(id) : hub.disableWebhook(id)));
      if (mode === "delete" || !found) {
        delete state.webhooks[route];
        await writeDevState(stateDir, state);
      }
      if (!found) print(`Hub webhook ${id} for ${route} was already gone; forgot it.`);
      else if (mode === "delete") print(`Deleted Hub webhook ${id} for ${route}.`);
      else print(`Disabled Hub webhook ${id} for ${route} (the next run re-enables it).`);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).replace(/^\[hubhooks\] /, "");
      logger.warn({ id, route, err: message }, `dev: could not ${mode} the Hub webhook`);
      print(`Could not ${mode} Hub webhook ${id} for ${route}: ${message}`);
    }
  }
}

/** The Hub settings page of a webhook, on the client's Hub (`HF_ENDPOINT`). */
function settingsLink(hub: HubClient, id: string): string {
  return `${hub.endpoint}/settings/webhooks/${encodeURIComponent(id)}`;
}

function describe(action: "created" | "updated", route: string, id: string, changes?: Changes): string {
  if (action === "created") return `Created Hub webhook ${id} for ${route}`;
  const parts = [...(changes?.changed.length ? [changes.changed.join(", ")] : []), ...(changes?.reenabled ? ["re-enabled"] : [])];
  return parts.length ? `Updated Hub webhook ${id} for ${route} (${parts.join("; ")})` : `Reusing Hub webhook ${id} for ${route} (unchanged)`;
}

/** Run `call`; a 404 from the Hub becomes `undefined` (the webhook is gone), anything else is rethrown. */
async function ifFound<T>(call: () => Promise<T>): Promise<{ value: T } | undefined> {
  try {
    return { value: await call() };
  } catch (error) {
    if (error instanceof HubApiError && error.status === 404) return undefined;
    throw error;
  }
}

function sameWatched(a: WatchedItem[], b: WatchedItem[]): boolean {
  return sameSet(a.map((w) => `${w.type}:${w.name}`), b.map((w) => `${w.type}:${w.name}`));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= run());
}
