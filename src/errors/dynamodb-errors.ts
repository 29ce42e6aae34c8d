import { AwsError } from './aws-error';

const CORAL = 'com.amazon.coral.service';
const VALIDATE = 'com.amazon.coral.validate';
const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';

/**
 * DynamoDB's error catalogue: each error type with its `__type` namespace, HTTP status and, where DynamoDB
 * always says the same thing, its message. Namespaces follow what DynamoDB itself sends: protocol and auth
 * errors come from the Coral framework, validation from its validator, the rest from the service.
 */
export const DYNAMODB_ERRORS = {
  // Protocol and authentication
  // Coral's deserialiser capitalises this one member: `Message`.
  SerializationException: { namespace: CORAL, status: 400, message: '', messageField: 'Message' },
  UnknownOperationException: { namespace: CORAL, status: 400, message: '' },
  MissingAuthenticationTokenException: { namespace: CORAL, status: 400, message: 'Request is missing Authentication Token' },
  UnrecognizedClientException: {
    namespace: CORAL,
    status: 400,
    message: 'The security token included in the request is invalid.',
  },
  InvalidSignatureException: { namespace: CORAL, status: 400, message: '' },
  IncompleteSignatureException: { namespace: CORAL, status: 400, message: '' },
  AccessDeniedException: { namespace: CORAL, status: 400, message: '' },
  RequestEntityTooLarge: { namespace: CORAL, status: 413, message: 'Request Entity Too Large' },
  // Validation
  ValidationException: { namespace: VALIDATE, status: 400, message: '' },
  // Service
  ResourceNotFoundException: { namespace: DYNAMODB, status: 400, message: 'Requested resource not found' },
  ResourceInUseException: { namespace: DYNAMODB, status: 400, message: '' },
  LimitExceededException: { namespace: DYNAMODB, status: 400, message: '' },
  ConditionalCheckFailedException: { namespace: DYNAMODB, status: 400, message: 'The conditional request failed' },
  TransactionCanceledException: { namespace: DYNAMODB, status: 400, message: '' },
  TransactionConflictException: { namespace: DYNAMODB, status: 400, message: '' },
  IdempotentParameterMismatchException: { namespace: DYNAMODB, status: 400, message: '' },
  // The message as the DynamoDB developer guide's error table and the TransactWriteItems reference
  // (CancellationReasons) give it, without their closing period: the same tables list "The conditional
  // request failed." for the message DynamoDB sends as "The conditional request failed".
  ItemCollectionSizeLimitExceededException: { namespace: DYNAMODB, status: 400, message: 'Collection size exceeded' },
  ProvisionedThroughputExceededException: { namespace: DYNAMODB, status: 400, message: '' },
  InternalServerError: { namespace: DYNAMODB, status: 500, message: 'Internal server error' },
} as const;

export type DynamoErrorCode = keyof typeof DYNAMODB_ERRORS;

/**
 * The JSON member that carries an error's message: `message`, except where DynamoDB says otherwise. A
 * ConditionalCheckFailedException that returns the item (ReturnValuesOnConditionCheckFailure ALL_OLD) names
 * it `Message`. It shows: botocore copies a lowercase `message` to the top of the parsed error, and moto's
 * aws_verified tests assert that the copy is absent in that case.
 */
export function messageField(code: string, fields?: Record<string, unknown>): string {
  if (code === 'ConditionalCheckFailedException' && fields?.Item !== undefined) return 'Message';
  const entry = (DYNAMODB_ERRORS as Record<string, { messageField?: string }>)[code];
  return entry?.messageField ?? 'message';
}

/** Builds a DynamoDB error; the catalogue's message is used when none is given. */
export function dynamoError(code: DynamoErrorCode, message?: string, fields?: Record<string, unknown>): AwsError {
  const entry = DYNAMODB_ERRORS[code];
  return new AwsError(code, entry.status, message ?? entry.message, entry.namespace, fields);
}

export const validationError = (message: string): AwsError => dynamoError('ValidationException', message);
export const resourceNotFound = (message?: string): AwsError => dynamoError('ResourceNotFoundException', message);
export const resourceInUse = (message: string): AwsError => dynamoError('ResourceInUseException', message);
