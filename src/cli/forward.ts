import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { HubhooksError } from "../errors.js";
import type { CliIo, SetExit } from "./main.js";

interface ForwardCliOptions {
  to?: string[];
  on?: string[];
  ref?: string[];
  repo?: string[];
  config?: string;
  endpoint?: string;
  port?: string;
  host?: string;
  database?: string;
}

export const CONFIG_FILE = "hubhooks.forward.json";

const EXAMPLES = `
Examples:
  $ hubhooks forward --to discord=$DISCORD_WEBHOOK_URL --on repo.content.update --ref 'refs/tags/*' --repo 'my-org/*'
  $ DISCORD_WEBHOOK_URL=… SLACK_WEBHOOK_URL=… hubhooks forward --to discord --to slack --on discussion
  $ hubhooks forward                       reads ${CONFIG_FILE}: a filter per destination

--to kind (no =URL) reads DISCORD_WEBHOOK_URL, SLACK_WEBHOOK_URL or FORWARD_URL: command lines are visible to other
users, and the URLs are credentials. ${CONFIG_FILE} names them as \${VARIABLE}:
  { "destinations": [
      { "to": "discord", "on": "repo.content.update", "ref": "refs/tags/*" },
      { "to": "slack", "url": "\${SLACK_WEBHOOK_URL}", "on": ["discussion", "discussion.comment"], "repo": "my-org/*" } ] }
Each destination is a durable step: a failing one is retried with backoff and never sends the others twice.
`;

/**
 * `hubhooks forward`: serve one endpoint (`/webhooks/forward`) that forwards deliveries to Discord, Slack or any URL,
 * from `--to` flags or `hubhooks.forward.json`; no code. Config mistakes end as one line each and exit code 1.
 * @example
 * program.addCommand(forwardCommand(io, setExit)); // hubhooks forward --to discord=https://discord.com/api/webhooks/…
 */
export function forwardCommand(io: CliIo, setExit: SetExit): Command {
  return new Command("forward")
    .description("serve an endpoint that forwards Hub events to Discord, Slack or any URL (no code)")
    .option("--to <kind[=url]>", "discord, slack or http, with its URL or from its variable; repeatable", collect)
    .option("--on <event>", "events for the --to destinations (default all), e.g. repo.content.update; repeatable", collect)
    .option("--ref <ref>", "refs for the --to destinations, e.g. 'refs/tags/*'; repeatable", collect)
    .option("--repo <name>", "repos for the --to destinations, e.g. 'my-org/*'; repeatable", collect)
    .option("-c, --config <file>", `destinations with a filter each (default ${CONFIG_FILE} when present)`)
    .option("--endpoint <name>", "the route: /webhooks/<name> (default forward, or the config's endpoint)")
    .option("-p, --port <port>", "port (env PORT, default 7860)")
    .option("-H, --host <host>", "host (env HUBHOOKS_HOST; default 127.0.0.1, 0.0.0.0 in a Space)")
    .option("--database <path|url>", "delivery log (env HUBHOOKS_DATABASE; default .hubhooks/hubhooks.db)")
    .addHelpText("after", EXAMPLES)
    .action(async (opts: ForwardCliOptions) => {
      const { planForward } = await import("./forward-plan.js");
      const configPath = opts.config ?? (existsSync(resolve(io.cwd, CONFIG_FILE)) ? CONFIG_FILE : undefined);
      const config = configPath === undefined ? undefined : readConfig(io.cwd, configPath);
      const plan = await planForward({ to: opts.to ?? [], on: opts.on, ref: opts.ref, repo: opts.repo }, config, io.env);
      if (!plan.ok) {
        for (const line of plan.errors) io.stderr(`hubhooks: ${line}\n`);
        setExit(1);
        return;
      }
      const port = parsePort(opts.port);
      const { WebhooksServer } = await import("../server/webhooks-server.js");
      const app = new WebhooksServer({
        env: io.env,
        print: (line) => io.stdout(`${line}\n`),
        ...(opts.database ? { database: opts.database } : {}),
      });
      const name = opts.endpoint ?? plan.endpoint ?? "forward";
      const endpoint = app.addWebhook(name);
      io.stdout(`Forwarding /webhooks/${name} to:\n`);
      for (const { destination, filter, text } of plan.destinations) {
        endpoint.forward(destination, filter);
        io.stdout(`  - ${destination.label}${text ? ` (${text})` : ""}\n`);
      }
      await app.launch({ ...(port === undefined ? {} : { port }), ...(opts.host ? { host: opts.host } : {}) });
    });
}

/** The config file as JSON, or one line saying why not. */
function readConfig(cwd: string, file: string): { file: string; value: unknown } {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new HubhooksError("INVALID_OPTIONS", `Cannot read ${file}: no such file`);
  }
  try {
    return { file, value: JSON.parse(text) };
  } catch (error) {
    throw new HubhooksError("INVALID_OPTIONS", `${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port < 65536)) throw new HubhooksError("INVALID_OPTIONS", `Invalid port: ${value} (use 0-65535)`);
  return port;
}
