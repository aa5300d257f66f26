// What `WebhooksServer.launch()` needs on Node and nothing else does: loaded by launch(), never when "hubhooks" is
// imported (a web runtime or a mounted app has no node:http server or signals of its own). Tunnels and the Hub
// registration load only when a launch asks for them (share, register).
export { listen, localUrlFor, stopServer } from "../server/listen.js";
export { onShutdownSignal } from "../server/shutdown-signals.js";
export { nodeListener } from "./node-listener.js";
