// Errors of the secrets module. Messages name variables, files and key ids, never secret values.

/** The secrets source is missing, incomplete or malformed; the message says what to fix. */
export class SecretsConfigError extends Error {
  override name = "SecretsConfigError";
}

/** A sealed value could not be opened: unknown key id, malformed, wrong AAD or tampered. */
export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

/** The secrets store could not be reached or refused the request (network, credentials, IAM). */
export class SecretsUnavailableError extends Error {
  override name = "SecretsUnavailableError";
}
