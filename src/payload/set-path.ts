import { HubhooksError } from "../errors.js";

// Bounds: payloads are a few levels deep; an index past the end would make a huge sparse array.
const MAX_SEGMENTS = 32;
const UNSAFE = new Set(["__proto__", "prototype", "constructor"]);
const INDEX = /^(0|[1-9]\d{0,8})$/;

/**
 * Set a value at a dotted path, creating missing objects on the way (an array when the next segment is a
 * numeric index such as `updatedRefs.0.ref`). An index may point at most one past the end of an array.
 * Mutates and returns `target`.
 * @throws HubhooksError `INVALID_OPTIONS` for an empty or unsafe path (`__proto__`...), a path through a
 * non-object value, or an index out of range.
 * @example
 * setPath(payload, "discussion.num", 42);
 * setPath(payload, "updatedRefs.0.ref", "refs/heads/dev");
 */
export function setPath<T extends object>(target: T, path: string, value: unknown): T {
  const segments = path.split(".");
  if (path === "" || segments.length > MAX_SEGMENTS || segments.some((s) => s === "" || UNSAFE.has(s))) {
    throw invalid(`Invalid path "${path}": use dot-separated field names, e.g. "discussion.num".`);
  }
  let node: object = target;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const key = keyIn(node, segment, segments.slice(0, i + 1).join("."));
    if (i === segments.length - 1) {
      (node as Record<string | number, unknown>)[key] = value;
      break;
    }
    let child = (node as Record<string | number, unknown>)[key];
    if (child === undefined || child === null) {
      child = INDEX.test(segments[i + 1]!) ? [] : {};
      (node as Record<string | number, unknown>)[key] = child;
    } else if (typeof child !== "object") {
      throw invalid(`Cannot set "${path}": "${segments.slice(0, i + 1).join(".")}" is a ${typeof child}, not an object.`);
    }
    node = child as object;
  }
  return target;
}

/**
 * Read a command-line value (`--set path=value`): JSON when it parses (`42`, `true`, `null`, `{"a":1}`,
 * `"quoted"`), otherwise the text itself. Quote digits-only strings (`'"123"'`) to keep them strings.
 * @example
 * parseSetValue("42");         // 42
 * parseSetValue("null");       // null
 * parseSetValue("refs/pr/3");  // "refs/pr/3"
 */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function keyIn(node: object, segment: string, at: string): string | number {
  if (!Array.isArray(node)) return segment;
  if (!INDEX.test(segment)) throw invalid(`"${at}": "${segment}" is not an array index.`);
  const index = Number(segment);
  if (index > node.length) throw invalid(`"${at}": index ${index} is past the end (length ${node.length}).`);
  return index;
}

function invalid(message: string): HubhooksError {
  return new HubhooksError("INVALID_OPTIONS", message, { status: 400 });
}
