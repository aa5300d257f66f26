/**
 * What a run returns when a debounced or throttled route must wait: the delivery goes back to the queue until
 * `until` (the attempt is given back), keeping the steps done so far.
 * @example
 * return new Deferred(now + 600_000, "debounce 600000 ms: waiting until …");
 */
export class Deferred {
  constructor(
    readonly until: number,
    readonly reason: string,
  ) {}
}
