import { describeValue } from "../internal/describe-value.js";
import type { OptionPlace } from "./option-lists.js";
import type * as LISTS from "./option-lists.js";

/** The problem with one option's value (a sentence naming `name`), or undefined when the value is fine. */
export type ValueCheck = (
  value: unknown,
  name: string,
  nested: (place: OptionPlace, value: unknown, prefix: string) => string | undefined,
) => string | undefined;

const show = describeValue;

/** A check from what is expected, in words, and a test. */
const must =
  (expected: string, ok: (v: unknown) => boolean): ValueCheck =>
  (value, name) =>
    ok(value) ? undefined : `${name} must be ${expected}, not ${show(value)}`;

const isString = (v: unknown): v is string => typeof v === "string";
const isFn = (v: unknown) => typeof v === "function";
const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (...methods: string[]) => (v: unknown) => isObj(v) && methods.every((m) => typeof (v as Record<string, unknown>)[m] === "function");
const num = (min: number, whole = false, max = Infinity) => (v: unknown) =>
  typeof v === "number" && !Number.isNaN(v) && v >= min && v <= max && (!whole || Number.isInteger(v));
const listOf = (ok: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(ok);
const oneOf = (...values: unknown[]): ValueCheck => must(values.map(show).join(" or ").replace(/ or (?=.* or )/g, ", "), (v) => values.includes(v));
const nestedIn = (place: OptionPlace): ValueCheck => (value, name, nested) => nested(place, value, `${name}.`);

const stringOrList = (v: unknown) => isString(v) || listOf(isString)(v);
const KINDS = ["created", "updated", "deleted"];
const schedule = nestedIn("schedule");

const REPO_TYPE = must('a repo type ("model", "dataset", "space", "bucket") or an array of them', stringOrList);
const REPO = must("a name, a glob, a RegExp or an array of them", (v) => isString(v) || v instanceof RegExp || listOf((r) => isString(r) || r instanceof RegExp)(v));
const IGNORE_SELF = must("true or false", (v) => typeof v === "boolean");
/** The trigger options, the same on an endpoint and on a route. */
const TRIGGER: Record<(typeof LISTS.TRIGGER_OPTIONS)[number], ValueCheck> = {
  ref: must("a ref or glob, or an array of them", stringOrList),
  kind: must('"created", "updated", "deleted" or an array of them', (v) => KINDS.includes(v as string) || listOf((k) => KINDS.includes(k as string))(v)),
  paths: must("an array of globs", listOf(isString)),
  debounce: schedule,
  throttle: schedule,
};

/** What each option of each place accepts. Keyed by the lists, so a new option without a check fails to compile. */
export const OPTION_VALUES: { [P in OptionPlace]: Record<PLACE_LISTS[P][number], ValueCheck> } = {
  server: {
    webhookSecret: must("a string or an array of strings", stringOrList),
    ui: must("an HTML string, a function or an app with fetch()", (v) => isString(v) || isFn(v) || has("fetch")(v)),
    bodyLimit: must("a whole number of bytes ≥ 1", num(1, true)),
    port: must("a whole number from 0 to 65535", num(0, true, 65535)),
    host: must("a host name or an IP address", (v) => isString(v) && v.trim() !== ""),
    handleSignals: must("true or false", (v) => typeof v === "boolean"),
    shutdownGraceMs: must("a number of milliseconds ≥ 0", num(0)),
    logger: must("a pino logger (info, warn, error, child)", has("info", "warn", "error", "child")),
    print: must("a function of one line", isFn),
    env: must("an object of strings (like process.env)", isObj),
    clock: must("a clock with now()", has("now")),
    database: must('a SQLite path, ":memory:", a postgres:// URL or false', (v) => (isString(v) && v !== "") || v === false),
    store: must("a delivery store (createSqliteStore, createPostgresStore)", has("writeBatch", "migrate")),
    durability: oneOf("normal", "full"),
    databaseSchema: must("a Postgres schema name", (v) => isString(v) && v !== ""),
    dashboardToken: must("a non-empty string", (v) => isString(v) && v !== ""),
    retentionMs: must("a number of milliseconds ≥ 0 or false", (v) => v === false || num(0)(v)),
    leaseMs: must("a number of milliseconds > 0", (v) => num(1)(v)),
    onError: must("a function", isFn),
    onDead: must("a function", isFn),
    onWebhookSuspended: must("a function", isFn),
    onWebhookRecovered: must("a function", isFn),
    autoReenable: must("true or false", (v) => typeof v === "boolean"),
    webhookHealthIntervalMs: must("a number of milliseconds ≥ 1000", num(1000)),
    alerts: (value, name) => {
      const ok = (Array.isArray(value) ? value : [value]).every((d) => has("notify")(d));
      if (ok) return undefined;
      // A destination URL is a secret: never echoed. A string here is almost always a URL without its wrapper.
      const given = typeof value === "string" ? "a string (a webhook URL? wrap it: discord(url), slack(url) or http(url))" : show(value);
      return `${name} must be a destination from hubhooks/forward (discord, slack, http) or an array of them, not ${given}`;
    },
    hub: must("a HubClient", has("whoAmI")),
    basePath: must('a path such as "/api/hooks"', isString),
    dashboard: must('true, false or a path such as "/_hubhooks"', (v) => typeof v === "boolean" || isString(v)),
    exposed: must("true or false", (v) => typeof v === "boolean"),
    publicUrl: must("a URL or an array of URLs", stringOrList),
    metrics: nestedIn("metrics"),
    tracerProvider: must("an OpenTelemetry TracerProvider (getTracer)", has("getTracer")),
  },
  metrics: {
    defaultMetrics: must("true or false", (v) => typeof v === "boolean"),
    registry: must("a prom-client Registry", has("registerMetric", "metrics")),
  },
  launch: {
    port: must("a whole number from 0 to 65535", num(0, true, 65535)),
    host: must("a host name or an IP address", (v) => isString(v) && v.trim() !== ""),
    share: must('true, false, "auto" or a tunnel provider name', (v) => typeof v === "boolean" || isString(v)),
    register: nestedIn("register"),
  },
  register: {
    watch: must('an array of "type:name" strings', listOf(isString)),
    domains: must('an array of "repo" and "discussion"', listOf((d) => d === "repo" || d === "discussion")),
    cleanup: oneOf("disable", "delete"),
  },
  endpoint: {
    schema: must("a Standard Schema (zod, valibot, arktype...)", (v) => (isObj(v) || isFn(v)) && "~standard" in (v as object)),
    filter: nestedIn("repoFilter"),
    mode: oneOf("result", "accepted"),
    deadlineMs: must("a number of milliseconds ≥ 0", num(0)),
    timeoutMs: must("a number of milliseconds > 0", (v) => num(0)(v) && v !== 0),
    retry: nestedIn("retry"),
    concurrency: must("a whole number ≥ 1", num(1, true)),
    orderingKey: must('"repo" or a function of the payload', (v) => v === "repo" || isFn(v)),
    ignoreSelf: IGNORE_SELF,
    ...TRIGGER,
  },
  retry: {
    maxAttempts: must("a whole number ≥ 1", num(1, true)),
    initialDelayMs: must("a number of milliseconds ≥ 0", num(0)),
    maxDelayMs: must("a number of milliseconds ≥ 0", num(0)),
    factor: must("a number ≥ 0", num(0)),
    jitter: must("a number from 0 to 1", num(0, false, 1)),
  },
  repoFilter: { repoType: REPO_TYPE, repo: REPO },
  // A route filter's values mean what they mean on an endpoint (or in its repo filter).
  route: { repoType: REPO_TYPE, repo: REPO, ignoreSelf: IGNORE_SELF, ...TRIGGER },
  schedule: {
    key: must('"repo" or a function of the payload', (v) => v === "repo" || isFn(v)),
    ms: must("a positive number of milliseconds", (v) => num(0)(v) && v !== 0),
  },
  nodeMiddleware: {
    path: must('a path such as "/hooks"', isString),
  },
  nextHandler: {
    after: must("Next's after() function", isFn),
  },
};
/** The list behind each place (types only). */
interface PLACE_LISTS {
  server: typeof LISTS.SERVER_OPTIONS;
  metrics: typeof LISTS.METRICS_OPTIONS;
  launch: typeof LISTS.LAUNCH_OPTIONS;
  register: typeof LISTS.REGISTER_OPTIONS;
  endpoint: typeof LISTS.ENDPOINT_OPTIONS;
  retry: typeof LISTS.RETRY_OPTIONS;
  repoFilter: typeof LISTS.REPO_FILTER_OPTIONS;
  route: typeof LISTS.ROUTE_FILTER_OPTIONS;
  schedule: typeof LISTS.SCHEDULE_OPTIONS;
  nodeMiddleware: typeof LISTS.NODE_MIDDLEWARE_OPTIONS;
  nextHandler: typeof LISTS.NEXT_HANDLER_OPTIONS;
}
