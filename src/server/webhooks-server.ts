import type { Server } from "node:http";
import type { Hono } from "hono";
import { HubhooksError, httpErrorResponse, jsonResponse } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import { defaultLogger } from "../internal/default-logger.js";
import type { InferOutput, StandardSchemaV1 } from "../internal/standard-schema.js";
import { receive, type ReceiveDeps } from "../http/receive.js";
import { nodeReceivedHeaders, receivedHeaders, type NodeHeaders } from "../http/received-headers.js";
import type { BodySource } from "../http/read-body.js";
import { withAccessLog } from "../http/access-log.js";
import type { WebhookPayload } from "../payload/index.js";
import { baseUrl, readyBanner, secretBanner } from "./banner.js";
import { logExpected } from "../internal/log-expected.js";
import type { Dispatcher } from "./dispatcher.js";
import { Endpoint, type EndpointOptions, type Handler } from "./endpoint.js";
import { EndpointRegistry } from "./endpoint-registry.js";
import type { DurableDispatcher } from "./durable-dispatcher.js";
import { endpointArgs, type NamedHandler } from "./endpoint-args.js";
import type { TestEventResult } from "./send-test-event.js";
import { readiness } from "./readiness.js";
import { isLoopbackHost } from "../http/dashboard-access.js";
import { systemClock } from "../internal/clock.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { DeliveryStore } from "../store/types.js";
import type { TunnelProviderName } from "../tunnel/open-tunnel.js";
import type { Tunnel } from "../tunnel/types.js";
import { ShareTunnel } from "./share-tunnel.js";
import type { RegisterOptions } from "../dev/register-options.js";
import type { DeliveryChange } from "./observe-store.js";
import { decodedPath, invalidHostResponse, isAuthority, metricsUnavailable, mountedRequest, nodeHeadersOf, storeUnavailable, type NodeEnv } from "./request-helpers.js";
import type { HubWebhookHealth, HubWebhookState } from "./hub-webhook-health.js";
import { normalizePrefix, resolveOptions, type ResolvedOptions, type WebhooksServerOptions } from "./options.js";
import { endpointRoute, WEBHOOKS_PREFIX } from "./route-name.js";
import { checkOptions } from "./check-options.js";

/** Where to listen. Defaults come from the server options, `PORT` and `SPACE_ID`. */
export interface LaunchOptions {
  port?: number;
  host?: string;
  /**
   * Open a public URL so the Hub can reach this machine (ignored inside a Space): `true`/`"auto"` picks a provider
   * (ngrok with NGROK_AUTHTOKEN, cloudflared on PATH, else a smee.io relay), or name one.
   */
  share?: boolean | TunnelProviderName | "auto";
  /** With `share` and `HF_TOKEN`: create (or update) a Hub webhook pointing at each public endpoint URL. */
  register?: RegisterOptions;
}

/** What `launch()` resolves with. */
export interface LaunchInfo {
  /** The base URL to give the Hub: `https://$SPACE_HOST`, else the public URL, else the local one. */
  url: string;
  localUrl: string;
  publicUrl?: string;
  port: number;
  host: string;
  /** Full URL of every endpoint. */
  endpoints: string[];
}


/**
 * A server that receives Hugging Face Hub webhooks: the TypeScript counterpart of `huggingface_hub.WebhooksServer`.
 * At its core it is a web-standard `fetch(Request) => Response` handler (`app.fetch`), mountable in any framework;
 * `launch()` serves it on Node.
 * @example
 * const app = new WebhooksServer({ webhookSecret: "my_secret_key" });
 * app.addWebhook("say_hello", () => ({ message: "hello" }));
 * const info = await app.launch();   // POST http://127.0.0.1:7860/webhooks/say_hello
 * await app.close();
 */
export class WebhooksServer {
  readonly #options: ResolvedOptions;
  readonly #logger: Logger;
  readonly #endpoints = new EndpointRegistry();
  #apps?: Promise<{ main: Hono; dashboard?: Hono }>;
  #metrics?: HubhooksMetrics;
  readonly #listeners = new Set<(change: DeliveryChange) => void>();
  #dispatcher?: Dispatcher;
  #ready?: Promise<Dispatcher>;
  #store?: DeliveryStore;
  /** Where the delivery log is, once known (banner, dashboard); see delivery-log-label.ts. */
  #deliveryLog?: string;
  readonly #inFlight = new Set<Promise<unknown>>();
  #server?: Server;
  #info?: LaunchInfo;
  #launching?: Promise<LaunchInfo>;
  #closing?: Promise<void>;
  #removeSignalHandlers: () => void = () => {};
  #tunnel?: Tunnel;
  #share?: ShareTunnel;
  #unregister?: () => Promise<void>;
  #stopServer?: (server: Server, waitForRequests: Promise<void>) => Promise<void>;
  #reopen?: ReturnType<typeof setTimeout>;
  #health?: HubWebhookHealth;
  #hubWatched = false;
  /** Set by the first request: from then on `basePath` is fixed (see `mountAt`). */
  #served = false;
  #deps?: ReceiveDeps;

  constructor(options: WebhooksServerOptions = {}) {
    this.#options = resolveOptions(options);
    this.#logger = this.#options.logger ?? defaultLogger({ level: this.#options.env.LOG_LEVEL, pretty: this.#options.prettyLogs });
    for (const line of secretBanner(this.#options.secrets.length > 0)) this.#options.print(line);
  }

  // The dashboard, API and landing page (hono, the views, the fixtures) load on the first request for them: a
  // serverless function that only receives webhooks never pays for them.
  #routeApps(): Promise<{ main: Hono; dashboard?: Hono }> {
    this.#apps ??= import("./app-routes.js").then(({ appRoutes }) => {
      const o = this.#options;
      const deps = {
        ui: o.ui,
        durable: o.database !== false,
        store: () => this.#store,
        clock: o.clock ?? systemClock,
        token: o.dashboardToken,
        exposed: () => this.#exposed,
        origins: () => this.#ownOrigins(),
        notify: () => this.queue?.notify(),
        render: async () => {
          const metrics = await this.#loadMetrics();
          return { body: await metrics.render(), contentType: metrics.contentType };
        },
        routes: () => this.routes,
        endpoints: () => this.#endpoints.names(),
        landingInfo: (origin: string) => this.landingInfo(origin),
        inSpace: o.inSpace,
        onDeliveryChange: (listener: (change: DeliveryChange) => void) => this.onDeliveryChange(listener),
        sendTestEvent: (route: string, payload: unknown) => this.sendTestEvent(route, payload),
        logger: this.#logger,
        redact: () => this.#options.secrets,
        readiness: () => this.#readiness(),
      };
      if (o.dashboard === false) return { main: appRoutes({ ...deps, parts: "public" }) };
      if (o.dashboard === "") {
        const baseHref = o.basePath ? o.basePath + (o.ui ? "/dashboard" : "/") : undefined;
        return { main: appRoutes({ ...deps, ...(baseHref ? { baseHref } : {}) }) };
      }
      return {
        main: appRoutes({ ...deps, parts: "public" }),
        dashboard: appRoutes({ ...deps, parts: "dashboard", baseHref: `${o.basePath}${o.dashboard}/` }),
      };
    });
    return this.#apps;
  }

  #readiness() {
    const o = this.#options;
    return readiness({ durable: o.database !== false, start: () => this.#start(), store: () => this.#store,
      workersRunning: () => this.queue?.accepting ?? false, shuttingDown: () => !!this.#closing, logger: this.#logger });
  }

  /** Without a token: refuse the dashboard data unless configured or launched as reachable only from here. */
  get #exposed(): boolean {
    return this.#options.exposed ?? (this.#info ? !isLoopbackHost(this.#info.host) : false);
  }

  /** The origins this server knows as its own: configured, the Space's, the tunnel's and the launch URL. */
  #ownOrigins(): string[] {
    const origins = [...this.#options.publicOrigins];
    if (this.#options.spaceHost) origins.push(`https://${this.#options.spaceHost}`);
    if (this.#tunnel) origins.push(new URL(this.#tunnel.publicUrl).origin);
    if (this.#info) origins.push(this.#info.localUrl);
    return origins;
  }

  async #loadMetrics(): Promise<HubhooksMetrics> {
    if (this.#metrics) return this.#metrics;
    try {
      const { HubhooksMetrics } = await import("../metrics/metrics.js");
      return (this.#metrics ??= new HubhooksMetrics(this.#options.metrics));
    } catch (error) {
      throw metricsUnavailable(error);
    }
  }

  /** The structured logger handlers' child loggers derive from. */
  get logger(): Logger {
    return this.#logger;
  }

  /** The path every route lives under (`basePath`), `""` at the root. */
  get basePath(): string {
    return this.#options.basePath;
  }

  /**
   * Mount the app at `path` for an adapter that names its path (octokit's `createNodeMiddleware(app, { path })`):
   * sets `basePath` when none is set, before the first request (routes, the dashboard's links and printed URLs are
   * built from it); a different `basePath` already set is refused, naming both.
   * @example
   * const hooks = new WebhooksServer();
   * hooks.mountAt("/hooks", "createNodeMiddleware()"); // hooks.basePath === "/hooks"
   */
  mountAt(path: string, by: string): void {
    const clean = normalizePrefix(path, `${by} path`);
    const current = this.#options.basePath;
    if (clean === current) return;
    if (current !== "") {
      throw new HubhooksError(
        "INVALID_OPTIONS",
        `${by}: path "${clean}" differs from the server's basePath "${current}"; use one of them (basePath: "${clean}" in new WebhooksServer(), or path: "${current}").`,
      );
    }
    if (this.#served) {
      throw new HubhooksError("INVALID_OPTIONS", `${by}: path "${clean}" comes after the server answered requests at "/": pass basePath: "${clean}" to new WebhooksServer().`);
    }
    this.#options.basePath = clean;
  }

  /** Routes of the registered endpoints (inside `basePath`), e.g. `["/webhooks/say_hello"]`. */
  get routes(): string[] {
    return this.#endpoints.routes();
  }

  /** Prometheus metrics of this server (also served at `/metrics`), once started or first scraped. */
  get metrics(): HubhooksMetrics | undefined {
    return this.#metrics;
  }

  /** The delivery log, once started (undefined with `database: false`). */
  get store(): DeliveryStore | undefined {
    return this.#store;
  }

  /**
   * Listen to changes of the delivery log made by this process (recorded, claimed, settled, replayed).
   * Returns a function that stops listening.
   */
  onDeliveryChange(listener: (change: DeliveryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The durable queue, once started (tests call `queue.drain()` / `queue.tick()`). */
  get queue() {
    return (this.#dispatcher as Partial<DurableDispatcher> | undefined)?.queue;
  }

  /**
   * Open the delivery log (migrating it) and start the workers. `launch()` calls it; when you mount `app.fetch` in
   * another app, call it at boot: retries left by a previous run resume at once, without waiting for a request
   * (otherwise the first request starts it). Resolves once the queue runs.
   * @example
   * const app = new WebhooksServer({ basePath: "/api/hooks" });
   * await app.start();
   */
  start(): Promise<void> {
    // Mounted, the endpoints' public URLs are known only from publicUrl or a Space: else no Hub webhook can match.
    return this.#start().then(() => (this.#options.spaceHost || this.#options.publicOrigins.length ? this.#watchHub() : undefined));
  }

  #start(): Promise<Dispatcher> {
    // The log's engine, the queue and the metrics load here, not when "hubhooks" is imported.
    // Without a log, neither prom-client nor the log's label (node:fs) loads at start: Workers and the Edge runtime.
    const durable = this.#options.database !== false;
    this.#ready ??= Promise.all([import("./create-dispatcher.js"), durable ? this.#loadMetrics() : undefined, durable ? import("./delivery-log-label.js") : undefined]).then(([{ createDispatcher }, metrics, label]) => {
      this.#deliveryLog = label?.deliveryLogLabel(this.#options);
      return createDispatcher({
        options: this.#options,
        logger: this.#logger,
        metrics,
        endpoints: this.#endpoints,
        emit: (change) => {
          for (const listener of this.#listeners) listener(change);
        },
      });
    }).then(
      ({ dispatcher, store }) => {
        this.#dispatcher = dispatcher;
        this.#store = store;
        return dispatcher;
      },
      (error: unknown) => {
        // Not cached: the next request (or launch) tries again, e.g. once the disk has room or the lock is gone.
        this.#ready = undefined;
        throw storeUnavailable(error);
      },
    );
    return this.#ready;
  }

  /** Set once `launch()` resolved. */
  get info(): LaunchInfo | undefined {
    return this.#info;
  }

  /**
   * Register an endpoint at `/webhooks/<name>`. The name defaults to the function's name. Works before and after
   * `launch()`. Returns the endpoint, whose `.on(event, handler)` adds typed event routes.
   * @example
   * app.addWebhook(async function triggerTraining(payload) { ... });       // POST /webhooks/triggerTraining
   * app.addWebhook("bot").on("discussion.comment.create", (p) => p.comment.content);
   * app.addWebhook("typed", { schema: MyZodSchema }, (p) => p.myField);
   */
  addWebhook<S extends StandardSchemaV1>(
    name: string,
    options: EndpointOptions & { schema: S },
    handler?: Handler<InferOutput<S>>,
  ): Endpoint;
  addWebhook(name: string, options: EndpointOptions, handler?: Handler<WebhookPayload>): Endpoint;
  addWebhook(name: string, handler?: Handler<WebhookPayload>): Endpoint;
  addWebhook(handler: NamedHandler): Endpoint;
  addWebhook(
    a: string | NamedHandler,
    b?: EndpointOptions | Handler<any>,
    c?: Handler<any>,
  ): Endpoint {
    const { name, options, handler } = endpointArgs(a, b, c);
    const { name: clean, route, warning } = endpointRoute(name);
    if (warning) this.#logger.warn(warning);
    const endpoint = new Endpoint(clean, route, options, handler, this.#options.database === false);
    this.#endpoints.add(endpoint);
    if (this.#info) this.#options.print(`Webhook added: POST ${this.#urlOf(route)}`);
    return endpoint;
  }

  /** The endpoint at a route or name, if registered. */
  endpoint(nameOrRoute: string): Endpoint | undefined {
    return this.#endpoints.get(nameOrRoute);
  }

  /**
   * The web-standard handler: mount it in Hono, Express (via an adapter), Next.js route handlers, Bun or Deno.
   * Never throws: every failure becomes a JSON error response.
   */
  fetch = withAccessLog(() => this.#logger, async (request: Request, env?: NodeEnv): Promise<Response> => {
    const work = this.#handle(request, env);
    this.#inFlight.add(work);
    try {
      return await work;
    } catch (error) {
      this.#logger.error({ err: error }, "unexpected error");
      return httpErrorResponse(error, this.#options.secrets);
    } finally {
      this.#inFlight.delete(work);
    }
  });

  async #handle(request: Request, env?: NodeEnv): Promise<Response> {
    this.#served = true;
    // A Host that is no URL authority (`Host: x y`) is refused before anything is recorded: nothing built from it
    // could be rebuilt later, and no route trusts it.
    const badHost = invalidHostResponse(request);
    if (badHost) return badHost;
    const url = new URL(request.url);
    const full = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const { basePath, dashboard } = this.#options;
    if (basePath && full !== basePath && !full.startsWith(`${basePath}/`)) {
      return jsonResponse({ error: `Not found: ${url.pathname} (this app is mounted at ${basePath}).` }, 404);
    }
    const path = full.slice(basePath.length) || "/";
    if (path.startsWith(WEBHOOKS_PREFIX)) {
      return this.#webhook(request, url, decodedPath(path), env);
    }
    if (this.#options.database !== false && path !== "/healthz" && path !== "/readyz") await this.#start();
    const apps = await this.#routeApps();
    const inDashboard = !!apps.dashboard && (path === dashboard || path.startsWith(`${dashboard}/`));
    const prefix = basePath + (inDashboard ? dashboard : "");
    const app = inDashboard ? apps.dashboard! : apps.main;
    return app.fetch(prefix ? mountedRequest(request, url, prefix) : request);
  }

  async #webhook(request: Request, url: URL, path: string, env?: NodeEnv): Promise<Response> {
    const endpoint = this.#endpoints.get(path);
    if (!endpoint) return jsonResponse({ error: `No webhook endpoint at ${path}.` }, 404);
    if (request.method !== "POST") {
      return jsonResponse({ error: `Method ${request.method} not allowed: webhooks accept POST.` }, 405, {
        allow: "POST",
      });
    }
    return receive(request, url, endpoint, await this.#receiveDeps(), receivedHeaders(request, nodeHeadersOf(request, url, env)));
  }

  /** What the receive path needs: built once the dispatcher is up, then the same object for every request. */
  async #receiveDeps(): Promise<ReceiveDeps> {
    if (this.#deps) return this.#deps;
    const dispatcher = await this.#start();
    // `secrets` is the options' own array (a registration adds to it in place), so the cached object sees it.
    return (this.#deps ??= {
      secrets: this.#options.secrets,
      bodyLimit: this.#options.bodyLimit,
      dispatcher,
      logger: this.#logger,
      onInvalid: (name, reason) => this.#metrics?.invalid(name, reason),
    });
  }

  /**
   * The Node fast path's way in (`launch()` and `createNodeMiddleware`, src/node/node-listener.ts): a POST to a
   * registered endpoint, read from Node's parsed request line and headers and a body reader, without a web
   * `Request`. Undefined for every other request (another method, route or host, a URL in absolute form), which
   * then goes through {@link fetch} and is answered exactly as there. `secure`: the request came over TLS. The
   * promise never rejects.
   * @internal
   */
  nodeWebhook(
    method: string | undefined,
    rawUrl: string,
    headers: NodeHeaders,
    body: BodySource,
    secure = false,
  ): Promise<Response> | undefined {
    if (method !== "POST" || rawUrl.charCodeAt(0) !== 47 /* "/" */) return undefined;
    const host = headers.host;
    if (typeof host !== "string" || !isAuthority(host)) return undefined;
    // The scheme as @hono/node-server sets it for the web path (a TLS socket → https): the stored URL must agree.
    const url = URL.parse(`${secure ? "https" : "http"}://${host}${rawUrl}`);
    // A path the URL parser rewrites (dot segments, backslashes, a fragment…) takes the general path.
    if (!url || url.hash || !rawUrl.startsWith(url.pathname) || rawUrl.length !== url.pathname.length + url.search.length) return undefined;
    const full = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const { basePath } = this.#options;
    if (basePath && !full.startsWith(`${basePath}/`)) return undefined;
    const path = full.slice(basePath.length);
    if (!path.startsWith(WEBHOOKS_PREFIX)) return undefined;
    const endpoint = this.#endpoints.get(decodedPath(path));
    if (!endpoint) return undefined;
    const work = this.#receiveDeps().then((deps) => receive(body, url, endpoint, deps, nodeReceivedHeaders(headers))).catch((error: unknown) => {
      this.#logger.error({ err: error }, "unexpected error");
      return httpErrorResponse(error, this.#options.secrets);
    });
    this.#inFlight.add(work);
    void work.then(() => this.#inFlight.delete(work));
    return work;
  }

  /**
   * Send a payload through an endpoint exactly as the Hub would (with the secret and a `Webhook-Id`), in-process.
   * The dashboard's "Send test event" uses it; so can tests.
   * @example
   * const { status, deliveryId } = await app.sendTestEvent("bot", fixture("discussion.comment.create"));
   */
  async sendTestEvent(name: string, payload: unknown): Promise<TestEventResult> {
    const endpoint = this.endpoint(name);
    if (!endpoint) throw new HubhooksError("NOT_FOUND", `No webhook endpoint named ${name}.`, { status: 404 });
    const { sendTestEvent } = await import("./send-test-event.js");
    return sendTestEvent(this.fetch, {
      url: (this.#info?.localUrl ?? "http://localhost") + this.#options.basePath + endpoint.route,
      secret: this.#options.secrets[0],
      payload,
    });
  }

  /** What the landing page shows, with full URLs from the launch info, `SPACE_HOST` or the request's origin. */
  landingInfo(origin: string) {
    return {
      urls: this.routes.map((route) => this.#urlOf(route, origin)),
      inSpace: this.#options.inSpace,
      secretConfigured: this.#options.secrets.length > 0,
      hubWebhooks: this.#health?.states ?? [],
      hubChecked: this.#health?.answered ?? false,
      ...(this.#deliveryLog ? { deliveryLog: this.#deliveryLog } : {}),
    };
  }

  /**
   * With a Hub token: find the Hub webhooks that point at this server's endpoint URLs and their state (enabled,
   * disabled, suspended), call `onWebhookSuspended`/`onWebhookRecovered` on a change, re-enable a suspended one with
   * `autoReenable` (done at start and every `webhookHealthIntervalMs`; the dashboard and `/metrics` show the result).
   * @example
   * const states = await app.checkHubWebhooks(); // [{ id, url, state: "suspended", disabled: true, extra }]
   */
  async checkHubWebhooks(): Promise<readonly HubWebhookState[]> {
    const hub = this.#options.hub;
    if (!hub?.hasToken) return [];
    const { HubWebhookHealth } = await import("./hub-webhook-health.js");
    this.#health ??= new HubWebhookHealth({ hub, urls: () => this.routes.map((r) => this.#urlOf(r)), logger: this.#logger,
      ...this.#options.hubHealth, clock: this.#options.clock, ready: async () => (await this.#readiness()).ready });
    (await this.#loadMetrics()).setHubWebhooks(() => this.#health?.states ?? []);
    return this.#health.check();
  }

  /** The first Hub check at start, then one every interval (once, whether `start()` or `launch()` comes first). */
  #watchHub(): void {
    if (!this.#options.hub?.hasToken || this.#hubWatched || this.#closing) return;
    this.#hubWatched = true;
    void this.checkHubWebhooks().then(() => (this.#closing ? undefined : this.#health?.start()));
  }

  /**
   * Listen (port: option, else `PORT`, else 7860; host: option, else `0.0.0.0` in a Space, else `127.0.0.1`) and
   * print the endpoints. Resolves once listening; calling it again returns the same info.
   */
  launch(options: LaunchOptions = {}): Promise<LaunchInfo> {
    // Refused as a rejection (like every launch failure), before anything listens.
    try {
      checkOptions("launch", "launch()", options);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#launching ??= this.#launch(options).catch((error: unknown) => {
      this.#removeSignalHandlers(); // a failed launch leaves Ctrl-C to its default
      throw error;
    });
    return this.#launching;
  }

  async #launch(options: LaunchOptions): Promise<LaunchInfo> {
    const { listen, localUrlFor, stopServer, onShutdownSignal, nodeListener } = await import("../node/launch-parts.js");
    this.#stopServer = stopServer;
    // Installed first: a signal during start-up (a tunnel opening, a Hub webhook being registered) still closes
    // gracefully — close() waits for the launch, then disables what it registered.
    if (this.#options.handleSignals) {
      this.#removeSignalHandlers = onShutdownSignal(() => {
        this.#logger.info("shutting down (send the signal again to force)");
        void this.close();
      });
    }
    const host = options.host ?? this.#options.host;
    const logUnavailable = await this.#start().then(() => false, (error: unknown) => (this.#whenStoreUnavailable(error), true));
    const { server, port } = await listen(this.fetch, options.port ?? this.#options.port, host, nodeListener(this));
    this.#server = server;
    const localUrl = localUrlFor(host, port);
    this.#info = { url: localUrl, localUrl, port, host, endpoints: [] };
    try {
      if (options.share && !this.#options.inSpace) {
        const provider = options.share === true ? "auto" : options.share;
        // The tunnel providers (and their child_process, readline, SSE parser) load only when a launch shares.
        const { openTunnel } = await import("../tunnel/open-tunnel.js");
        const open = (signal: AbortSignal) => openTunnel({ localUrl, logger: this.#logger, provider, env: this.#options.env, signal });
        const onOpen = (tunnel: Tunnel) => this.#sharedLater(tunnel, options.register);
        this.#share = new ShareTunnel({ open, print: this.#options.print, logger: this.#logger, onOpen });
        this.#tunnel = await this.#share.open();
      }
      // Without the tunnel yet (retrying), registering waits for it: see #sharedLater.
      if (options.register && (this.#tunnel || !this.#share)) await this.#register(options.register);
    } catch (error) {
      await this.#share?.close().catch(() => {});
      await stopServer(server, Promise.resolve());
      throw error;
    }
    const publicUrl = this.#tunnel?.publicUrl;
    const url = baseUrl({ spaceHost: this.#options.spaceHost, publicUrl, localUrl });
    Object.assign(this.#info, { url, publicUrl, endpoints: this.routes.map((r) => this.#urlOf(r)) });
    this.#options.print(`Running on local URL:  ${localUrl}`);
    if (publicUrl) this.#options.print(`Running on public URL: ${publicUrl}`);
    for (const line of readyBanner(this.#info.endpoints, { logUnavailable, tunnelPending: Boolean(this.#share && !publicUrl), publicUrl })) this.#options.print(line);
    const dashboard = this.#dashboardPath();
    // The dashboard is for the person at this machine (or the Space's page), never through a tunnel.
    const dashboardBase = this.#options.spaceHost ? `https://${this.#options.spaceHost}` : localUrl;
    if (dashboard) this.#options.print(`Dashboard: ${dashboardBase}${this.#options.basePath}${dashboard}`);
    const { deliveryLogLabel } = await import("./delivery-log-label.js");
    this.#deliveryLog = deliveryLogLabel(this.#options);
    if (this.#deliveryLog) this.#options.print(`Delivery log: ${this.#deliveryLog}`);
    this.#watchHub();
    this.#logger.info({ url: localUrl, endpoints: this.routes }, "listening");
    return this.#info;
  }

  /**
   * A delivery log that cannot be opened at launch (a database that is down, a read-only disk) does not stop the
   * server: it listens and answers 503 (the Hub retries) while the log is retried in the background, so queued
   * retries resume without waiting for a request. Anything else still fails the launch.
   */
  #whenStoreUnavailable(error: unknown, attempt = 0): void {
    if (!(error instanceof HubhooksError && error.code === "STORE_UNAVAILABLE") || this.#closing) throw error;
    const waitMs = Math.min(30_000, 1_000 * 2 ** attempt);
    if (attempt === 0) {
      const why = error.cause instanceof Error ? error.cause : error; // the cause: the message is written for the Hub
      logExpected(this.#logger, "error", why, { retryInMs: waitMs }, "the delivery log is unavailable: deliveries are answered 503 (the Hub retries them) until it opens; retrying");
    }
    this.#reopen = setTimeout(() => {
      this.#start().then(
        () => this.#logger.info("the delivery log is open again"),
        (next: unknown) => {
          try {
            this.#whenStoreUnavailable(next, attempt + 1);
          } catch {
            /* closing, or another kind of failure: the next request reports it */
          }
        },
      );
    }, waitMs);
    this.#reopen.unref?.();
  }

  /** A tunnel that opened after the launch (the first attempt failed): its URLs, then the Hub registration. */
  async #sharedLater(tunnel: Tunnel, register: RegisterOptions | undefined): Promise<void> {
    if (this.#closing || !this.#info) return;
    this.#tunnel = tunnel;
    const endpoints = this.routes.map((r) => this.#urlOf(r));
    Object.assign(this.#info, { url: baseUrl({ spaceHost: this.#options.spaceHost, publicUrl: tunnel.publicUrl, localUrl: this.#info.localUrl }), publicUrl: tunnel.publicUrl, endpoints });
    this.#options.print(`Running on public URL: ${tunnel.publicUrl}`);
    for (const line of readyBanner(endpoints, { publicUrl: tunnel.publicUrl })) this.#options.print(line);
    if (register) await this.#register(register).catch((error: unknown) => this.#logger.error({ err: error }, "could not register the Hub webhook"));
  }

  /**
   * Full URL of a route (under `basePath`): in a Space its https URL, else through the tunnel, else the configured
   * `publicUrl`, else local (or the request origin).
   */
  #urlOf(route: string, origin?: string): string {
    const path = this.#options.basePath + route;
    if (this.#options.spaceHost) return `https://${this.#options.spaceHost}${path}`;
    if (this.#tunnel) return this.#tunnel.publicUrlFor(path);
    return (this.#options.publicOrigins[0] ?? this.#info?.localUrl ?? origin ?? "") + path;
  }

  /** Where the dashboard page is inside `basePath`, or undefined without one. */
  #dashboardPath(): string | undefined {
    const { dashboard, database, ui } = this.#options;
    if (dashboard === false || database === false) return undefined;
    return dashboard ? `${dashboard}/` : ui ? "/dashboard" : "/";
  }

  async #register(options: RegisterOptions): Promise<void> {
    if (!this.#tunnel && !this.#options.spaceHost) {
      throw new HubhooksError("INVALID_OPTIONS", "register needs a public URL: launch with share (or run in a Space).");
    }
    const { registerOnHub } = await import("./register-on-hub.js");
    const registered = await registerOnHub({
      options,
      env: this.#options.env,
      hub: this.#options.hub,
      urls: this.routes.map((route) => this.#urlOf(route)),
      secret: this.#options.secrets[0],
      logger: this.#logger,
      print: this.#options.print,
    });
    // The generated (or remembered) secret now protects the endpoints; mutate in place so every reader sees it.
    if (!this.#options.secrets.includes(registered.secret)) {
      this.#options.secrets.push(registered.secret);
      // Replaces the construction-time warning: the endpoints are no longer open.
      this.#options.print("Webhook secret is correctly defined (the registered Hub webhook's secret).");
    }
    this.#unregister = registered.cleanup;
  }

  /**
   * Graceful shutdown: stop accepting connections, let in-flight requests finish, wait for running handlers up to
   * `shutdownGraceMs`, then abort their signal.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#removeSignalHandlers();
    clearTimeout(this.#reopen);
    this.#health?.stop();
    if (this.#launching) await this.#launching.catch(() => {});
    const grace = this.#options.shutdownGraceMs;
    const requests = Promise.allSettled([...this.#inFlight]).then(() => {});
    // A delivery log that never opened has nothing to close: that is not a reason for close() to fail.
    const dispatcherClosed = this.#ready ? this.#ready.then((d) => d.close(grace), () => {}) : Promise.resolve();
    if (this.#server) await this.#stopServer?.(this.#server, Promise.race([requests, dispatcherClosed]));
    await dispatcherClosed;
    await this.#unregister?.().catch((error: unknown) => this.#logger.warn({ err: error }, "could not clean up the Hub webhook"));
    await (this.#share ?? this.#tunnel)?.close();
    // The default logger writes asynchronously: what the shutdown logged is written before close() resolves.
    await new Promise<void>((resolve) => {
      const stuck = setTimeout(resolve, 1_000); // a stream that never drains (a closed pipe) must not hold close()
      stuck.unref();
      const done = () => {
        clearTimeout(stuck);
        resolve();
      };
      try {
        this.#logger.flush(done);
      } catch {
        done(); // a logger given by the user whose stream cannot flush has nothing held
      }
    });
  }
}
