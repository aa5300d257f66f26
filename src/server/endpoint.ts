import type { Logger } from "../internal/logger.js";
import type { HubClient } from "../hub/hub-client.js";
import { formatIssues, type StandardSchemaV1 } from "../internal/standard-schema.js";
import { HubhooksError, NonRetryableError } from "../errors.js";
import type { ConfigOptions } from "./repo-config.js";

let payloadParser: typeof import("../payload/parse.js") | undefined;
let wellFormed: typeof import("../payload/well-formed.js") | undefined;

const SELF_REASON = "authored by the Hub token's own user (ignoreSelf)";
import { matchesEvent, resolveEvent, type ResolvedEvent } from "../payload/events.js";
import type { EventFilter, PayloadFor } from "../payload/payload-for.js";
import type { WebhookPayload } from "../payload/schema.js";
import { matchesRepo, type RepoFilter } from "./repo-filter.js";
import { Deferred } from "../queue/deferred.js";
import { Skipped } from "../queue/skipped.js";
import type { Scheduler } from "../triggers/schedule.js";
import { scheduleKeyOf } from "../triggers/schedule-options.js";
import { ChangedFilesSource } from "../triggers/changed-files.js";
import type { ChangedFile } from "../triggers/parse-diff.js";
import { refChanges, type RefChange } from "../triggers/ref-changes.js";
import { compileTrigger, hasTrigger, type CompiledTrigger, type TriggerFilter } from "../triggers/route-trigger.js";
import type { Destination } from "../forward/destination.js";
import { forwardHandler, forwardStepName } from "./forward-step.js";
import { checkOptions } from "./check-options.js";
import { describeValue } from "../internal/describe-value.js";
import { checkWithoutLog } from "./check-without-log.js";
import { checkEventFilter } from "./check-event-filter.js";
import { TRIGGER_OPTIONS } from "./option-lists.js";

/** A trigger without filters: what `ctx.changedFiles()` uses on steps that have none. */
const EVERYTHING = compileTrigger({});

/**
 * What a handler receives besides the payload.
 * @example
 * app.addWebhook("log", (payload, ctx) => ctx.logger.info({ attempt: ctx.attempt }, "got %s", ctx.event.key));
 */
export interface HandlerContext {
  /** A web `Request` equal to what the Hub sent (the secret header removed). */
  request: Request;
  /** The body bytes exactly as received. */
  rawBody: Uint8Array;
  headers: Headers;
  /** Aborted when the handler times out or the server shuts down past its grace period. */
  signal: AbortSignal;
  /** A child logger bound to this delivery. */
  logger: Logger;
  deliveryId: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
  /**
   * The step running now: `"handler"` for the endpoint's own handler, `"on:<n>:<pattern>"` for its n-th `.on()`
   * route. Each step's success is recorded with the attempt; a retry runs only the steps not yet succeeded.
   */
  step: string;
  /** Steps that succeeded in earlier attempts of this delivery (they do not run again). */
  completedSteps: readonly string[];
  /** The endpoint name (`say_hello` for `/webhooks/say_hello`). */
  endpoint: string;
  /** The Hub's `Webhook-Id` header when present (stable across the Hub's retries and replays). */
  webhookId: string | null;
  /** The event, with unknown narrower scopes mapped to their broader known scope as the Hub documents. */
  event: ResolvedEvent;
  /** A Hub client authenticated with `HF_TOKEN` when that variable is set (or the server's `hub` option). */
  hub?: HubClient;
  /** The ref changes (`updatedRefs` with their kind); for a route with a `ref`/`kind` filter, only the matching ones. */
  refs: readonly RefChange[];
  /**
   * The changed files: for a route with a `paths` filter, the matching ones; else every file changed by `refs` (git
   * repos: from the Hub's compare endpoint, cached; buckets: `updatedFiles`, possibly truncated).
   */
  changedFiles(): Promise<ChangedFile[]>;
  /**
   * The bot's configuration from the event's repository (default `.hubhooks.yml`, YAML or JSON), read from its
   * default branch only (never a pull request's ref), merged over `defaults`, validated by `schema`; the defaults
   * when the file is missing. Cached by head sha. Needs a Hub client (`HF_TOKEN`). See `readRepoConfig`.
   * @example
   * const { label } = await ctx.config(".hubhooks.yml", { defaults: { label: "needs-review" } });
   */
  config<T = Record<string, unknown>>(path?: string, options?: ConfigOptions<T>): Promise<T>;
  /** The README metadata of the event's repository (default branch), as the Hub parses it. See `readCardData`. */
  cardData(): Promise<Record<string, unknown>>;
}

export type Handler<P = WebhookPayload> = (payload: P, ctx: HandlerContext) => unknown;

/** How a delivery's handlers are retried (see the delivery log). */
export interface RetryOptions {
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  jitter?: number;
}

/**
 * Per-endpoint options. The trigger options (`ref`, `kind`, `paths`, `debounce`, `throttle`) mean what they mean on a
 * `.on()` route and apply to the endpoint's own handler, so an app of one endpoint and no routes needs none.
 * @example
 * app.addWebhook("train", { mode: "accepted", retry: { maxAttempts: 3 }, orderingKey: "repo" }, train);
 * app.addWebhook("retrain", { ref: "refs/heads/main", paths: ["data/**"], debounce: { key: "repo", ms: 600_000 } }, retrain);
 */
export interface EndpointOptions extends TriggerFilter {
  /** Validate with your own schema (any Standard Schema, e.g. zod) instead of the lenient `WebhookPayload` one. */
  schema?: StandardSchemaV1;
  /** Only run handlers for these repos (others are acknowledged and skipped). */
  filter?: RepoFilter;
  /** `"result"` (default): answer with the handler's result, or 202 past `deadlineMs`. `"accepted"`: 202 at once. */
  mode?: "result" | "accepted";
  /** In `"result"` mode, how long the Hub waits for the result before getting 202. Default 10 s. */
  deadlineMs?: number;
  /** Abort the handler's signal and count a failed attempt after this long. Default 5 min. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** At most this many deliveries of this endpoint run at once in this process. Default 8. */
  concurrency?: number;
  /** One running delivery per key at a time: `"repo"` (the repo name) or a function of the payload. */
  orderingKey?: "repo" | ((payload: WebhookPayload) => string | null | undefined);
  /**
   * Skip events authored by the Hub token's own user (`ctx.hub.whoAmI()`, asked once): a bot that answers comments
   * never answers itself. Needs `HF_TOKEN` (or the `hub` option).
   */
  ignoreSelf?: boolean;
}

/** What a `.on()` route can filter on besides the event: the repo, the bot's own events, refs, paths and schedule. */
export type RouteFilter = RepoFilter & { ignoreSelf?: boolean } & TriggerFilter;

/** The filter of `endpoint.forward()`: the route filter plus `on`, the events to forward (default `"*"`). */
export type ForwardFilter = RouteFilter & { on?: EventFilter };

interface Route {
  pattern: EventFilter;
  filter?: RouteFilter;
  trigger?: CompiledTrigger;
  handler: Handler<any>;
  /** Step name when not `on:<n>:<pattern>` (forward routes: `forward:<n>:<label>`). */
  step?: string;
  /** A failure does not stop the next steps of the attempt (forward: one failing destination never blocks another). */
  independent?: boolean;
}

export type Validation = { ok: true; payload: unknown } | { ok: false; error: HubhooksError };

/**
 * One webhook route (`/webhooks/<name>`) with its main handler and event routes.
 * @example
 * app.addWebhook("bot")
 *   .on("discussion.comment.create", { repoType: "space" }, (p) => p.comment.content)
 *   .on("repo.content.update", (p) => p.repo.headSha);
 */
export class Endpoint {
  readonly #routes: Route[] = [];
  readonly #files = new ChangedFilesSource();
  /** The endpoint's own trigger (its `ref`, `kind`, `paths`, `debounce`, `throttle`), for its handler's step. */
  readonly #trigger: CompiledTrigger | undefined;

  /**
   * Options are checked here, for JavaScript callers too (`INVALID_OPTIONS` naming the option). `inline`: the server
   * runs handlers without a delivery log (`database: false`), so options that need one are refused.
   */
  constructor(
    readonly name: string,
    readonly route: string,
    readonly options: EndpointOptions,
    readonly handler?: Handler<any>,
    readonly inline = false,
  ) {
    const where = `addWebhook(${JSON.stringify(name)})`;
    checkOptions("endpoint", where, options);
    if (handler !== undefined && typeof handler !== "function") {
      throw new HubhooksError("INVALID_OPTIONS", `${where}: the handler must be a function, not ${describeValue(handler)}`);
    }
    if (inline) checkWithoutLog("endpoint", where, options);
    if (hasTrigger(options) && !handler) {
      const key = TRIGGER_OPTIONS.find((k) => options[k] !== undefined)!;
      throw new HubhooksError("INVALID_OPTIONS", `${where}: ${key} applies to the endpoint's own handler: pass one, or put ${key} on a route: .on(pattern, { ${key} }, handler)`);
    }
    this.#trigger = hasTrigger(options) ? compileTrigger(options, where) : undefined;
  }

  /** Run `handler` for events matching `pattern` (`"*"`, a scope such as `"repo.content"`, or `"scope.action"`). */
  on<const P extends EventFilter>(pattern: P, handler: Handler<PayloadFor<P>>): this;
  on<const P extends EventFilter>(pattern: P, filter: RouteFilter, handler: Handler<PayloadFor<P>>): this;
  on(pattern: EventFilter, a: RouteFilter | Handler<any>, b?: Handler<any>): this {
    checkEventFilter(pattern);
    const where = `.on(${JSON.stringify(pattern)})`;
    const handler = typeof a === "function" ? a : b;
    if (typeof handler !== "function") {
      throw new HubhooksError("INVALID_OPTIONS", `${where}: the handler must be a function, not ${describeValue(handler)}: .on(pattern, handler) or .on(pattern, { ...filter }, handler)`);
    }
    if (typeof a === "function") {
      this.#routes.push({ pattern, handler: a });
      return this;
    }
    checkOptions("route", where, a);
    if (this.inline) checkWithoutLog("route", where, a);
    this.#routes.push({ pattern, filter: a, handler, ...(hasTrigger(a) ? { trigger: compileTrigger(a, where) } : {}) });
    return this;
  }

  /**
   * Forward matching deliveries to a destination from `hubhooks/forward` (`discord(url)`, `slack(url)`, `http(url)`),
   * as a step of its own: it runs once per delivery however often another destination fails, and a failing one
   * never stops the others (the attempt fails after they ran, and its retry runs only the failed ones).
   * @example
   * app.addWebhook("notify")
   *   .forward(discord(process.env.DISCORD_WEBHOOK_URL!), { on: "repo.content.update", ref: "refs/tags/*" })
   *   .forward(slack(process.env.SLACK_WEBHOOK_URL!), { on: "discussion", repo: "my-org/*" });
   */
  forward(destination: Destination, filter: ForwardFilter = {}): this {
    const { on = "*", ...rest } = filter;
    const handler = forwardHandler(destination); // first: it refuses what is not a destination
    const route: Route = { pattern: on, filter: rest, handler, step: forwardStepName(this.#routes.length, destination), independent: true };
    this.#routes.push(hasTrigger(rest) ? { ...route, trigger: compileTrigger(rest) } : route);
    return this;
  }

  /** Validate a parsed JSON body with the endpoint's schema (or the lenient Hub payload schema). */
  async validate(value: unknown): Promise<Validation> {
    if (this.options.schema) {
      const result = await this.options.schema["~standard"].validate(value);
      if (!result.issues) return { ok: true, payload: result.value };
      const error = new HubhooksError("INVALID_PAYLOAD", "Payload does not match the endpoint's schema.", {
        status: 422,
        details: { issues: formatIssues(result.issues) },
      });
      return { ok: false, error };
    }
    // A well-formed payload is answered by the hand check (payload/well-formed.ts); the lenient schema (zod, ~18 MB
    // and ~60 ms to load) only with the first payload that needs it, never with "hubhooks".
    wellFormed ??= await import("../payload/well-formed.js");
    const payload = wellFormed.wellFormedPayload(value);
    if (payload) return { ok: true, payload };
    payloadParser ??= await import("../payload/parse.js");
    const parsed = payloadParser.safeParsePayload(value);
    return parsed.success ? { ok: true, payload: parsed.data } : { ok: false, error: parsed.error };
  }

  /** The ordering key of a payload, if the endpoint has one. */
  orderingKeyOf(payload: unknown): string | null {
    const key = this.options.orderingKey;
    if (!key) return null;
    if (key === "repo") return repoOf(payload)?.name ?? null;
    return key(payload as WebhookPayload) ?? null;
  }

  /**
   * Run the main handler, then every matching event route, in registration order. The result is the last
   * handler's return value, or a `Skipped` with the reason when no handler applied (the delivery is acknowledged
   * with `null` and recorded as skipped).
   */
  async run(payload: unknown, ctx: HandlerContext, progress: string[] = [], scheduler?: Scheduler): Promise<unknown> {
    const repo = repoOf(payload);
    if (this.options.filter && !matchesRepo(this.options.filter, repo)) {
      return new Skipped(`repo ${JSON.stringify(repo?.name ?? null)} is left out by the endpoint's filter`);
    }
    const fromSelf = await this.#authoredBySelf(payload, ctx);
    if (fromSelf && this.options.ignoreSelf) return new Skipped(SELF_REASON);
    const done = new Set(ctx.completedSteps);
    let result: unknown;
    let applied = false;
    let skippedAsSelf = false;
    const allRefs = refChanges(payload);
    let triggerReason: string | undefined;
    let deferred: Deferred | undefined;
    const step = async (name: string, handler: Handler<any>, trigger?: CompiledTrigger) => {
      if (done.has(name)) {
        applied = true;
        return; // succeeded in an earlier attempt: its side effect is not repeated
      }
      ctx.refs = allRefs;
      ctx.changedFiles = () => this.#allChangedFiles(payload, ctx);
      if (trigger) {
        // Before the step counts as applied: a filter that leaves the delivery out is a skip, a fetch error a retry.
        const verdict = await trigger.match(payload, { hub: ctx.hub, signal: ctx.signal, files: this.#files });
        if (!verdict.matched) {
          triggerReason ??= verdict.reason;
          return;
        }
        ctx.refs = verdict.match.refs;
        ctx.changedFiles = verdict.match.changedFiles;
        if (trigger.schedule) {
          const { mode, ms } = trigger.schedule;
          if (!scheduler) throw new NonRetryableError(`${mode} needs the delivery log (a database): it keeps the schedule.`);
          const decision = await scheduler.decide(name, scheduleKeyOf(trigger.schedule, payload), mode, ms);
          if (!decision.run) {
            if ("skip" in decision) triggerReason ??= decision.skip;
            else if (!deferred || decision.deferUntil < deferred.until) deferred = new Deferred(decision.deferUntil, decision.reason);
            return;
          }
        }
      }
      applied = true;
      ctx.step = name;
      result = await handler(payload, ctx);
      progress.push(name);
    };
    if (this.handler) await step("handler", this.handler, this.#trigger);
    const held: unknown[] = [];
    for (const [i, route] of this.#routes.entries()) {
      if (!matchesEvent(payload as WebhookPayload, ctx.event, route.pattern)) continue;
      if (route.filter && !matchesRepo(route.filter, repo)) continue;
      if (route.filter?.ignoreSelf && fromSelf) {
        skippedAsSelf = true;
        continue;
      }
      const run = step(route.step ?? `on:${i}:${route.pattern}`, route.handler, route.trigger);
      if (route.independent) await run.catch((error: unknown) => (ctx.signal.aborted ? Promise.reject(error) : held.push(error)));
      else await run;
    }
    if (held.length) throw heldError(held);
    if (deferred) return deferred; // the other steps ran (and are recorded as done); this one waits
    if (!applied) {
      if (skippedAsSelf) return new Skipped(SELF_REASON);
      return new Skipped(triggerReason ?? `no route matched event ${JSON.stringify(ctx.event.key || "(none)")}`);
    }
    return result;
  }

  /** Every file changed by the payload's refs (or a bucket's `updatedFiles`), for `ctx.changedFiles()` of any step. */
  #allChangedFiles(payload: unknown, ctx: HandlerContext): Promise<ChangedFile[]> {
    return EVERYTHING.match(payload, { hub: ctx.hub, signal: ctx.signal, files: this.#files }).then((v) => (v.matched ? v.match.changedFiles() : []));
  }

  /** Whether the event's author (the comment's, else the discussion's) is the Hub token's user; asked only if needed. */
  async #authoredBySelf(payload: unknown, ctx: HandlerContext): Promise<boolean> {
    if (!this.options.ignoreSelf && !this.#routes.some((r) => r.filter?.ignoreSelf)) return false;
    const p = payload as { comment?: { author?: { id?: unknown } }; discussion?: { author?: { id?: unknown } } };
    const author = p.comment?.author?.id ?? p.discussion?.author?.id;
    if (typeof author !== "string") return false;
    if (!ctx.hub) {
      throw new NonRetryableError("ignoreSelf needs a Hub token to know who the bot is: set HF_TOKEN (or the hub option).");
    }
    return (await ctx.hub.whoAmI({ signal: ctx.signal })).id === author;
  }

  /** The event of a payload; lenient for custom schemas whose payloads may not look like the Hub's. */
  static eventOf(payload: unknown): ResolvedEvent {
    try {
      return resolveEvent(payload as WebhookPayload);
    } catch {
      return { scope: "", action: "", key: "", known: false, fellBack: false, raw: { scope: "", action: "" } };
    }
  }
}

/** The failures of independent steps as one error: retried unless every one of them gave up for good. */
function heldError(errors: unknown[]): unknown {
  if (errors.length === 1) return errors[0];
  const message = errors.map((e) => (e instanceof Error ? e.message : String(e)).replace(/^\[hubhooks\] /, "")).join("; ");
  return errors.every((e) => e instanceof NonRetryableError) ? new NonRetryableError(message) : new Error(message);
}

function repoOf(payload: unknown): { type?: string; name?: string } | undefined {
  const repo = (payload as { repo?: unknown } | null)?.repo;
  return repo && typeof repo === "object" ? (repo as { type?: string; name?: string }) : undefined;
}
