import { systemClock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { DeliveryChange } from "./observe-store.js";
import type { DeliveryStore } from "../store/types.js";
import type { Dispatcher } from "./dispatcher.js";
import type { EndpointRegistry } from "./endpoint-registry.js";
import { InlineDispatcher } from "./inline-dispatcher.js";
import type { ResolvedOptions } from "./options.js";
import { Telemetry } from "../telemetry/telemetry.js";

/** What building a dispatcher needs from the server. */
export interface DispatcherInput {
  options: ResolvedOptions;
  logger: Logger;
  /** Absent with `database: false`: the inline dispatcher records nothing to count. */
  metrics?: HubhooksMetrics;
  endpoints: EndpointRegistry;
  emit: (change: DeliveryChange) => void;
}

/**
 * The dispatcher the options ask for: inline with `database: false`, else the delivery log (opened and migrated)
 * with its queue started. Every write to the log is announced through `emit`. The log's half loads only for a log:
 * the inline half imports nothing Node-only, so it runs in Workers and the Edge runtime.
 */
export async function createDispatcher(input: DispatcherInput): Promise<{ dispatcher: Dispatcher; store?: DeliveryStore }> {
  const o = input.options;
  if (o.database === false) {
    const dispatcher = new InlineDispatcher({
      logger: input.logger, clock: o.clock ?? systemClock, secrets: o.secrets, telemetry: new Telemetry(o.tracerProvider),
      ...(o.hub ? { hub: o.hub } : {}),
    });
    await dispatcher.start();
    return { dispatcher };
  }
  const { createDurableDispatcher } = await import("./create-durable-dispatcher.js");
  return createDurableDispatcher(input);
}
