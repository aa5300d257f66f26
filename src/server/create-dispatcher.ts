import { systemClock } from "../internal/clock.js";
import type { DeliveryStore } from "../store/types.js";
import type { Dispatcher, DispatcherInput } from "./dispatcher.js";
import { InlineDispatcher } from "./inline-dispatcher.js";
import { Telemetry } from "../telemetry/telemetry.js";

export type { DispatcherInput };

/**
 * The dispatcher the options ask for: inline with `database: false`, else the delivery log (opened and migrated)
 * with its queue started. Every write to the log is announced through `emit`. The log's half loads only for a log:
 * the inline half imports nothing Node-only, so it runs in Workers and the Edge runtime.
 */
export async function createDispatcher(input: DispatcherInput): Promise<{ dispatcher: Dispatcher; store?: DeliveryStore }> {
  const o = input.options;
  if (o.database === false) {
    const dispatcher = new InlineDispatcher({
      endpoints: input.endpoints, logger: input.logger, clock: o.clock ?? systemClock, secrets: o.secrets, telemetry: new Telemetry(o.tracerProvider),
      ...(o.hub ? { hub: o.hub } : {}),
    });
    await dispatcher.start();
    return { dispatcher };
  }
  const { createDurableDispatcher } = await import("./create-durable-dispatcher.js");
  return createDurableDispatcher(input);
}
