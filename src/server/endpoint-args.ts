import { HubhooksError } from "../errors.js";
import type { EndpointOptions, Handler } from "./endpoint.js";

export type NamedHandler = Handler<any> & { name: string };

/** The arguments of `addWebhook`/`webhookEndpoint`: `(fn)`, `(name, fn?)` or `(name, options, fn?)`. */
export function endpointArgs(
  a: string | NamedHandler,
  b?: EndpointOptions | Handler<any>,
  c?: Handler<any>,
): { name: string; options: EndpointOptions; handler?: Handler<any> } {
  if (typeof a === "function") {
    if (!a.name) {
      throw new HubhooksError(
        "INVALID_ENDPOINT",
        'Cannot name a webhook after an anonymous function: pass a name, e.g. addWebhook("my_hook", handler).',
      );
    }
    return { name: a.name, options: {}, handler: a };
  }
  if (typeof a !== "string") throw new HubhooksError("INVALID_ENDPOINT", "A webhook needs a name or a named function.");
  if (typeof b === "function") return { name: a, options: {}, handler: b };
  return { name: a, options: b ?? {}, handler: c };
}
