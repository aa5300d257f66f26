// A TCP forwarder on loopback that can be switched off and on: it stands between hubhooks and a real Postgres
// server to play "database down" and "connection lost" with the real server and the real client.
import { createServer, connect, type Server, type Socket } from "node:net";

export interface TcpForwarder {
  port: number;
  /** Accept connections and forward them to the target. */
  up(): Promise<void>;
  /** Stop accepting and cut every open connection (what a database restart or a network cut looks like). */
  down(): Promise<void>;
}

/** A forwarder to `targetPort` on a fixed free port; starts down. */
export async function tcpForwarder(targetPort: number): Promise<TcpForwarder> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  return {
    port,
    up: () =>
      new Promise((resolve) => {
        server = createServer((client) => {
          const upstream = connect(targetPort, "127.0.0.1");
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on("close", () => sockets.delete(s));
            s.on("error", () => {});
          }
          client.pipe(upstream).pipe(client);
        }).listen(port, "127.0.0.1", () => resolve());
      }),
    down: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server) return resolve();
        server.close(() => resolve());
        server = undefined;
      }),
  };
}
