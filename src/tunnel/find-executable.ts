import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";

/**
 * Find an executable on `env.PATH` (with `PATHEXT` on Windows), like `which`. A name containing a path
 * separator is checked as is.
 * @example
 * await findExecutable("cloudflared", process.env); // "/usr/local/bin/cloudflared" or undefined
 */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const windows = process.platform === "win32";
  const extensions = windows ? (env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean) : [];
  const candidates = (base: string) => [
    base,
    ...extensions.map((ext) => base + ext.toLowerCase()),
    ...extensions.map((ext) => base + ext),
  ];
  if (name.includes("/") || (windows && name.includes("\\"))) {
    for (const file of candidates(path.resolve(name))) if (await isExecutable(file)) return file;
    return undefined;
  }
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const file of candidates(path.join(dir, name))) if (await isExecutable(file)) return file;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
