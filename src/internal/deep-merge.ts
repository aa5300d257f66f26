/**
 * `override` laid over `base`: plain objects merge key by key, anything else (arrays, scalars, `null`) in `override`
 * replaces what `base` has. Neither input is changed; keys that would reach a prototype (`__proto__`,
 * `constructor`, `prototype`) are dropped, since `override` comes from a file anyone with write access can edit.
 * @example
 * deepMerge({ labels: { ok: "green" }, max: 3 }, { labels: { bad: "red" } });
 * // { labels: { ok: "green", bad: "red" }, max: 3 }
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? copy(base) : copy(override);
  const out: Record<string, unknown> = copy(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    if (UNSAFE.has(key)) continue;
    out[key] = key in out ? deepMerge(out[key], value) : copy(value);
  }
  return out;
}

const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!UNSAFE.has(key)) out[key] = copy(item);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
