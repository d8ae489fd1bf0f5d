// 2FA for test users, written straight to the user row as enrolment leaves it: a fresh TOTP secret
// sealed with the test file's key ring (the one given to withTestSecrets).
import { generateTotpSecret, sealTotpSecret } from "../auth/totp";
import type { PrismaClient } from "../db/client";
import { parseKeyRing } from "../secrets/key-ring";

/** Turns 2FA on for the user (enabled at `enabledAt`, last step used `lastStep`); the secret, base32. */
export async function enrollTotp(
  prisma: PrismaClient,
  userId: string,
  keys: string,
  options: { enabledAt: Date; lastStep?: bigint | null },
): Promise<string> {
  const secret = generateTotpSecret();
  const sealed = sealTotpSecret(secret, userId, parseKeyRing(keys));
  await prisma.user.update({
    where: { id: userId },
    data: {
      totpSecretEnc: sealed.ciphertext,
      totpKeyId: sealed.keyId,
      totpEnabledAt: options.enabledAt,
      ...(options.lastStep === undefined ? {} : { totpLastStep: options.lastStep }),
    },
  });
  return secret;
}
