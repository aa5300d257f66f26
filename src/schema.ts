// `hubhooks/schema`: the zod schemas of a Hub payload (zod loads with this entry, not with "hubhooks").
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
} from "./payload/schema.js";
export { parsePayload, safeParsePayload, type ParsePayloadResult, type SafeParsePayloadResult } from "./payload/parse.js";
export { webhookPayloadJsonSchema } from "./payload/json-schema.js";
