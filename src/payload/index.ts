// Public surface of the payload module; src/index.ts re-exports from here.
export {
  WebhookPayloadSchema,
  RepoSchema,
  DiscussionSchema,
  CommentSchema,
  UpdatedRefSchema,
  EventSchema,
  WebhookInfoSchema,
  MovedToSchema,
  KNOWN_ACTIONS,
  REPO_TYPES,
  DISCUSSION_STATUSES,
  type WebhookPayload,
  type Repo,
  type Discussion,
  type Comment,
  type UpdatedRef,
  type MovedTo,
  type PayloadEvent,
  type WebhookInfo,
  type UpdatedConfig,
  type KnownAction,
  type KnownRepoType,
  type KnownDiscussionStatus,
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
export type {
  EventSelector,
  EventFilter,
  PayloadFor,
  ScopeFields,
  EventFields,
  ScopeOfEvent,
} from "./payload-for.js";
export { parsePayload, safeParsePayload, type ParsePayloadResult, type SafeParsePayloadResult } from "./parse.js";
export {
  FIXTURE_NAMES,
  listFixtures,
  getFixture,
  fixture,
  type FixtureName,
  type FixtureEvent,
  type GetFixtureOptions,
  type DeepPartial,
} from "./fixtures.js";
export { setPath, parseSetValue } from "./set-path.js";
export { webhookPayloadJsonSchema } from "./json-schema.js";
