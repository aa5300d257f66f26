import { HubhooksError } from "../errors.js";
import type { HubRequest } from "./send-hub-request.js";
import type { WatchedItem, WebhookDomain } from "./webhook-info.js";

const BASE = "/api/settings/webhooks";

/**
 * What to create: watched items plus exactly one target, a `url` or a `jobId`.
 * @example
 * const options: CreateWebhookOptions = {
 *   watched: [{ type: "model", name: "openai-community/gpt2" }],
 *   url: "https://me-bot.hf.space/webhooks/ci", domains: ["repo", "discussion"], secret: "s3cret",
 * };
 */
export interface CreateWebhookOptions {
  watched: WatchedItem[];
  url?: string;
  /** Id of a Job to trigger instead of calling a URL (sent as `jobSourceId`). */
  jobId?: string;
  domains?: WebhookDomain[];
  /** `undefined` (e.g. an unset `process.env.WEBHOOK_SECRET`) is the same as leaving it out. */
  secret?: string | undefined;
}

/**
 * Fields to change; only the given ones are sent.
 * @example
 * const options: UpdateWebhookOptions = { url: "https://new.example/webhooks/ci" };
 */
export interface UpdateWebhookOptions {
  watched?: WatchedItem[];
  url?: string;
  domains?: WebhookDomain[];
  /** `undefined` (e.g. an unset `process.env.WEBHOOK_SECRET`) is the same as leaving it out. */
  secret?: string | undefined;
}

/**
 * `GET /api/settings/webhooks`.
 * @example
 * listWebhooksRequest().path; // "/api/settings/webhooks"
 */
export function listWebhooksRequest(): HubRequest {
  return { method: "GET", path: BASE, auth: "required", response: "json" };
}

/**
 * `GET /api/settings/webhooks/{id}`.
 * @example
 * getWebhookRequest("abc").path; // "/api/settings/webhooks/abc"
 */
export function getWebhookRequest(id: string): HubRequest {
  return { method: "GET", path: webhookPath(id), auth: "required", response: "json" };
}

/**
 * `POST /api/settings/webhooks` with `{watched, url | jobSourceId, domains?, secret?}`; absent fields omitted.
 * @example
 * createWebhookRequest({ watched: [{ type: "org", name: "acme" }], url: "https://x.example/h" }).body;
 * // { watched: [{ type: "org", name: "acme" }], url: "https://x.example/h" }
 */
export function createWebhookRequest(options: CreateWebhookOptions): HubRequest {
  const hasUrl = options.url !== undefined && options.url !== "";
  const hasJob = options.jobId !== undefined && options.jobId !== "";
  if (hasUrl === hasJob) {
    throw new HubhooksError("INVALID_OPTIONS", "createWebhook needs exactly one of `url` or `jobId`");
  }
  if (!Array.isArray(options.watched) || options.watched.length === 0) {
    throw new HubhooksError("INVALID_OPTIONS", "createWebhook needs at least one watched item");
  }
  const body: Record<string, unknown> = { watched: options.watched };
  if (hasUrl) body.url = options.url;
  if (hasJob) body.jobSourceId = options.jobId;
  if (options.domains !== undefined) body.domains = options.domains;
  if (options.secret !== undefined) body.secret = options.secret;
  return { method: "POST", path: BASE, body, auth: "required", response: "json", redact: secrets(options.secret) };
}

/**
 * `POST /api/settings/webhooks/{id}` with only the given fields (never `watched: []` by default).
 * @example
 * updateWebhookRequest("abc", { domains: ["discussion"] }).body; // { domains: ["discussion"] }
 */
export function updateWebhookRequest(id: string, options: UpdateWebhookOptions): HubRequest {
  const body: Record<string, unknown> = {};
  for (const key of ["watched", "url", "domains", "secret"] as const) {
    if (options[key] !== undefined) body[key] = options[key];
  }
  if (Object.keys(body).length === 0) {
    throw new HubhooksError("INVALID_OPTIONS", "updateWebhook needs at least one of watched, url, domains, secret");
  }
  return {
    method: "POST",
    idempotent: true, // the same update twice leaves the same webhook
    path: webhookPath(id),
    body,
    auth: "required",
    response: "json",
    redact: secrets(options.secret),
  };
}

/**
 * `POST /api/settings/webhooks/{id}/enable` or `/disable`.
 * @example
 * toggleWebhookRequest("abc", "disable").path; // "/api/settings/webhooks/abc/disable"
 */
export function toggleWebhookRequest(id: string, action: "enable" | "disable"): HubRequest {
  return { method: "POST", path: `${webhookPath(id)}/${action}`, auth: "required", response: "json", idempotent: true };
}

/**
 * `POST /api/settings/webhooks/{id}/replay/{logId}`: the Hub sends that logged delivery again, to the webhook's
 * current URL and secret. Not repeated after an error that may have reached the Hub (a second replay is a second
 * delivery).
 * @example
 * replayWebhookLogRequest("abc", "log1").path; // "/api/settings/webhooks/abc/replay/log1"
 */
export function replayWebhookLogRequest(id: string, logId: string): HubRequest {
  if (typeof logId !== "string" || logId.trim() === "" || logId === "." || logId === "..") {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid webhook log id "${String(logId)}"`);
  }
  return { method: "POST", path: `${webhookPath(id)}/replay/${encodeURIComponent(logId)}`, auth: "required", response: "json" };
}

/**
 * `DELETE /api/settings/webhooks/{id}`.
 * @example
 * deleteWebhookRequest("abc").method; // "DELETE"
 */
export function deleteWebhookRequest(id: string): HubRequest {
  return { method: "DELETE", path: webhookPath(id), auth: "required", response: "none" };
}

function webhookPath(id: string): string {
  if (typeof id !== "string" || id.trim() === "" || id === "." || id === "..") {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid webhook id "${String(id)}"`);
  }
  return `${BASE}/${encodeURIComponent(id)}`;
}

function secrets(secret: string | undefined): string[] {
  return secret ? [secret] : [];
}
