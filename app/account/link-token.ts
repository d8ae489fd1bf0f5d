// The `token` query parameter of an emailed link, as the page reads it.
import { firstParam, type SearchParams } from "@/app/_lib/search-params";

export async function linkToken(searchParams: Promise<SearchParams>): Promise<string> {
  return firstParam((await searchParams).token)?.slice(0, 100) ?? "";
}
