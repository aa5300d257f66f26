import { HubhooksError } from "../errors.js";
import type { QueueEndpoint, QueueEndpoints } from "../queue/types.js";
import type { Endpoint } from "./endpoint.js";
import { queueEndpoint, type RunnerDeps } from "./queue-endpoint.js";
import { WEBHOOKS_PREFIX } from "./route-name.js";

/**
 * The endpoints of one server, by route: what the HTTP side looks up, what the dashboard lists, and (through
 * `forQueue`) the queue's view of each, built once per endpoint. Endpoints may be added while the server runs.
 * @example
 * const registry = new EndpointRegistry();
 * registry.add(new Endpoint("train", "/webhooks/train", {}, handler));
 * const queue = new DeliveryQueue({ store, endpoints: registry.forQueue({ logger, clock }) });
 */
export class EndpointRegistry {
  readonly #byRoute = new Map<string, Endpoint>();

  add(endpoint: Endpoint): void {
    if (this.#byRoute.has(endpoint.route)) {
      throw new HubhooksError("DUPLICATE_ENDPOINT", `Webhook ${endpoint.route} already exists.`);
    }
    this.#byRoute.set(endpoint.route, endpoint);
  }

  has(route: string): boolean {
    return this.#byRoute.has(route);
  }

  /** The endpoint at a route (`/webhooks/train`) or name (`train`). */
  get(nameOrRoute: string): Endpoint | undefined {
    return this.#byRoute.get(nameOrRoute.startsWith("/") ? nameOrRoute : WEBHOOKS_PREFIX + nameOrRoute);
  }

  names(): string[] {
    return [...this.#byRoute.values()].map((e) => e.name);
  }

  routes(): string[] {
    return [...this.#byRoute.keys()];
  }

  values(): IterableIterator<Endpoint> {
    return this.#byRoute.values();
  }

  /** The queue's view: each endpoint's limits and runner, built once (an endpoint added later gets its own then). */
  forQueue(deps: RunnerDeps): QueueEndpoints {
    const views = new WeakMap<Endpoint, QueueEndpoint>();
    return {
      get: (name) => {
        const endpoint = this.get(name);
        if (!endpoint) return undefined;
        let view = views.get(endpoint);
        if (!view) views.set(endpoint, (view = queueEndpoint(endpoint, deps)));
        return view;
      },
      names: () => this.names(),
    };
  }
}
