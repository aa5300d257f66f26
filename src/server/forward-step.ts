import { HubhooksError } from "../errors.js";
import type { Destination } from "../forward/destination.js";
import type { Handler, HandlerContext } from "./endpoint.js";

/** Per attempt: what each forward step did, so the stored result lists every destination, not only the last. */
const outcomes = new WeakMap<HandlerContext, Record<string, string>>();

/**
 * The step name of a forward route: `forward:<route index>:<redacted label>` (never the URL).
 * @example
 * forwardStepName(1, discord(url)); // "forward:1:discord:…/1234"
 */
export function forwardStepName(index: number, destination: Destination): string {
  return `forward:${index}:${destination.label}`;
}

/**
 * The handler of `endpoint.forward(destination)`: send the delivery, and return `{ forwarded: { label: outcome } }`
 * for every destination of this delivery (steps done in earlier attempts read "sent in an earlier attempt").
 * @example
 * const handler = forwardHandler(discord(url));
 */
export function forwardHandler(destination: Destination): Handler<any> {
  if (typeof destination !== "object" || destination === null || typeof destination.send !== "function" || typeof destination.label !== "string") {
    throw new HubhooksError("INVALID_OPTIONS",
      'forward() takes a destination from "hubhooks/forward": forward(discord(url)), forward(slack(url)) or forward(http(url)).');
  }
  return async (payload, ctx) => {
    const outcome = await destination.send(payload, {
      webhookId: ctx.webhookId, signal: ctx.signal, deliveryId: ctx.deliveryId, event: ctx.event.key, rawBody: ctx.rawBody,
    });
    let all = outcomes.get(ctx);
    if (!all) {
      all = {};
      for (const step of ctx.completedSteps) {
        if (step.startsWith("forward:")) all[step.split(":").slice(2).join(":")] = "sent in an earlier attempt";
      }
      outcomes.set(ctx, all);
    }
    all[destination.label] = outcome.sent ? `sent (${outcome.status})` : `skipped: ${outcome.skipped}`;
    return { forwarded: { ...all } };
  };
}
