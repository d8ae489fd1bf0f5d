// The `token` query parameter of an emailed link, as the page reads it.
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function linkToken(searchParams: SearchParams): Promise<string> {
  const value = (await searchParams).token;
  return (Array.isArray(value) ? value[0] : value)?.slice(0, 100) ?? "";
}
