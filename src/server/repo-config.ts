import { HubhooksError, NonRetryableError, toError } from "../errors.js";
import type { HubClient } from "../hub/hub-client.js";
import { REPO_TYPES, type RepoType } from "../hub/discussion-ref.js";
import type { RepoId } from "../hub/repo-file-requests.js";
import { deepMerge } from "../internal/deep-merge.js";
import { formatIssues, type StandardSchemaV1 } from "../internal/standard-schema.js";

/**
 * What `ctx.config` takes: `defaults` the file is merged over (also the answer when the file is missing), and any
 * Standard Schema (zod, valibot, arktype) the merged value must pass; its output is what `ctx.config` resolves with.
 * @example
 * const options: ConfigOptions<{ label: string }> = { defaults: { label: "needs-review" } };
 */
export interface ConfigOptions<T = Record<string, unknown>> {
  defaults?: T | Partial<T>;
  schema?: StandardSchemaV1<unknown, T>;
}

/** The payload's repository fields the reader needs. */
export interface PayloadRepo {
  type: string;
  name: string;
  headSha?: string | null;
}

/** The default configuration file, Probot's convention with our name. */
export const DEFAULT_CONFIG_PATH = ".hubhooks.yml";
/** Parsed files kept per Hub client (a bot watches a bounded set of repos; the oldest entries go first). */
const CACHE_SIZE = 256;
const MISSING = Symbol("missing");
const caches = new WeakMap<HubClient, Map<string, unknown>>();

/**
 * Read a bot's configuration from the event's repository, on its default branch only (`resolve/main`, never the
 * pull request's `refs/pr/N`: a pull request must not reconfigure the bot that reviews it). YAML or JSON, merged
 * over `defaults`, validated by `schema`; a missing file gives the defaults. Cached by the repository's head sha (the
 * payload's `repo.headSha`, else asked from the Hub). The Hub out of reach fails the attempt (it is retried); a file
 * that does not parse or does not pass the schema fails the delivery for good (`NonRetryableError`): retrying reads
 * the same commit.
 * @example
 * const config = await readRepoConfig(hub, payload.repo, ".hubhooks.yml", { defaults: { label: "bot" } });
 */
export async function readRepoConfig<T>(
  hub: HubClient | undefined,
  repo: PayloadRepo,
  path: string = DEFAULT_CONFIG_PATH,
  options: ConfigOptions<T> = {},
  signal?: AbortSignal,
): Promise<T> {
  const client = needHub(hub, "ctx.config");
  const id = repoIdOf(repo, "ctx.config");
  const where = `${path} of ${repo.type} ${repo.name} (main)`;
  const sha = await hubCall(where, () => headSha(client, id, repo, signal));
  const cache = cacheOf(client);
  const key = `${repo.type}/${repo.name}@${sha}:${path}`;
  let parsed = cache.get(key);
  if (parsed === undefined) {
    const text = await hubCall(where, () => client.readRepoFile(id, path, "main", { signal }));
    parsed = text === null ? MISSING : await parseConfig(text, path, where);
    remember(cache, key, parsed);
  }
  const merged = deepMerge(options.defaults ?? {}, parsed === MISSING || parsed === null ? undefined : parsed);
  if (!options.schema) return merged as T;
  const result = await options.schema["~standard"].validate(merged);
  if (result.issues) throw new NonRetryableError(`ctx.config: ${where} does not match the schema: ${formatIssues(result.issues).join("; ")}`);
  return result.value;
}

/**
 * The README metadata of the event's repository on its default branch, as the Hub parses it
 * (`/api/{type}s/{repo}/revision/main?expand=cardData`); `{}` when the README has none. Cached by the payload's
 * `repo.headSha` when it has one. The Hub out of reach fails the attempt (retried).
 * @example
 * const card = await readCardData(hub, payload.repo); // { license: "mit", space_ci: { … } }
 */
export async function readCardData(hub: HubClient | undefined, repo: PayloadRepo, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const client = needHub(hub, "ctx.cardData");
  const id = repoIdOf(repo, "ctx.cardData");
  const cache = cacheOf(client);
  const key = repo.headSha ? `${repo.type}/${repo.name}@${repo.headSha}:cardData` : undefined;
  const cached = key ? cache.get(key) : undefined;
  if (cached !== undefined) return deepMerge({}, cached) as Record<string, unknown>;
  const { cardData } = await hubCall(`the README metadata of ${repo.type} ${repo.name} (main)`, () => client.repoRevision(id, "main", { signal }));
  if (key) remember(cache, key, cardData);
  return deepMerge({}, cardData) as Record<string, unknown>;
}

async function headSha(hub: HubClient, id: RepoId, repo: PayloadRepo, signal?: AbortSignal): Promise<string> {
  if (typeof repo.headSha === "string" && repo.headSha !== "") return repo.headSha;
  return (await hub.repoRevision(id, "main", { signal })).sha;
}

/** YAML (a superset of JSON) unless the name says `.json`; the parser loads with the first file. */
async function parseConfig(text: string, path: string, where: string): Promise<unknown> {
  let value: unknown;
  try {
    if (/\.json$/i.test(path)) value = JSON.parse(text);
    else value = (await import("yaml")).parse(text, { prettyErrors: true });
  } catch (error) {
    const reason = toError(error).message.split("\n")[0];
    throw new NonRetryableError(`ctx.config: ${where} is not valid ${/\.json$/i.test(path) ? "JSON" : "YAML"}: ${reason}`, { cause: error });
  }
  if (value !== null && value !== undefined && (typeof value !== "object" || Array.isArray(value))) {
    throw new NonRetryableError(`ctx.config: ${where} must hold a mapping (key: value lines), not ${Array.isArray(value) ? "a list" : typeof value}`);
  }
  return value ?? null;
}

async function hubCall<T>(where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NonRetryableError) throw error;
    const reason = toError(error).message.replace(/^\[hubhooks\] /, "");
    throw new HubhooksError("HUB_API", `could not read ${where} from the Hub: ${reason} (the attempt is retried)`, { status: 502, cause: error });
  }
}

function needHub(hub: HubClient | undefined, what: string): HubClient {
  if (hub) return hub;
  throw new NonRetryableError(`${what} needs a Hub client: set HF_TOKEN (or pass { hub } to the server)`);
}

function repoIdOf(repo: PayloadRepo, what: string): RepoId {
  if ((REPO_TYPES as readonly string[]).includes(repo.type)) return { repoType: repo.type as RepoType, repoId: repo.name };
  throw new NonRetryableError(`${what} reads a git repository's default branch; a ${repo.type} has none`);
}

function cacheOf(hub: HubClient): Map<string, unknown> {
  let cache = caches.get(hub);
  if (!cache) caches.set(hub, (cache = new Map()));
  return cache;
}

function remember(cache: Map<string, unknown>, key: string, value: unknown): void {
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}
