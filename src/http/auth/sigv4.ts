import type { CredentialStore } from './credentials';
import { verifyDynamoRequest } from './dynamodb-auth';
import { verifyS3Request } from './s3-auth';
import type { Anonymous, AuthResult, SignedRequest, VerifyOptions } from './signed-request';

export type { Anonymous, AuthResult, SignedRequest, SignedService, VerifyOptions } from './signed-request';

/**
 * Verifies an AWS Signature Version 4 request and says who signed it, or throws the AwsError the addressed
 * service would send. DynamoDB requests are always signed; S3 ones may be `'anonymous'`.
 */
export function verifyRequest(
  req: SignedRequest,
  store: CredentialStore,
  options: VerifyOptions & { service: 'dynamodb' },
): AuthResult;
export function verifyRequest(req: SignedRequest, store: CredentialStore, options: VerifyOptions): AuthResult | Anonymous;
export function verifyRequest(req: SignedRequest, store: CredentialStore, options: VerifyOptions): AuthResult | Anonymous {
  const now = options.now ?? Date.now();
  return options.service === 'dynamodb' ? verifyDynamoRequest(req, store, now) : verifyS3Request(req, store, now);
}
