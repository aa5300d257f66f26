/**
 * A local stand-in for a localtunnel server (github.com/localtunnel/server), which tests cannot reach. Same protocol
 * over real sockets on 127.0.0.1:
 * - `GET /?new` (or `GET /<subdomain>`) → `{ id, port, max_conn_count, url }`;
 * - `port` is a TCP port accepting up to `max_conn_count` client sockets;
 * - a request to the tunnel's public HTTP port is written raw (HTTP/1.1) onto one idle client socket and the
 *   response is piped back (the real server routes by subdomain; here each tunnel has its own public port, so
 *   `url` is `http://127.0.0.1:<public port>` and plain fetch works).
 * Like the real server's agent without keep-alive, each request uses one socket with `Connection: close`; the client
 * opens a fresh socket afterwards.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import net, { type AddressInfo } from "node:net";

interface StandInTunnel {
  id: string;
  clientServer: net.Server;
  publicServer: http.Server;
  idle: net.Socket[];
  all: Set<net.Socket>;
  waiters: Array<(socket: net.Socket) => void>;
  info: { id: string; port: number; max_conn_count: number; url: string };
}

export interface FakeLocaltunnel {
  /** The host to give the client, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Registration requests seen, e.g. `["/?new", "/my-id"]`. */
  readonly registrations: string[];
  tunnel(id: string): StandInTunnel["info"] | undefined;
  /** Ids of the tunnels it serves now. */
  tunnelIds(): string[];
  /** Client sockets connected now (to one tunnel, or overall). */
  sockets(id?: string): number;
  waitForSockets(count: number, id?: string): Promise<void>;
  /** Destroys the client sockets (of one tunnel, or all). */
  dropSockets(id?: string): void;
  /** Forgets a tunnel, as a restarted server would: its ports close and its sockets are cut. */
  forget(id: string): Promise<void>;
  close(): Promise<void>;
}

const SUBDOMAIN = /^\/([a-z0-9][a-z0-9-]{2,61}[a-z0-9])$/;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te"]);

export async function startFakeLocaltunnel(options: { maxConnCount?: number } = {}): Promise<FakeLocaltunnel> {
  const maxConnCount = options.maxConnCount ?? 2;
  const tunnels = new Map<string, StandInTunnel>();
  const changes = new EventEmitter();
  const registrations: string[] = [];

  const register = async (requested: string | undefined): Promise<StandInTunnel["info"]> => {
    const id = requested && !tunnels.has(requested) ? requested : randomBytes(5).toString("hex");
    const tunnel: StandInTunnel = {
      id,
      idle: [],
      all: new Set(),
      waiters: [],
      clientServer: net.createServer(),
      publicServer: http.createServer((req, res) => void forward(tunnel, req, res)),
      info: { id, port: 0, max_conn_count: maxConnCount, url: "" },
    };
    tunnel.clientServer.on("connection", (socket) => {
      if (tunnel.all.size >= maxConnCount) return void socket.destroy();
      tunnel.all.add(socket);
      socket.on("error", () => {});
      socket.once("close", () => {
        tunnel.all.delete(socket);
        tunnel.idle = tunnel.idle.filter((s) => s !== socket);
        changes.emit("change");
      });
      const waiter = tunnel.waiters.shift();
      if (waiter) waiter(socket);
      else tunnel.idle.push(socket);
      changes.emit("change");
    });
    await new Promise<void>((resolve) => tunnel.clientServer.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => tunnel.publicServer.listen(0, "127.0.0.1", resolve));
    tunnel.info.port = (tunnel.clientServer.address() as AddressInfo).port;
    tunnel.info.url = `http://127.0.0.1:${(tunnel.publicServer.address() as AddressInfo).port}`;
    tunnels.set(id, tunnel);
    return tunnel.info;
  };

  const takeSocket = (tunnel: StandInTunnel) =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = tunnel.idle.shift();
      if (socket) return resolve(socket);
      const timer = setTimeout(() => reject(new Error("no tunnel socket")), 10_000);
      tunnel.waiters.push((s) => {
        clearTimeout(timer);
        resolve(s);
      });
    });

  const forward = async (tunnel: StandInTunnel, req: http.IncomingMessage, res: http.ServerResponse) => {
    let socket: net.Socket;
    try {
      socket = await takeSocket(tunnel);
    } catch {
      return void res.writeHead(504).end("no tunnel socket available");
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = http.request({ method: req.method, path: req.url, headers, createConnection: () => socket });
    upstream.on("response", (answer) => {
      const back = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end("tunnel socket failed");
      else res.destroy();
    });
    req.pipe(upstream);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const isNew = url.pathname === "/" && url.searchParams.has("new");
    const requested = isNew ? undefined : SUBDOMAIN.exec(url.pathname)?.[1];
    if (!isNew && !requested) {
      return void res.writeHead(404, { "content-type": "application/json" }).end('{"message":"not found"}');
    }
    registrations.push(req.url ?? "/");
    void register(requested).then((info) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(info)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const sockets = (id?: string) =>
    [...tunnels.values()].filter((t) => id === undefined || t.id === id).reduce((sum, t) => sum + t.all.size, 0);
  const forget = async (tunnel: StandInTunnel) => {
    tunnels.delete(tunnel.id);
    for (const socket of tunnel.all) socket.destroy();
    tunnel.publicServer.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => tunnel.clientServer.close(resolve)),
      new Promise((resolve) => tunnel.publicServer.close(resolve)),
    ]);
    changes.emit("change");
  };

  return {
    url: `http://127.0.0.1:${port}`,
    registrations,
    tunnel: (id) => tunnels.get(id)?.info,
    tunnelIds: () => [...tunnels.keys()],
    sockets,
    waitForSockets(expected, id) {
      return new Promise((resolve) => {
        const check = () => {
          if (sockets(id) !== expected) return;
          changes.off("change", check);
          resolve();
        };
        changes.on("change", check);
        check();
      });
    },
    dropSockets(id) {
      for (const t of tunnels.values()) if (id === undefined || t.id === id) for (const s of t.all) s.destroy();
    },
    async forget(id) {
      const tunnel = tunnels.get(id);
      if (tunnel) await forget(tunnel);
    },
    async close() {
      await Promise.all([...tunnels.values()].map(forget));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
