// Types of option-contract.mjs (a plain JavaScript table, so that JavaScript runs it without a type checker).
export interface ContractCase {
  id: string;
  where: string;
  run(lib: unknown): Promise<void> | void;
  expect: { accepted: true } | { message: string };
}
export interface ContractPlace {
  place: string;
  list: string;
  where: string;
  rows: [string, unknown, unknown, string][];
  call(lib: unknown, options: object): unknown;
}
export const PLACES: ContractPlace[];
export function typo(name: string): string;
export function contractCases(lists: Record<string, readonly string[]>): ContractCase[];
export function runCase(c: ContractCase, lib: unknown): Promise<{ accepted: true; other?: string } | { message: string }>;
