import { HubhooksError } from "../errors.js";
import { isEvent, type PayloadFor } from "./events.js";
import { FIXTURE_DATA } from "./fixture-data.js";
import { parsePayload } from "./parse.js";
import type { WebhookPayload } from "./schema.js";
import { setPath } from "./set-path.js";

/**
 * A fixture name.
 * @example
 * const name: FixtureName = "bucket.content.update";
 */
export type FixtureName = keyof typeof FIXTURE_DATA;
/**
 * The event key a fixture resolves to.
 * @example
 * type E = FixtureEvent<"repo.config.dois.update">; // "repo.config.update"
 */
export type FixtureEvent<N extends FixtureName> = (typeof FIXTURE_DATA)[N]["event"];

/**
 * Every fixture name: one or more per documented scope/action, plus a bucket and an unknown-scope event.
 * @example
 * FIXTURE_NAMES.includes("repo.content.update.pull-request"); // true
 */
export const FIXTURE_NAMES = Object.keys(FIXTURE_DATA) as readonly FixtureName[];

/**
 * Name, resolved event and one-line description of every fixture (for `hubhooks trigger --list`).
 * @example
 * listFixtures()[0]; // { name: "repo.create", event: "repo.create", description: "A model repo is created." }
 */
export function listFixtures(): { name: string; event: string; description: string }[] {
  return FIXTURE_NAMES.map((name) => ({ name, event: FIXTURE_DATA[name].event, description: FIXTURE_DATA[name].description }));
}

/**
 * Options of {@link getFixture}.
 * @example
 * const options: GetFixtureOptions = { repo: "me/my-model", repoType: "model", set: { "repo.private": true } };
 */
export interface GetFixtureOptions {
  /** Rewrite `repo.name` (`owner/name`) and every URL derived from it. */
  repo?: string;
  /** Rewrite `repo.type` and the URLs (and `subdomain` for a Space; a bucket loses `headSha`). */
  repoType?: string;
  /** Dotted path → value, applied last with {@link setPath}, e.g. `{ "discussion.num": 7 }`. */
  set?: Record<string, unknown>;
}

/**
 * A deep clone of a fixture, rewritten as asked. Not validated afterwards, so tests can break it on purpose.
 * @throws HubhooksError `INVALID_OPTIONS` for an unknown name (the message lists valid ones), a repo name
 * that is not `owner/name`, or a bad `set` path.
 * @example
 * const payload = getFixture("discussion.comment.create", { repo: "me/my-model", repoType: "model", set: { "comment.content": "/retrain" } });
 * await fetch("http://127.0.0.1:7860/webhooks/bot", { method: "POST", body: JSON.stringify(payload) });
 */
export function getFixture(name: string, options: GetFixtureOptions = {}): WebhookPayload {
  if (!Object.hasOwn(FIXTURE_DATA, name)) {
    throw invalid(`Unknown fixture "${name}". Valid names: ${FIXTURE_NAMES.join(", ")}.`);
  }
  const payload = structuredClone(FIXTURE_DATA[name as FixtureName].payload) as Record<string, unknown>;
  if (options.repo !== undefined || options.repoType !== undefined) rewriteRepo(payload, options.repo, options.repoType);
  for (const [path, value] of Object.entries(options.set ?? {})) setPath(payload, path, value);
  return payload as WebhookPayload;
}

/**
 * Nested optional overrides for {@link fixture}: arrays are replaced whole; `undefined` removes a field.
 * @example
 * const o: DeepPartial<PayloadFor<"discussion.comment.update">> = { comment: { hidden: true, content: undefined } };
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

/**
 * A typed, validated fixture for TypeScript tests: deep-merges `overrides`, parses the result like a
 * delivery, and returns it as {@link PayloadFor} the fixture's event.
 * @throws HubhooksError `INVALID_PAYLOAD` when the overrides break the payload, `INVALID_OPTIONS` when
 * they turn it into another event.
 * @example
 * const p = fixture("discussion.comment.create", { comment: { content: "/retrain" } });
 * p.comment.content; // "/retrain" (typed: no `?.` on comment)
 */
export function fixture<N extends FixtureName>(name: N, overrides?: DeepPartial<PayloadFor<FixtureEvent<N>>>): PayloadFor<FixtureEvent<N>> {
  const base = getFixture(name);
  const result = parsePayload(overrides === undefined ? base : deepMerge(base, overrides, 0));
  if (!result.success) {
    throw new HubhooksError("INVALID_PAYLOAD", `Fixture "${name}" with these overrides is invalid: ${result.issues.join("; ")}`, {
      status: 422,
      details: { issues: result.issues },
    });
  }
  const event: FixtureEvent<N> = FIXTURE_DATA[name].event;
  if (!isEvent(result.data, event)) throw invalid(`Overrides turned fixture "${name}" into another event than ${event}.`);
  return result.data;
}

// A payload is a handful of levels deep; the bound stops a cyclic override object.
const MAX_DEPTH = 32;

function deepMerge(base: unknown, override: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw invalid("Fixture overrides are nested too deeply.");
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  const out: Record<string, unknown> = { ...base };
  for (const [field, value] of Object.entries(override)) {
    if (field === "__proto__") continue;
    if (value === undefined) delete out[field];
    else out[field] = deepMerge(base[field], value, depth + 1);
  }
  return out;
}

function rewriteRepo(payload: Record<string, unknown>, name: string | undefined, type: string | undefined): void {
  const repo = payload.repo as Record<string, unknown>;
  const newName = name ?? String(repo.name);
  const newType = type ?? String(repo.type);
  if (!/^[^/\s]+\/[^/\s]+$/.test(newName)) throw invalid(`Repo "${newName}" is not "owner/name".`);
  if (!/^[a-z][a-z0-9-]*$/.test(newType)) throw invalid(`Repo type "${newType}" is not a lowercase word.`);
  const oldUrl = (repo.url ?? {}) as { web?: string; api?: string };
  const newUrl = repoUrls(newType, newName);
  // Discussion and comment URLs embed the repo's URLs: move them along.
  replaceUrlPrefixes(payload, [[oldUrl.web, newUrl.web], [oldUrl.api, newUrl.api]], 0);
  Object.assign(repo, { name: newName, type: newType, url: { ...oldUrl, ...newUrl } });
  if (newType === "space") repo.subdomain = newName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  else delete repo.subdomain;
  if (newType === "bucket") delete repo.headSha;
}

function repoUrls(type: string, name: string): { web: string; api: string } {
  const web = type === "model" ? name : `${type}s/${name}`;
  return { web: `https://huggingface.co/${web}`, api: `https://huggingface.co/api/${type}s/${name}` };
}

function replaceUrlPrefixes(node: unknown, pairs: [string | undefined, string][], depth: number): void {
  if (depth > MAX_DEPTH || typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  for (const [field, value] of Object.entries(record)) {
    if (typeof value !== "string") {
      replaceUrlPrefixes(value, pairs, depth + 1);
      continue;
    }
    for (const [from, to] of pairs) {
      if (from && (value === from || value.startsWith(`${from}/`) || value.startsWith(`${from}#`))) {
        record[field] = to + value.slice(from.length);
        break;
      }
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(message: string): HubhooksError {
  return new HubhooksError("INVALID_OPTIONS", message, { status: 400 });
}
