// npm run api-key -- --email <e> --scopes read,trade [--label "nightly export"] [--ip 203.0.113.7,10.0.0.0/8]
// Creates an API key for an existing user (scopes limited to the user's roles, as on
// /settings/api-keys) and prints its key id and secret once. Audit-logged like any key event.
import { parseArgs } from "node:util";
import { createApiKey } from "../api/keys";
import { normalizeEmail } from "../auth/login";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";

const USAGE =
  'Usage: npm run api-key -- --email user@example.com --scopes read,trade [--label "my script"] [--ip 203.0.113.7,10.0.0.0/8]';

const { values } = parseArgs({
  options: { email: { type: "string" }, scopes: { type: "string" }, label: { type: "string" }, ip: { type: "string" } },
});
if (!values.email || !values.scopes) {
  console.error(USAGE);
  process.exit(2);
}
const email = normalizeEmail(values.email);
const scopes = values.scopes
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  try {
    const user = await prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) {
      console.error(`No user with the email ${email}.`);
      process.exitCode = 1;
      return;
    }
    const result = await createApiKey(prisma, {
      userId: user.id,
      label: values.label?.trim() || `cli ${new Date().toISOString().slice(0, 10)}`,
      scopes,
      ipAllowlist: values.ip ?? "",
      via: "cli",
    });
    if (!result.ok) {
      console.error(result.message);
      process.exitCode = 2;
      return;
    }
    console.log(`API key for ${email} (scopes: ${result.key.scopes.join(", ")})`);
    console.log(`key id: ${result.key.keyId}`);
    console.log(`secret: ${result.secret}`);
    console.log("The secret is shown only now; store it safely.");
  } finally {
    await prisma.$disconnect();
  }
});
