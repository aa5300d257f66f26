import { HubhooksError } from "../errors.js";
import { closestName } from "../internal/closest-name.js";
import { describeValue } from "../internal/describe-value.js";
import * as LISTS from "./option-lists.js";
import type { OptionPlace } from "./option-lists.js";
import { OPTION_VALUES, type ValueCheck } from "./option-values.js";

export type { OptionPlace };

interface Place {
  keys: readonly string[];
  /** How the place is named in a "lives elsewhere" hint, and how a key is written there. */
  label: string;
  usage: (key: string) => string;
}

const PLACES: Record<OptionPlace, Place> = {
  server: { keys: LISTS.SERVER_OPTIONS, label: "a server option", usage: (k) => `new WebhooksServer({ ${k} })` },
  metrics: { keys: LISTS.METRICS_OPTIONS, label: "a metrics option", usage: (k) => `new WebhooksServer({ metrics: { ${k} } })` },
  launch: { keys: LISTS.LAUNCH_OPTIONS, label: "a launch option", usage: (k) => `app.launch({ ${k} })` },
  register: { keys: LISTS.REGISTER_OPTIONS, label: "a register option", usage: (k) => `app.launch({ share: true, register: { ${k} } })` },
  endpoint: { keys: LISTS.ENDPOINT_OPTIONS, label: "an endpoint option", usage: (k) => `addWebhook(name, { ${k} }, handler)` },
  retry: { keys: LISTS.RETRY_OPTIONS, label: "a retry option", usage: (k) => `addWebhook(name, { retry: { ${k} } }, handler)` },
  repoFilter: {
    keys: LISTS.REPO_FILTER_OPTIONS,
    label: "in an endpoint's filter",
    usage: (k) => `addWebhook(name, { filter: { ${k} } }, handler)`,
  },
  route: { keys: LISTS.ROUTE_FILTER_OPTIONS, label: "a route filter", usage: (k) => `.on(pattern, { ${k} }, handler)` },
  schedule: { keys: LISTS.SCHEDULE_OPTIONS, label: "a debounce or throttle option", usage: (k) => `{ debounce: { ${k} } }` },
  nodeMiddleware: {
    keys: LISTS.NODE_MIDDLEWARE_OPTIONS,
    label: "a createNodeMiddleware option",
    usage: (k) => `createNodeMiddleware(app, { ${k} })`,
  },
  nextHandler: { keys: LISTS.NEXT_HANDLER_OPTIONS, label: "a nextRouteHandler option", usage: (k) => `nextRouteHandler(app, { ${k} })` },
};

// Where a key found in the wrong place most likely belongs, in this order (a route's `mode` is an endpoint option
// before anything else; an endpoint's `maxAttempts` belongs in its `retry`).
const ELSEWHERE: OptionPlace[] = [
  "repoFilter", "endpoint", "route", "server", "launch", "nodeMiddleware", "nextHandler", "retry", "schedule", "metrics", "register",
];

// Hints where the general rule would point at the wrong spelling.
const HINTS: Partial<Record<OptionPlace, Record<string, string>>> = {
  route: { filter: "a route takes the repo filter directly: .on(pattern, { repoType, repo }, handler)" },
  server: { path: "the server takes basePath: new WebhooksServer({ basePath })" },
};

/**
 * Refuse options a place does not take, or takes with another value, in one line naming the option: an unknown key
 * with the place it does belong to (`mode is an endpoint option: addWebhook(name, { mode }, handler)`) or the
 * closest valid name (`concurency: did you mean concurrency?`), a bad value with what is expected. Runs for
 * JavaScript callers too, so a typo never turns into an option silently dropped.
 * @example
 * checkOptions("endpoint", 'addWebhook("train")', { concurency: 3 });
 * // throws HubhooksError INVALID_OPTIONS: addWebhook("train"): concurency: did you mean concurrency?
 */
export function checkOptions(place: OptionPlace, where: string, options: unknown): void {
  if (options === undefined) return;
  const problem = problemIn(place, options, "");
  if (problem) throw new HubhooksError("INVALID_OPTIONS", `${where}: ${problem}`);
}

/** The first problem of `options` at `place` (keys then values), or undefined; `prefix` names a nested option. */
function problemIn(place: OptionPlace, options: unknown, prefix: string): string | undefined {
  if (!isPlainObject(options)) return `${prefix ? prefix.slice(0, -1) + " " : "options "}must be an object, not ${describeValue(options)}`;
  const { keys } = PLACES[place];
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) return `${prefix}${unknownKey(place, key)}`;
  }
  const checks = OPTION_VALUES[place] as Record<string, ValueCheck>;
  for (const key of keys) {
    const value = options[key];
    if (value === undefined) continue;
    const problem = checks[key]?.(value, `${prefix}${key}`, problemIn);
    if (problem) return problem;
  }
  return undefined;
}

function unknownKey(place: OptionPlace, key: string): string {
  const hint = HINTS[place]?.[key];
  if (hint) return `${key}: ${hint}`;
  // One letter off a name of this place is a typo (a route's `path` is `paths`), even if another place has the name.
  const typo = closestName(key, PLACES[place].keys, 1);
  if (typo) return `${key}: did you mean ${typo}?`;
  const home = ELSEWHERE.find((p) => p !== place && PLACES[p].keys.includes(key));
  if (home) return `${key} is ${PLACES[home].label}: ${PLACES[home].usage(key)}`;
  const close = closestName(key, PLACES[place].keys);
  if (close) return `${key}: did you mean ${close}?`;
  return `unknown option ${key} (valid: ${PLACES[place].keys.join(", ")})`;
}

/** `{}` or an object made by a class (a value users pass as options), not an array, a function or null. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
