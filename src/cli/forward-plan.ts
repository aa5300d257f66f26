import { discord, http, slack, type Destination } from "../forward.js";
import { DESTINATION_KINDS, parseForwardConfig, URL_VARIABLES, type DestinationKind, type ResolvedEntry } from "../forward/forward-config.js";
import type { ForwardFilter } from "../server/endpoint.js";

/** The flags of `hubhooks forward` that make destinations. */
export interface ForwardFlags {
  to: string[];
  on?: string[];
  ref?: string[];
  repo?: string[];
}

export interface PlannedDestination {
  destination: Destination;
  filter: ForwardFilter;
  /** The filter for people: `on repo.content.update, ref refs/tags/*`. */
  text: string;
}

export type ForwardPlan =
  | { ok: true; endpoint: string | undefined; destinations: PlannedDestination[] }
  | { ok: false; errors: string[] };

/**
 * The destinations of `hubhooks forward` from its flags and config file, or every mistake as its own line (the
 * config's prefixed with the file name). Never repeats a URL.
 * @example
 * await planForward({ to: ["discord"] }, undefined, { DISCORD_WEBHOOK_URL: "https://discord.com/api/webhooks/1/t" });
 */
export async function planForward(
  flags: ForwardFlags,
  config: { file: string; value: unknown } | undefined,
  env: Record<string, string | undefined>,
): Promise<ForwardPlan> {
  const errors: string[] = [];
  const entries: (ResolvedEntry & { where: string })[] = [];
  const filter: ForwardFilter = {
    ...(flags.on?.length ? { on: flags.on.length === 1 ? flags.on[0] : flags.on } : {}),
    ...(flags.ref?.length ? { ref: flags.ref } : {}),
    ...(flags.repo?.length ? { repo: flags.repo } : {}),
  } as ForwardFilter;
  if (!flags.to.length && Object.keys(filter).length) errors.push("--on, --ref and --repo filter the --to destinations: add --to (or give each destination of the config file its own filter)");
  if (flags.to.length) {
    const checked = parseForwardConfig({ destinations: flags.to.map((to) => toEntry(to, filter)) }, env);
    if (!checked.ok) errors.push(...checked.errors.map((e) => flagError(e, flags.to)));
    else entries.push(...checked.entries.map((e, i) => ({ ...e, where: `--to ${flags.to[i]!.split("=")[0]}` })));
  }
  let endpoint: string | undefined;
  if (config) {
    const checked = parseForwardConfig(config.value, env);
    if (!checked.ok) errors.push(...checked.errors.map((e) => `${config.file}: ${e}`));
    else {
      endpoint = checked.endpoint;
      entries.push(...checked.entries.map((e, i) => ({ ...e, where: `${config.file}: destinations.${i}.url` })));
    }
  }
  if (!errors.length && !entries.length) {
    errors.push("nothing to forward to: pass --to discord=URL (or --to discord with DISCORD_WEBHOOK_URL set), or write hubhooks.forward.json");
  }
  const destinations: PlannedDestination[] = [];
  for (const entry of entries) {
    try {
      destinations.push({ destination: make(entry), filter: entry.filter, text: describe(entry.filter) });
    } catch (error) {
      errors.push(`${entry.where}: ${(error as Error).message.replace(/^\[hubhooks\] /, "")}`);
    }
  }
  return errors.length ? { ok: false, errors: [...new Set(errors)] } : { ok: true, endpoint, destinations };
}

/** `discord=https://…` or `discord` (its variable) as a config entry; an unknown kind stays for the schema to name. */
function toEntry(to: string, filter: ForwardFilter): Record<string, unknown> {
  const eq = to.indexOf("=");
  const kind = eq < 0 ? to : to.slice(0, eq);
  const url = eq < 0 ? undefined : to.slice(eq + 1);
  return { to: kind, ...(url !== undefined ? { url } : {}), ...filter };
}

/** A schema mistake about `destinations.N.x` said in terms of the flag the user typed. */
function flagError(error: string, to: string[]): string {
  const m = /^destinations\.(\d+)\.?(\w*)[.\d]*: (.*)$/.exec(error);
  if (!m) return error;
  const flag = to[Number(m[1])]!.split("=")[0]!;
  const field = m[2];
  if (field === "to") return `--to ${flag}: unknown destination; use ${DESTINATION_KINDS.map((k) => `${k}=URL`).join(", ")}`;
  if (field === "url") {
    const kind = flag as DestinationKind;
    return `--to ${flag}: no URL: write --to ${flag}=URL or set ${URL_VARIABLES[kind] ?? "its variable"}`;
  }
  return `--${field}: ${m[3]}`;
}

function make(entry: ResolvedEntry): Destination {
  if (entry.kind === "discord") return discord(entry.url, entry.username ? { username: entry.username } : {});
  if (entry.kind === "slack") return slack(entry.url);
  return http(entry.url, entry.secret ? { secret: entry.secret } : {});
}

function describe(filter: ForwardFilter): string {
  return Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join("; ");
}
