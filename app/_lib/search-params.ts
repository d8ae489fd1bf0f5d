// The query string as a page receives it, and the one way to read a single value from it: a
// repeated parameter (?a=1&a=2) counts by its first value.
export type SearchParams = Record<string, string | string[] | undefined>;

export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
