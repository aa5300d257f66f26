import { z } from "zod";
import { KNOWN_EVENTS, KNOWN_SCOPES, RAW_EVENT_PREFIX } from "../payload/events.js";
import type { EventFilter } from "../payload/payload-for.js";
import type { ForwardFilter } from "../server/endpoint.js";

/** The kinds of destination `hubhooks forward` and `hubhooks.forward.json` know. */
export const DESTINATION_KINDS = ["discord", "slack", "http"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Where `--to discord` (without `=URL`) and a config entry without `url` read the URL from. */
export const URL_VARIABLES: Record<DestinationKind, string> = {
  discord: "DISCORD_WEBHOOK_URL",
  slack: "SLACK_WEBHOOK_URL",
  http: "FORWARD_URL",
};

const PATTERNS: readonly string[] = ["*", ...KNOWN_SCOPES, ...KNOWN_EVENTS];
const pattern = z.string().refine((s) => PATTERNS.includes(s) || (s.startsWith(RAW_EVENT_PREFIX) && s.length > 4), {
  error: (issue) => `unknown event ${JSON.stringify(issue.input)}; use "*", a scope (${KNOWN_SCOPES.join(", ")}), an event such as "repo.content.update", or "raw:<scope>"`,
});
const strings = (what: string) => z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: `expected ${what} (a string or a list of strings)` });
const REF_KINDS = ["created", "updated", "deleted"] as const;
const schedule = z.strictObject({ ms: z.number().positive(), key: z.literal("repo").optional() });

/** One destination of `hubhooks.forward.json`: where, and the route filter it forwards. */
export const ForwardEntrySchema = z.strictObject({
  to: z.enum(DESTINATION_KINDS, { error: `"to" must be one of ${DESTINATION_KINDS.join(", ")}` }),
  url: z.string().optional().meta({ description: "The URL, or ${VARIABLE}; default the kind's variable (DISCORD_WEBHOOK_URL…)" }),
  on: z.union([pattern, z.array(pattern).min(1)]).optional(),
  repo: strings("repo names or globs such as my-org/*").optional(),
  repoType: strings("repo types (model, dataset, space, bucket)").optional(),
  ref: strings("refs or globs such as refs/tags/*").optional(),
  kind: z.union([z.enum(REF_KINDS), z.array(z.enum(REF_KINDS)).min(1)], { error: `expected ${REF_KINDS.join(", ")} (or a list of them)` }).optional(),
  paths: z.array(z.string().min(1)).min(1).optional(),
  ignoreSelf: z.boolean().optional(),
  debounce: schedule.optional(),
  throttle: schedule.optional(),
  username: z.string().min(1).optional().meta({ description: "Discord only: the author name shown." }),
  secret: z.string().optional().meta({ description: "http only: sent as X-Webhook-Secret (use ${VARIABLE})." }),
});

/**
 * `hubhooks.forward.json`: the endpoint name and its destinations, each with its own filter. URLs are secrets:
 * write `${DISCORD_WEBHOOK_URL}` (or leave `url` out) and set the variable (a Space secret), not the URL itself.
 * @example
 * { "destinations": [{ "to": "discord", "on": "repo.content.update", "ref": "refs/tags/*", "repo": "my-org/*" }] }
 */
export const ForwardConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  endpoint: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, { error: "must be a route name such as forward or hooks/notify" }).optional(),
  destinations: z.array(ForwardEntrySchema).min(1, { error: "list at least one destination" }),
});

export type ForwardEntry = z.infer<typeof ForwardEntrySchema>;
export type ForwardConfig = z.infer<typeof ForwardConfigSchema>;

/** One destination, resolved: its kind, its URL (a secret) and its route filter. */
export interface ResolvedEntry {
  kind: DestinationKind;
  url: string;
  filter: ForwardFilter;
  username?: string;
  secret?: string;
}

/**
 * Validate a parsed `hubhooks.forward.json` and resolve `${VARIABLE}`s: the entries, or one line per mistake
 * (`destinations.1.on: unknown event "repo.contnt.update"; …`), never the value of a variable.
 * @example
 * const r = parseForwardConfig(JSON.parse(text), process.env);
 * if (!r.ok) for (const line of r.errors) console.error(line);
 */
export function parseForwardConfig(
  value: unknown,
  env: Record<string, string | undefined>,
): { ok: true; endpoint: string | undefined; entries: ResolvedEntry[] } | { ok: false; errors: string[] } {
  const parsed = ForwardConfigSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.flatMap(issueLines) };
  }
  const errors: string[] = [];
  const entries = parsed.data.destinations.flatMap((entry, i): ResolvedEntry[] => {
    const where = `destinations.${i}`;
    const url = expand(entry.url ?? `\${${URL_VARIABLES[entry.to]}}`, env, `${where}.url`, errors);
    const secret = entry.secret === undefined ? undefined : expand(entry.secret, env, `${where}.secret`, errors);
    if (entry.username && entry.to !== "discord") errors.push(`${where}.username: only a discord destination has a username`);
    if (entry.secret && entry.to !== "http") errors.push(`${where}.secret: only an http destination sends a secret`);
    if (url === undefined) return [];
    const { to, url: _url, username, secret: _secret, on, ...rest } = entry;
    const filter: ForwardFilter = { ...(on === undefined ? {} : { on: on as EventFilter }), ...rest };
    return [{ kind: to, url, filter, ...(username ? { username } : {}), ...(secret ? { secret } : {}) }];
  });
  return errors.length ? { ok: false, errors } : { ok: true, endpoint: parsed.data.endpoint, entries };
}

/** A zod issue as lines `path: problem`; an unknown key names the keys that exist (a typo is the usual cause). */
function issueLines(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(issue.path.length ? ForwardEntrySchema.shape : ForwardConfigSchema.shape).join(", ");
    return issue.keys.map((key) => `${path ? `${path}.` : ""}${key}: unknown key; use ${known}`);
  }
  return [`${path || "(root)"}: ${issue.message}`];
}

/** `${NAME}` → the variable's value; an unset or empty one is a mistake naming the variable, never a value. */
function expand(text: string, env: Record<string, string | undefined>, where: string, errors: string[]): string | undefined {
  let missing: string | undefined;
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const value = env[name];
    if (!value) missing ??= name;
    return value ?? "";
  });
  if (missing) {
    errors.push(`${where}: the environment variable ${missing} is not set`);
    return undefined;
  }
  return out;
}
