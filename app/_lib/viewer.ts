// The signed-in user for chrome (header, error pages): never the access decision itself —
// pages call requireRole/requireUser. A failing session lookup (database down) renders the
// chrome as anonymous instead of taking down every page with it.
import { unstable_rethrow } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/session";
import { log } from "@/lib/observability/log";

export const getViewer = cache(async (): Promise<CurrentUser | null> => {
  // Request time only: the build never reads sessions, secrets or the database.
  await connection();
  try {
    return await getCurrentUser();
  } catch (error) {
    unstable_rethrow(error);
    log.error({ err: error }, "viewer: session lookup failed; rendering as anonymous");
    return null;
  }
});
