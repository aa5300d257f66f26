/**
 * A local stand-in for the Hugging Face Hub REST API, for tests: a real `node:http` server on 127.0.0.1
 * that speaks the Hub's webhook-management and discussion routes (SPEC section 3) over real HTTP and records
 * every request. Use it wherever code talks to the Hub (HubClient, CLI `webhooks` commands, tunnel
 * registration) instead of mocking `fetch`.
 *
 * What it imitates, and what it does not:
 * - `/api/settings/webhooks[/{id}[/enable|/disable]]`: an in-memory map of webhooks. Create assigns a
 *   24-hex id; list/get/update/enable/disable/delete behave like the Hub; unknown id → 404
 *   `{"error":"Webhook not found"}`; invalid bodies → 400 `{"error": ...}` (exactly one of `url`/`jobSourceId`,
 *   non-empty `watched`, known watched types, domains only `repo`/`discussion` — so a client sending the
 *   Python-style `discussions` fails here as it would on the Hub). Update changes only the fields sent.
 * - `/api/{models|datasets|spaces}/{repoId}/discussions…` (comment, status, title, merge, comment edit/hide,
 *   create) and `…/compare/{a}..{b}`: 200 with a plausible JSON (or text diff) body; no discussion state is
 *   kept apart from a per-repo counter for new discussion numbers. Response shapes approximate the Hub's.
 * - Auth: every route answers 401 `{"error":"Invalid credentials in Authorization header"}` without a
 *   `Bearer` token (or with a token other than `options.token` when one is given); compare works without one.
 * - `/api/jobs/{namespace}` (POST: run a Job, as `run_job`/`runJob` send it: `dockerImage` or `spaceId`, a
 *   `command` array, `flavor`; 400 otherwise), `/api/jobs/{namespace}/{id}` (GET) and `…/logs` (server-sent events,
 *   one `{"data","timestamp"}` per line): an in-memory map; tests set a Job's `status` and `logs` through `jobs`.
 *   The namespace must be the token's user (`whoami.name`), else 403.
 * - A webhook's `disabled` is what the Hub's OpenAPI description says: `false`, `true` (its owner turned it off) or
 *   `"suspended-after-failure"` (the Hub suspended it); tests set the suspension on `webhooks`; `/enable` sets
 *   `false`, `/disable` sets `true`, as the Hub does.
 * - `POST /api/settings/webhooks/{id}/replay/{logId}`: sends the logged delivery (`webhookLogs`, seeded by the test)
 *   again to the webhook's current URL with its current secret (`X-Webhook-Secret`) and the log's `Webhook-Id`, and
 *   answers `{status}` with the status the target answered; an unknown webhook or log id → 404.
 * - Repository files and metadata (`repos`, keyed `models/owner/name` like `privateRepos`):
 *   `GET /{""|datasets/|spaces/}{repoId}/resolve/{revision}/{path}` answers the file's text with `X-Repo-Commit`
 *   (404 `Entry not found` for a missing file or revision, `Repository not found` for an unknown repo), and
 *   `GET /api/{type}s/{repoId}/revision/{revision}?expand=…` answers `{id, sha, cardData}`.
 * - `respond(fn)` scripts answers (errors, `Retry-After`, dropped connections) ahead of the default routes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake Hub received it. */
export interface RecordedRequest {
  method: string;
  /** Raw request target: path plus query, exactly as sent (so `%2F` vs `/` is visible). */
  path: string;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text if it is not JSON; `undefined` when empty. */
  body: unknown;
  rawBody: string;
}

/** A scripted answer. `body`: object → JSON, string → sent as is. `networkError` drops the connection. */
export interface FakeHubResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  networkError?: boolean;
}

/** Return a response to script this request, or `undefined` to let the default routes answer. */
export type FakeHubResponder = (
  request: RecordedRequest,
) => FakeHubResponse | undefined | Promise<FakeHubResponse | undefined>;

/** A webhook as the fake Hub stores and returns it. */
export interface FakeWebhook {
  id: string;
  url?: string;
  job?: { id: string };
  watched: { type: string; name: string }[];
  domains: string[];
  secret?: string;
  /** `false`, `true` (off by its owner) or `"suspended-after-failure"`, exactly as the Hub answers it. */
  disabled: boolean | string;
  [key: string]: unknown;
}

/** A delivery in a webhook's log on the fake Hub, for the replay route. */
export interface FakeWebhookLog {
  webhookId: string;
  /** The payload sent again on replay. */
  payload: unknown;
}

/** A repository on the fake Hub: its files per revision and its README metadata. */
export interface FakeRepo {
  /** Head commit of `main`. */
  sha: string;
  /** Files per revision (`main`, `refs/pr/1`, a sha): path → text. */
  files: Record<string, Record<string, string>>;
  cardData?: Record<string, unknown>;
}

/** A Job as the fake Hub stores it; `logs` are what `…/logs` streams. */
export interface FakeJob {
  id: string;
  status: { stage: string; message: string | null };
  logs: string[];
  [key: string]: unknown;
}

export interface FakeHubOptions {
  /** Accept only this token (default: any non-empty Bearer token). */
  token?: string;
  /** Webhooks present at start (ids are assigned when missing). */
  webhooks?: Array<Partial<FakeWebhook>>;
  /** Text answered by the compare route (default: a small unified diff). */
  compareDiff?: string;
  /**
   * Answer the compare route per repo (e.g. from `git diff` of a real repository): a string is the diff, an object
   * a scripted response. `repo` is `models/owner/name`. Wins over `compareDiff`.
   */
  compare?: (repo: string, oldRev: string, newRev: string) => string | FakeHubResponse | Promise<string | FakeHubResponse>;
  /** Repos (`models/owner/name`) that need the token, as private repos do: without it the Hub answers 404. */
  privateRepos?: string[];
  /** Repositories whose files and metadata the resolve and revision routes serve, keyed `models/owner/name`. */
  repos?: Record<string, FakeRepo>;
  /** Who `GET /api/whoami-v2` says the token belongs to (default `{ id: "u-bot", name: "hubhooks-bot" }`). */
  whoami?: { id: string; name: string };
}

export interface FakeHub {
  /** Base URL, e.g. `http://127.0.0.1:53211` — pass it as `endpoint` / `HF_ENDPOINT`. */
  url: string;
  /** Every request received, in order (including scripted and rejected ones). */
  requests: RecordedRequest[];
  /** Live state of the webhook routes, keyed by id (tests may read or seed it). */
  webhooks: Map<string, FakeWebhook>;
  /** Logged deliveries the replay route can send again, keyed by log id. */
  webhookLogs: Map<string, FakeWebhookLog>;
  /** Repositories served by the resolve and revision routes (tests may change files and `sha`). */
  repos: Map<string, FakeRepo>;
  /** Jobs run through `/api/jobs`, keyed by id (tests may change a Job's `status` and `logs`). */
  jobs: Map<string, FakeJob>;
  /** Set (or clear with `undefined`) the scripted responder consulted before the default routes. */
  respond(fn: FakeHubResponder | undefined): void;
  close(): Promise<void>;
}

/**
 * A responder that answers the next requests with `responses`, one each, then lets the defaults answer.
 * @example
 * hub.respond(respondInOrder({ status: 503 }, { status: 429, headers: { "retry-after": "2" } }));
 */
export function respondInOrder(...responses: FakeHubResponse[]): FakeHubResponder {
  const queue = [...responses];
  return () => queue.shift();
}

/**
 * Start the fake Hub on 127.0.0.1 with a free port.
 * @example
 * const hub = await startFakeHub();
 * const client = new HubClient({ endpoint: hub.url, token: "hf_test", sleep: async () => {} });
 * await client.createWebhook({ watched: [{ type: "model", name: "u/m" }], url: "https://x.example/h" });
 * expect(hub.requests[0]).toMatchObject({ method: "POST", path: "/api/settings/webhooks" });
 * await hub.close();
 */
export async function startFakeHub(options: FakeHubOptions = {}): Promise<FakeHub> {
  const requests: RecordedRequest[] = [];
  const webhooks = new Map<string, FakeWebhook>();
  const jobs = new Map<string, FakeJob>();
  const webhookLogs = new Map<string, FakeWebhookLog>();
  const repos = new Map<string, FakeRepo>(Object.entries(options.repos ?? {}));
  const discussionNums = new Map<string, number>();
  const state: { nextId: number; responder?: FakeHubResponder } = { nextId: 1 };
  const newId = (): string => `65${(state.nextId++).toString(16).padStart(22, "0")}`;
  for (const seed of options.webhooks ?? []) {
    const defaults = { watched: [], domains: ["repo", "discussion"], disabled: false };
    const hook: FakeWebhook = { ...defaults, ...seed, id: seed.id ?? newId() };
    webhooks.set(hook.id, hook);
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: `fake hub failure: ${String(error)}` } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const recorded = await record(req);
    requests.push(recorded);
    const scripted = state.responder ? await state.responder(recorded) : undefined;
    if (scripted?.networkError) {
      req.socket.destroy();
      return;
    }
    send(res, scripted ?? (await route(recorded)));
  }

  async function route(request: RecordedRequest): Promise<FakeHubResponse> {
    const url = new URL(request.path, "http://fake-hub.local");
    const compare = /^\/api\/(model|dataset|space)s\/(.+?)\/compare\/([^/]+)\.\.([^/]+)$/.exec(url.pathname);
    const repoPath = compare ? `${compare[1]}s/${compare[2]}` : "";
    const auth = checkAuth(request, options.token, compare !== null && !options.privateRepos?.includes(repoPath));
    if (auth) return compare && request.headers.authorization === undefined ? { status: 404, body: { error: "Repository not found" } } : auth;
    if (compare && options.compare) {
      const answer = await options.compare(repoPath, compare[3], compare[4]);
      if (typeof answer !== "string") return answer;
      return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: answer };
    }
    if (compare) {
      const diff = options.compareDiff ?? defaultDiff(compare[3], compare[4]);
      return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: diff };
    }
    if (url.pathname === "/api/whoami-v2" && request.method === "GET") {
      return { status: 200, body: { type: "user", fullname: "Bot", orgs: [], ...(options.whoami ?? { id: "u-bot", name: "hubhooks-bot" }) } };
    }
    const job = /^\/api\/jobs\/([^/]+)(?:\/([^/]+)(\/logs)?)?$/.exec(url.pathname);
    if (job) {
      const me = (options.whoami ?? { id: "u-bot", name: "hubhooks-bot" }).name;
      return jobRoute(request, decodeURIComponent(job[1]!), job[2], job[3] !== undefined, me, jobs, newId);
    }
    const replay = /^\/api\/settings\/webhooks\/([^/]+)\/replay\/([^/]+)$/.exec(url.pathname);
    if (replay && request.method === "POST") {
      return replayRoute(webhooks.get(decodeURIComponent(replay[1]!)), decodeURIComponent(replay[2]!), webhookLogs);
    }
    const repoAnswer = repoRoute(request.method, url.pathname, repos);
    if (repoAnswer) return repoAnswer;
    if (url.pathname === "/api/settings/webhooks" || url.pathname.startsWith("/api/settings/webhooks/")) {
      return webhookRoute(request.method, url.pathname, request.body, webhooks, newId);
    }
    const discussion = DISCUSSION_ROUTE.exec(url.pathname);
    if (discussion && request.method === "POST") {
      const [, , repoId, num, action, commentId, commentAction] = discussion;
      return discussionRoute({ repoId, num, action, commentId, commentAction }, request.body, discussionNums);
    }
    return { status: 404, body: { error: "Not Found" } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    webhooks,
    webhookLogs,
    repos,
    jobs,
    respond(fn) {
      state.responder = fn;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  if (rawBody !== "") {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = rawBody;
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { method: req.method ?? "GET", path: req.url ?? "/", headers, body, rawBody };
}

function send(res: ServerResponse, response: FakeHubResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = "";
  if (typeof response.body === "string") payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  res.writeHead(response.status ?? 200, headers);
  res.end(payload);
}

function checkAuth(request: RecordedRequest, token: string | undefined, optional: boolean): FakeHubResponse | undefined {
  const header = request.headers.authorization;
  if (header === undefined && optional) return undefined;
  const match = /^Bearer (\S+)$/.exec(header ?? "");
  if (match && (token === undefined || match[1] === token)) return undefined;
  return { status: 401, body: { error: "Invalid credentials in Authorization header" } };
}

const WATCHED_TYPES = ["user", "org", "model", "dataset", "space", "bucket"];
/** `/api/{type}s/{repoId}/discussions[/{num}/{action}[/{commentId}/{edit|hide}]]` */
const DISCUSSION_ROUTE =
  /^\/api\/(model|dataset|space)s\/(.+?)\/discussions(?:\/(\d+)\/(comment|status|title|merge)(?:\/([^/]+)\/(edit|hide))?)?$/;
const DOMAINS = ["repo", "discussion"];

function webhookRoute(
  method: string,
  pathname: string,
  body: unknown,
  webhooks: Map<string, FakeWebhook>,
  newId: () => string,
): FakeHubResponse {
  const [, id, action] = /^\/api\/settings\/webhooks(?:\/([^/]+)(?:\/(enable|disable))?)?$/.exec(pathname) ?? [];
  if (pathname !== "/api/settings/webhooks" && id === undefined) return { status: 404, body: { error: "Not Found" } };
  if (id === undefined) {
    if (method === "GET") return { status: 200, body: [...webhooks.values()] };
    if (method !== "POST") return { status: 405, body: { error: "Method Not Allowed" } };
    const fields = asObject(body);
    const invalid = validateWebhookFields(fields, true);
    if (invalid) return { status: 400, body: { error: invalid } };
    const hook: FakeWebhook = {
      id: newId(),
      watched: fields.watched as FakeWebhook["watched"],
      domains: (fields.domains as string[] | undefined) ?? ["repo", "discussion"],
      disabled: false,
      ...(typeof fields.url === "string" ? { url: fields.url } : { job: { id: String(fields.jobSourceId) } }),
      ...(typeof fields.secret === "string" ? { secret: fields.secret } : {}),
    };
    webhooks.set(hook.id, hook);
    return { status: 200, body: { webhook: hook } };
  }
  const hook = webhooks.get(decodeURIComponent(id));
  if (!hook) return { status: 404, body: { error: "Webhook not found" } };
  if (action !== undefined) {
    if (method !== "POST") return { status: 405, body: { error: "Method Not Allowed" } };
    hook.disabled = action === "disable";
    return { status: 200, body: { webhook: hook } };
  }
  if (method === "GET") return { status: 200, body: { webhook: hook } };
  if (method === "DELETE") {
    webhooks.delete(hook.id);
    return { status: 200 };
  }
  if (method !== "POST") return { status: 405, body: { error: "Method Not Allowed" } };
  const fields = asObject(body);
  const invalid = validateWebhookFields(fields, false);
  if (invalid) return { status: 400, body: { error: invalid } };
  for (const key of ["watched", "url", "domains", "secret"] as const) {
    if (fields[key] !== undefined) hook[key] = fields[key] as never;
  }
  return { status: 200, body: { webhook: hook } };
}

async function replayRoute(hook: FakeWebhook | undefined, logId: string, logs: Map<string, FakeWebhookLog>): Promise<FakeHubResponse> {
  if (!hook) return { status: 404, body: { error: "Webhook not found" } };
  const log = logs.get(logId);
  if (!log || log.webhookId !== hook.id || !hook.url) return { status: 404, body: { error: "Webhook log not found" } };
  const headers: Record<string, string> = { "content-type": "application/json", "webhook-id": logId };
  if (hook.secret) headers["x-webhook-secret"] = hook.secret;
  try {
    const answer = await fetch(hook.url, { method: "POST", headers, body: JSON.stringify(log.payload), signal: AbortSignal.timeout(10_000) });
    await answer.arrayBuffer();
    return { status: 200, body: { status: answer.status } };
  } catch {
    return { status: 200, body: { status: 0 } };
  }
}

/** `/{prefix}{repo}/resolve/{rev}/{path}` and `/api/{type}s/{repo}/revision/{rev}` (the repo has one `/`). */
function repoRoute(method: string, pathname: string, repos: Map<string, FakeRepo>): FakeHubResponse | undefined {
  if (method !== "GET") return undefined;
  const revision = /^\/api\/(model|dataset|space)s\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(pathname);
  if (revision) {
    const name = decodeURIComponent(revision[2]!);
    const repo = repos.get(`${revision[1]}s/${name}`);
    if (!repo) return { status: 404, body: { error: "Repository not found" } };
    if (decodeURIComponent(revision[3]!) !== "main") return { status: 404, body: { error: "Invalid rev id" } };
    return { status: 200, body: { _id: "65repo", id: name, sha: repo.sha, cardData: repo.cardData ?? {} } };
  }
  const resolve = /^\/(?:(datasets|spaces)\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(pathname);
  if (!resolve || pathname.startsWith("/api/")) return undefined;
  const repo = repos.get(`${resolve[1] ?? "models"}/${decodeURIComponent(resolve[2]!)}`);
  const notFound = (error: string, code: string): FakeHubResponse => ({ status: 404, headers: { "x-error-code": code }, body: { error } });
  if (!repo) return notFound("Repository not found", "RepoNotFound");
  const files = repo.files[decodeURIComponent(resolve[3]!)];
  if (!files) return notFound("Invalid rev id", "RevisionNotFound");
  const text = files[resolve[4]!.split("/").map(decodeURIComponent).join("/")];
  if (text === undefined) return notFound("Entry not found", "EntryNotFound");
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "x-repo-commit": repo.sha }, body: text };
}

function validateWebhookFields(fields: Record<string, unknown>, creating: boolean): string | undefined {
  const { watched, domains, url, jobSourceId } = fields;
  if (creating || watched !== undefined) {
    if (!Array.isArray(watched) || watched.length === 0) return "watched must be a non-empty array";
    for (const item of watched as unknown[]) {
      const w = asObject(item);
      if (!WATCHED_TYPES.includes(String(w.type)) || typeof w.name !== "string" || w.name === "") {
        return `Invalid watched item: ${JSON.stringify(item)}`;
      }
    }
  }
  if (domains !== undefined) {
    if (!Array.isArray(domains) || domains.some((d) => !DOMAINS.includes(String(d)))) {
      return `domains must be a subset of ${JSON.stringify(DOMAINS)}`;
    }
  }
  if (creating && (url === undefined) === (jobSourceId === undefined)) {
    return "Exactly one of url or jobSourceId is required";
  }
  if (url !== undefined && (typeof url !== "string" || !/^https?:\/\/./.test(url))) return "url must be an http(s) URL";
  return undefined;
}

function discussionRoute(
  m: { repoId: string; num?: string; action?: string; commentId?: string; commentAction?: string },
  body: unknown,
  discussionNums: Map<string, number>,
): FakeHubResponse {
  const fields = asObject(body);
  const createdAt = "2026-01-01T00:00:00.000Z";
  const author = { name: "fake-bot", type: "user", isOwner: false };
  const event = (type: string, data: Record<string, unknown>, id = "6500000000000000000000ff") => ({
    id,
    type,
    createdAt,
    author,
    data,
  });
  if (m.num === undefined) {
    if (typeof fields.title !== "string" || fields.title === "") {
      return { status: 400, body: { error: "title is required" } };
    }
    const num = (discussionNums.get(m.repoId) ?? 0) + 1;
    discussionNums.set(m.repoId, num);
    const isPullRequest = fields.pullRequest === true;
    const status = isPullRequest ? "draft" : "open";
    return {
      status: 200,
      body: { num, title: fields.title, isPullRequest, status, url: `/${m.repoId}/discussions/${num}` },
    };
  }
  if (m.commentAction !== undefined) {
    const hidden = m.commentAction === "hide";
    const data = hidden ? { edited: false, hidden } : { edited: true, hidden, latest: { raw: fields.content } };
    return { status: 200, body: { updatedComment: event("comment", data, m.commentId) } };
  }
  switch (m.action) {
    case "comment": {
      const data = { edited: false, hidden: false, latest: { raw: fields.comment } };
      return { status: 200, body: { newMessage: event("comment", data) } };
    }
    case "status":
      return { status: 200, body: { newStatus: event("status-change", { status: fields.status }) } };
    case "title":
      return { status: 200, body: { newTitle: event("title-change", { to: fields.title }) } };
    default:
      return { status: 200, body: { newStatus: event("status-change", { status: "merged" }) } };
  }
}

function jobRoute(
  request: RecordedRequest,
  namespace: string,
  id: string | undefined,
  logs: boolean,
  me: string,
  jobs: Map<string, FakeJob>,
  newId: () => string,
): FakeHubResponse {
  if (namespace !== me) return { status: 403, body: { error: `You don't have access to the namespace ${namespace}` } };
  if (id === undefined) {
    if (request.method !== "POST") return { status: 405, body: { error: "Method Not Allowed" } };
    const spec = asObject(request.body);
    const image = typeof spec.dockerImage === "string" ? spec.dockerImage : typeof spec.spaceId === "string" ? spec.spaceId : undefined;
    if (!image || (spec.dockerImage !== undefined && spec.spaceId !== undefined)) {
      return { status: 400, body: { error: "Exactly one of dockerImage or spaceId is required" } };
    }
    if (!Array.isArray(spec.command) || spec.command.length === 0) return { status: 400, body: { error: "command must be a non-empty array" } };
    if (typeof spec.flavor !== "string") return { status: 400, body: { error: "flavor is required" } };
    const secrets = Object.keys(asObject(spec.secrets));
    const created: FakeJob = {
      type: "job", id: newId(), createdAt: "2026-01-01T00:00:00.000Z",
      dockerImage: spec.dockerImage ?? null, spaceId: spec.spaceId ?? null, command: spec.command,
      arguments: spec.arguments ?? [], environment: spec.environment ?? {}, secrets, flavor: spec.flavor,
      ...(spec.timeoutSeconds !== undefined ? { timeoutSeconds: spec.timeoutSeconds } : {}),
      ...(spec.labels !== undefined ? { labels: spec.labels } : {}),
      status: { stage: "RUNNING", message: null }, owner: { id: "u-owner", name: namespace, type: "user" },
      logs: [],
    };
    jobs.set(created.id, created);
    return { status: 200, body: publicJob(created) };
  }
  const found = jobs.get(decodeURIComponent(id));
  if (!found) return { status: 404, body: { error: "Job not found" } };
  if (request.method !== "GET") return { status: 405, body: { error: "Method Not Allowed" } };
  if (!logs) return { status: 200, body: publicJob(found) };
  const events = found.logs.map((line, i) => `data: ${JSON.stringify({ data: line, timestamp: `2026-01-01T00:00:0${i % 10}.000Z` })}\n\n`);
  return { status: 200, headers: { "content-type": "text/event-stream" }, body: events.join("") };
}

function publicJob(job: FakeJob): Record<string, unknown> {
  const { logs: _logs, ...rest } = job;
  return rest;
}

function defaultDiff(oldRev: string, newRev: string): string {
  const index = `index ${oldRev.slice(0, 7)}..${newRev.slice(0, 7)} 100644`;
  const lines = ["diff --git a/README.md b/README.md", index, "--- a/README.md", "+++ b/README.md"];
  return [...lines, "@@ -1 +1 @@", "-old", "+new", ""].join("\n");
}

function asObject(value: unknown): Record<string, unknown> {
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  return isObject ? (value as Record<string, unknown>) : {};
}
