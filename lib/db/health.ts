import type { PrismaClient } from "./client";

export type DatabaseHealth = { ok: true } | { ok: false; reason: string };

export async function checkDatabase(prisma: PrismaClient, timeoutMs = 2_000): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `database unreachable: ${message.split("\n")[0]}` };
  } finally {
    clearTimeout(timer);
  }
}
