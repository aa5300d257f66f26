import { HubhooksError, toError } from "../errors.js";

/** What a localtunnel server answers to `GET /?new` or `GET /<subdomain>`. */
export interface LocaltunnelInfo {
  id: string;
  /** TCP port on the server's host that accepts the client's sockets. */
  port: number;
  maxConnCount: number;
  /** Public URL, e.g. `https://<id>.loca.lt`. */
  url: string;
}

/**
 * Ask a localtunnel server for a tunnel: `GET <host>/?new` (random id) or `GET <host>/<subdomain>`.
 * @example
 * const info = await registerLocaltunnel("https://localtunnel.me", fetch, { timeoutMs: 15_000 });
 * // { id: "odd-fox-12", port: 40123, maxConnCount: 10, url: "https://odd-fox-12.loca.lt" }
 */
export async function registerLocaltunnel(
  host: string,
  fetchImpl: typeof fetch,
  options: { subdomain?: string; timeoutMs: number; signal?: AbortSignal },
): Promise<LocaltunnelInfo> {
  const base = host.replace(/\/+$/, "");
  const url = options.subdomain ? `${base}/${encodeURIComponent(options.subdomain)}` : `${base}/?new`;
  let response: Response;
  let body: unknown;
  try {
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    response = await fetchImpl(url, { headers: { accept: "application/json" }, signal: AbortSignal.any(signals) });
    body = await response.json().catch(() => undefined);
  } catch (error) {
    throw new HubhooksError("TUNNEL", `could not reach the localtunnel server at ${base}: ${toError(error).message}`, {
      cause: error,
    });
  }
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (response.status !== 200) {
    const reason = typeof record.message === "string" ? `: ${record.message}` : "";
    throw new HubhooksError("TUNNEL", `the localtunnel server at ${base} refused the tunnel (${response.status})${reason}`);
  }
  const port = Number(record.port);
  if (typeof record.id !== "string" || typeof record.url !== "string" || !Number.isInteger(port) || port <= 0) {
    throw new HubhooksError("TUNNEL", `the localtunnel server at ${base} answered without id, port and url`);
  }
  const maxConnCount = Number(record.max_conn_count);
  return {
    id: record.id,
    port,
    maxConnCount: Number.isInteger(maxConnCount) && maxConnCount > 0 ? maxConnCount : 1,
    url: record.url.replace(/\/+$/, ""),
  };
}
