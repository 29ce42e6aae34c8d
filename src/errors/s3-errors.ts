import { AwsError } from './aws-error';

/** S3's error catalogue: each code with its HTTP status and the message S3 sends with it. */
export const S3_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  AuthorizationHeaderMalformed: { status: 400, message: 'The authorization header is malformed.' },
  AuthorizationQueryParametersError: { status: 400, message: 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters' },
  InvalidAccessKeyId: { status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.' },
  SignatureDoesNotMatch: {
    status: 403,
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  },
  RequestTimeTooSkewed: { status: 403, message: 'The difference between the request time and the current time is too large.' },
  XAmzContentSHA256Mismatch: {
    status: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NotImplemented: { status: 501, message: 'A header you provided implies functionality that is not implemented' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema',
  },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
} as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** Builds an S3 error; `fields` become extra XML elements (e.g. `BucketName`, `HostId`). */
export function s3Error(code: S3ErrorCode, message?: string, fields?: Record<string, unknown>): AwsError {
  const entry = S3_ERRORS[code];
  return new AwsError(code, entry.status, message ?? entry.message, '', fields);
}
