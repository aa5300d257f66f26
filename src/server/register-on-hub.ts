import { join } from "node:path";
import type { RegisterOptions } from "../dev/register-options.js";
import { HubClient } from "../hub/hub-client.js";
import type { Logger } from "../internal/logger.js";

/**
 * Point a Hub webhook at the public endpoint URLs (creating it, or updating the one created last time), with the
 * state kept in `HUBHOOKS_STATE_DIR` (default `.hubhooks/` under the working directory).
 */
export async function registerOnHub(input: {
  options: RegisterOptions;
  env: Record<string, string | undefined>;
  hub: HubClient | undefined;
  urls: string[];
  secret: string | undefined;
  logger: Logger;
  print: (line: string) => void;
}): Promise<{ secret: string; cleanup: () => Promise<void> }> {
  // Loaded on demand: only `--register` needs it.
  const { registerWebhook } = await import("../dev/register-webhook.js");
  return registerWebhook({
    hub: input.hub ?? HubClient.fromEnv(input.env),
    urls: input.urls,
    options: input.options,
    stateDir: input.env.HUBHOOKS_STATE_DIR || join(process.cwd(), ".hubhooks"),
    secret: input.secret,
    logger: input.logger,
    print: input.print,
  });
}
