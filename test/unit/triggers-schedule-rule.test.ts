import { describe, expect, it } from "vitest";
import { decideSchedule, type ScheduleState } from "../../src/triggers/schedule.js";

// The pure debounce/throttle rule: each call is one delivery's scheduled step asking whether it may run now.
function run(calls: Array<{ id: string; at: number; now: number }>, mode: "debounce" | "throttle", ms = 100) {
  let state: unknown = null;
  return calls.map((c) => {
    const out = decideSchedule(state, { mode, ms, ...c });
    state = out.state;
    return out.verdict;
  });
}

describe("decideSchedule", () => {
  it("debounce: each newer delivery moves the time; the old ones wait for the one that runs, then name it", () => {
    expect(run([
      { id: "a", at: 0, now: 0 },
      { id: "b", at: 50, now: 50 },
      { id: "a", at: 0, now: 100 }, // a's time: b is pending until 150
      { id: "a", at: 0, now: 150 },
      { id: "b", at: 50, now: 150 },
    ], "debounce")).toEqual([
      { run: false, deferUntil: 100, reason: expect.stringMatching(/^debounce 100 ms: waiting until/) },
      { run: false, deferUntil: 150, reason: expect.any(String) },
      { run: false, deferUntil: 150, reason: expect.stringMatching(/^superseded by b, waiting for the delivery that runs/) },
      { run: false, skip: "superseded by b (debounce 100 ms)" },
      { run: true },
    ]);
  });

  it("a pending delivery whose quiet period ended before a newer one arrived is still owed its run", () => {
    expect(run([
      { id: "a", at: 0, now: 0 },
      { id: "b", at: 500, now: 500 }, // a's period ended at 100: a is chosen, b starts a new one
      { id: "a", at: 0, now: 500 },
    ], "debounce")).toEqual([
      expect.objectContaining({ deferUntil: 100 }),
      expect.objectContaining({ deferUntil: 600 }),
      { run: true },
    ]);
  });

  it("an older delivery processed late (out of order) is superseded by the newer pending one", () => {
    expect(run([{ id: "b", at: 50, now: 50 }, { id: "a", at: 0, now: 60 }], "debounce")[1]).toMatchObject({ deferUntil: 150 });
  });

  it("throttle: the first at once; then the latest when the period since the last run ends", () => {
    const verdicts = run([
      { id: "a", at: 0, now: 0 },
      { id: "b", at: 10, now: 10 },
      { id: "c", at: 20, now: 20 },
      { id: "b", at: 10, now: 100 },
      { id: "c", at: 20, now: 100 },
      { id: "d", at: 150, now: 150 },
    ], "throttle");
    expect(verdicts).toEqual([
      { run: true },
      expect.objectContaining({ deferUntil: 100 }),
      expect.objectContaining({ deferUntil: 100 }),
      { run: false, skip: "superseded by c (throttle 100 ms)" },
      { run: true },
      expect.objectContaining({ deferUntil: 200 }), // c was chosen at 100
    ]);
  });

  it("ignores a stored state it cannot read", () => {
    const { state } = decideSchedule("garbage", { mode: "throttle", ms: 1, id: "a", at: 0, now: 0 });
    expect(state).toEqual<ScheduleState>({ pending: null, chosen: { id: "a", at: 0 }, chosenAt: 0 });
  });
});
