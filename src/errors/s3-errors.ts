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
  MissingRequestBodyError: { status: 400, message: 'Request Body is empty' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema',
  },
  // Bodies: aws-chunked framing, declared lengths and checksums (messages as S3 sends them).
  IncompleteBody: {
    status: 400,
    message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  },
  InvalidChunkSizeError: { status: 403, message: 'Only the last chunk is allowed to have a size less than 8192 bytes' },
  MalformedTrailerError: {
    status: 400,
    message: 'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  },
  BucketAlreadyExists: {
    status: 409,
    message: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  },
  BucketAlreadyOwnedByYou: { status: 409, message: 'Your previous request to create the named bucket succeeded and you already own it.' },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty' },
  IllegalLocationConstraintException: {
    status: 400,
    message: 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
  },
  InvalidLocationConstraint: { status: 400, message: 'The specified location-constraint is not valid' },
  KeyTooLongError: { status: 400, message: 'Your key is too long' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed size' },
  BadDigest: { status: 400, message: 'The Content-MD5 you specified did not match what we received.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  PreconditionFailed: { status: 412, message: 'At least one of the pre-conditions you specified did not hold' },
  ConditionalRequestConflict: {
    status: 409,
    message: 'The conditional request cannot succeed due to a conflicting operation against this resource.',
  },
  InvalidRange: { status: 416, message: 'The requested range is not satisfiable' },
  NotModified: { status: 304, message: 'Not Modified' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.' },
  MaxMessageLengthExceeded: { status: 400, message: 'Your request was too big.' },
  InvalidTag: { status: 400, message: 'The TagKey you have provided is invalid' },
  InvalidStorageClass: { status: 400, message: 'The storage class you specified is not valid' },
  InvalidEncryptionAlgorithmError: { status: 400, message: 'The encryption request you specified is not valid. The valid value is AES256.' },
  InvalidObjectState: { status: 403, message: 'The operation is not valid for the object\'s state' },
  InvalidPart: { status: 400, message: 'One or more of the specified parts could not be found.' },
  UnexpectedContent: { status: 400, message: 'This request does not support content' },
  AccessControlListNotSupported: { status: 400, message: 'The bucket does not allow ACLs' },
  MalformedACLError: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema',
  },
  UnresolvableGrantByEmailAddress: { status: 400, message: 'The e-mail address you provided does not match any account on record.' },
  NoSuchUpload: { status: 404, message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.' },
  NoSuchVersion: { status: 404, message: 'The specified version does not exist.' },
  BadRequest: { status: 400, message: 'Bad Request' },
  MetadataTooLarge: { status: 400, message: 'Your metadata headers exceed the maximum allowed metadata size' },
  InvalidPartNumber: { status: 416, message: 'The requested partnumber is not satisfiable' },
  InvalidBucketAclWithObjectOwnership: { status: 400, message: 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting' },
  InvalidRedirectLocation: { status: 400, message: 'The website redirect location must have a prefix of \'http://\' or \'https://\' or \'/\'.' },
  MissingSecurityHeader: { status: 400, message: 'Your request was missing a required header' },
  // Multipart uploads, versioning, bucket tagging and Object Lock.
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order. Parts must be ordered by part number.' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
  NoSuchTagSet: { status: 404, message: 'The TagSet does not exist' },
  InvalidBucketState: { status: 409, message: 'The request is not valid with the current state of the bucket.' },
  IllegalVersioningConfigurationException: { status: 400, message: 'The versioning configuration specified in the request is invalid.' },
  ObjectLockConfigurationNotFoundError: { status: 404, message: 'Object Lock configuration does not exist for this bucket' },
  NoSuchObjectLockConfiguration: { status: 404, message: 'The specified object does not have a ObjectLock configuration' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
} as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** Builds an S3 error; `fields` become extra XML elements (e.g. `BucketName`, `HostId`). */
export function s3Error(code: S3ErrorCode, message?: string, fields?: Record<string, unknown>): AwsError {
  const entry = S3_ERRORS[code];
  return new AwsError(code, entry.status, message ?? entry.message, '', fields);
}
