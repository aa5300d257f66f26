import { HubhooksError } from "../errors.js";
import { closestName } from "../internal/closest-name.js";
import { CLI_ENVIRONMENT } from "../server/option-lists.js";

const PREFIX = "HUBHOOKS_";

/**
 * Refuse a `HUBHOOKS_*` variable that is a typo of one hubhooks reads (`HUBHOOKS_DATABSE`), naming the right one:
 * otherwise the setting is dropped without a word and the default applies. A name far from every known one is left
 * alone: other tools (and hubhooks' own tests) may share the prefix.
 * @example
 * checkEnvironment({ HUBHOOKS_DATABSE: "x.db" }); // throws: HUBHOOKS_DATABSE: did you mean HUBHOOKS_DATABASE?
 */
export function checkEnvironment(env: Record<string, string | undefined>): void {
  const known: readonly string[] = CLI_ENVIRONMENT;
  const suffixes = known.map((name) => name.slice(PREFIX.length));
  for (const name of Object.keys(env)) {
    if (!name.startsWith(PREFIX) || known.includes(name)) continue;
    const close = closestName(name.slice(PREFIX.length), suffixes, 2);
    if (close) throw new HubhooksError("INVALID_OPTIONS", `${name}: did you mean ${PREFIX}${close}? (environment variable)`);
  }
}
