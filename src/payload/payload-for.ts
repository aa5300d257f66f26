import type { EventKey, EventSelector, KnownScope } from "./events.js";
import type { Comment, Discussion, MovedTo, UpdatedConfig, UpdatedRef, WebhookPayload } from "./schema.js";

/*
 * Types only. What a narrowed type promises is what the Hub documents; `isEvent` and the three-argument
 * `matchesEvent` also check those fields at runtime (see PROMISED_FIELDS in events.ts, kept in step by a test).
 */

/**
 * One selector or a list of them (a list matches when any selector does).
 * @example
 * app.addWebhook("lifecycle").on(["repo.create", "repo.delete"], (p) => p.event.action);
 */
export type EventFilter = EventSelector | readonly EventSelector[];
export type { EventSelector };

/**
 * Fields every event of a known scope carries, as the Hub documents them. `repo.headSha` is not promised
 * on `repo.content`: bucket content changes have no git and no `headSha`.
 * @example
 * type D = ScopeFields["discussion"]; // { discussion: Discussion }
 */
export interface ScopeFields {
  repo: {};
  "repo.content": { updatedRefs: UpdatedRef[] };
  "repo.config": { updatedConfig: UpdatedConfig };
  discussion: { discussion: Discussion };
  "discussion.comment": { discussion: Discussion; comment: Comment };
}

/**
 * Fields an event key carries beyond those of its scope.
 * @example
 * type M = EventFields["repo.move"]; // { movedTo: MovedTo }
 */
export interface EventFields {
  "repo.move": { movedTo: MovedTo };
}

/**
 * The scope part of an event key.
 * @example
 * type S = ScopeOfEvent<"discussion.comment.create">; // "discussion.comment"
 */
export type ScopeOfEvent<K extends EventKey> = {
  [S in KnownScope]: K extends `${S}.${infer A}` ? (A extends `${string}.${string}` ? never : S) : never;
}[KnownScope];
type ActionOfEvent<K extends EventKey> = K extends `${ScopeOfEvent<K>}.${infer A}` ? A : never;

// An update key or a scope pattern also covers unknown narrower scopes, whose raw action may be anything.
type FallbackEvent<S extends string> = { scope: `${S}.${string}`; action: string };
type EventPart<K extends EventKey> =
  ActionOfEvent<K> extends "update"
    ? { scope: ScopeOfEvent<K>; action: "update" } | FallbackEvent<ScopeOfEvent<K>>
    : { scope: ScopeOfEvent<K>; action: ActionOfEvent<K> };

type KeyPayload<K extends EventKey> = WebhookPayload &
  ScopeFields[ScopeOfEvent<K>] &
  (K extends keyof EventFields ? EventFields[K] : {}) & { event: EventPart<K> };

type ScopePayload<S extends KnownScope> = WebhookPayload & ScopeFields[S] & { event: { scope: S } | FallbackEvent<S> };

type SelectorPayload<E> = E extends EventKey ? KeyPayload<E> : E extends KnownScope ? ScopePayload<E> : WebhookPayload;

/**
 * The payload a pattern guarantees. `PayloadFor<"discussion.comment.create">` has non-optional `discussion`
 * and `comment` and `event: { scope: "discussion.comment"; action: "create" }`; `"repo.config.update"` has
 * `updatedConfig`, `"repo.move"` has `movedTo`, `"repo.content.update"` has `updatedRefs`; a list gives the
 * union; `"*"` and unknown strings give {@link WebhookPayload}.
 * @example
 * const onComment = (p: PayloadFor<"discussion.comment.create">) => p.comment.content ?? "(hidden)";
 */
export type PayloadFor<P extends EventFilter> = P extends readonly (infer E)[] ? SelectorPayload<E> : SelectorPayload<P>;
