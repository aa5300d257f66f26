// `hubhooks/testing`: what tests of a webhook app use (fixtures of every documented event, a manual clock).
export {
  FIXTURE_NAMES,
  listFixtures,
  getFixture,
  fixture,
  type FixtureName,
  type FixtureEvent,
  type GetFixtureOptions,
  type DeepPartial,
} from "./payload/fixtures.js";
export { setPath, parseSetValue } from "./payload/set-path.js";
export { ManualClock, systemClock, type Clock } from "./internal/clock.js";
export { resolveOptions } from "./server/options.js";
