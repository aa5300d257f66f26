/**
 * The Standard Schema interface (https://standardschema.dev), which zod 4, valibot and arktype implement.
 * Kept as types only so hubhooks depends on no particular validation library for user schemas.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

export type InferOutput<S extends StandardSchemaV1> = NonNullable<S["~standard"]["types"]>["output"];

/** The first issues as `"a.b: message"` lines, the shape the payload parser reports too. */
export function formatIssues(issues: ReadonlyArray<StandardIssue>, max = 5): string[] {
  return issues.slice(0, max).map((issue) => {
    const path = (issue.path ?? [])
      .map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p))
      .map(String)
      .join(".");
    return `${path || "(root)"}: ${issue.message}`;
  });
}
