import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, Option } from "commander";
import { REGISTER_CLEANUP_MODES, resolveRegisterOptions, type RegisterOptions } from "../dev/register-options.js";
import { HubhooksError } from "../errors.js";
import { TUNNEL_PROVIDER_NAMES, type TunnelProviderName } from "../tunnel/open-tunnel.js";
import type { CliIo, SetExit } from "./main.js";
import { registerTypeScript } from "./register-ts.js";
import { isPostgresUrl } from "../store/resolve-database-path.js";
import { envListen } from "../server/env-listen.js";

interface ServeOptions {
  port?: string;
  host?: string;
  secret?: string;
  database?: string;
  dashboardToken?: string;
  share?: boolean;
  provider?: TunnelProviderName | "auto";
  register?: boolean;
  watch?: string[];
  domain?: string[];
  cleanup?: "disable" | "delete";
}

const EXAMPLES = `
Examples:
  $ hubhooks serve app.ts
  $ hubhooks serve app.ts --port 8080 --host 0.0.0.0
  $ WEBHOOK_SECRET=my_secret hubhooks serve app.ts --database ./deliveries.db
  $ hubhooks serve app.ts --dashboard-token "$(openssl rand -hex 16)"
  $ hubhooks serve app.ts --share --provider cloudflared
  $ HF_TOKEN=hf_… hubhooks serve app.ts --share --register --watch model:me/my-model --domain discussion

Flags win over the environment. They are passed to the module through process.env (PORT, WEBHOOK_SECRET,
HUBHOOKS_DATABASE, HUBHOOKS_DASHBOARD_TOKEN), so a module that builds and launches its own WebhooksServer
gets them too. Prefer the WEBHOOK_SECRET variable to --secret: command lines are visible to other users.
--share and --register apply to the endpoints registered with webhookEndpoint() (see also: hubhooks dev).
`;

/**
 * `hubhooks serve <file>`: load a module (.ts or .js, Node 20 and 24) that registers endpoints with
 * `webhookEndpoint`, then launch the implicit server.
 * @example
 * program.addCommand(serveCommand(io, setExit)); // hubhooks serve app.ts --port 8080
 */
export function serveCommand(io: CliIo, _setExit: SetExit): Command {
  return new Command("serve")
    .description("load a module (.ts or .js) that registers webhook endpoints, then start the server")
    .argument("<file>", "module registering endpoints with webhookEndpoint()")
    .option("-p, --port <port>", "port (env PORT, default 7860)")
    .option("-H, --host <host>", "host (env HUBHOOKS_HOST; default 127.0.0.1, 0.0.0.0 in a Space)")
    .option("-s, --secret <secret>", "webhook secret (env WEBHOOK_SECRET)")
    .option(
      "--database <path|url>",
      "SQLite delivery log, :memory:, or a postgres:// URL (env HUBHOOKS_DATABASE; default .hubhooks/hubhooks.db)",
    )
    .option("--dashboard-token <token>", "token for the delivery API and dashboard (env HUBHOOKS_DASHBOARD_TOKEN)")
    .option("--share", "open a public URL (tunnel) so the Hub can reach this machine")
    .addOption(
      new Option("--provider <name>", "tunnel for --share (env HUBHOOKS_TUNNEL, default auto)").choices(["auto", ...TUNNEL_PROVIDER_NAMES]),
    )
    .option("--register", "create or update a Hub webhook for each endpoint's public URL (needs HF_TOKEN)")
    .option("--watch <type:name>", "watched item for --register, e.g. model:me/my-model; repeatable", collect)
    .option("--domain <domain>", "repo or discussion for --register (default both); repeatable", collect)
    .addOption(new Option("--cleanup <mode>", "on stop, disable (default) or delete the registered webhooks").choices(REGISTER_CLEANUP_MODES))
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, opts: ServeOptions) => {
      const path = resolve(io.cwd, file);
      if (!existsSync(path)) throw new HubhooksError("INVALID_OPTIONS", `No such file: ${file}`);
      const port = parsePort(opts.port);
      const { share, register } = shareAndRegister(opts);
      // The server reads its options from process.env when the module creates it, so flags go there first.
      const env = process.env;
      if (port !== undefined) env.PORT = String(port);
      if (opts.secret) env.WEBHOOK_SECRET = opts.secret;
      if (opts.database) {
        // A URL (postgres://, or one no engine takes, refused with a clear message at start) is kept as given: made
        // absolute, `mysql://db/x` became the path <cwd>/mysql:/db/x and a folder named `mysql:` appeared.
        const keep = opts.database === ":memory:" || isPostgresUrl(opts.database) || /^[a-z][a-z0-9+.-]+:/i.test(opts.database);
        env.HUBHOOKS_DATABASE = keep ? opts.database : resolve(io.cwd, opts.database);
      }
      if (opts.dashboardToken) env.HUBHOOKS_DASHBOARD_TOKEN = opts.dashboardToken;
      const host = opts.host || io.env.HUBHOOKS_HOST || undefined;
      envListen(env); // PORT=abc or a garbage HUBHOOKS_HOST: one line naming the variable, before loading the module
      registerTypeScript();
      // Loaded here, not at the top: other commands should not pay for the server's dependencies.
      const { peekImplicitServer } = await import("../server/webhook-endpoint.js");
      stopWithDevParent();
      try {
        await import(pathToFileURL(path).href);
      } catch (error) {
        throw loadError(file, error);
      }
      // A module that builds its own WebhooksServer launches it itself; only the implicit server is ours to start.
      const implicit = peekImplicitServer();
      if (implicit) {
        await implicit.launch({ port, host, share, register });
      } else if (share || register) {
        throw new HubhooksError("INVALID_OPTIONS", `--share and --register apply to webhookEndpoint() endpoints; ${file} launches its own server: pass them to its launch()`);
      } else if (!process.getActiveResourcesInfo().includes("TCPServerWrap")) {
        io.stderr(`hubhooks: note: ${file} registered no endpoint with webhookEndpoint() and has not started a server (yet).\n`);
      }
    });
}

/**
 * Under `hubhooks dev` the app runs in a child with an IPC channel to the dev process. When that channel closes (the
 * dev process ended, even by SIGKILL), the child stops gracefully as on SIGTERM instead of serving on as an orphan.
 */
function stopWithDevParent(): void {
  if (process.env.HUBHOOKS_DEV_CHILD !== "1" || !process.channel) return;
  process.channel.unref(); // the channel alone does not keep the app running
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}

function shareAndRegister(opts: ServeOptions): { share?: true | TunnelProviderName; register?: RegisterOptions } {
  if (opts.provider && !opts.share) throw new HubhooksError("INVALID_OPTIONS", "--provider goes with --share");
  const share = opts.share ? (opts.provider && opts.provider !== "auto" ? opts.provider : true) : undefined;
  if (!opts.register) {
    if (opts.watch || opts.domain || opts.cleanup) {
      throw new HubhooksError("INVALID_OPTIONS", "--watch, --domain and --cleanup go with --register");
    }
    return { share };
  }
  const domains = opts.domain as RegisterOptions["domains"];
  const register: RegisterOptions = { watch: opts.watch ?? [], domains, cleanup: opts.cleanup };
  // Fail on a typo before loading the module and opening a tunnel.
  resolveRegisterOptions(register);
  return { share, register };
}

// No default value: commander would print "(default: [])" in the help.
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid port: ${value} (use 0-65535)`);
  }
  return port;
}

/** One readable line for a module that failed to load; the full text stays in `cause` for `--debug`. */
function loadError(file: string, error: unknown): HubhooksError {
  // The TypeScript loader (strip-types.ts) ends a syntax error's message with "(<path>:<line>:<column>)".
  const syntax = error instanceof SyntaxError ? /^(.*) \((.+):(\d+):(\d+)\)$/.exec(error.message) : null;
  if (syntax) {
    return new HubhooksError("INVALID_OPTIONS", `Cannot compile ${file}:${syntax[3]}:${syntax[4]}: ${syntax[1]}`, { cause: error });
  }
  const message = error instanceof Error ? error.message.replace(/^\[hubhooks\] /, "") : String(error);
  return new HubhooksError("INVALID_OPTIONS", `Cannot load ${file}: ${message}`, { cause: error });
}
