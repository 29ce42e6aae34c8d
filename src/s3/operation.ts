import type { StorageEngine } from '../storage/engine';

/** The caller of an S3 request: account from the credential, region from the signature's scope. */
export interface S3Context {
  accountId: string;
  accessKeyId: string;
  region: string;
  requestId: string;
  store: StorageEngine;
}
