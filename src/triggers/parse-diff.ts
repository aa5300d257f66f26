/** How a file changed between two commits. */
export type FileChange = "added" | "modified" | "deleted" | "renamed";

/**
 * One changed file. `path` is the path after the change (before it, for a deleted file); a renamed file has its
 * old path in `oldPath`.
 * @example
 * { path: "data/train.parquet", change: "renamed", oldPath: "train.parquet" }
 */
export interface ChangedFile {
  path: string;
  change: FileChange;
  oldPath?: string;
}

/**
 * The files a git unified diff touches (what the Hub's compare endpoint answers with `?raw=true`): one entry per
 * `diff --git` section, its kind from the extended headers (`new file mode`, `deleted file mode`, `rename from/to`),
 * paths from `rename`/`---`/`+++` lines when present (they carry quoted names as git writes them), else from the
 * section header. Binary files and mode-only changes count as modified.
 * @example
 * parseDiff("diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n"); // [{ path: "x", change: "added" }]
 */
export function parseDiff(diff: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  let current: Section | undefined;
  const flush = () => {
    if (current) files.push(toChangedFile(current));
    current = undefined;
  };
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      flush();
      current = { header: line.slice("diff --git ".length), kind: "modified", inHunk: false };
      continue;
    }
    if (!current || current.inHunk) continue; // hunk lines (even ones starting with "---") are content
    if (line.startsWith("@@")) current.inHunk = true;
    else if (line.startsWith("new file mode")) current.kind = "added";
    else if (line.startsWith("deleted file mode")) current.kind = "deleted";
    else if (line.startsWith("rename from ")) {
      current.kind = "renamed";
      current.from = unquote(line.slice("rename from ".length));
    } else if (line.startsWith("rename to ")) current.to = unquote(line.slice("rename to ".length));
    else if (line.startsWith("--- ")) current.minus = stripPrefix(unquote(line.slice(4).replace(/\t.*$/, "")), "a/");
    else if (line.startsWith("+++ ")) current.plus = stripPrefix(unquote(line.slice(4).replace(/\t.*$/, "")), "b/");
  }
  flush();
  return files;
}

interface Section {
  header: string;
  kind: FileChange;
  inHunk: boolean;
  from?: string;
  to?: string;
  minus?: string | null;
  plus?: string | null;
}

function toChangedFile(s: Section): ChangedFile {
  const [headerOld, headerNew] = splitHeader(s.header);
  const oldPath = s.from ?? (s.minus === undefined || s.minus === null ? headerOld : s.minus);
  const newPath = s.to ?? (s.plus === undefined || s.plus === null ? headerNew : s.plus);
  if (s.kind === "renamed") return { path: newPath, change: "renamed", oldPath };
  if (s.kind === "deleted") return { path: oldPath, change: "deleted" };
  return { path: newPath, change: s.kind };
}

/** `a/x b/x` (or quoted `"a/x y" "b/x y"`) into the two paths without their prefixes. */
function splitHeader(header: string): [string, string] {
  if (header.startsWith('"')) {
    const end = closingQuote(header, 0);
    const first = unquote(header.slice(0, end + 1));
    const second = unquote(header.slice(end + 2));
    return [stripPrefix(first, "a/") ?? first, stripPrefix(second, "b/") ?? second];
  }
  // Unquoted: both paths are equal unless renamed (then rename from/to win), so split in the middle when they are.
  const n = (header.length - 5) / 2;
  if (Number.isInteger(n) && header.startsWith("a/") && header.slice(n + 2, n + 5) === " b/" && header.slice(2, n + 2) === header.slice(n + 5)) {
    return [header.slice(2, n + 2), header.slice(n + 5)];
  }
  const at = header.lastIndexOf(" b/");
  const first = at >= 0 ? header.slice(0, at) : header;
  const second = at >= 0 ? header.slice(at + 1) : header;
  return [stripPrefix(first, "a/") ?? first, stripPrefix(second, "b/") ?? second];
}

function stripPrefix(path: string, prefix: string): string | null {
  if (path === "/dev/null") return null;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", r: "\r", v: "\v" };

// Web APIs, not Buffer: a route's changed files are listed in Workers and the Edge runtime too.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Git's C-style quoting (`"dir/caf\303\251.txt"`) back to the UTF-8 name. */
function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      bytes.push(...encoder.encode(c));
      continue;
    }
    const next = body[i + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(...encoder.encode(ESCAPES[next] ?? next));
      i += 1;
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}
