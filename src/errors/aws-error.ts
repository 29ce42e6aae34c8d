/**
 * The one error type every layer throws. The HTTP layer renders it in the wire format of the service the
 * request addressed (DynamoDB JSON or S3 XML); nothing else decides status codes.
 */
export class AwsError extends Error {
  constructor(
    /** AWS error code, e.g. `ValidationException` or `NoSuchBucket`. */
    readonly code: string,
    readonly status: number,
    message: string,
    /** Namespace for DynamoDB's `__type` (`com.amazon.coral.validate`, ...); unused by S3. */
    readonly namespace = '',
    /** Extra members rendered beside the message (e.g. `Item` of a failed condition, `BucketName`). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export function isAwsError(err: unknown): err is AwsError {
  return err instanceof AwsError;
}
