import { HubhooksError } from "../errors.js";

/**
 * `PORT` and `HUBHOOKS_HOST`, read when a server is built (never at import). Unset or empty means the default; any
 * other value that is not a port (0–65535) or a host name / IP address is refused with INVALID_OPTIONS naming the
 * variable, rather than ignored (a typo would otherwise listen somewhere else than meant).
 * @example
 * envListen({ PORT: "8080", HUBHOOKS_HOST: "0.0.0.0" }); // { port: 8080, host: "0.0.0.0" }
 * envListen({ PORT: "abc" }); // throws: PORT must be a whole number from 0 to 65535, not "abc".
 */
export function envListen(env: Record<string, string | undefined>): { port?: number; host?: string } {
  const out: { port?: number; host?: string } = {};
  const port = env.PORT?.trim();
  if (port) {
    const value = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
    if (!(value <= 65535)) {
      throw new HubhooksError("INVALID_OPTIONS", `PORT must be a whole number from 0 to 65535, not ${JSON.stringify(port)}.`);
    }
    out.port = value;
  }
  const host = env.HUBHOOKS_HOST?.trim();
  if (host) {
    if (!isHost(host)) {
      throw new HubhooksError("INVALID_OPTIONS", `HUBHOOKS_HOST must be a host name or an IP address (e.g. 0.0.0.0), not ${JSON.stringify(host)}.`);
    }
    out.host = host;
  }
  return out;
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_NAME = new RegExp(`^(?=.{1,253}\\.?$)${LABEL}(?:\\.${LABEL})*\\.?$`, "i");

// An IPv4 address already passes as a host name (dotted labels of digits); an IPv6 one is checked by the URL parser
// (WHATWG's strict IPv6 grammar), with an optional zone (`fe80::1%eth0`) set aside: node:net's isIP is Node-only.
function isHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const ipv6 = /^([0-9a-f:.]*:[0-9a-f:.]*)(?:%[\w.-]+)?$/i.exec(bare)?.[1];
  return HOST_NAME.test(host) || (ipv6 !== undefined && URL.canParse(`http://[${ipv6}]/`));
}
