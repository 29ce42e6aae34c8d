/**
 * Model-driven request checks, in DynamoDB's order:
 *
 *  1. Deserialisation: a value of the wrong JSON type for its shape is a SerializationException. DynamoDB
 *     reads the body as a stream, so the first bad value in document order wins and its message names no path.
 *  2. A few operation-specific checks DynamoDB makes before its validator (see PRECHECKS).
 *  3. Constraints (required, length, range, pattern, enum) → one ValidationException listing up to ten
 *     violations: "N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: ...; ...".
 *
 * Per-operation checkers are compiled once from the generated model. The valid path allocates nothing: it
 * only walks; paths and messages are built in a second pass once a violation is known to exist.
 *
 * Where each part lives, in this folder:
 *   deserialize.ts       stage 1 (SerializationException)
 *   model-deviations.ts  stage 2 (PRECHECKS) and every other place DynamoDB departs from the public model
 *   constraints.ts       stage 3: walking a value and listing its violations, in Java's order
 *   own-constraints.ts   stage 3: the constraints a single value must meet
 *   table-names.ts       the plain-name and table-ARN rules for TableName members
 *   patterns.ts          model patterns: testing them in JS, printing them as DynamoDB does
 *   java-order.ts        Java HashMap/HashSet iteration order
 *   java-render.ts       values as Java's toString renders them ("Value '...'")
 *   json-objects.ts      small helpers over parsed JSON objects
 *
 * Evidence for the messages is in the tests and the report: dynalite's test/helpers.js and test/*.js (asserted
 * against live DynamoDB), plus later captures of live responses where noted.
 */
import { validationError } from '../../errors/dynamodb-errors';
import { DYNAMODB_MODEL } from '../model/shapes.generated';
import { validator } from './constraints';
import { deserializer } from './deserialize';
import { PRECHECKS } from './model-deviations';

export function checkInput(operation: string, body: unknown): void {
  const checker = checkerFor(operation);
  if (checker) checker(body);
}

type Checker = (body: unknown) => void;
const checkers = new Map<string, Checker>();

/** Null for names the model does not know (the dispatcher answers those); only model operations are cached. */
function checkerFor(operation: string): Checker | null {
  let checker = checkers.get(operation);
  if (checker === undefined) {
    if (!Object.prototype.hasOwnProperty.call(DYNAMODB_MODEL.operations, operation)) return null;
    checker = compileOperation(operation, DYNAMODB_MODEL.operations[operation]);
    checkers.set(operation, checker);
  }
  return checker;
}

function compileOperation(operation: string, input: number): Checker {
  const deserialize = deserializer(input, 'value');
  const precheck = PRECHECKS[operation];
  const validate = validator(input);
  return (body) => {
    // An empty or null body is an input with no members.
    const value = body === null || body === undefined ? {} : body;
    deserialize(value, 0);
    if (precheck) precheck(value as Record<string, unknown>);
    if (!validate || validate(value, '', null)) return;
    const out: string[] = [];
    validate(value, '', out);
    throw validationError(`${out.length} validation error${out.length === 1 ? '' : 's'} detected: ${out.join('; ')}`);
  };
}
