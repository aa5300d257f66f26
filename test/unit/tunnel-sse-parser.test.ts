import { describe, expect, it } from "vitest";
import { createSseParser, type SseEvent } from "../../src/tunnel/sse-parser.js";

function parse(chunks: string[], lastEventId?: string) {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event), { lastEventId });
  for (const chunk of chunks) parser.feed(chunk);
  return { events, parser };
}

describe("createSseParser", () => {
  it("parses smee.io frames: named ready/ping events and unnamed messages with ids", () => {
    const { events, parser } = parse(['id: 0\nevent: ready\ndata: {}\n\n', 'id: 1\ndata: {"body":{"a":1}}\n\n']);
    expect(events).toEqual([
      { type: "ready", data: "{}", lastEventId: "0" },
      { type: "message", data: '{"body":{"a":1}}', lastEventId: "1" },
    ]);
    expect(parser.lastEventId).toBe("1");
  });

  it("handles CRLF and CR line ends, also split across chunks, and a leading BOM", () => {
    const { events } = parse(["\uFEFFdata: a\r", "\ndata: b\r\r", "data: c\r", "\r"]);
    expect(events.map((e) => e.data)).toEqual(["a\nb", "c"]);
  });

  it("joins multi-line data, skips comments, strips one leading space only", () => {
    const { events } = parse([": keep-alive\n", "data:  two spaces\ndata:none\n", "\n"]);
    expect(events).toEqual([{ type: "message", data: " two spaces\nnone", lastEventId: "" }]);
  });

  it("does not dispatch blocks without data but keeps their id; ignores ids with NUL", () => {
    const { events, parser } = parse(["id: 7\n\n", "id: 8\0\ndata: x\n\n"]);
    expect(events).toEqual([{ type: "message", data: "x", lastEventId: "7" }]);
    expect(parser.lastEventId).toBe("7");
  });

  it("starts from a previous connection's last event id and reads retry", () => {
    const { events, parser } = parse(["retry: 1500\ndata: x\n\nretry: soon\n"], "41");
    expect(events[0].lastEventId).toBe("41");
    expect(parser.retryMs).toBe(1500);
  });

  it("waits for the blank line before dispatching", () => {
    const { events } = parse(["data: partial"]);
    expect(events).toEqual([]);
  });

  it("refuses an event that outgrows the size bound", () => {
    const parser = createSseParser(() => {}, { maxEventChars: 10 });
    parser.feed("data: 12345\n");
    expect(() => parser.feed("data: 67890\n")).toThrow(/larger than 10 characters/);
    expect(() => createSseParser(() => {}, { maxEventChars: 10 }).feed("x".repeat(11))).toThrow(/larger/);
  });
});
