/**
 * One entry of a discussion's timeline as the Hub returns it (a comment, a status or title change…).
 * Loosely typed: every field the Hub sends is kept.
 * @example
 * const { newMessage } = await hub.comment(ref, "Thanks!");
 * console.log(newMessage?.id);
 */
export interface DiscussionEvent {
  id?: string;
  type?: string;
  createdAt?: string;
  author?: Record<string, unknown>;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Answer to `comment`. @example const id = (await hub.comment(ref, "Hi")).newMessage?.id; */
export interface CommentResult {
  newMessage?: DiscussionEvent;
  [key: string]: unknown;
}

/** Answer to `changeDiscussionStatus`. @example (await hub.changeDiscussionStatus(ref, "closed")).newStatus; */
export interface StatusChangeResult {
  newStatus?: DiscussionEvent;
  [key: string]: unknown;
}

/** Answer to `renameDiscussion`. @example (await hub.renameDiscussion(ref, "New title")).newTitle; */
export interface RenameResult {
  newTitle?: DiscussionEvent;
  [key: string]: unknown;
}

/** Answer to `editComment` and `hideComment`. @example (await hub.hideComment(ref, id)).updatedComment; */
export interface CommentUpdateResult {
  updatedComment?: DiscussionEvent;
  [key: string]: unknown;
}

/** Answer to `createDiscussion`. @example const { num } = await hub.createDiscussion(options); */
export interface CreatedDiscussion {
  num?: number;
  url?: string;
  [key: string]: unknown;
}

/** Any other JSON object the Hub answers with. @example const result: HubJson = await hub.mergePullRequest(ref); */
export type HubJson = Record<string, unknown>;

/**
 * Keep a JSON object as is; anything else (an empty body, `null`) becomes `{}` so results are always objects.
 * @example
 * asHubJson(null); // {}
 */
export function asHubJson(value: unknown): HubJson {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as HubJson) : {};
}
