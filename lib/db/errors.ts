// What a database error means, whichever layer raised it (Prisma's engine codes, PostgreSQL's
// SQLSTATE from the driver adapter, or the adapter's own error kinds): one helper per meaning,
// for every domain that catches them.

/** A unique constraint refused the write: Prisma's P2002 or PostgreSQL's 23505. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as {
    code?: unknown;
    cause?: { code?: unknown };
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  return (
    e.code === "P2002" ||
    e.code === "23505" ||
    e.cause?.code === "23505" ||
    e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation"
  );
}

/**
 * PostgreSQL gave up one of two transactions that waited on each other (40P01); retrying is safe.
 * Prisma reports it inside an interactive transaction as P2034 ("TransactionWriteConflict").
 */
export function isDeadlock(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  return (
    e.code === "40P01" ||
    e.code === "P2034" ||
    e.cause?.code === "40P01" ||
    (typeof e.message === "string" && e.message.includes("deadlock detected"))
  );
}

/**
 * Runs `transaction` (one whole database transaction) again when PostgreSQL picked it as a
 * deadlock's victim: it was rolled back whole, so nothing of the attempt remains. Other errors,
 * and a deadlock on the last attempt, are thrown.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
    }
  }
}

/**
 * Failures that say nothing about the data, only that the database or the pool was busy: no
 * connection within Prisma's wait (P2028 "Unable to start a transaction"), a transaction past
 * its time limit (rolled back whole), a deadlock or serialization victim (40P01, 40001,
 * Prisma's P2034 "write conflict or a deadlock"). Repeating the same operation is safe when it
 * is idempotent.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = e.code ?? e.cause?.code;
  const message = typeof e.message === "string" ? e.message : "";
  return (
    code === "P2028" ||
    code === "P2034" ||
    code === "40P01" ||
    code === "40001" ||
    message.includes("Unable to start a transaction in the given time") ||
    message.includes("Timed out fetching a new connection") ||
    message.includes("deadlock detected") ||
    message.includes("write conflict or a deadlock") ||
    message.includes("could not serialize access")
  );
}
