-- The unread-notice count in every signed-in page's header (lib/notifications/inbox.ts) is one
-- COUNT over this partial index: only a user's unread rows are in it, so the count costs the
-- unread notices, not the account's whole history. Prisma's schema cannot express a partial index.
CREATE INDEX "notifications_unread_idx" ON "notifications"("user_id") WHERE "read_at" IS NULL;
