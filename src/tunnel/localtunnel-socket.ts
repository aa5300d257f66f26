import net from "node:net";
import type { Logger } from "../internal/logger.js";

/** Host and port of the local server. */
export interface LocalAddress {
  host: string;
  port: number;
}

const BAD_GATEWAY_BODY = "hubhooks: the local server is not reachable\n";
const BAD_GATEWAY =
  "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n" +
  `content-length: ${Buffer.byteLength(BAD_GATEWAY_BODY)}\r\n\r\n${BAD_GATEWAY_BODY}`;

/**
 * Pipe one tunnel socket (connected to the localtunnel server) to a new connection to the local server.
 * The local connection is opened lazily on the first bytes, so idle tunnel sockets don't hold local
 * connections that the local server would time out. Tracks every socket it opens in `sockets`.
 * @example
 * bridgeTunnelSocket(remote, { host: "127.0.0.1", port: 7860 }, logger, sockets);
 */
export function bridgeTunnelSocket(
  remote: net.Socket,
  local: LocalAddress,
  logger: Logger,
  sockets: Set<net.Socket>,
  onFirstByte: () => void,
): void {
  remote.once("data", (first: Buffer) => {
    onFirstByte();
    remote.pause();
    const requestLine = first.subarray(0, Math.min(first.length, 512)).toString("latin1").split("\r\n", 1)[0] ?? "";
    const [method, target] = requestLine.split(" ");
    // Only the path: a query string may carry the Hub's `?secret=`.
    logger.debug({ method, path: target?.split("?")[0] }, "tunnel: request");
    const connection = net.connect({ host: local.host, port: local.port });
    sockets.add(connection);
    let connected = false;
    connection.once("connect", () => {
      connected = true;
      connection.write(first);
      remote.pipe(connection);
      connection.pipe(remote);
      remote.resume();
    });
    connection.on("error", (error) => {
      if (connected) return void remote.destroy();
      logger.warn({ err: error.message }, "tunnel: the local server refused a tunneled request");
      remote.end(BAD_GATEWAY);
    });
    connection.once("close", () => sockets.delete(connection));
    remote.once("close", () => connection.destroy());
  });
}
