import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, Option } from "commander";
import { findHfToken } from "../hub/hf-token.js";
import { HubhooksError } from "../errors.js";
import type { CliIo, SetExit } from "./main.js";

interface DevOptions {
  port?: string;
  host?: string;
  share: boolean;
  provider?: string;
  register?: boolean;
  watch?: string[];
  domain?: string[];
  cleanup?: "disable" | "delete";
}

const PROVIDERS = ["auto", "relay", "localtunnel", "cloudflared", "ngrok"];

const EXAMPLES = `
Examples:
  $ hubhooks dev app.ts                                   public URL (tunnel), pretty logs, reload on change
  $ hubhooks dev app.ts --no-share --port 8080            local only
  $ hubhooks dev app.ts --provider cloudflared
  $ HF_TOKEN=hf_xxx hubhooks dev app.ts --register --watch model:me/my-model --domain discussion

The app runs as \`hubhooks serve <file> --share\` in a child process, restarted when a source file (.ts, .js,
.json and their variants) in the module's directory changes; node_modules, .hubhooks, dist, .git, logs, databases
and the file this command's output is redirected to are ignored. A tunnel that cannot be reached leaves the app
serving locally while it is retried in the background. With the relay, reloads keep the
channel, so the public URL stays the same. --register creates a Hub webhook per endpoint (or updates the one
it created last time, remembered in .hubhooks/dev-webhooks.json) and disables it when you stop
(--cleanup delete removes it). Without WEBHOOK_SECRET a secret is generated and kept there too.
`;

/**
 * `hubhooks dev <file>`: `serve` with a public URL by default, pretty logs, and a restart on every file change.
 * @example
 * program.addCommand(devCommand(io, setExit)); // hubhooks dev app.ts --register --watch model:me/my-model
 */
export function devCommand(io: CliIo, setExit: SetExit): Command {
  return new Command("dev")
    .description("develop locally: serve a module with a public URL, pretty logs and reload on file change")
    .argument("<file>", "module registering endpoints with webhookEndpoint()")
    .option("-p, --port <port>", "port (env PORT, default 7860)")
    .option("-H, --host <host>", "host (env HUBHOOKS_HOST, default 127.0.0.1)")
    .option("--no-share", "do not open a public tunnel")
    .addOption(new Option("--provider <name>", "tunnel provider (env HUBHOOKS_TUNNEL, default auto)").choices(PROVIDERS))
    .option("--register", "create or update a Hub webhook for each endpoint (needs HF_TOKEN)")
    .option("--watch <type:name>", "watched item for --register, e.g. model:me/my-model, org:acme; repeatable", collect)
    .option("--domain <domain>", "repo or discussion for --register (default both); repeatable", collect)
    .addOption(new Option("--cleanup <mode>", "on stop, disable (default) or delete the webhooks").choices(["disable", "delete"]))
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, opts: DevOptions) => {
      const path = resolve(io.cwd, file);
      if (!existsSync(path)) throw new HubhooksError("INVALID_OPTIONS", `No such file: ${file}`);
      if (opts.port !== undefined && !(/^\d{1,5}$/.test(opts.port) && Number(opts.port) <= 65535)) {
        throw new HubhooksError("INVALID_OPTIONS", `Invalid port: ${opts.port} (use 0-65535)`);
      }
      const { args: serveArgs, provider } = await serveArgsFor(opts, io);
      const env = { ...io.env, LOG_LEVEL: io.env.LOG_LEVEL || "info", HUBHOOKS_PRETTY: io.env.HUBHOOKS_PRETTY ?? "1", ...childColour(io.env) };
      const { startDevSession } = await import("../dev/dev-session.js");
      io.stdout(`[hubhooks dev] watching the source files in ${dirname(path)} for changes; Ctrl-C to stop.\n`);
      const session = startDevSession({
        file: path,
        serveArgs,
        env,
        cwd: io.cwd,
        stdout: io.stdout,
        stderr: io.stderr,
        keepRelayChannel: provider === "relay",
      });
      const stop = () => void session.stop();
      const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
      for (const signal of signals) process.on(signal, stop);
      try {
        setExit(await session.done);
      } finally {
        for (const signal of signals) process.off(signal, stop);
      }
    });
}

/** The `serve` flags the child gets; checks the register flags here so a mistake fails before anything starts. */
async function serveArgsFor(opts: DevOptions, io: CliIo): Promise<{ args: string[]; provider?: string }> {
  const args: string[] = [];
  if (opts.port !== undefined) args.push("--port", opts.port);
  if (opts.host) args.push("--host", opts.host);
  if (!opts.share && opts.provider) throw new HubhooksError("INVALID_OPTIONS", "--provider goes with sharing: drop --no-share");
  if (opts.register) {
    if (!opts.share) {
      throw new HubhooksError("INVALID_OPTIONS", "--register needs a public URL for the Hub to call: drop --no-share");
    }
    const { resolveRegisterOptions } = await import("../dev/register-options.js");
    const options = resolveRegisterOptions({
      watch: opts.watch ?? [],
      domains: opts.domain as ("repo" | "discussion")[] | undefined,
      cleanup: opts.cleanup,
    });
    if (!findHfToken(io.env)) {
      throw new HubhooksError("UNAUTHORIZED", "--register needs a Hugging Face token with write access: run `hf auth login` or set HF_TOKEN", {
        status: 401,
      });
    }
    args.push("--register");
    for (const item of options.watched) args.push("--watch", `${item.type}:${item.name}`);
    for (const domain of options.domains) args.push("--domain", domain);
    args.push("--cleanup", options.cleanup);
  } else if (opts.watch?.length || opts.domain?.length || opts.cleanup) {
    throw new HubhooksError("INVALID_OPTIONS", "--watch, --domain and --cleanup go with --register");
  }
  if (!opts.share) return { args };
  // Chosen once here, so every reload uses the same provider (and, for the relay, the same channel).
  const { chooseTunnelProvider } = await import("../tunnel/open-tunnel.js");
  const provider = (await chooseTunnelProvider({ provider: opts.provider as "auto" | undefined, env: io.env })).name;
  return { args: [...args, "--share", "--provider", provider], provider };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

// The app runs with its stderr piped through this process: it colours its log lines when this one's stderr is a
// terminal (and NO_COLOR is unset), never when dev's output goes to a file.
function childColour(env: Record<string, string | undefined>): { FORCE_COLOR?: string } {
  if (env.FORCE_COLOR !== undefined || env.NO_COLOR !== undefined) return {};
  return process.stderr.isTTY ? { FORCE_COLOR: "1" } : {};
}
