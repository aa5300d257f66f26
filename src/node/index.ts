// `hubhooks/node`: run the web core on Node: inside an Express/Connect/node:http app, or as its own server.
export { createNodeMiddleware, type NodeMiddlewareOptions } from "./middleware.js";
export { listen, localUrlFor, stopServer } from "../server/listen.js";
export { onShutdownSignal } from "../server/shutdown-signals.js";
