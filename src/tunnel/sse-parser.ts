import { HubhooksError } from "../errors.js";

/** One dispatched server-sent event. */
export interface SseEvent {
  /** `event:` field, `"message"` when absent. */
  type: string;
  data: string;
  /** The last event id seen so far on this stream (ids persist across events, as in the SSE spec). */
  lastEventId: string;
}

/** Incremental parser state; feed it decoded text as it arrives. */
export interface SseParser {
  feed(text: string): void;
  /** Last `id:` seen, also when it came with an event that was not dispatched (e.g. an id-only block). */
  readonly lastEventId: string;
  /** Last valid `retry:` value in ms, if the server sent one. */
  readonly retryMs: number | undefined;
}

/**
 * A small parser for `text/event-stream` following the WHATWG "event stream interpretation" rules:
 * LF, CR or CRLF line ends (also split across chunks), comments, multi-line `data`, `id` without NUL, `retry`.
 * `feed` throws a TUNNEL error when one event outgrows `maxEventChars` (default 16 Mi characters).
 * @example
 * const parser = createSseParser((e) => console.log(e.type, e.data));
 * parser.feed("event: ready\ndata: {}\n\n"); // logs: ready {}
 */
export function createSseParser(
  onEvent: (event: SseEvent) => void,
  options: { lastEventId?: string; maxEventChars?: number } = {},
): SseParser {
  // A peer that never ends a line or an event must not grow memory without bound.
  const maxEventChars = options.maxEventChars ?? 16 * 1024 * 1024;
  let pendingChars = 0;
  let buffer = "";
  let skipLeadingLf = false;
  let firstChunk = true;
  let eventType = "";
  let data: string[] = [];
  let hasData = false;
  // The last event id survives reconnections (SSE spec), so a new connection's parser starts from the old one.
  let lastEventId = options.lastEventId ?? "";
  let retryMs: number | undefined;

  const dispatch = () => {
    if (hasData) onEvent({ type: eventType || "message", data: data.join("\n"), lastEventId });
    eventType = "";
    data = [];
    hasData = false;
    pendingChars = 0;
  };

  const processLine = (line: string) => {
    if (line === "") return dispatch();
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        pendingChars += value.length + 1;
        data.push(value);
        hasData = true;
        break;
      case "id":
        if (!value.includes("\0")) lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) retryMs = Number(value);
        break;
      default:
        break;
    }
  };

  return {
    feed(text: string) {
      let chunk = text;
      if (firstChunk && chunk.length > 0) {
        firstChunk = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (skipLeadingLf && chunk.startsWith("\n")) chunk = chunk.slice(1);
      skipLeadingLf = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer[i];
        if (ch !== "\n" && ch !== "\r") continue;
        processLine(buffer.slice(start, i));
        if (ch === "\r") {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === "\n") i++;
          } else {
            // A CR ending this chunk may be the first half of a CRLF split across chunks.
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      if (buffer.length + pendingChars > maxEventChars) {
        throw new HubhooksError("TUNNEL", `relay event larger than ${maxEventChars} characters`);
      }
    },
    get lastEventId() {
      return lastEventId;
    },
    get retryMs() {
      return retryMs;
    },
  };
}
