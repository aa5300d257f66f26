// The payload part of the root export: types and event helpers, nothing that loads zod (the schemas are
// `hubhooks/schema`, the fixtures `hubhooks/testing`).
export type {
  WebhookPayload,
  Repo,
  Discussion,
  Comment,
  UpdatedRef,
  MovedTo,
  PayloadEvent,
  WebhookInfo,
  UpdatedConfig,
  KnownAction,
  KnownRepoType,
  KnownDiscussionStatus,
} from "./schema.js";
export {
  KNOWN_SCOPES,
  KNOWN_EVENTS,
  PROMISED_FIELDS,
  resolveEvent,
  matchesEvent,
  isEvent,
  type KnownScope,
  type EventKey,
  type EventPattern,
  type RawEventSelector,
  type ResolvedEvent,
} from "./events.js";
export type { EventSelector, EventFilter, PayloadFor, ScopeFields, EventFields, ScopeOfEvent } from "./payload-for.js";
