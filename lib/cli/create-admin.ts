// npm run create-admin -- --email admin@example.com [--name "Ada Admin"]
// Creates an admin (password from HASHLEASE_ADMIN_PASSWORD or typed at the prompt) or grants
// the admin role to an existing user. Audit-logged.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { appendAudit } from "../audit/audit";
import { normalizeEmail } from "../auth/login";
import { hashPassword } from "../auth/password";
import { registrationSchema } from "../auth/register";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";

const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
const emailCheck = registrationSchema.shape.email.safeParse(values.email ?? "");
if (!emailCheck.success) {
  console.error('Usage: npm run create-admin -- --email admin@example.com [--name "Ada Admin"]');
  process.exit(2);
}
const email = normalizeEmail(emailCheck.data);

async function readPassword(): Promise<string> {
  if (process.env.HASHLEASE_ADMIN_PASSWORD) return process.env.HASHLEASE_ADMIN_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question("Password for the new admin (12+ characters): ");
  } finally {
    rl.close();
  }
}

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  try {
    const existing = await prisma.user.findUnique({ where: { email } });
    if (existing) {
      if (existing.roles.includes("ADMIN")) {
        console.log(`${email} is already an admin.`);
        return;
      }
      await prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id: existing.id }, data: { roles: [...existing.roles, "ADMIN"] } });
        await appendAudit(tx, {
          actorId: null,
          action: "admin.role_granted",
          entityType: "user",
          entityId: existing.id,
          details: { via: "cli" },
        });
      });
      console.log(`Granted the admin role to ${email}.`);
      return;
    }
    const password = await readPassword();
    const passwordCheck = registrationSchema.shape.password.safeParse(password);
    if (!passwordCheck.success) {
      console.error(passwordCheck.error.issues[0]?.message ?? "Invalid password.");
      process.exitCode = 2;
      return;
    }
    const name = values.name?.trim() || "Administrator";
    await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email,
          name,
          passwordHash: await hashPassword(password),
          roles: ["ADMIN"],
          emailVerifiedAt: new Date(),
        },
      });
      await appendAudit(tx, {
        actorId: null,
        action: "admin.created",
        entityType: "user",
        entityId: user.id,
        details: { via: "cli" },
      });
    });
    console.log(`Created admin ${email}.`);
  } finally {
    await prisma.$disconnect();
  }
});
