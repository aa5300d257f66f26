/**
 * Import a package a runtime test needs, or say in one printed line why the test is skipped (a package that could not
 * install on this platform): never a silent skip.
 * @example
 * const miniflare = await optionalPackage<typeof import("miniflare")>("miniflare", "the Workers tests");
 * describe.skipIf(!miniflare)("in workerd", () => { ... });
 */
export async function optionalPackage<T>(name: string, what: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    console.warn(`[hubhooks] skipping ${what}: the ${name} package cannot be loaded (${error instanceof Error ? error.message : String(error)}); npm ci installs it.`);
    return undefined;
  }
}
