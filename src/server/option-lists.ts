/**
 * Every option name of every public entry point, one list per place. The runtime check (`check-options.ts`), the
 * README's configuration reference and the TypeScript types are kept equal to these lists by tests
 * (`test/unit/option-lists.test.ts`), so JavaScript users get the same refusals as the type checker.
 * @example
 * SERVER_OPTIONS.includes("basePath"); // true
 */
export const SERVER_OPTIONS = [
  "webhookSecret",
  "ui",
  "bodyLimit",
  "port",
  "host",
  "handleSignals",
  "shutdownGraceMs",
  "logger",
  "print",
  "env",
  "clock",
  "database",
  "store",
  "durability",
  "databaseSchema",
  "dashboardToken",
  "retentionMs",
  "leaseMs",
  "onError",
  "onDead",
  "onWebhookSuspended",
  "onWebhookRecovered",
  "autoReenable",
  "webhookHealthIntervalMs",
  "alerts",
  "hub",
  "basePath",
  "dashboard",
  "exposed",
  "publicUrl",
  "metrics",
  "tracerProvider",
] as const;

/** `new WebhooksServer({ metrics: {...} })`. @example METRICS_OPTIONS; // ["defaultMetrics", "registry"] */
export const METRICS_OPTIONS = ["defaultMetrics", "registry"] as const;

/** `app.launch({...})`. @example LAUNCH_OPTIONS.includes("share"); // true */
export const LAUNCH_OPTIONS = ["port", "host", "share", "register"] as const;

/** `app.launch({ register: {...} })`. @example REGISTER_OPTIONS.includes("watch"); // true */
export const REGISTER_OPTIONS = ["watch", "domains", "cleanup"] as const;

/** What a delivery is triggered on, on an endpoint and on a route alike. @example TRIGGER_OPTIONS.includes("paths"); // true */
export const TRIGGER_OPTIONS = ["ref", "kind", "paths", "debounce", "throttle"] as const;

/** `addWebhook(name, {...}, handler)` and `webhookEndpoint(name, {...}, handler)`. @example ENDPOINT_OPTIONS.includes("mode"); // true */
export const ENDPOINT_OPTIONS = [
  "schema",
  "filter",
  "mode",
  "deadlineMs",
  "timeoutMs",
  "retry",
  "concurrency",
  "orderingKey",
  "ignoreSelf",
  ...TRIGGER_OPTIONS,
] as const;

/** `addWebhook(name, { retry: {...} })`. @example RETRY_OPTIONS.includes("maxAttempts"); // true */
export const RETRY_OPTIONS = ["maxAttempts", "initialDelayMs", "maxDelayMs", "factor", "jitter"] as const;

/** `addWebhook(name, { filter: {...} })`: which repos. @example REPO_FILTER_OPTIONS; // ["repoType", "repo"] */
export const REPO_FILTER_OPTIONS = ["repoType", "repo"] as const;

/** `.on(pattern, {...}, handler)`. @example ROUTE_FILTER_OPTIONS.includes("debounce"); // true */
export const ROUTE_FILTER_OPTIONS = [...REPO_FILTER_OPTIONS, "ignoreSelf", ...TRIGGER_OPTIONS] as const;

/** `debounce: {...}` and `throttle: {...}`. @example SCHEDULE_OPTIONS; // ["key", "ms"] */
export const SCHEDULE_OPTIONS = ["key", "ms"] as const;

/** `createNodeMiddleware(app, {...})` (also behind `hubhooks/fastify`). @example NODE_MIDDLEWARE_OPTIONS; // ["path"] */
export const NODE_MIDDLEWARE_OPTIONS = ["path"] as const;

/** `nextRouteHandler(app, {...})`. @example NEXT_HANDLER_OPTIONS; // ["after"] */
export const NEXT_HANDLER_OPTIONS = ["after"] as const;

/**
 * The `HUBHOOKS_*` variables hubhooks reads (the CLI's configuration besides its flags). A name one typo away from
 * one of these is refused by the CLI; other `HUBHOOKS_*` names are left alone (other tools may share the prefix).
 * @example
 * CLI_ENVIRONMENT.includes("HUBHOOKS_DATABASE"); // true
 */
export const CLI_ENVIRONMENT = [
  "HUBHOOKS_BODY_LIMIT",
  "HUBHOOKS_CONCURRENCY",
  "HUBHOOKS_DASHBOARD_TOKEN",
  "HUBHOOKS_DATABASE",
  "HUBHOOKS_DATABASE_SCHEMA",
  "HUBHOOKS_DEV_CHILD",
  "HUBHOOKS_DURABILITY",
  "HUBHOOKS_ENDPOINT",
  "HUBHOOKS_HOST",
  "HUBHOOKS_INIT_PACKAGE",
  "HUBHOOKS_LEASE_MS",
  "HUBHOOKS_LOCALTUNNEL_HOST",
  "HUBHOOKS_PRETTY",
  "HUBHOOKS_PUBLIC_URL",
  "HUBHOOKS_RELAY_CHANNEL",
  "HUBHOOKS_RELAY_URL",
  "HUBHOOKS_RETENTION_MS",
  "HUBHOOKS_SHUTDOWN_GRACE_MS",
  "HUBHOOKS_STATE_DIR",
  "HUBHOOKS_TUNNEL",
  "HUBHOOKS_URL",
] as const;

/** The public entry points that take options, each with its list of names. */
export type OptionPlace =
  | "server"
  | "metrics"
  | "launch"
  | "register"
  | "endpoint"
  | "retry"
  | "repoFilter"
  | "route"
  | "schedule"
  | "nodeMiddleware"
  | "nextHandler";
