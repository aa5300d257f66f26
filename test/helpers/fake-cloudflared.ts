/**
 * A local stand-in for the `cloudflared` binary (Cloudflare is out of reach): a real executable script placed in a
 * temp dir that tests put on PATH. Like `cloudflared tunnel --url ...` it prints its quick-tunnel banner with a
 * `https://*.trycloudflare.com` URL and "Registered tunnel connection" on stderr, then runs until SIGTERM.
 * It records its argv and pid, and "terminated" on SIGTERM, in `<dir>/calls.jsonl`.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const FAKE_QUICK_TUNNEL_URL = "https://quiet-river-tiny-lamp.trycloudflare.com";

const SCRIPT = (mode: "ok" | "fail", log: string) => `#!${process.execPath}
const fs = require("node:fs");
const record = (entry) => fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(entry) + "\\n");
record({ argv: process.argv.slice(2), pid: process.pid });
const say = (line) => process.stderr.write(new Date().toISOString() + " " + line + "\\n");
say("INF Thank you for trying Cloudflare Tunnel.");
if (${JSON.stringify(mode)} === "fail") {
  say("ERR Error unmarshaling QuickTunnel response: failed to request quick Tunnel");
  process.exit(1);
}
say("INF Requesting new quick Tunnel on trycloudflare.com...");
say("INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |");
say("INF |  ${FAKE_QUICK_TUNNEL_URL}                                   |");
setTimeout(() => say("INF Registered tunnel connection connIndex=0 event=0 location=ams01 protocol=quic"), 5);
process.on("SIGTERM", () => { record({ terminated: true }); process.exit(0); });
setInterval(() => {}, 1 << 30);
`;

export interface FakeCloudflared {
  /** A directory holding only the `cloudflared` executable: use it as PATH. */
  dir: string;
  calls(): Promise<Array<{ argv?: string[]; pid?: number; terminated?: boolean }>>;
  remove(): Promise<void>;
}

export async function installFakeCloudflared(mode: "ok" | "fail" = "ok"): Promise<FakeCloudflared> {
  const dir = await mkdtemp(path.join(tmpdir(), "hubhooks-cloudflared-"));
  const log = path.join(dir, "calls.jsonl");
  const bin = path.join(dir, "cloudflared");
  await writeFile(bin, SCRIPT(mode, log));
  await chmod(bin, 0o755);
  return {
    dir,
    async calls() {
      const text = await readFile(log, "utf8").catch(() => "");
      return text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
