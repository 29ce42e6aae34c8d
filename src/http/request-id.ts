import { randomBytes } from 'node:crypto';

/** DynamoDB's request ids: 52 upper-case alphanumerics. */
export function dynamoRequestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/=]/g, '0');
}

/** S3's request ids: 16 upper-case hex characters, and a longer base64 extended id (x-amz-id-2). */
export function s3RequestIds(): { requestId: string; hostId: string } {
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(48).toString('base64'),
  };
}
