import { Command } from "commander";
import { HubhooksError } from "../errors.js";
import { DeliveryApiClient, type AttemptJson, type DeliveryJson } from "./delivery-api.js";
import { formatFields, formatTable, formatTime } from "./format-table.js";
import type { CliIo, SetExit } from "./main.js";
import { serverUrlFrom } from "./server-url.js";

interface ConnectionOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

interface FilterOptions {
  endpoint?: string;
  status?: string;
  scope?: string;
  repo?: string;
  repoType?: string;
  since?: string;
  until?: string;
}

const EXAMPLES = `
Examples:
  $ hubhooks deliveries ls --status retrying,dead --endpoint ci
  $ hubhooks deliveries show dlv_01jd8x2k9m4n5p6q7r8s9t0v1w
  $ hubhooks deliveries replay dlv_01jd8x2k9m4n5p6q7r8s9t0v1w
  $ hubhooks deliveries replay --all --status dead --repo my-org/
  $ HUBHOOKS_URL=https://me-bot.hf.space HUBHOOKS_DASHBOARD_TOKEN=… hubhooks deliveries ls --json

Talks to a running server's delivery API: --url (env HUBHOOKS_URL, default http://127.0.0.1:7860) with
--token (env HUBHOOKS_DASHBOARD_TOKEN; a server on loopback without a token needs none).
`;

/**
 * `hubhooks deliveries ls|show|replay`: read and replay a running server's delivery log over its API.
 * @example
 * program.addCommand(deliveriesCommand(io, setExit)); // hubhooks deliveries ls --status dead
 */
export function deliveriesCommand(io: CliIo, _setExit: SetExit): Command {
  const client = (opts: ConnectionOptions) =>
    new DeliveryApiClient({
      url: serverUrlFrom(opts.url, io.env),
      token: opts.token || io.env.HUBHOOKS_DASHBOARD_TOKEN || undefined,
    });
  const command = new Command("deliveries")
    .description("list, inspect and replay a running server's deliveries")
    .addHelpText("after", EXAMPLES);

  command.addCommand(
    withFilters(withConnection(new Command("ls").alias("list")))
      .description("list deliveries, newest first")
      .option("-n, --limit <n>", "how many (1-500)", "50")
      .option("--cursor <cursor>", "next page (printed after a full page)")
      .addHelpText("after", "\nExamples:\n  $ hubhooks deliveries ls\n  $ hubhooks deliveries ls --status retrying,dead --scope repo.content --limit 10 --json\n")
      .action(async (opts: ConnectionOptions & FilterOptions & { limit: string; cursor?: string }) => {
        const page = await client(opts).list({ ...filterQuery(opts), limit: opts.limit, cursor: opts.cursor });
        if (opts.json) return io.stdout(JSON.stringify(page, null, 2) + "\n");
        if (page.items.length === 0) io.stdout("No deliveries.\n");
        else io.stdout(formatTable(["ID", "ENDPOINT", "EVENT", "REPO", "STATUS", "ATTEMPTS", "RECEIVED", "DURATION"], page.items.map(row)));
        if (page.nextCursor) io.stdout(`More: hubhooks deliveries ls --cursor ${page.nextCursor}\n`);
      }),
  );

  command.addCommand(
    withConnection(new Command("show"))
      .description("show one delivery: fields, attempt history, payload")
      .argument("<id>", "delivery id (dlv_…)")
      .addHelpText("after", "\nExamples:\n  $ hubhooks deliveries show dlv_01jd8x2k9m4n5p6q7r8s9t0v1w\n  $ hubhooks deliveries show dlv_01jd8x2k9m4n5p6q7r8s9t0v1w --json\n")
      .action(async (id: string, opts: ConnectionOptions) => {
        const answer = await client(opts).get(id);
        if (opts.json) return io.stdout(JSON.stringify(answer, null, 2) + "\n");
        io.stdout(details(answer.delivery, answer.attempts));
      }),
  );

  command.addCommand(
    withFilters(withConnection(new Command("replay")))
      .description("run a delivery again, or (--all) every delivery matching the filters")
      .argument("[id]", "delivery id (dlv_…)")
      .option("--all", "replay every delivery matching the filters (needs --status)")
      .addHelpText("after", "\nExamples:\n  $ hubhooks deliveries replay dlv_01jd8x2k9m4n5p6q7r8s9t0v1w\n  $ hubhooks deliveries replay --all --status dead --endpoint ci\n")
      .action(async (id: string | undefined, opts: ConnectionOptions & FilterOptions & { all?: boolean }) => {
        const api = client(opts);
        if (id && opts.all) throw new HubhooksError("INVALID_OPTIONS", "Give a delivery id or --all, not both");
        if (id) {
          const { delivery } = await api.replay(id);
          if (opts.json) return io.stdout(JSON.stringify({ delivery }, null, 2) + "\n");
          const left = delivery.maxAttempts - delivery.attempts;
          return io.stdout(`Replayed ${delivery.id}: ${delivery.status} (up to ${left} more ${left === 1 ? "attempt" : "attempts"}).\n`);
        }
        if (!opts.all) throw new HubhooksError("INVALID_OPTIONS", "Give a delivery id, or --all with filters (e.g. --all --status dead)");
        // Without a status, --all would re-run every succeeded delivery too.
        if (!opts.status) throw new HubhooksError("INVALID_OPTIONS", "replay --all needs --status (e.g. --status dead or --status retrying,dead)");
        const { replayed, notServed = {} } = await api.replayMatching(definedOnly(filterQuery(opts)));
        if (opts.json) return io.stdout(JSON.stringify({ replayed, notServed }) + "\n");
        io.stdout(`Replayed ${replayed} ${replayed === 1 ? "delivery" : "deliveries"}.\n`);
        const skipped = Object.entries(notServed).map(([endpoint, n]) => `${endpoint} (${n})`);
        if (skipped.length) io.stdout(`Not replayed, this server does not serve: ${skipped.join(", ")}. Replay them from the app that has those endpoints.\n`);
      }),
  );
  return command;
}

function withConnection(command: Command): Command {
  return command
    .option("--url <url>", "server URL (env HUBHOOKS_URL, default http://127.0.0.1:7860)")
    .option("--token <token>", "dashboard token (env HUBHOOKS_DASHBOARD_TOKEN)")
    .option("--json", "print the API's JSON");
}

function withFilters(command: Command): Command {
  return command
    .option("--endpoint <name>", "only this endpoint")
    .option("--status <list>", "comma-separated: queued,running,succeeded,retrying,dead,skipped,invalid")
    .option("--scope <scope>", "event scope, e.g. repo.content")
    .option("--repo <text>", "repo name contains (case-insensitive)")
    .option("--repo-type <type>", "model, dataset, space…")
    .option("--since <time>", "received at or after (ISO date or ms epoch)")
    .option("--until <time>", "received before (ISO date or ms epoch)");
}

function filterQuery(opts: FilterOptions): Record<string, string | undefined> {
  const { endpoint, status, scope, repo, repoType, since, until } = opts;
  return { endpoint, status, scope, repo, repoType, since, until };
}

function definedOnly(query: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
}

function row(d: DeliveryJson): string[] {
  return [d.id, d.endpoint, d.event ?? "-", repoLabel(d), d.status, `${d.attempts}/${d.maxAttempts}`, formatTime(d.receivedAt), ms(d.durationMs)];
}

function details(d: DeliveryJson, attempts: AttemptJson[]): string {
  const fields: [string, string][] = [
    ["id", d.id],
    ["endpoint", d.endpoint],
    ["event", d.event ?? "-"],
    ["repo", repoLabel(d)],
    ["status", d.status],
    ["attempts", `${d.attempts}/${d.maxAttempts}`],
    ["webhook id", d.webhookId ?? "-"],
    ["received", formatTime(d.receivedAt)],
    ["updated", formatTime(d.updatedAt)],
    ["finished", formatTime(d.finishedAt)],
    ["duration", ms(d.durationMs)],
    ["error", d.error ?? "-"],
    // Steps (routes, forward destinations) that succeeded before a failure: a retry does not run them again.
    ...(d.completedSteps?.length ? [["steps done", d.completedSteps.join(", ")] as [string, string]] : []),
    ["result", d.result === undefined || d.result === null ? "-" : JSON.stringify(d.result)],
  ];
  const history = attempts.length
    ? formatTable(
        ["#", "STARTED", "DURATION", "OUTCOME", "ERROR"],
        attempts.map((a) => [String(a.attempt), formatTime(a.startedAt), ms(a.durationMs), a.outcome, a.error ?? ""]),
      )
    : "(none yet)\n";
  return `${formatFields(fields)}\nAttempts:\n${history}\nPayload:\n${JSON.stringify(d.payload, null, 2)}\n`;
}

function repoLabel(d: DeliveryJson): string {
  if (!d.repoName) return "-";
  return d.repoType && d.repoType !== "model" ? `${d.repoType}s/${d.repoName}` : d.repoName;
}

function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : `${value} ms`;
}
