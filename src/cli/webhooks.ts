import { Command, InvalidArgumentError } from "commander";
import { HubhooksError } from "../errors.js";
import { hfTokenPath } from "../hub/hf-token.js";
import { HubClient, parseWatched, WEBHOOK_DOMAINS, type WatchedItem, type WebhookDomain, type WebhookInfo } from "../hub/index.js";
import { confirm } from "./confirm.js";
import { formatFields, formatTable } from "./format-table.js";
import type { CliIo, SetExit } from "./main.js";
import { redactUrlsInText } from "./display-url.js";

interface FieldOptions {
  watch?: WatchedItem[];
  url?: string;
  domain?: WebhookDomain[];
  secret?: string;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  $ hubhooks webhooks ls                  # with HF_TOKEN set to a token that may manage webhooks
  $ hubhooks webhooks create --watch model:me/my-model --watch org:my-org \\
      --url https://me-bot.hf.space/webhooks/ci --domain repo --secret "$WEBHOOK_SECRET"
  $ hubhooks webhooks update 65f1… --domain repo --domain discussion
  $ hubhooks webhooks disable 65f1…
  $ hubhooks webhooks enable 65f1…        # also what a webhook the Hub suspended needs, once its cause is fixed
  $ hubhooks webhooks replay 65f1… 66a2…  # the Hub sends one logged delivery again (log id from its Activity tab)
  $ hubhooks webhooks delete 65f1… --yes

Uses HF_TOKEN, else the token \`hf auth login\` saved (HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token),
and HF_ENDPOINT for another Hub than https://huggingface.co. Secrets are shown as ***.
`;

/**
 * `hubhooks webhooks ls|info|create|update|enable|disable|replay|delete`: manage your webhooks on the Hub.
 * @example
 * program.addCommand(webhooksCommand(io, setExit)); // hubhooks webhooks ls
 */
export function webhooksCommand(io: CliIo, setExit: SetExit): Command {
  const hub = () => {
    const client = HubClient.fromEnv(io.env, { userAgent: "hubhooks-cli" });
    if (!client.hasToken) {
      const saved = hfTokenPath(io.env);
      throw new HubhooksError(
        "UNAUTHORIZED",
        `No Hugging Face token: run \`hf auth login\` (it saves one${saved ? ` in ${saved}` : ""}) or set HF_TOKEN to a token allowed to manage your webhooks (https://huggingface.co/settings/tokens)`,
      );
    }
    return client;
  };
  const print = (info: WebhookInfo, json: boolean | undefined, heading?: string) =>
    io.stdout(json ? JSON.stringify(masked(info), null, 2) + "\n" : `${heading ? `${heading}\n` : ""}${describe(info)}`);
  const command = new Command("webhooks")
    .description("manage your webhooks on the Hugging Face Hub (HF_TOKEN)")
    .addHelpText("after", EXAMPLES);

  command.addCommand(
    new Command("ls")
      .alias("list")
      .description("list your webhooks")
      .option("--json", "print JSON")
      .addHelpText("after", "\nExamples:\n  $ hubhooks webhooks ls\n  $ hubhooks webhooks ls --json\n")
      .action(async (opts: { json?: boolean }) => {
        const list = await hub().listWebhooks();
        if (opts.json) return io.stdout(JSON.stringify(list.map(masked), null, 2) + "\n");
        if (list.length === 0) return io.stdout("No webhooks.\n");
        const rows = list.map((w) => [w.id, target(w), watched(w), w.domains.join(","), stateLabel(w)]);
        io.stdout(formatTable(["ID", "TARGET", "WATCHED", "DOMAINS", "STATE"], rows));
      }),
  );

  command.addCommand(
    new Command("info")
      .description("show one webhook")
      .argument("<id>", "webhook id")
      .option("--json", "print JSON")
      .addHelpText("after", "\nExamples:\n  $ hubhooks webhooks info 65f1c0ffee0123456789abcd\n")
      .action(async (id: string, opts: { json?: boolean }) => print(await hub().getWebhook(id), opts.json)),
  );

  command.addCommand(
    withFields(new Command("create"))
      .description("create a webhook calling a URL (--url) or triggering a Job (--job-id)")
      .option("--job-id <id>", "trigger this Job instead of calling a URL")
      .addHelpText(
        "after",
        "\nExamples:\n  $ hubhooks webhooks create --watch model:me/my-model --url https://me-bot.hf.space/webhooks/ci\n" +
          "  $ hubhooks webhooks create --watch dataset:me/data --domain repo --job-id 68b0…\n",
      )
      .action(async (opts: FieldOptions & { jobId?: string }) => {
        if (!opts.watch?.length) throw new HubhooksError("INVALID_OPTIONS", "Pass at least one --watch type:name (e.g. --watch model:me/my-model)");
        if (!opts.url === !opts.jobId) throw new HubhooksError("INVALID_OPTIONS", "Pass exactly one of --url or --job-id");
        const info = await hub().createWebhook({
          watched: opts.watch,
          ...(opts.url ? { url: opts.url } : { jobId: opts.jobId }),
          ...(opts.domain ? { domains: opts.domain } : {}),
          ...(opts.secret !== undefined ? { secret: opts.secret } : {}),
        });
        print(info, opts.json, `Created webhook ${info.id}`);
      }),
  );

  command.addCommand(
    withFields(new Command("update"))
      .description("change a webhook; only the fields you pass are sent")
      .argument("<id>", "webhook id")
      .addHelpText("after", "\nExamples:\n  $ hubhooks webhooks update 65f1… --url https://me-bot.hf.space/webhooks/v2\n  $ hubhooks webhooks update 65f1… --watch org:my-org --domain discussion\n")
      .action(async (id: string, opts: FieldOptions) => {
        const changes = {
          ...(opts.watch ? { watched: opts.watch } : {}),
          ...(opts.url !== undefined ? { url: opts.url } : {}),
          ...(opts.domain ? { domains: opts.domain } : {}),
          ...(opts.secret !== undefined ? { secret: opts.secret } : {}),
        };
        if (Object.keys(changes).length === 0) throw new HubhooksError("INVALID_OPTIONS", "Nothing to update: pass --watch, --url, --domain and/or --secret");
        print(await hub().updateWebhook(id, changes), opts.json, `Updated webhook ${id}`);
      }),
  );

  for (const action of ["enable", "disable"] as const) {
    command.addCommand(
      new Command(action)
        .description(action === "enable" ? "re-enable a webhook (e.g. one the Hub suspended)" : "stop a webhook from firing")
        .argument("<id>", "webhook id")
        .option("--json", "print JSON")
        .addHelpText("after", `\nExamples:\n  $ hubhooks webhooks ${action} 65f1c0ffee0123456789abcd\n`)
        .action(async (id: string, opts: { json?: boolean }) => {
          const client = hub();
          const info = action === "enable" ? await client.enableWebhook(id) : await client.disableWebhook(id);
          print(info, opts.json, `${action === "enable" ? "Enabled" : "Disabled"} webhook ${id}`);
        }),
    );
  }

  command.addCommand(
    new Command("replay")
      .description("have the Hub send one logged delivery again (to the webhook's current URL and secret)")
      .argument("<webhookId>", "webhook id")
      .argument("<logId>", "id of the delivery in the webhook's Activity tab on the Hub")
      .option("--json", "print JSON")
      .addHelpText("after", "\nExamples:\n  $ hubhooks webhooks replay 65f1c0ffee0123456789abcd 66a2c0ffee0123456789abcd\n")
      .action(async (id: string, logId: string, opts: { json?: boolean }) => {
        const answer = await hub().replayWebhookLog(id, logId);
        if (opts.json) return io.stdout(JSON.stringify(answer, null, 2) + "\n");
        io.stdout(`Replayed log ${logId} of webhook ${id}: the target answered ${answer.status}\n`);
        if (answer.status < 200 || answer.status > 299) setExit(1);
      }),
  );

  command.addCommand(
    new Command("delete")
      .description("delete a webhook (asks for confirmation unless --yes)")
      .argument("<id>", "webhook id")
      .option("-y, --yes", "do not ask for confirmation")
      .addHelpText("after", "\nExamples:\n  $ hubhooks webhooks delete 65f1c0ffee0123456789abcd\n  $ hubhooks webhooks delete 65f1c0ffee0123456789abcd --yes\n")
      .action(async (id: string, opts: { yes?: boolean }) => {
        const client = hub();
        if (!opts.yes) {
          const answer = await confirm(io, `Delete webhook ${id}?`);
          if (answer === "no-terminal") {
            throw new HubhooksError("INVALID_OPTIONS", `Refusing to delete webhook ${id} without confirmation: no terminal to ask; pass --yes`);
          }
          if (answer === "no") {
            io.stderr("Aborted.\n");
            return setExit(1);
          }
        }
        await client.deleteWebhook(id);
        io.stdout(`Deleted webhook ${id}\n`);
      }),
  );
  return command;
}

function withFields(command: Command): Command {
  return command
    .option("--watch <type:name>", "watched user, org or repo, e.g. model:me/my-model; repeatable", watchArg)
    .option("--url <url>", "URL the Hub calls")
    .option("--domain <domain>", `${WEBHOOK_DOMAINS.join(" or ")} (singular); repeatable`, domainArg)
    .option("--secret <secret>", "sent by the Hub as X-Webhook-Secret")
    .option("--json", "print JSON");
}

// No default value: commander would print "(default: [])" in the help.
function watchArg(value: string, previous: WatchedItem[] = []): WatchedItem[] {
  try {
    return [...previous, parseWatched(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^\[hubhooks\] /, ""));
  }
}

function domainArg(value: string, previous: WebhookDomain[] = []): WebhookDomain[] {
  if (!(WEBHOOK_DOMAINS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`Use ${WEBHOOK_DOMAINS.join(" or ")} (singular).`);
  }
  return previous.includes(value as WebhookDomain) ? previous : [...previous, value as WebhookDomain];
}

// The Hub documents `?secret=` in the webhook URL as an alternative to the secret field: mask it there too.
function masked(info: WebhookInfo): WebhookInfo {
  const out = info.secret ? { ...info, secret: "***" } : { ...info };
  if (typeof out.url === "string") out.url = redactUrlsInText(out.url);
  return out;
}

function target(w: WebhookInfo): string {
  if (w.url) return redactUrlsInText(w.url);
  const job = w.job as { id?: unknown } | undefined;
  return job ? `job ${typeof job.id === "string" ? job.id : JSON.stringify(job)}` : "-";
}

function watched(w: WebhookInfo): string {
  return w.watched.map((item) => `${item.type}:${item.name}`).join(", ") || "-";
}

function describe(w: WebhookInfo): string {
  return formatFields([
    ["id", w.id],
    ["target", target(w)],
    ["watched", watched(w)],
    ["domains", w.domains.join(", ") || "-"],
    ["secret", w.secret ? "*** (set)" : "none"],
    ["state", stateLabel(w) + stateHint(w)],
  ]);
}

/** `enabled`, `disabled`, `suspended`; a `disabled` string the Hub added later is shown with its value. */
function stateLabel(w: WebhookInfo): string {
  const unknown = w.state === "disabled" && typeof w.disabledReason === "string";
  return unknown ? `disabled (${w.disabledReason})` : w.state;
}

function stateHint(w: WebhookInfo): string {
  return w.state === "suspended" ? ` (the Hub stopped it after failed deliveries; fix the cause, then: hubhooks webhooks enable ${w.id})` : "";
}
