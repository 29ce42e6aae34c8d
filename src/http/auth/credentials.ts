/** One access key: the secret signs requests, the account owns whatever the requests create. */
export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

/** The access keys Basalt accepts, looked up by access key id on every signed request. */
export class CredentialStore {
  private readonly byAccessKeyId = new Map<string, Credential>();

  constructor(credentials: readonly Credential[]) {
    for (const credential of credentials) {
      if (!credential.accessKeyId || !credential.secretAccessKey) {
        throw new Error('a credential needs a non-empty access key id and secret access key');
      }
      if (this.byAccessKeyId.has(credential.accessKeyId)) {
        // Two secrets for one key would make the signature check depend on list order.
        throw new Error(`duplicate access key id ${credential.accessKeyId}`);
      }
      this.byAccessKeyId.set(credential.accessKeyId, { ...credential });
    }
  }

  lookup(accessKeyId: string): Credential | undefined {
    return this.byAccessKeyId.get(accessKeyId);
  }
}
