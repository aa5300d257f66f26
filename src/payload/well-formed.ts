// The payload schema (schema.ts) checked by hand, for the hot path: zod builds a copy of every loose object it
// parses and walks its issue machinery even when there is none (about a tenth of an inline delivery's CPU). This
// answers only "would WebhookPayloadSchema accept this as it is?"; a `false` is not an error but "ask zod", which
// stays the reference and writes the messages. It may say `false` where zod says yes (then zod runs: correct, only
// slower), never `true` where zod says no: test/unit/payload-well-formed.test.ts checks that on every fixture and
// on broken variants of each field. Keep the two in step when the schema changes.

import type { WebhookPayload } from "./schema.js";

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const nullish = (v: unknown): boolean => v === undefined || v === null;
const optString = (v: unknown): boolean => nullish(v) || typeof v === "string";
const optBoolean = (v: unknown): boolean => nullish(v) || typeof v === "boolean";
const isNumber = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
const optNumber = (v: unknown): boolean => nullish(v) || isNumber(v);

/** IdSchema, nullish. */
const optId = (v: unknown): boolean => nullish(v) || (isObject(v) && optString(v.id));
/** UrlSchema, nullish. */
const optUrl = (v: unknown): boolean => nullish(v) || (isObject(v) && optString(v.web) && optString(v.api));

function event(v: unknown): boolean {
  return isObject(v) && isString(v.action) && isString(v.scope);
}

function repo(v: unknown): boolean {
  if (!isObject(v) || !isString(v.type) || !isString(v.name)) return false;
  if (!optString(v.id) || !optBoolean(v.private) || !optUrl(v.url) || !optId(v.owner)) return false;
  if (!optString(v.headSha) || !optString(v.subdomain)) return false;
  return nullish(v.tags) || (Array.isArray(v.tags) && v.tags.every(isString));
}

function discussion(v: unknown): boolean {
  if (nullish(v)) return true;
  if (!isObject(v) || !isNumber(v.num) || !isString(v.title) || !isString(v.status) || typeof v.isPullRequest !== "boolean") return false;
  if (!optString(v.id) || !optUrl(v.url) || !optId(v.author) || !optBoolean(v.pinned)) return false;
  const changes = v.changes;
  return nullish(changes) || (isObject(changes) && isString(changes.base) && optString(changes.mergeCommitId));
}

function comment(v: unknown): boolean {
  if (nullish(v)) return true;
  // `content: null` is removed by zod's preprocess (a copy): that rare case is left to zod.
  if (!isObject(v) || typeof v.hidden !== "boolean" || ("content" in v && !isString(v.content))) return false;
  return optString(v.id) && optId(v.author) && optUrl(v.url);
}

const updatedRef = (r: unknown): boolean =>
  isObject(r) && isString(r.ref) && (r.oldSha === null || isString(r.oldSha)) && (r.newSha === null || isString(r.newSha));

/**
 * Whether `value` is a Hub payload `WebhookPayloadSchema` accepts unchanged (no `comment.content: null` to drop),
 * checked without zod. `false` means "let zod decide", not "invalid".
 * @example
 * isWellFormedPayload(JSON.parse(body)) ? normalize(value) : WebhookPayloadSchema.safeParse(value);
 */
export function isWellFormedPayload(value: unknown): boolean {
  if (!isObject(value) || !event(value.event) || !repo(value.repo)) return false;
  if (!discussion(value.discussion) || !comment(value.comment)) return false;
  const { updatedRefs, updatedConfig, movedTo, updatedFiles, webhook } = value;
  if (!nullish(updatedRefs) && !(Array.isArray(updatedRefs) && updatedRefs.every(updatedRef))) return false;
  if (!nullish(updatedConfig) && !isObject(updatedConfig)) return false;
  if (!nullish(movedTo) && !(isObject(movedTo) && isString(movedTo.name) && optId(movedTo.owner))) return false;
  if (!nullish(updatedFiles) && !Array.isArray(updatedFiles)) return false;
  if (!optBoolean(value.updatedFilesTruncated)) return false;
  return nullish(webhook) || (isObject(webhook) && optString(webhook.id) && optNumber(webhook.version));
}

/**
 * The payload as `parsePayload` returns it when the hand check accepts it (normalised, see below), else undefined:
 * then ask zod. Loads no zod: a server whose deliveries are all well-formed never loads it.
 * @example
 * const payload = wellFormedPayload(value) ?? (await import("./parse.js")).parsePayload(value);
 */
export function wellFormedPayload(value: unknown): WebhookPayload | undefined {
  return isWellFormedPayload(value) ? normalizePayload(value as WebhookPayload) : undefined;
}

/**
 * The two documented promises: `repo.content` events always have `updatedRefs` (`[]` for buckets, which have no git)
 * and `repo.config` events always have `updatedConfig` (`{}` when the changed key isn't exposed).
 * @example
 * normalizePayload(payload).updatedRefs; // [] on a bucket's repo.content event
 */
export function normalizePayload(payload: WebhookPayload): WebhookPayload {
  const scope = payload.event.scope;
  const inScope = (known: string) => scope === known || scope.startsWith(`${known}.`);
  if (inScope("repo.content") && payload.updatedRefs == null) return { ...payload, updatedRefs: [] };
  if (inScope("repo.config") && payload.updatedConfig == null) return { ...payload, updatedConfig: {} };
  return payload;
}
