import type { FailureHooks } from "../queue/types.js";
import type { Logger } from "../internal/logger.js";
import type { Clock } from "../internal/clock.js";
import { HubClient } from "../hub/hub-client.js";
import type { WebhookInfo as HubWebhook } from "../hub/webhook-info.js";
import { HubhooksError } from "../errors.js";
import type { DeliveryStore } from "../store/types.js";
import { DEFAULTS } from "../defaults.js";
import { envListen } from "./env-listen.js";
import { envLimits } from "./env-limits.js";
import type { TracerProvider } from "@opentelemetry/api";
import type { HubhooksMetricsOptions } from "../metrics/metrics.js";
import { logFormat } from "../internal/log-format.js";
import type { Destination } from "../forward/destination.js";
import type { Alerts } from "../forward/alerts.js";
import { lazyAlerts, withDeadAlert } from "./alert-hooks.js";
import { checkOptions } from "./check-options.js";
import { checkWithoutLog } from "./check-without-log.js";

/** What a custom landing page can be: HTML, a function returning HTML or a Response, or any `fetch` app (Hono). */
export type CustomUi =
  | string
  | ((request: Request) => string | Response | Promise<string | Response>)
  | { fetch(request: Request, ...rest: any[]): Response | Promise<Response> };

/**
 * Options of `new WebhooksServer(options)`. All optional; `resolveOptions` applies `DEFAULTS` and the environment.
 * @example
 * new WebhooksServer({ webhookSecret: ["new-secret", "old-secret"], bodyLimit: 2 * 1024 * 1024 });
 */
export interface WebhooksServerOptions {
  /** Secret(s) the Hub sends in `X-Webhook-Secret` (or `?secret=`). Several = rotation. Default: `WEBHOOK_SECRET`. */
  webhookSecret?: string | readonly string[] | undefined;
  /** Replaces the landing page at `/`. Webhook routes, `/healthz` and the API stay. */
  ui?: CustomUi;
  /** Largest accepted body in bytes (413 above). Default 1 MiB. */
  bodyLimit?: number;
  /** Default port for `launch()`. Default `PORT`, else 7860. */
  port?: number;
  /** Default host for `launch()`. Default `HUBHOOKS_HOST`, else `0.0.0.0` in a Space (`SPACE_ID`), else `127.0.0.1`. */
  host?: string;
  /** Install SIGINT/SIGTERM handlers that close the server gracefully. Default true. */
  handleSignals?: boolean;
  /** How long `close()` waits for running handlers before aborting them. Default 10 s. */
  shutdownGraceMs?: number;
  /**
   * Structured logger (pino). Default: on stderr at `LOG_LEVEL` (default info), readable on a terminal and JSON lines
   * when piped, or as `LOG_FORMAT` (`json` | `pretty`) says.
   */
  logger?: Logger;
  /** Where the human banner lines go. Default `console.log`. */
  print?: (line: string) => void;
  /** Environment to read (`WEBHOOK_SECRET`, `PORT`, `SPACE_ID`, `SPACE_HOST`...). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Time source; inject a `ManualClock` in tests. */
  clock?: Clock;
  /**
   * The delivery log: a SQLite file path, `":memory:"`, or `false` to run handlers inline without a log (the
   * Python server's behaviour). Default `HUBHOOKS_DATABASE`, else `/data/hubhooks.db` in a Space with persistent
   * storage, else `.hubhooks/hubhooks.db` under the working directory.
   */
  database?: string | false;
  /**
   * A delivery store instance to use instead of opening `database` (e.g. `createPostgresStore(...)`, or a SQLite
   * store you built). The server migrates it at start and closes it on `close()`.
   */
  store?: DeliveryStore;
  /**
   * What an acknowledged delivery survives, for the SQLite log: `"normal"` (default) a crash of the process;
   * `"full"` also an OS crash or power loss (an fsync per group commit). Default `HUBHOOKS_DURABILITY`, else normal.
   */
  durability?: "normal" | "full";
  /** The Postgres schema of the delivery log's tables. Default `HUBHOOKS_DATABASE_SCHEMA`, else `hubhooks`. */
  databaseSchema?: string;
  /** Token for the dashboard and the delivery API. Default `HUBHOOKS_DASHBOARD_TOKEN`. */
  dashboardToken?: string;
  /** How long succeeded deliveries are kept. Default 7 days; `false` keeps them forever. */
  retentionMs?: number | false;
  /** How long a worker's claim on a delivery holds before another may take it over. Default 60 s. */
  leaseMs?: number;
  /**
   * Called once per failed attempt (with the delivery, the error and the next attempt time), for alerting. A hook
   * that throws is logged; it never changes the delivery.
   * @example
   * onError: ({ delivery, error }) => alerts.send(`${delivery.endpoint}: ${error.message}`)
   */
  onError?: FailureHooks["onError"];
  /** Called once when a delivery goes dead (no attempt left, or `NonRetryableError`). */
  onDead?: FailureHooks["onDead"];
  /**
   * Called once when a Hub webhook pointing at this server becomes suspended (the Hub stops a webhook whose
   * deliveries keep failing; a suspended webhook sends nothing, so the health check notices it, never a delivery).
   * Gets the webhook as the Hub describes it (secret masked). Needs a Hub token. A hook that throws is logged.
   * @example
   * onWebhookSuspended: (webhook) => alerts.send(`Hub webhook ${webhook.id} suspended: hubhooks webhooks enable ${webhook.id}`)
   */
  onWebhookSuspended?: (webhook: HubWebhook) => unknown;
  /** Called once when a Hub webhook that was suspended is enabled again (by hand or by `autoReenable`). */
  onWebhookRecovered?: (webhook: HubWebhook) => unknown;
  /**
   * Re-enable a Hub webhook the Hub suspended, once this server is ready (`/readyz`: the log open and writable), at
   * most once per `webhookHealthIntervalMs` per webhook, and log it. A webhook its owner disabled is never touched.
   * Default false.
   */
  autoReenable?: boolean;
  /** How often the Hub webhooks pointing here are checked (the first check runs at start). Default 5 min. */
  webhookHealthIntervalMs?: number;
  /**
   * Where operational alerts go (destinations from `hubhooks/forward`): a message when a delivery goes dead and when
   * the Hub suspends one of this server's webhooks, at most one per endpoint or webhook every 5 minutes.
   * @example
   * new WebhooksServer({ alerts: discord(process.env.ALERTS_DISCORD_URL!) });
   */
  alerts?: Destination | readonly Destination[];
  /** The Hub client handlers get as `ctx.hub`. Default: one built from `HF_TOKEN`/`HF_ENDPOINT` when a token is set. */
  hub?: HubClient;
  /**
   * The path the app is mounted at, e.g. `"/api/hooks"`: every route (webhooks, dashboard, API, `/metrics`,
   * `/healthz`) lives under it, and printed or displayed URLs include it. Default `""` (the root).
   */
  basePath?: string;
  /**
   * Where the dashboard and the delivery API live, relative to `basePath`: `true` (default) at `/` (or `/dashboard`
   * next to a custom `ui`), a prefix such as `"/_hubhooks"`, or `false` for neither (webhooks, `/healthz` and
   * `/metrics` stay), so they never shadow the host app's routes.
   */
  dashboard?: boolean | string;
  /**
   * Whether the server is reachable beyond this machine. Without a dashboard token, an exposed server serves no
   * dashboard data, API or metrics; an unexposed one serves them only to requests whose `Host` is a loopback name
   * (`localhost`, `127.0.0.1`, `[::1]`). Default: true in a Space, or when `launch()` listens on a non-loopback
   * address; else false.
   */
  exposed?: boolean;
  /**
   * The public origin(s) of the app when it is mounted elsewhere (e.g. `"https://app.example.com"`): printed
   * endpoint URLs use the first, and dashboard POSTs are accepted from each. Default `HUBHOOKS_PUBLIC_URL`.
   */
  publicUrl?: string | readonly string[];
  /**
   * Prometheus options: `defaultMetrics: false` leaves out Node's process metrics (when the application collects
   * them), `registry` registers hubhooks' metrics in the application's prom-client registry.
   * @example
   * new WebhooksServer({ metrics: { registry: appRegistry, defaultMetrics: false } });
   */
  metrics?: Pick<HubhooksMetricsOptions, "defaultMetrics" | "registry">;
  /** Where spans go. Default: the global OpenTelemetry tracer provider (a no-op until the application registers an SDK). */
  tracerProvider?: TracerProvider;
}

export interface ResolvedOptions {
  secrets: string[];
  ui: CustomUi | undefined;
  bodyLimit: number;
  port: number;
  host: string;
  handleSignals: boolean;
  shutdownGraceMs: number;
  logger: Logger | undefined;
  print: (line: string) => void;
  env: Record<string, string | undefined>;
  inSpace: boolean;
  spaceHost: string | undefined;
  clock: Clock | undefined;
  database: string | false | undefined;
  store: DeliveryStore | undefined;
  durability: "normal" | "full";
  databaseSchema: string;
  dashboardToken: string | undefined;
  retentionMs: number | false;
  leaseMs: number;
  hub: HubClient | undefined;
  hooks: FailureHooks;
  /** The Hub webhook health check's hooks and rules (`onWebhookSuspended`, `autoReenable`…). */
  hubHealth: {
    intervalMs: number;
    autoReenable: boolean;
    onSuspended?: (webhook: HubWebhook) => unknown;
    onRecovered?: (webhook: HubWebhook) => unknown;
  };
  /** The `alerts` option: `webhookSuspended(webhook)` is for the Hub-suspension hook (deliveryDead is in `hooks`). */
  alerts: Alerts | undefined;
  /** Human-friendly logs (pino-pretty): on a terminal, under `hubhooks dev`, or with `LOG_FORMAT=pretty`. */
  prettyLogs: boolean;
  /** `""` or a path with a leading and no trailing `/`. */
  basePath: string;
  /** The dashboard's prefix inside `basePath` (`""` = at its root), or false when turned off. */
  dashboard: string | false;
  /** undefined: decided at launch from the listen address (not exposed when mounted). */
  exposed: boolean | undefined;
  /** Configured public origins (`https://app.example.com`), without a trailing `/`. */
  publicOrigins: string[];
  metrics: Pick<HubhooksMetricsOptions, "defaultMetrics" | "registry">;
  tracerProvider: TracerProvider | undefined;
}

export { DEFAULTS };

/** The options the environment implies (never read at import time). */
export function optionsFromEnv(env: Record<string, string | undefined> = processEnv()): WebhooksServerOptions {
  const secrets = [env.WEBHOOK_SECRET, env.WEBHOOK_SECRET_PREVIOUS].filter((s): s is string => !!s);
  const { port } = envListen(env);
  return {
    webhookSecret: secrets.length ? secrets : undefined,
    port,
    ...envLimits(env),
  };
}

export function resolveOptions(options: WebhooksServerOptions = {}): ResolvedOptions {
  checkOptions("server", "new WebhooksServer()", options);
  if (options.database === false) checkWithoutLog("server", "new WebhooksServer()", options);
  const env = options.env ?? processEnv();
  const fromEnv = optionsFromEnv(env);
  const inSpace = !!env.SPACE_ID;
  const secret = options.webhookSecret ?? fromEnv.webhookSecret;
  const secrets = (typeof secret === "string" ? [secret] : [...(secret ?? [])]).filter((s) => s.length > 0);
  const alerts = lazyAlerts(options.alerts, options.clock);
  return {
    secrets,
    ui: options.ui,
    bodyLimit: options.bodyLimit ?? fromEnv.bodyLimit ?? DEFAULTS.bodyLimit,
    port: options.port ?? fromEnv.port ?? DEFAULTS.port,
    host: options.host ?? (envListen(env).host || (inSpace ? DEFAULTS.spaceHost : DEFAULTS.localHost)),
    handleSignals: options.handleSignals ?? DEFAULTS.handleSignals,
    shutdownGraceMs: options.shutdownGraceMs ?? fromEnv.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs,
    logger: options.logger,
    print: options.print ?? ((line) => console.log(line)),
    env,
    inSpace,
    spaceHost: env.SPACE_HOST || undefined,
    clock: options.clock,
    database: options.store ? undefined : options.database,
    store: options.store,
    durability: options.durability ?? fromEnv.durability ?? "normal",
    databaseSchema: options.databaseSchema ?? (env.HUBHOOKS_DATABASE_SCHEMA || "hubhooks"),
    dashboardToken: options.dashboardToken ?? (env.HUBHOOKS_DASHBOARD_TOKEN || undefined),
    retentionMs: options.retentionMs ?? fromEnv.retentionMs ?? DEFAULTS.retentionMs,
    leaseMs: options.leaseMs ?? fromEnv.leaseMs ?? DEFAULTS.leaseMs,
    hub: options.hub ?? (env.HF_TOKEN ? HubClient.fromEnv(env) : undefined),
    hooks: hooksOf(options, alerts),
    alerts,
    hubHealth: hubHealthOptions(options, alerts),
    basePath: normalizePrefix(options.basePath ?? "", "basePath"),
    dashboard:
      options.dashboard === false ? false : typeof options.dashboard === "string" ? normalizePrefix(options.dashboard, "dashboard") : "",
    exposed: options.exposed ?? (inSpace ? true : undefined),
    publicOrigins: publicOrigins(options.publicUrl ?? (env.HUBHOOKS_PUBLIC_URL || undefined)),
    prettyLogs: logFormat(env) === "pretty",
    metrics: options.metrics ?? {},
    tracerProvider: options.tracerProvider,
  };
}

function hubHealthOptions(options: WebhooksServerOptions, alerts: Alerts | undefined): ResolvedOptions["hubHealth"] {
  const intervalMs = options.webhookHealthIntervalMs ?? DEFAULTS.webhookHealthIntervalMs;
  if (typeof intervalMs !== "number" || !Number.isFinite(intervalMs) || intervalMs < 1000) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid webhookHealthIntervalMs ${String(intervalMs)}: use a number of milliseconds, at least 1000 (default 300000: five minutes).`);
  }
  // The `alerts` destinations hear of a suspension too, after the user's own hook (whose error is logged).
  const user = options.onWebhookSuspended;
  const onSuspended = alerts
    ? async (webhook: HubWebhook) => {
        try {
          await user?.(webhook);
        } finally {
          await alerts.webhookSuspended(webhook);
        }
      }
    : user;
  return {
    intervalMs,
    autoReenable: options.autoReenable === true,
    ...(onSuspended ? { onSuspended } : {}),
    ...(options.onWebhookRecovered ? { onRecovered: options.onWebhookRecovered } : {}),
  };
}

function hooksOf(options: WebhooksServerOptions, alerts: Alerts | undefined): FailureHooks {
  const onDead = withDeadAlert(options.onDead, alerts);
  return { ...(options.onError ? { onError: options.onError } : {}), ...(onDead ? { onDead } : {}) };
}
// A Worker without nodejs_compat has no `process` at all: its env comes as the fetch handler's argument.
const processEnv = (): Record<string, string | undefined> => globalThis.process?.env ?? {};

/** `"/api/hooks/"` → `"/api/hooks"`, `"/"` → `""`; anything else than a plain path is an error. */
export function normalizePrefix(value: string, name: string): string {
  const trimmed = value.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  if (!trimmed.startsWith("/") || /[?#\s\\]|\/\/|(^|\/)\.\.?(\/|$)/.test(trimmed)) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid ${name} "${value}": use a path such as "/api/hooks".`);
  }
  return trimmed;
}

function publicOrigins(value: string | readonly string[] | undefined): string[] {
  const list = typeof value === "string" ? [value] : [...(value ?? [])];
  return list.map((url) => {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new HubhooksError("INVALID_OPTIONS", `Invalid publicUrl "${url}": use an http(s) URL such as "https://app.example.com".`);
    }
    return new URL(url).origin;
  });
}
