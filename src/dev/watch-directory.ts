import { watch, readdirSync, statSync, type FSWatcher } from "node:fs";
import { basename, join, relative, sep } from "node:path";

/** Directory names whose changes never restart the app: dependencies, our own state and database, build output. */
export const IGNORED_DIRECTORIES = ["node_modules", ".hubhooks", "dist", ".git"] as const;

// SQLite files (a --database next to the app would restart it on every delivery), logs, editor scratch files.
const IGNORED_FILE = /(\.db|\.db-wal|\.db-shm|\.db-journal|\.sqlite|\.log|\.swp|\.swx|~|^4913)$/;

/**
 * Only files Node can load as part of the app restart it: its own output (`hubhooks dev app.ts > dev.out`), logs,
 * databases and anything else written next to it are not source.
 */
export const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".json"] as const;
const SOURCE_FILE = new RegExp(`(${SOURCE_EXTENSIONS.map((e) => e.replace(".", "\\.")).join("|")})$`);

/** Bound on directories watched one by one, so a huge tree cannot exhaust file descriptors. */
const MAX_DIRECTORIES = 2000;

/**
 * Options of {@link watchDirectory}.
 * @example
 * const options: WatchDirectoryOptions = { debounceMs: 200 };
 */
export interface WatchDirectoryOptions {
  /** Quiet period after the last change before `onChange` runs (default 200 ms): one save = one restart. */
  debounceMs?: number;
  /** Called when watching fails (e.g. the directory was removed). */
  onError?: (error: Error) => void;
  /** Also ignore these (absolute path of the changed file), e.g. the file our own output is redirected to. */
  ignore?: (path: string) => boolean;
}

/** A running watch. @example const watcher = watchDirectory(dir, restart); watcher.close(); */
export interface DirectoryWatcher {
  close(): void;
}

/**
 * Whether a path relative to the watched directory should be ignored: not a source file (see
 * {@link SOURCE_EXTENSIONS}), or inside an ignored directory.
 * @example
 * isIgnoredPath("node_modules/x/index.js"); // true
 * isIgnoredPath("dev.out"); // true
 * isIgnoredPath("src/app.ts"); // false
 */
export function isIgnoredPath(path: string): boolean {
  const segments = path.split(/[\\/]/);
  const name = basename(path);
  return segments.some((s) => (IGNORED_DIRECTORIES as readonly string[]).includes(s)) || IGNORED_FILE.test(name) || !SOURCE_FILE.test(name);
}

/**
 * Watch a directory tree and call `onChange` (debounced) with the relative path of the last changed file.
 * Uses `fs.watch(dir, { recursive: true })` on macOS and Windows, where the OS watches the tree; elsewhere one
 * watcher per directory, skipping ignored ones, because Node's recursive mode on Linux also walks node_modules.
 * @example
 * const watcher = watchDirectory("/my/app", (file) => console.log(`${file} changed`));
 * process.once("SIGINT", () => watcher.close());
 */
export function watchDirectory(dir: string, onChange: (file: string) => void, options: WatchDirectoryOptions = {}): DirectoryWatcher {
  const debounceMs = options.debounceMs ?? 200;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  let closed = false;

  const changed = (file: string) => {
    if (closed || isIgnoredPath(file) || options.ignore?.(join(dir, file))) return;
    last = file;
    clearTimeout(timer);
    timer = setTimeout(() => !closed && onChange(last), debounceMs);
  };
  const fail = (error: Error) => options.onError?.(error);

  const add = (directory: string, recursive: boolean) => {
    if (watchers.has(directory) || watchers.size >= MAX_DIRECTORIES) return;
    const watcher = watch(directory, { recursive, persistent: true }, (_event, name) => {
      const file = name ? relative(dir, join(directory, name.toString())) : relative(dir, directory);
      if (!recursive && name) addNewDirectory(join(directory, name.toString()));
      changed(file || ".");
    });
    watcher.on("error", fail);
    watchers.set(directory, watcher);
  };
  const addTree = (directory: string) => {
    const pending = [directory];
    while (pending.length > 0 && watchers.size < MAX_DIRECTORIES) {
      const current = pending.pop()!;
      add(current, false);
      let entries;
      try {
        entries = readdirSync(current, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory() && !(IGNORED_DIRECTORIES as readonly string[]).includes(entry.name)) pending.push(join(current, entry.name));
      }
    }
  };
  const addNewDirectory = (path: string) => {
    if (watchers.has(path) || isIgnoredPath(relative(dir, path).split(sep).join("/"))) return;
    try {
      if (statSync(path).isDirectory()) addTree(path);
    } catch {
      // removed again already, or not a directory we may read
    }
  };

  if (process.platform === "darwin" || process.platform === "win32") add(dir, true);
  else addTree(dir);

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
