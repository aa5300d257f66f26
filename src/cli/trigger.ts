import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Command } from "commander";
import { HubhooksError } from "../errors.js";
import { getFixture, listFixtures, parseSetValue, setPath } from "../payload/index.js";
import { unreachable } from "./delivery-api.js";
import { formatTable } from "./format-table.js";
import type { CliIo, SetExit } from "./main.js";
import { packageVersion } from "./package-version.js";
import { baseUrlOption, serverUrlFrom } from "./server-url.js";
import { redactUrlsInText } from "./display-url.js";

interface TriggerOptions {
  list?: boolean;
  to?: string;
  endpoint?: string;
  secret?: string;
  repo?: string;
  repoType?: string;
  set?: string[];
  file?: string;
  webhookId?: string;
  wait?: boolean | string;
  token?: string;
}

const EXAMPLES = `
Examples:
  $ hubhooks trigger --list
  $ hubhooks trigger repo.content.update --endpoint ci
  $ hubhooks trigger discussion.comment.create --endpoint bot --repo me/my-model --set comment.content=/retrain
  $ hubhooks trigger bucket.content.update --to http://127.0.0.1:7860/webhooks/sync --secret my_secret
  $ hubhooks trigger --file payload.json --endpoint bot --webhook-id 0123abcd

The target is --to (default HUBHOOKS_URL, else http://127.0.0.1:7860) plus /webhooks/<--endpoint>, or a
full --to URL that already ends in /webhooks/<name>: one of the two must name the endpoint.
Prints the response status and body; exits 1 when the status is not 2xx. A 2xx is what the Hub counts as
delivered, even a 202 whose handler threw (retrying, dead) or whose payload was quarantined (invalid): then a
warning says so. --wait follows the delivery to its final state through the server's delivery API (with --token
or HUBHOOKS_DASHBOARD_TOKEN when the server has one) and exits 0 only when it succeeded or was skipped:
  $ hubhooks trigger repo.content.update --endpoint ci --wait        # a pre-deploy check
  $ hubhooks trigger repo.content.update --endpoint ci --wait 30     # give up after 30 s (default 300)
`;

/**
 * `hubhooks trigger <event>`: POST a realistic Hub payload (a shipped fixture, or `--file`) to a running
 * server, the way the Hub would (`X-Webhook-Secret`, `Webhook-Id`), and print the answer.
 * @example
 * program.addCommand(triggerCommand(io, setExit)); // hubhooks trigger repo.create --endpoint ci
 */
export function triggerCommand(io: CliIo, setExit: SetExit): Command {
  return new Command("trigger")
    .description("send a realistic Hub webhook payload to a running server and print the answer")
    .argument("[event]", "fixture name, e.g. discussion.comment.create (see --list)")
    .option("-l, --list", "list the events (fixtures) you can send")
    .option("--to <url>", "server URL, or a full endpoint URL …/webhooks/<name> (env HUBHOOKS_URL)")
    .option("-e, --endpoint <name>", "endpoint name: POST <url>/webhooks/<name>")
    .option("-s, --secret <secret>", "sent as X-Webhook-Secret (env WEBHOOK_SECRET)")
    .option("--repo <owner/name>", "rewrite repo.name and the URLs derived from it")
    .option("--repo-type <type>", "rewrite repo.type: model, dataset, space, bucket…")
    .option("--set <path=value>", "set a field (JSON value or text), e.g. discussion.num=7; repeatable", collect)
    .option("-f, --file <payload.json>", "send this JSON file instead of a fixture")
    .option("--webhook-id <id>", "Webhook-Id header (default: random, as each Hub delivery has its own)")
    .option("-w, --wait [seconds]", "follow the delivery until it succeeds or fails for good; exit 1 unless it succeeded (default 300 s)")
    .option("--token <token>", "dashboard token for --wait's delivery API (env HUBHOOKS_DASHBOARD_TOKEN)")
    .addHelpText("after", EXAMPLES)
    .action(async (event: string | undefined, opts: TriggerOptions) => {
      if (opts.list) {
        const rows = listFixtures().map((f) => [f.name, f.event, f.description]);
        io.stdout(formatTable(["NAME", "HANDLED AS", "DESCRIPTION"], rows));
        return;
      }
      const { payload, label } = await buildPayload(event, opts, io.cwd);
      const target = targetUrl(opts, io.env);
      const secret = opts.secret || io.env.WEBHOOK_SECRET || undefined;
      const webhookId = opts.webhookId || randomBytes(12).toString("hex");
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": `hubhooks-trigger/${packageVersion()}`,
        "webhook-id": webhookId,
      };
      if (secret) headers["x-webhook-secret"] = secret;
      io.stdout(`POST ${redactUrlsInText(target)}  ${label}  Webhook-Id: ${webhookId}\n`);
      let response: Response;
      try {
        response = await fetch(target, {
          method: "POST",
          headers,
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        throw unreachable(new URL(target).origin, error);
      }
      const body = await response.text();
      io.stdout(`${response.status} ${response.statusText}\n${body}${body.endsWith("\n") || body === "" ? "" : "\n"}`);
      if (!response.ok) return setExit(1);
      const answer = deliveryAnswer(response, body);
      if (opts.wait !== undefined && opts.wait !== false) {
        setExit(await waitForDelivery(answer, target, opts, io));
      } else if (answer.status && WARNINGS[answer.status]) {
        io.stderr(`hubhooks: warning: ${WARNINGS[answer.status]}${answer.error ? ` (${oneLine(answer.error)})` : ""}; the Hub counts this ${response.status} as delivered. --wait follows it and exits 1 unless it succeeds.\n`);
      }
    });
}

// A 2xx whose delivery did not (or not yet) succeed: what the body's `status` says (see "How hubhooks answers the Hub").
const WARNINGS: Record<string, string> = {
  retrying: "the handler failed and a retry is scheduled",
  dead: "the handler failed and no attempt is left (dead)",
  invalid: "the payload failed validation and was quarantined without running (invalid)",
};

interface DeliveryAnswer {
  deliveryId?: string;
  status?: string;
  error?: string;
}

function deliveryAnswer(response: Response, body: string): DeliveryAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const fields = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    deliveryId: response.headers.get("x-hubhooks-delivery") ?? text(fields.deliveryId),
    // Only a 202 (or a duplicate's 200) reports a status; a 200 with the handler's value is a success.
    status: response.status === 202 || fields.duplicate === true ? text(fields.status) : undefined,
    error: text(fields.error),
  };
}

async function waitForDelivery(answer: DeliveryAnswer, target: string, opts: TriggerOptions, io: CliIo): Promise<number> {
  // No delivery id: a server without a delivery log (database: false) ran the handler in the request: done.
  if (!answer.deliveryId) return 0;
  const seconds = opts.wait === true || opts.wait === undefined ? 300 : Number(opts.wait);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new HubhooksError("INVALID_OPTIONS", `--wait takes a number of seconds, got "${String(opts.wait)}"`);
  const { DeliveryApiClient } = await import("./delivery-api.js");
  const { followDelivery } = await import("./follow-delivery.js");
  // The delivery API lives beside the webhooks: <basePath>/api/deliveries for <basePath>/webhooks/<name>.
  const base = new URL(target);
  base.pathname = base.pathname.replace(/\/webhooks\/.*$/, "");
  base.search = "";
  const api = new DeliveryApiClient({ url: base.href.replace(/\/+$/, ""), token: opts.token || io.env.HUBHOOKS_DASHBOARD_TOKEN || undefined });
  return followDelivery(api, answer.deliveryId, { timeoutMs: seconds * 1000, say: (line) => io.stdout(`${line}\n`) });
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

// No default value: commander would print "(default: [])" in the help.
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function buildPayload(
  event: string | undefined,
  opts: TriggerOptions,
  cwd: string,
): Promise<{ payload: Record<string, unknown>; label: string }> {
  const set = Object.fromEntries((opts.set ?? []).map(parseSetFlag));
  if (!opts.file) {
    if (!event) throw new HubhooksError("INVALID_OPTIONS", "Name an event (see hubhooks trigger --list) or pass --file payload.json");
    const payload = getFixture(event, { repo: opts.repo, repoType: opts.repoType, set });
    return { payload: payload as Record<string, unknown>, label: event };
  }
  if (event) throw new HubhooksError("INVALID_OPTIONS", `Give an event or --file, not both (got "${event}" and --file ${opts.file})`);
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(resolve(cwd, opts.file), "utf8"));
  } catch (error) {
    const reason = error instanceof SyntaxError ? "not valid JSON" : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new HubhooksError("INVALID_OPTIONS", `Cannot read --file ${opts.file}: ${reason}`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new HubhooksError("INVALID_OPTIONS", `--file ${opts.file} must hold a JSON object`);
  }
  const record = payload as Record<string, unknown>;
  // Unlike fixtures, a file's URLs are its own: only the two fields are rewritten.
  if (opts.repo) setPath(record, "repo.name", opts.repo);
  if (opts.repoType) setPath(record, "repo.type", opts.repoType);
  for (const [path, value] of Object.entries(set)) setPath(record, path, value);
  const ev = record.event as { scope?: unknown; action?: unknown } | undefined;
  const label = typeof ev?.scope === "string" && typeof ev.action === "string" ? `${ev.scope}.${ev.action}` : opts.file;
  return { payload: record, label };
}

function parseSetFlag(flag: string): [string, unknown] {
  const eq = flag.indexOf("=");
  if (eq <= 0) throw new HubhooksError("INVALID_OPTIONS", `--set expects path=value, got "${flag}"`);
  return [flag.slice(0, eq), parseSetValue(flag.slice(eq + 1))];
}

/** `--to` as is when it names an endpoint (…/webhooks/x), else `<--to>/webhooks/<--endpoint>`. */
function targetUrl(opts: TriggerOptions, env: Record<string, string | undefined>): string {
  const base = baseUrlOption(serverUrlFrom(opts.to, env), opts.to ? "--to" : "HUBHOOKS_URL");
  const named = /\/webhooks\/[^/?#]/.test(new URL(base).pathname);
  if (named && opts.endpoint) {
    throw new HubhooksError("INVALID_OPTIONS", `--to ${redactUrlsInText(base)} already names an endpoint; drop --endpoint ${opts.endpoint}`);
  }
  if (named) return base;
  if (!opts.endpoint) {
    throw new HubhooksError(
      "INVALID_OPTIONS",
      `Which endpoint? Pass --endpoint <name> (POST ${redactUrlsInText(base)}/webhooks/<name>) or a full --to URL ending in /webhooks/<name>`,
    );
  }
  const url = new URL(base);
  const name = opts.endpoint.replace(/^\/+|\/+$/g, "").replace(/^webhooks\//, "");
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/webhooks/${name}`;
  return url.href;
}

