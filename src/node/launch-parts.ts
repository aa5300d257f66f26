// What `WebhooksServer.launch()` needs on Node and nothing else does: loaded by launch(), never when "hubhooks" is
// imported (a web runtime or a mounted app has no node:http server, signals, tunnels or Hub registration of its own).
export { listen, localUrlFor, stopServer } from "../server/listen.js";
export { onShutdownSignal } from "../server/shutdown-signals.js";
export { openTunnel } from "../tunnel/open-tunnel.js";
export { registerOnHub } from "../server/register-on-hub.js";
export { nodeListener } from "./node-listener.js";
