/** Where a Hugging Face token was found, for messages ("from HF_TOKEN", "from /home/me/.cache/huggingface/token"). */
export interface FoundHfToken {
  token: string;
  source: string;
}

/**
 * The Hugging Face token the way `huggingface_hub` and the `hf` CLI find it: `HF_TOKEN`, else the file that
 * `hf auth login` writes — `HF_TOKEN_PATH`, else `$HF_HOME/token`, else `$XDG_CACHE_HOME/huggingface/token`, else
 * `~/.cache/huggingface/token`. Empty values count as unset. The file is read with `process.getBuiltinModule`, so
 * `import "hubhooks"` stays free of `node:fs` on every runtime; where there is none, only `HF_TOKEN` counts.
 * @example
 * findHfToken({ HF_HOME: "/tmp/hf" }); // { token: "hf_…", source: "/tmp/hf/token" } after `hf auth login`
 */
export function findHfToken(env: Record<string, string | undefined>): FoundHfToken | undefined {
  const fromEnv = env.HF_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: "HF_TOKEN" };
  const node = nodeModules();
  if (!node) return undefined;
  const path = tokenPath(env, node);
  if (!path) return undefined;
  try {
    const token = node.fs.readFileSync(path, "utf8").trim();
    return token ? { token, source: path } : undefined;
  } catch {
    return undefined; // never logged in (no file), or unreadable: no token, as huggingface_hub decides
  }
}

/**
 * The token file `hf auth login` writes for this environment (whether or not it exists).
 * @example
 * hfTokenPath({ HF_HOME: "/tmp/hf" }); // "/tmp/hf/token"
 */
export function hfTokenPath(env: Record<string, string | undefined>): string | undefined {
  const node = nodeModules();
  return node ? tokenPath(env, node) : undefined;
}

interface NodeParts {
  fs: typeof import("node:fs");
  path: typeof import("node:path");
  os: typeof import("node:os");
}

function tokenPath(env: Record<string, string | undefined>, { path, os }: NodeParts): string | undefined {
  const home = () => env.HOME?.trim() || os.homedir();
  const expand = (p: string) => (p === "~" || p.startsWith("~/") ? path.join(home(), p.slice(1)) : p);
  if (env.HF_TOKEN_PATH?.trim()) return expand(env.HF_TOKEN_PATH.trim());
  const hfHome = env.HF_HOME?.trim() || path.join(env.XDG_CACHE_HOME?.trim() || path.join(home(), ".cache"), "huggingface");
  return path.join(expand(hfHome), "token");
}

function nodeModules(): NodeParts | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== "function") return undefined;
  return { fs: get("node:fs") as NodeParts["fs"], path: get("node:path") as NodeParts["path"], os: get("node:os") as NodeParts["os"] };
}
