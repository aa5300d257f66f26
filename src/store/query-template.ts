import type { Compilable, CompiledQuery, Kysely, QueryResult } from "kysely";

/** Stands for one value in a query compiled once; replaced by the real value at every run. */
class Slot {
  constructor(readonly path: readonly [string, number?]) {}
}

type Values = Record<string, unknown>;

/** Compiled queries per kysely adapter (one per Kysely instance, shared by its transactions), then by shape. */
const compiledByAdapter = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * A query whose SQL depends only on its shape (here: the length of each array value), built and compiled
 * by kysely once per database and shape, then run with fresh values. The hot statements (claim, settle,
 * record) spent more CPU in kysely's builder and compiler than in SQLite; compiling once also gives the
 * statement cache the same SQL text every time. `build` receives stand-ins for the values, typed as the
 * values: use them only as values (kysely turns them into bound parameters), never in JavaScript logic,
 * and never where kysely inlines a value (`sql.lit`, `is null`). An undefined value binds NULL.
 * @example
 * const byId = queryTemplate("get", (db, v: { id: string }) => db.selectFrom("deliveries").selectAll().where("id", "=", v.id));
 * const { rows } = await byId(db, { id: "dlv_..." });
 */
export function queryTemplate<DB, V extends object, R>(
  name: string,
  build: (db: Kysely<DB>, values: V) => Compilable<R>,
): (db: Kysely<DB>, values: V) => Promise<QueryResult<R>> {
  return (db, values) => {
    const executor = db.getExecutor();
    let compiled = compiledByAdapter.get(executor.adapter);
    if (!compiled) compiledByAdapter.set(executor.adapter, (compiled = new Map()));
    const key = shapeKey(name, values as Values);
    let query = compiled.get(key) as CompiledQuery<R> | undefined;
    if (!query) {
      query = build(db, slotsFor(values as Values) as V).compile();
      compiled.set(key, query);
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? valueAt(values as Values, p.path) : p));
    return db.executeQuery<R>({ ...query, parameters });
  };
}

function shapeKey(name: string, values: Values): string {
  let key = name;
  for (const k in values) {
    const v = values[k];
    if (Array.isArray(v)) key += `|${k}:${v.length}`;
  }
  return key;
}

function slotsFor(values: Values): Values {
  const slots: Values = {};
  for (const k in values) {
    const v = values[k];
    slots[k] = Array.isArray(v) ? v.map((_, i) => new Slot([k, i])) : new Slot([k]);
  }
  return slots;
}

function valueAt(values: Values, [key, index]: readonly [string, number?]): unknown {
  const v = index === undefined ? values[key] : (values[key] as unknown[])[index];
  // kysely would have left out an undefined column; a compiled query can't, so it binds NULL.
  return v === undefined ? null : v;
}
