import { HubhooksError } from "../errors.js";
import { WebhookPayloadSchema, type WebhookPayload } from "./schema.js";
import { normalizePayload, wellFormedPayload } from "./well-formed.js";

/** At most this many issues are reported (a hostile body could produce thousands). */
const MAX_ISSUES = 5;

/**
 * Result of {@link parsePayload}.
 * @example
 * const r: ParsePayloadResult = parsePayload(body);
 * const issues = r.success ? [] : r.issues;
 */
export type ParsePayloadResult = { success: true; data: WebhookPayload } | { success: false; issues: string[] };

/**
 * Validate a decoded JSON body as a Hub webhook payload. Lenient: unknown fields, scopes, actions, repo
 * types and versions pass; only a structurally broken body fails, with at most 5 issues formatted
 * `"<dot.path>: <message>"`. Two normalisations make documented promises hold: `repo.content` events
 * always have `updatedRefs` (`[]` for buckets, which have no git) and `repo.config` events always have
 * `updatedConfig` (`{}` when the changed key isn't exposed). A payload that is already well-formed is returned as
 * it is (not a copy, unless a normalisation applies): checked by hand first, zod only decides the others.
 * @example
 * const result = parsePayload(JSON.parse(body));
 * if (!result.success) return new Response(JSON.stringify({ issues: result.issues }), { status: 422 });
 * console.log(result.data.repo.name); // "some-user/some-repo"
 * parsePayload({ event: { scope: "repo" }, repo: {} });
 * // { success: false, issues: ["event.action: expected string, received undefined", "repo.type: ...", ...] }
 */
export function parsePayload(value: unknown): ParsePayloadResult {
  // A payload the hand check accepts is one zod accepts unchanged: skip zod's copy (well-formed.ts).
  const wellFormed = wellFormedPayload(value);
  if (wellFormed) return { success: true, data: wellFormed };
  return parsePayloadWithZod(value);
}

/**
 * {@link parsePayload} by zod alone: the reference the hand check is tested against, and the one that writes the
 * issues.
 * @example
 * parsePayloadWithZod(JSON.parse(body)); // same result as parsePayload, slower on a good payload
 */
export function parsePayloadWithZod(value: unknown): ParsePayloadResult {
  if (isLegacyPayload(value)) {
    return { success: false, issues: ["event: expected object, received string (legacy payload version 2 is not supported)"] };
  }
  const result = WebhookPayloadSchema.safeParse(value);
  if (!result.success) {
    return { success: false, issues: result.error.issues.slice(0, MAX_ISSUES).map(formatIssue) };
  }
  return { success: true, data: normalizePayload(result.data) };
}

/**
 * Result of {@link safeParsePayload}.
 * @example
 * const r: SafeParsePayloadResult = safeParsePayload(body);
 * if (!r.success) throw r.error;
 */
export type SafeParsePayloadResult = { success: true; data: WebhookPayload } | { success: false; error: HubhooksError };

/**
 * {@link parsePayload} with the failure as a ready-to-throw error: `HubhooksError` code `INVALID_PAYLOAD`,
 * status 422, `details.issues` the formatted issues (so `httpErrorResponse` answers `{ error, issues }`).
 * @example
 * const parsed = safeParsePayload(JSON.parse(body));
 * if (!parsed.success) return httpErrorResponse(parsed.error); // 422 {"error": "...", "issues": [...]}
 */
export function safeParsePayload(value: unknown): SafeParsePayloadResult {
  const result = parsePayload(value);
  if (result.success) return result;
  const error = new HubhooksError("INVALID_PAYLOAD", `Invalid webhook payload: ${result.issues.join("; ")}`, {
    status: 422,
    details: { issues: result.issues },
  });
  return { success: false, error };
}

function isLegacyPayload(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { event?: unknown }).event === "string";
}

function formatIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  const path = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
  return `${path}: ${issue.message.replace(/^Invalid input: /, "")}`;
}
