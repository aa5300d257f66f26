import type { InferOutput, StandardSchemaV1 } from "../internal/standard-schema.js";
import type { WebhookPayload } from "../payload/index.js";
import type { Endpoint, EndpointOptions, Handler } from "./endpoint.js";
import type { LaunchInfo, LaunchOptions } from "./webhooks-server.js";
import type { WebhooksServerOptions } from "./options.js";
import { WebhooksServer } from "./webhooks-server.js";

/** An endpoint of the implicit server, with `launch()` to start that server at once. */
export type ImplicitEndpoint = Endpoint & {
  /** Start the implicit server now (instead of when the script's main code has finished). */
  launch(options?: LaunchOptions): Promise<LaunchInfo>;
};

interface ImplicitState {
  server: WebhooksServer;
  autoStart: (() => void) | undefined;
}
const PRESET = Symbol.for("hubhooks.implicitServerPreset");
// Kept on globalThis so that two copies of hubhooks in one process (the CLI's and the user's) share one server.
const KEY = Symbol.for("hubhooks.implicitServer");
const store = globalThis as { [KEY]?: ImplicitState; [PRESET]?: WebhooksServerOptions };

/**
 * Options the implicit server gets when a module first creates it; for tools that load the module, set before
 * loading it: `hubhooks job` passes a silent `print`, as a Job checks no webhook secret and serves nothing.
 */
export function presetImplicitServer(options: WebhooksServerOptions): void {
  store[PRESET] = options;
}

/**
 * The process-wide server behind `webhookEndpoint`, created on first use. Tools such as `hubhooks serve` take it
 * over: calling `launch()` on it cancels the automatic start.
 */
export function getImplicitServer(): WebhooksServer {
  let implicit = store[KEY];
  if (!implicit) {
    const server = new WebhooksServer(store[PRESET]);
    const state: ImplicitState = { server, autoStart: undefined };
    // Like Python's atexit hook: start once the script's main code (and what it awaited) has run.
    const autoStart = () => {
      state.autoStart = undefined;
      void server.launch().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
      });
    };
    state.autoStart = autoStart;
    process.once("beforeExit", autoStart);
    const launch = server.launch.bind(server);
    server.launch = (options?: LaunchOptions) => {
      cancelAutoStart();
      return launch(options);
    };
    store[KEY] = implicit = state;
  }
  return implicit.server;
}

/** The implicit server if a module created one (without creating it). */
export function peekImplicitServer(): WebhooksServer | undefined {
  return store[KEY]?.server;
}

/** Stop the implicit server from starting by itself (the caller launches it). */
export function cancelAutoStart(): void {
  const implicit = store[KEY];
  if (implicit?.autoStart) {
    process.off("beforeExit", implicit.autoStart);
    implicit.autoStart = undefined;
  }
}

/** Forget the implicit server (tests). */
export function resetImplicitServer(): void {
  cancelAutoStart();
  delete store[KEY];
  delete store[PRESET];
}

/**
 * Register an endpoint on one lazily created process-wide server that starts by itself when the script's main code
 * has finished (the Python `webhook_endpoint` decorator).
 * @example
 * webhookEndpoint(async function triggerTraining(payload) { ... });              // POST /webhooks/triggerTraining
 * const hello = webhookEndpoint("say_hello", async () => ({ message: "hello" }));
 * await hello.launch(); // start at once instead
 */
export function webhookEndpoint<S extends StandardSchemaV1>(
  name: string,
  options: EndpointOptions & { schema: S },
  handler?: Handler<InferOutput<S>>,
): ImplicitEndpoint;
export function webhookEndpoint(name: string, options: EndpointOptions, handler?: Handler<WebhookPayload>): ImplicitEndpoint;
export function webhookEndpoint(name: string, handler?: Handler<WebhookPayload>): ImplicitEndpoint;
export function webhookEndpoint(handler: Handler<WebhookPayload> & { name: string }): ImplicitEndpoint;
export function webhookEndpoint(a: any, b?: any, c?: any): ImplicitEndpoint {
  const server = getImplicitServer();
  const endpoint = server.addWebhook(a, b, c) as ImplicitEndpoint;
  endpoint.launch = (options?: LaunchOptions) => server.launch(options);
  return endpoint;
}
