// Public API of the secrets module (server code only: never import it from a client component).
export { getSecrets, clearSecretsCache, refreshSecrets } from "./secrets";
export { acceptedAuthSecrets, type AppSecrets } from "./sources";
export { parseKeyRing, generateKeyRingEntry, KEY_ID_PATTERN, type KeyRing } from "./key-ring";
export { encryptSecret, decryptSecret, needsReencryption, type EncryptedSecret } from "./encryption";
export { SecretsConfigError, SecretsUnavailableError, SecretDecryptionError } from "./errors";
