import type { EventFilter, PayloadFor } from "./payload-for.js";
import type { WebhookPayload } from "./schema.js";

export type { EventFilter, PayloadFor, ScopeFields, EventFields, ScopeOfEvent } from "./payload-for.js";

/**
 * Scopes the Hub documents, broadest first.
 * @example
 * KNOWN_SCOPES.includes(payload.event.scope as KnownScope); // false for "repo.config.dois"
 */
export const KNOWN_SCOPES = ["repo", "repo.content", "repo.config", "discussion", "discussion.comment"] as const;
/** @example const s: KnownScope = "repo.content"; */
export type KnownScope = (typeof KNOWN_SCOPES)[number];

/**
 * Every documented `"scope.action"` event key.
 * @example
 * KNOWN_EVENTS.length; // 11
 */
export const KNOWN_EVENTS = [
  "repo.create",
  "repo.delete",
  "repo.update",
  "repo.move",
  "repo.content.update",
  "repo.config.update",
  "discussion.create",
  "discussion.delete",
  "discussion.update",
  "discussion.comment.create",
  "discussion.comment.update",
] as const;
/**
 * A documented event key.
 * @example
 * const key: EventKey = "discussion.comment.create";
 */
export type EventKey = (typeof KNOWN_EVENTS)[number];

/**
 * What a route subscribes to: `"*"`, a known scope (all its actions, but not its narrower known scopes:
 * `"repo"` does not match `repo.content.update`), or an event key.
 * @example
 * const patterns: EventPattern[] = ["*", "discussion", "repo.content.update"];
 */
export type EventPattern = EventKey | KnownScope | "*";

/**
 * The explicit form for an event hubhooks does not know (yet): `raw:` then a scope or a `scope.action` as the
 * Hub sends it. It matches that raw scope or key (and the resolved ones), so a new scope or action is reachable
 * before hubhooks lists it, while a plain string must be a known pattern: a typo such as
 * `"discussion.coment.create"` is a type error instead of a route that never fires.
 * @example
 * app.addWebhook("bot").on("raw:repo.config.dois", (p) => p.event.scope); // "repo.config.dois"
 * app.addWebhook("bot").on("raw:space.hardware.upgrade", (p) => p.repo.name);
 */
export type RawEventSelector = `raw:${string}`;

/**
 * One selector: an {@link EventPattern} (checked against the documented scopes and events), or a
 * {@link RawEventSelector} for an event hubhooks doesn't know yet.
 * @example
 * const s: EventSelector[] = ["discussion.comment.create", "raw:repo.config.dois"];
 */
export type EventSelector = EventPattern | RawEventSelector;

/** @example RAW_EVENT_PREFIX; // "raw:" */
export const RAW_EVENT_PREFIX = "raw:";

/**
 * The event of one delivery, after the Hub's fallback rule (see {@link resolveEvent}).
 * @example
 * const e: ResolvedEvent = resolveEvent(payload);
 * if (e.fellBack) log.info(`${e.raw.scope} handled as ${e.key}`);
 */
export interface ResolvedEvent {
  /** Scope it is handled as: the raw scope, or the known broader scope of an unknown narrower one. */
  scope: string;
  /** Action it is handled as: the raw action, or `"update"` after a fallback. */
  action: string;
  /** `"scope.action"`, e.g. `"repo.config.update"`. */
  key: string;
  /** True when `key` is one of {@link KNOWN_EVENTS}. */
  known: boolean;
  /** True when an unknown narrower scope was mapped to its known broader scope. */
  fellBack: boolean;
  /** `event.scope` and `event.action` as sent. */
  raw: { scope: string; action: string };
  /** Same as `raw` (always set by {@link resolveEvent}; optional only so hand-built values may omit it). */
  original?: { scope: string; action: string };
}

// Longest first, so "repo.config.dois" falls back to "repo.config", not "repo".
const SCOPES_LONGEST_FIRST = [...KNOWN_SCOPES].sort((a, b) => b.length - a.length);
const isKnownScope = (s: string): s is KnownScope => (KNOWN_SCOPES as readonly string[]).includes(s);
const isEventKey = (s: string): s is EventKey => (KNOWN_EVENTS as readonly string[]).includes(s);

/**
 * The Hub's documented rule for events it may add: any action on an unknown narrower scope
 * (`repo.config.dois`) is an `update` on the longest known broader scope (`repo.config`). A known scope
 * keeps its action even when that action is new (`repo.content.create` stays, `known: false`).
 * @example
 * resolveEvent({ event: { scope: "repo.config.dois", action: "create" } }).key; // "repo.config.update"
 * resolveEvent({ event: { scope: "discussion", action: "create" } }).known;     // true
 */
export function resolveEvent(payload: { event: { scope: string; action: string } }): ResolvedEvent {
  const scope = typeof payload.event?.scope === "string" ? payload.event.scope : "";
  const action = typeof payload.event?.action === "string" ? payload.event.action : "";
  const broader = isKnownScope(scope) ? undefined : SCOPES_LONGEST_FIRST.find((s) => scope.startsWith(`${s}.`));
  const resolved = broader === undefined ? { scope, action } : { scope: broader, action: "update" };
  const key = `${resolved.scope}.${resolved.action}`;
  const raw = { scope, action };
  return { ...resolved, key, known: isEventKey(key), fellBack: broader !== undefined, raw, original: raw };
}

/**
 * True when a resolved event matches a pattern (or any pattern of a list): `"*"`, its key, or its resolved
 * scope; a `raw:` selector (or, from JavaScript, any other string) also matches the raw scope or raw `scope.action`. Pass the payload first to
 * also require the fields {@link PayloadFor} the pattern promises (then a handler's narrowed type holds
 * even if the Hub leaves a documented field out).
 * @example
 * const event = resolveEvent(payload);
 * matchesEvent("repo.config", event);              // true for scope "repo.config.dois"
 * matchesEvent("repo", event);                     // false for scope "repo.content"
 * matchesEvent(payload, event, "discussion.comment"); // and payload.discussion, payload.comment exist
 */
export function matchesEvent(pattern: EventFilter, resolved: ResolvedEvent): boolean;
export function matchesEvent(payload: WebhookPayload, resolved: ResolvedEvent, pattern: EventFilter): boolean;
export function matchesEvent(first: EventFilter | WebhookPayload, resolved: ResolvedEvent, third?: EventFilter): boolean {
  const withPayload = third !== undefined;
  const pattern = (withPayload ? third : first) as EventFilter;
  const selectors: readonly EventSelector[] = typeof pattern === "string" ? [pattern] : pattern;
  return selectors.some(
    (s) => matchesSelector(s, resolved) && (!withPayload || hasPromisedFields(first as WebhookPayload, s)),
  );
}

/**
 * {@link matchesEvent} with the payload, as a type guard: narrows the payload to {@link PayloadFor}.
 * @example
 * if (isEvent(payload, "discussion.comment.create")) console.log(payload.comment.content);
 * if (isEvent(payload, ["repo.create", "repo.delete"])) console.log(payload.event.action);
 */
export function isEvent<const P extends EventFilter>(payload: WebhookPayload, pattern: P): payload is PayloadFor<P> & WebhookPayload {
  return matchesEvent(payload, resolveEvent(payload), pattern);
}

function matchesSelector(pattern: EventSelector, resolved: ResolvedEvent): boolean {
  const selector: string = pattern.startsWith(RAW_EVENT_PREFIX) ? pattern.slice(RAW_EVENT_PREFIX.length) : pattern;
  if (selector === "*" || selector === resolved.key || selector === resolved.scope) return true;
  if (selector === pattern && (isKnownScope(selector) || isEventKey(selector))) return false;
  const raw = resolved.raw ?? resolved.original ?? { scope: "", action: "" };
  return selector === raw.scope || selector === `${raw.scope}.${raw.action}`;
}

/**
 * Fields a known scope or event key promises (mirrors ScopeFields / EventFields in payload-for.ts).
 * @example
 * PROMISED_FIELDS["discussion.comment"]; // ["discussion", "comment"]
 */
export const PROMISED_FIELDS: Readonly<Record<KnownScope | "repo.move", readonly string[]>> = {
  repo: [],
  "repo.content": ["updatedRefs"],
  "repo.config": ["updatedConfig"],
  discussion: ["discussion"],
  "discussion.comment": ["discussion", "comment"],
  "repo.move": ["movedTo"],
};

function hasPromisedFields(payload: WebhookPayload, selector: EventSelector): boolean {
  const scope = isKnownScope(selector) ? selector : isEventKey(selector) ? selector.slice(0, selector.lastIndexOf(".")) : undefined;
  if (scope === undefined) return true;
  const fields = [...(PROMISED_FIELDS[scope as KnownScope] ?? []), ...(selector === "repo.move" ? PROMISED_FIELDS["repo.move"] : [])];
  const record = payload as Record<string, unknown>;
  return fields.every((field) => typeof record[field] === "object" && record[field] !== null);
}
