// The option contract of every public entry point, as a table, in plain JavaScript (no types, no checker): the
// TypeScript test (test/unit/option-contract.test.ts) runs it against src/, and a plain `node` subprocess
// (option-contract-child.mjs) runs the same table against the built package, as a JavaScript user would call it.
import { trace } from "@opentelemetry/api";
import pino from "pino";
import { Registry } from "prom-client";
import { z } from "zod";

const LAZY = Symbol("lazy");
/** A value built when the case runs (a store, a client), not when the table loads. */
const lazy = (build) => ({ [LAZY]: build });
const noop = () => {};
const handler = () => "ran";

// Rows: [option, an accepted value, a refused value, the message after "<where>: "].
const SERVER = [
  ["webhookSecret", ["new", "old"], 42, "webhookSecret must be a string or an array of strings, not 42"],
  ["ui", "<h1>hooks</h1>", 42, "ui must be an HTML string, a function or an app with fetch(), not 42"],
  ["bodyLimit", 2048, 1.5, "bodyLimit must be a whole number of bytes ≥ 1, not 1.5"],
  ["port", 8080, "80", 'port must be a whole number from 0 to 65535, not "80"'],
  ["host", "0.0.0.0", "", 'host must be a host name or an IP address, not ""'],
  ["handleSignals", false, "no", 'handleSignals must be true or false, not "no"'],
  ["shutdownGraceMs", 500, -1, "shutdownGraceMs must be a number of milliseconds ≥ 0, not -1"],
  ["logger", lazy(() => pino({ level: "silent" })), console, "logger must be a pino logger (info, warn, error, child), not an object"],
  ["print", noop, "stdout", 'print must be a function of one line, not "stdout"'],
  ["env", {}, "PORT=1", 'env must be an object of strings (like process.env), not "PORT=1"'],
  ["clock", lazy((lib) => new lib.ManualClock(0)), Date.now, "clock must be a clock with now(), not a function"],
  ["database", ":memory:", true, 'database must be a SQLite path, ":memory:", a postgres:// URL or false, not true'],
  ["store", lazy((lib) => lib.createSqliteStore({ path: ":memory:" })), "db.sqlite", 'store must be a delivery store (createSqliteStore, createPostgresStore), not "db.sqlite"'],
  ["durability", "full", "fsync", 'durability must be "normal" or "full", not "fsync"'],
  ["databaseSchema", "hooks", "", 'databaseSchema must be a Postgres schema name, not ""'],
  ["dashboardToken", "t0ken", "", 'dashboardToken must be a non-empty string, not ""'],
  ["retentionMs", false, true, "retentionMs must be a number of milliseconds ≥ 0 or false, not true"],
  ["leaseMs", 30_000, 0, "leaseMs must be a number of milliseconds > 0, not 0"],
  ["onError", noop, true, "onError must be a function, not true"],
  ["onDead", noop, "alert", 'onDead must be a function, not "alert"'],
  ["onWebhookSuspended", noop, 1, "onWebhookSuspended must be a function, not 1"],
  ["onWebhookRecovered", noop, "page", 'onWebhookRecovered must be a function, not "page"'],
  ["autoReenable", true, "yes", 'autoReenable must be true or false, not "yes"'],
  ["webhookHealthIntervalMs", 60_000, 10, "webhookHealthIntervalMs must be a number of milliseconds ≥ 1000, not 10"],
  [
    "alerts", { kind: "http", label: "http:…/hook", send: noop, notify: noop }, "https://discord.com/api/webhooks/1/x",
    'alerts must be a destination from hubhooks/forward (discord, slack, http) or an array of them, not a string (a webhook URL? wrap it: discord(url), slack(url) or http(url))',
  ],
  ["hub", lazy((lib) => new lib.HubClient({ token: "hf_test" })), "hf_test", 'hub must be a HubClient, not "hf_test"'],
  ["basePath", "/hooks", 42, 'basePath must be a path such as "/api/hooks", not 42'],
  ["dashboard", "/_admin", 1, 'dashboard must be true, false or a path such as "/_hubhooks", not 1'],
  ["exposed", true, "yes", 'exposed must be true or false, not "yes"'],
  ["publicUrl", "https://app.example.com", 42, "publicUrl must be a URL or an array of URLs, not 42"],
  ["metrics", { defaultMetrics: false }, true, "metrics must be an object, not true"],
  ["tracerProvider", lazy(() => trace.getTracerProvider()), {}, "tracerProvider must be an OpenTelemetry TracerProvider (getTracer), not an object"],
];
const METRICS = [
  ["defaultMetrics", false, "no", 'metrics.defaultMetrics must be true or false, not "no"'],
  ["registry", lazy(() => new Registry()), {}, "metrics.registry must be a prom-client Registry, not an object"],
];
const LAUNCH = [
  ["port", 0, 70_000, "port must be a whole number from 0 to 65535, not 70000"],
  ["host", "127.0.0.1", 7, "host must be a host name or an IP address, not 7"],
  ["share", false, 1, 'share must be true, false, "auto" or a tunnel provider name, not 1'],
  ["register", { watch: ["model:me/model"] }, "model:me/model", 'register must be an object, not "model:me/model"'],
];
const REGISTER = [
  ["watch", ["model:me/model"], "model:me/model", 'register.watch must be an array of "type:name" strings, not "model:me/model"'],
  ["domains", ["repo"], ["repos"], 'register.domains must be an array of "repo" and "discussion", not an array'],
  ["cleanup", "delete", "remove", 'register.cleanup must be "disable" or "delete", not "remove"'],
];
const ENDPOINT = [
  ["schema", lazy(() => z.object({})), {}, "schema must be a Standard Schema (zod, valibot, arktype...), not an object"],
  ["filter", { repoType: "model" }, "model", 'filter must be an object, not "model"'],
  ["mode", "accepted", "accept", 'mode must be "result" or "accepted", not "accept"'],
  ["deadlineMs", 1_000, -5, "deadlineMs must be a number of milliseconds ≥ 0, not -5"],
  ["timeoutMs", 60_000, 0, "timeoutMs must be a number of milliseconds > 0, not 0"],
  ["retry", { maxAttempts: 3 }, 3, "retry must be an object, not 3"],
  ["concurrency", 2, 0, "concurrency must be a whole number ≥ 1, not 0"],
  ["orderingKey", "repo", "repo.name", 'orderingKey must be "repo" or a function of the payload, not "repo.name"'],
  ["ignoreSelf", true, 1, "ignoreSelf must be true or false, not 1"],
  ["ref", "refs/heads/main", 1, "ref must be a ref or glob, or an array of them, not 1"],
  ["kind", ["created", "deleted"], "moved", 'kind must be "created", "updated", "deleted" or an array of them, not "moved"'],
  ["paths", ["data/**", "!data/tmp/**"], "data/**", 'paths must be an array of globs, not "data/**"'],
  ["debounce", { key: "repo", ms: 1_500 }, 1_500, "debounce must be an object, not 1500"],
  ["throttle", { ms: 60_000 }, true, "throttle must be an object, not true"],
];
const RETRY = [
  ["maxAttempts", 3, 0, "retry.maxAttempts must be a whole number ≥ 1, not 0"],
  ["initialDelayMs", 500, -1, "retry.initialDelayMs must be a number of milliseconds ≥ 0, not -1"],
  ["maxDelayMs", 60_000, "1m", 'retry.maxDelayMs must be a number of milliseconds ≥ 0, not "1m"'],
  ["factor", 2, -2, "retry.factor must be a number ≥ 0, not -2"],
  ["jitter", 0.1, 2, "retry.jitter must be a number from 0 to 1, not 2"],
];
const REPO_FILTER = [
  ["repoType", ["model", "dataset"], 3, 'filter.repoType must be a repo type ("model", "dataset", "space", "bucket") or an array of them, not 3'],
  ["repo", /^me\//, {}, "filter.repo must be a name, a glob, a RegExp or an array of them, not an object"],
];
const ROUTE = [
  ["repoType", "space", 1, 'repoType must be a repo type ("model", "dataset", "space", "bucket") or an array of them, not 1'],
  ["repo", ["me/*", /^org\//], {}, "repo must be a name, a glob, a RegExp or an array of them, not an object"],
  ["ignoreSelf", true, "yes", 'ignoreSelf must be true or false, not "yes"'],
  ["ref", ["refs/tags/*"], [1], "ref must be a ref or glob, or an array of them, not an array"],
  ["kind", "updated", "changed", 'kind must be "created", "updated", "deleted" or an array of them, not "changed"'],
  ["paths", ["*.parquet"], ["data/**", 3], "paths must be an array of globs, not an array"],
  ["debounce", { ms: 1_000 }, { ms: 0 }, "debounce.ms must be a positive number of milliseconds, not 0"],
  ["throttle", { key: (p) => p.repo.name, ms: 1_000 }, "1s", 'throttle must be an object, not "1s"'],
];
const SCHEDULE = [
  ["key", "repo", "owner", 'debounce.key must be "repo" or a function of the payload, not "owner"'],
  ["ms", 1_000, -1, "debounce.ms must be a positive number of milliseconds, not -1"],
];
const NODE_MIDDLEWARE = [["path", "/hooks", 42, 'path must be a path such as "/hooks", not 42']];
const NEXT_HANDLER = [["after", noop, true, "after must be Next's after() function, not true"]];

const quiet = () => ({ print: noop, env: {}, handleSignals: false, logger: pino({ level: "silent" }) });
const server = (lib, options = {}) => new lib.WebhooksServer({ ...quiet(), database: ":memory:", ...options });

/**
 * Each place: the prefix of its messages (`where`), how a user reaches it with options (`call`), the list it must
 * cover (`list`, a key of the option lists), its rows, and `wrap` for a place nested in another option.
 */
export const PLACES = [
  { place: "server", list: "SERVER_OPTIONS", where: "new WebhooksServer()", rows: SERVER, call: (lib, o) => void new lib.WebhooksServer({ ...quiet(), ...o }) },
  { place: "metrics", list: "METRICS_OPTIONS", where: "new WebhooksServer()", rows: METRICS, call: (lib, o) => void new lib.WebhooksServer({ ...quiet(), metrics: o }) },
  { place: "launch", list: "LAUNCH_OPTIONS", where: "launch()", rows: LAUNCH, call: (lib, o) => launch(lib, { port: 0, host: "127.0.0.1", ...o }) },
  { place: "register", list: "REGISTER_OPTIONS", where: "launch()", rows: REGISTER, call: (lib, o) => launch(lib, { port: 0, host: "127.0.0.1", register: { watch: ["model:me/model"], ...o } }) },
  { place: "endpoint", list: "ENDPOINT_OPTIONS", where: 'addWebhook("train")', rows: ENDPOINT, call: (lib, o) => void server(lib).addWebhook("train", o, handler) },
  { place: "retry", list: "RETRY_OPTIONS", where: 'addWebhook("train")', rows: RETRY, call: (lib, o) => void server(lib).addWebhook("train", { retry: o }, handler) },
  { place: "repoFilter", list: "REPO_FILTER_OPTIONS", where: 'addWebhook("train")', rows: REPO_FILTER, call: (lib, o) => void server(lib).addWebhook("train", { filter: o }, handler) },
  { place: "route", list: "ROUTE_FILTER_OPTIONS", where: '.on("repo.content.update")', rows: ROUTE, call: (lib, o) => void server(lib).addWebhook("ci").on("repo.content.update", o, handler) },
  { place: "schedule", list: "SCHEDULE_OPTIONS", where: '.on("repo.content.update")', rows: SCHEDULE, call: (lib, o) => void server(lib).addWebhook("ci").on("repo.content.update", { debounce: { ms: 1_000, ...o } }, handler) },
  { place: "nodeMiddleware", list: "NODE_MIDDLEWARE_OPTIONS", where: "createNodeMiddleware()", rows: NODE_MIDDLEWARE, call: (lib, o) => void lib.createNodeMiddleware(server(lib), o) },
  { place: "nextHandler", list: "NEXT_HANDLER_OPTIONS", where: "nextRouteHandler()", rows: NEXT_HANDLER, call: (lib, o) => void lib.nextRouteHandler(server(lib), o) },
];

async function launch(lib, options) {
  const app = server(lib);
  try {
    await app.launch(options);
  } finally {
    await app.close();
  }
}

/** A typo of a name: its middle letter doubled (`concurrency` → `concurrrency`), one edit away. */
export const typo = (name) => {
  const i = Math.floor(name.length / 2);
  return name.slice(0, i) + name[i] + name.slice(i);
};

const NESTED_PREFIX = { metrics: "metrics.", register: "register.", retry: "retry.", repoFilter: "filter.", schedule: "debounce." };

// A key from the wrong place: where it lives instead, as the user reads it.
const ELSEWHERE = [
  ["route", "mode", "mode is an endpoint option: addWebhook(name, { mode }, handler)"],
  ["route", "retry", "retry is an endpoint option: addWebhook(name, { retry }, handler)"],
  ["route", "filter", "filter: a route takes the repo filter directly: .on(pattern, { repoType, repo }, handler)"],
  ["route", "path", "path: did you mean paths?"],
  ["endpoint", "repoType", "repoType is in an endpoint's filter: addWebhook(name, { filter: { repoType } }, handler)"],
  ["endpoint", "repo", "repo is in an endpoint's filter: addWebhook(name, { filter: { repo } }, handler)"],
  ["endpoint", "port", "port is a server option: new WebhooksServer({ port })"],
  ["endpoint", "after", "after is a nextRouteHandler option: nextRouteHandler(app, { after })"],
  ["endpoint", "colour", "unknown option colour (valid: schema, filter, mode, deadlineMs, timeoutMs, retry, concurrency, orderingKey, ignoreSelf, ref, kind, paths, debounce, throttle)"],
  ["server", "concurrency", "concurrency is an endpoint option: addWebhook(name, { concurrency }, handler)"],
  ["server", "share", "share is a launch option: app.launch({ share })"],
  ["server", "debounce", "debounce is an endpoint option: addWebhook(name, { debounce }, handler)"],
  ["server", "path", "path: the server takes basePath: new WebhooksServer({ basePath })"],
  ["launch", "basePath", "basePath is a server option: new WebhooksServer({ basePath })"],
  ["nodeMiddleware", "basePath", "basePath is a server option: new WebhooksServer({ basePath })"],
  ["nodeMiddleware", "prefix", "unknown option prefix (valid: path)"],
  ["endpoint", "maxAttempts", "maxAttempts is a retry option: addWebhook(name, { retry: { maxAttempts } }, handler)"],
  ["route", "ms", "ms is a debounce or throttle option: { debounce: { ms } }"],
  ["launch", "watch", "watch is a register option: app.launch({ share: true, register: { watch } })"],
  ["server", "registry", "registry is a metrics option: new WebhooksServer({ metrics: { registry } })"],
];

// What database: false (handlers inline, no log) cannot honour, per place.
const WITHOUT_LOG = {
  server: ["store", "durability", "databaseSchema", "retentionMs", "leaseMs", "onError", "onDead"],
  endpoint: ["deadlineMs", "retry", "concurrency", "orderingKey", "debounce", "throttle"],
  route: ["debounce", "throttle"],
};

const EVENTS = {
  accepted: ["*", "repo", "repo.content", "repo.config", "discussion", "discussion.comment", "repo.move", "discussion.comment.create", "raw:repo.config.dois", ["repo.create", "raw:space.hardware.upgrade"]],
  refused: [
    ["discussion.coment.create", '.on("discussion.coment.create"): unknown event "discussion.coment.create"; did you mean "discussion.comment.create"? An event hubhooks does not know yet is written "raw:discussion.coment.create".'],
    ["repo.content.create", '.on("repo.content.create"): unknown event "repo.content.create"; did you mean "repo.content.update"? An event hubhooks does not know yet is written "raw:repo.content.create".'],
    ["space.hardware.upgrade", '.on("space.hardware.upgrade"): unknown event "space.hardware.upgrade". An event hubhooks does not know yet is written "raw:space.hardware.upgrade".'],
    [["repo.create", "repo.delet"], '.on(["repo.create","repo.delet"]): unknown event "repo.delet"; did you mean "repo.delete"? An event hubhooks does not know yet is written "raw:repo.delet".'],
    ["raw:", '.on("raw:"): "raw:" needs the scope or scope.action as the Hub sends it, e.g. "raw:space.hardware.upgrade"'],
    [[], '.on([]): the pattern must be an event key, a scope, "*", a "raw:" selector or a non-empty array of them'],
    [42, '.on(42): the pattern must be an event key, a scope, "*", a "raw:" selector or a non-empty array of them'],
  ],
};

/**
 * Every case of the contract: `{ id, run(lib) → Promise<void>, expect: { accepted: true } | { message } }`.
 * `lists` are the option lists of the implementation under test (every option must have a row).
 */
export function contractCases(lists) {
  const cases = [];
  const add = (id, where, run, expected) => cases.push({ id, where, run, expect: expected });
  for (const p of PLACES) {
    const prefix = NESTED_PREFIX[p.place] ?? "";
    const covered = p.rows.map((r) => r[0]).sort();
    const listed = [...lists[p.list]].sort();
    if (JSON.stringify(covered) !== JSON.stringify(listed)) {
      throw new Error(`the table's ${p.place} rows (${covered}) are not ${p.list} (${listed})`);
    }
    for (const [key, good, bad, message] of p.rows) {
      add(`${p.place}.${key} accepted`, p.where, async (lib) => p.call(lib, { [key]: await build(good, lib) }), { accepted: true });
      add(`${p.place}.${key} refused`, p.where, async (lib) => p.call(lib, { [key]: await build(bad, lib) }), { message: `${p.where}: ${message}` });
      add(`${p.place}.${key} misspelt`, p.where, (lib) => p.call(lib, { [typo(key)]: 1 }), { message: `${p.where}: ${prefix}${typo(key)}: did you mean ${key}?` });
    }
  }
  for (const [place, key, message] of ELSEWHERE) {
    const p = PLACES.find((x) => x.place === place);
    add(`${place} given ${key}`, p.where, (lib) => p.call(lib, { [key]: 1 }), { message: `${p.where}: ${message}` });
  }
  for (const [place, keys] of Object.entries(WITHOUT_LOG)) {
    const p = PLACES.find((x) => x.place === place);
    for (const key of keys) {
      const row = p.rows.find((r) => r[0] === key);
      const run = async (lib) => {
        const value = await build(row[1], lib);
        if (place === "server") return void new lib.WebhooksServer({ ...quiet(), database: false, [key]: value });
        const app = new lib.WebhooksServer({ ...quiet(), database: false });
        if (place === "endpoint") return void app.addWebhook("train", { [key]: value }, handler);
        return void app.addWebhook("ci").on("repo.content.update", { [key]: value }, handler);
      };
      const named = key === "mode" ? 'mode: "accepted"' : key;
      add(`${place}.${key} with database: false`, p.where, run, {
        message: `${p.where}: ${named} needs the delivery log; database: false runs handlers inline, once, in the request: remove ${key} or keep the log`,
      });
    }
  }
  for (const pattern of EVENTS.accepted) {
    add(`event ${JSON.stringify(pattern)} accepted`, ".on(", (lib) => void server(lib).addWebhook("bot").on(pattern, handler), { accepted: true });
  }
  for (const [pattern, message] of EVENTS.refused) {
    add(`event ${JSON.stringify(pattern)} refused`, ".on(", (lib) => void server(lib).addWebhook("bot").on(pattern, handler), { message });
  }
  for (const name of lists.CLI_ENVIRONMENT) {
    add(`environment ${name} accepted`, "cli", (lib) => cli(lib, { [name]: "1" }), { accepted: true });
    const wrong = `HUBHOOKS_${typo(name.slice("HUBHOOKS_".length))}`;
    add(`environment ${name} misspelt`, "cli", (lib) => cli(lib, { [wrong]: "1" }), { message: `${wrong}: did you mean ${name}? (environment variable)` });
  }
  add("environment HUBHOOKS_TEST_ONLY_SETTING left alone", "cli", (lib) => cli(lib, { HUBHOOKS_TEST_ONLY_SETTING: "1" }), { accepted: true });
  return cases;
}

async function build(value, lib) {
  return value && typeof value === "object" && LAZY in value ? await value[LAZY](lib) : value;
}

// The CLI's configuration: `hubhooks --version` with an environment; a refusal is its one stderr line, exit 1.
async function cli(lib, env) {
  let err = "";
  const code = await lib.main(["--version"], { stdout: noop, stderr: (t) => (err += t), env, cwd: process.cwd() });
  if (code !== 0) throw Object.assign(new Error(err.trim().replace(/^hubhooks: /, "")), { cliLine: err });
}

/**
 * Run one case: `{ accepted: true }`, or `{ message }` (the refusal without the `[hubhooks] ` prefix). An error that
 * does not come from the contract (a launch that needs a public URL for `register`) counts as accepted: the option
 * itself passed.
 */
export async function runCase(c, lib) {
  try {
    await c.run(lib);
    return { accepted: true };
  } catch (error) {
    const message = String(error?.message ?? error).replace(/^\[hubhooks\] /, "");
    const fromContract = error?.code === "INVALID_OPTIONS" || error?.cliLine !== undefined;
    if (!fromContract) throw error;
    if (c.where !== "cli" && c.where !== ".on(" && !message.startsWith(`${c.where}: `)) return { accepted: true, other: message };
    return { message };
  }
}
