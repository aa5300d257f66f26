import type { HubhooksError } from "../errors.js";
import type { DeliverySink, ReceivedDelivery } from "../http/receive.js";
import type { Logger } from "../internal/logger.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { EndpointRegistry } from "./endpoint-registry.js";
import type { Endpoint } from "./endpoint.js";
import type { DeliveryChange } from "./observe-store.js";
import type { ResolvedOptions } from "./options.js";
import type { AfterResponse } from "../http/after-response.js";

/** A verified, parsed and validated delivery on its way to the handlers. */
export interface IncomingDelivery extends ReceivedDelivery<Endpoint> {
  payload: unknown;
  /** How the host keeps running after the answer (a Worker's waitUntil, Next's after), when it said so. */
  afterResponse?: AfterResponse;
}

/**
 * What turns an accepted delivery into a response. The durable dispatcher records it in the delivery log first;
 * the inline one (no database) runs the handler in the request like the Python server.
 */
export interface Dispatcher extends DeliverySink<Endpoint> {
  start(): Promise<void>;
  dispatch(delivery: IncomingDelivery): Promise<Response>;
  /**
   * With a delivery log: record a delivery whose payload failed validation as `invalid` and answer 2xx. Absent
   * (inline): the request gets the validation error (422), as from the Python server.
   */
  quarantine?(delivery: Omit<IncomingDelivery, "payload">, value: unknown, error: HubhooksError): Promise<Response>;
  /** Stop taking work, wait for running handlers up to `graceMs`, then abort them. */
  close(graceMs: number): Promise<void>;
}

/** What building a dispatcher needs from the server. */
export interface DispatcherInput {
  options: ResolvedOptions;
  logger: Logger;
  /** Absent with `database: false`: the inline dispatcher records nothing to count. */
  metrics?: HubhooksMetrics;
  endpoints: EndpointRegistry;
  emit: (change: DeliveryChange) => void;
}
