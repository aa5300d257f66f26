import { DEFAULTS } from "../defaults.js";

/**
 * Whether JSON text nests arrays and objects deeper than `max` levels, by one scan of the text (no parse, no
 * recursion). `JSON.parse` itself copes with any depth, but everything that walks the value afterwards
 * (`JSON.stringify` in the API, the dashboard and the log; a validator) recurses and overflows the stack a few
 * thousand levels down; checking the text first keeps such a value out.
 * @example
 * jsonDepthExceeds('{"a":[1]}', 1); // true: two levels
 * jsonDepthExceeds('{"a":"[[[["}', 1); // false: brackets inside strings do not count
 */
export function jsonDepthExceeds(text: string, max: number = DEFAULTS.jsonDepth): boolean {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string: to the next quote not escaped by a backslash.
      for (i++; i < length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/**
 * Parse stored JSON text for display: the value, or the text itself when it is not JSON or is nested deeper than
 * the limit (a row recorded before the limit existed must not make the API or the dashboard fail).
 * @example
 * storedJson('{"a":1}'); // { a: 1 }
 * storedJson("[".repeat(100_000)); // the text, unchanged
 */
export function storedJson(text: string, max: number = DEFAULTS.jsonDepth): unknown {
  if (jsonDepthExceeds(text, max)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The message of every refusal of too-deep JSON. */
export function tooDeepMessage(what: string, max: number = DEFAULTS.jsonDepth): string {
  return `${what} is nested deeper than ${max} levels.`;
}
