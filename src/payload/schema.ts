import * as z from "zod";
import { KNOWN_SCOPES, type KnownScope } from "./events.js";

/*
 * Lenient on purpose: every object is loose (unknown fields are kept), enumerated values are open strings,
 * no format (URL, sha, id) is checked, and ids, urls, owners and authors are optional. Required: `event`
 * with string `scope` and `action`, and `repo` with string `type` and `name`. The few fields that make an
 * optional object what it is (a discussion's `num`, a comment's `hidden`...) are required when that object
 * is present. Optional fields also accept `null`: read them with `?.` and `??`.
 */

/**
 * Values the Hub documents today; the schema accepts others (the Hub adds values without notice).
 * @example
 * KNOWN_ACTIONS.includes(payload.event.action as KnownAction);
 */
export const KNOWN_ACTIONS = ["create", "delete", "move", "update"] as const;
/** @example const a: KnownAction = "move"; */
export type KnownAction = (typeof KNOWN_ACTIONS)[number];

/**
 * Repo types the Hub documents (`bucket` is being rolled out: no git, no `headSha`).
 * @example
 * REPO_TYPES; // ["model", "dataset", "space", "bucket"]
 */
export const REPO_TYPES = ["model", "dataset", "space", "bucket"] as const;
/** @example const t: KnownRepoType = "dataset"; */
export type KnownRepoType = (typeof REPO_TYPES)[number];

/**
 * Discussion and pull request statuses the Hub documents.
 * @example
 * if (payload.discussion?.status === "merged") deploy();
 */
export const DISCUSSION_STATUSES = ["open", "closed", "merged", "draft"] as const;
/** @example const s: KnownDiscussionStatus = "draft"; */
export type KnownDiscussionStatus = (typeof DISCUSSION_STATUSES)[number];

/** A string whose known values autocomplete, while any other string still parses. */
function openString<T extends string>(known: readonly T[], description: string) {
  return z.string().meta({ description, examples: [...known] }) as unknown as z.ZodType<T | (string & {})>;
}

const IdSchema = z.looseObject({ id: z.string().nullish() });
const UrlSchema = z.looseObject({ web: z.string().nullish(), api: z.string().nullish() });

/**
 * `payload.event`: what happened (`action`) to what (`scope`).
 * @example
 * EventSchema.parse({ scope: "repo.config.dois", action: "update" }); // unknown scopes parse
 */
export const EventSchema = z.looseObject({
  action: openString<KnownAction>(KNOWN_ACTIONS, "What happened; new actions may appear."),
  scope: openString<KnownScope>(
    KNOWN_SCOPES,
    "What it happened to. An unknown narrower scope (repo.config.dois) is an update of its known broader scope.",
  ),
});

/**
 * `payload.repo`. Note `headSha` (camelCase): the Python library reads `head_sha` and always gets nothing.
 * @example
 * const repo = RepoSchema.parse(body.repo);
 * console.log(repo.type, repo.name, repo.headSha ?? "(no git)");
 */
export const RepoSchema = z.looseObject({
  type: openString<KnownRepoType>(REPO_TYPES, "Repo type; new types appear over time."),
  name: z.string().meta({ description: "owner/name" }),
  id: z.string().nullish(),
  private: z.boolean().nullish(),
  url: UrlSchema.nullish(),
  owner: IdSchema.nullish(),
  headSha: z.string().nullish().meta({ description: "Latest commit on main; repo* scopes only, never on buckets." }),
  subdomain: z.string().nullish().meta({ description: "Spaces only." }),
  tags: z.array(z.string()).nullish().meta({ description: "Older payloads only." }),
});

/**
 * `payload.discussion` (a pull request is a discussion with `isPullRequest: true`).
 * @example
 * const d = DiscussionSchema.parse(body.discussion);
 * if (d.isPullRequest && d.status === "merged") console.log(d.changes?.mergeCommitId);
 */
export const DiscussionSchema = z.looseObject({
  id: z.string().nullish(),
  num: z.number(),
  title: z.string(),
  url: UrlSchema.nullish(),
  status: openString<KnownDiscussionStatus>(DISCUSSION_STATUSES, "Discussion or pull request status."),
  author: IdSchema.nullish(),
  isPullRequest: z.boolean(),
  changes: z.looseObject({ base: z.string(), mergeCommitId: z.string().nullish() }).nullish(),
  pinned: z.boolean().nullish(),
});

/**
 * `payload.comment`; `content` is absent when `hidden` is true (typed `content?: string`, as the Hub sends it; a
 * `null` from an older or future sender is accepted and removed, so there is one way to say "no content").
 * @example
 * const c = CommentSchema.parse(body.comment);
 * const text = c.hidden ? "(hidden)" : (c.content ?? "");
 */
export const CommentSchema = z.preprocess(
  withoutNullContent,
  z.looseObject({
    id: z.string().nullish(),
    author: IdSchema.nullish(),
    content: z.string().exactOptional().meta({ description: "Absent when the comment is hidden." }),
    hidden: z.boolean(),
    url: UrlSchema.nullish(),
  }),
);

function withoutNullContent(value: unknown): unknown {
  if (typeof value !== "object" || value === null || (value as { content?: unknown }).content !== null) return value;
  const { content: _null, ...rest } = value as Record<string, unknown>;
  return rest;
}

/**
 * One entry of `payload.updatedRefs`: `oldSha: null` is a new ref, `newSha: null` a deleted one.
 * @example
 * const created = payload.updatedRefs?.filter((r) => r.oldSha === null).map((r) => r.ref);
 */
export const UpdatedRefSchema = z.looseObject({
  ref: z.string(),
  oldSha: z.string().nullable(),
  newSha: z.string().nullable(),
});

/**
 * `payload.movedTo` on `repo.move`: the repo's new name and owner.
 * @example
 * MovedToSchema.parse({ name: "new-org/repo", owner: { id: "61d2" } }).name; // "new-org/repo"
 */
export const MovedToSchema = z.looseObject({ name: z.string(), owner: IdSchema.nullish() });

/**
 * `payload.webhook`: which webhook sent it, and the payload format version (3 today; any number parses).
 * @example
 * WebhookInfoSchema.parse({ id: "6390e855e30d9209411de93b", version: 4 }).version; // 4
 */
export const WebhookInfoSchema = z.looseObject({ id: z.string().nullish(), version: z.number().nullish() });

/**
 * A Hub webhook delivery (payload format version 3). A zod object (loose), so it can be extended; it is
 * also a Standard Schema. {@link parsePayload} adds formatted issues and two normalisations.
 * @example
 * const MyPayload = WebhookPayloadSchema.extend({ myField: z.string() });
 * const payload = WebhookPayloadSchema.parse(JSON.parse(body));
 */
export const WebhookPayloadSchema = z
  .looseObject({
    event: EventSchema,
    repo: RepoSchema,
    discussion: DiscussionSchema.nullish(),
    comment: CommentSchema.nullish(),
    updatedRefs: z.array(UpdatedRefSchema).nullish().meta({ description: "Git ref changes (repo.content)." }),
    updatedConfig: z
      .record(z.string(), z.unknown())
      .nullish()
      .meta({ description: "repo.config scope: the changed keys ({} when the key isn't exposed)." }),
    movedTo: MovedToSchema.nullish(),
    updatedFiles: z.array(z.unknown()).nullish().meta({ description: "Bucket file changes (shape not documented yet)." }),
    updatedFilesTruncated: z.boolean().nullish(),
    webhook: WebhookInfoSchema.nullish(),
  })
  .meta({ title: "Hugging Face Hub webhook payload (version 3)" });

/**
 * A parsed Hub webhook delivery: unknown fields are kept and typed `unknown`. Narrow it by event with
 * `isEvent`, or type a handler with `PayloadFor<"discussion.comment.create">`.
 * @example
 * function log(p: WebhookPayload) {
 *   console.log(`${p.event.scope}.${p.event.action}`, p.repo.type, p.repo.name);
 * }
 */
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
/**
 * `payload.repo` (see {@link RepoSchema}).
 * @example
 * const apiUrl = (repo: Repo) => repo.url?.api ?? `https://huggingface.co/api/${repo.type}s/${repo.name}`;
 */
export type Repo = z.infer<typeof RepoSchema>;
/**
 * `payload.discussion` (see {@link DiscussionSchema}).
 * @example
 * const label = (d: Discussion) => `${d.isPullRequest ? "PR" : "discussion"} #${d.num}: ${d.title}`;
 */
export type Discussion = z.infer<typeof DiscussionSchema>;
/**
 * `payload.comment` (see {@link CommentSchema}).
 * @example
 * const text = (c: Comment) => (c.hidden ? "" : (c.content ?? ""));
 */
export type Comment = z.infer<typeof CommentSchema>;
/**
 * One of `payload.updatedRefs` (see {@link UpdatedRefSchema}).
 * @example
 * const isNewTag = (r: UpdatedRef) => r.ref.startsWith("refs/tags/") && r.oldSha === null;
 */
export type UpdatedRef = z.infer<typeof UpdatedRefSchema>;
/**
 * `payload.movedTo` (see {@link MovedToSchema}).
 * @example
 * const newName = (m: MovedTo) => m.name; // "new-org/repo"
 */
export type MovedTo = z.infer<typeof MovedToSchema>;
/**
 * `payload.event` (see {@link EventSchema}).
 * @example
 * const key = (e: PayloadEvent) => `${e.scope}.${e.action}`;
 */
export type PayloadEvent = z.infer<typeof EventSchema>;
/**
 * `payload.webhook` (see {@link WebhookInfoSchema}).
 * @example
 * const isV3 = (w: WebhookInfo | null | undefined) => w?.version === 3;
 */
export type WebhookInfo = z.infer<typeof WebhookInfoSchema>;
/**
 * `payload.updatedConfig`: the changed config keys (today `private`, `xetEnabled`).
 * @example
 * const madePublic = (c: UpdatedConfig) => c.private === false;
 */
export type UpdatedConfig = Record<string, unknown>;
