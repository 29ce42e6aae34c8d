/**
 * Types shared by the expression modules: the AttributeValue shape they work on, the parse trees (pure,
 * cacheable, independent of ExpressionAttributeNames/Values) and the bound forms (names and values resolved,
 * ready to evaluate).
 *
 * Values, their comparisons and number arithmetic come from `../values/`.
 */

export type { AttributeValue, AttributeMap, Item } from '../values/attribute-value';
import type { AttributeValue } from '../values/attribute-value';

/** The type letters DynamoDB uses in messages (`getAbbrName`). */
export type TypeName = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

/** Which request parameter an expression came from; it names the expression in every message. */
export type ConditionKind = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';
export type ExpressionKind = ConditionKind | 'UpdateExpression' | 'ProjectionExpression';

// ---------------------------------------------------------------------------------------------------------------
// Parse trees (what the expression string says; no names or values resolved)
// ---------------------------------------------------------------------------------------------------------------

/** One element of a document path as written: an identifier, a `#name` placeholder or a `[n]` list index. */
export type PathElementSyntax =
  | { readonly kind: 'id'; readonly name: string }
  | { readonly kind: 'alias'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number; readonly text: string };

export interface PathSyntax {
  readonly type: 'path';
  readonly elements: readonly PathElementSyntax[];
}

export interface ValueSyntax {
  readonly type: 'value';
  /** The placeholder, with its colon: `:v`. */
  readonly name: string;
}

export interface CallSyntax {
  readonly type: 'call';
  readonly name: string;
  readonly args: readonly OperandSyntax[];
}

/** `+` / `-` in a SET action. */
export interface ArithmeticSyntax {
  readonly type: 'arith';
  readonly op: '+' | '-';
  readonly left: OperandSyntax;
  readonly right: OperandSyntax;
}

export type OperandSyntax = PathSyntax | ValueSyntax | CallSyntax | ArithmeticSyntax;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionSyntax =
  | { readonly type: 'compare'; readonly op: Comparator; readonly left: OperandSyntax; readonly right: OperandSyntax }
  | { readonly type: 'between'; readonly operand: OperandSyntax; readonly lower: OperandSyntax; readonly upper: OperandSyntax }
  | { readonly type: 'in'; readonly operand: OperandSyntax; readonly list: readonly OperandSyntax[] }
  | { readonly type: 'function'; readonly call: CallSyntax }
  | { readonly type: 'not'; readonly operand: ConditionSyntax }
  | { readonly type: 'and' | 'or'; readonly left: ConditionSyntax; readonly right: ConditionSyntax };

export type UpdateClause = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type UpdateActionSyntax =
  | { readonly clause: 'SET'; readonly path: PathSyntax; readonly value: OperandSyntax }
  | { readonly clause: 'REMOVE'; readonly path: PathSyntax }
  | { readonly clause: 'ADD' | 'DELETE'; readonly path: PathSyntax; readonly value: ValueSyntax };

// ---------------------------------------------------------------------------------------------------------------
// Bound forms (names and values resolved)
// ---------------------------------------------------------------------------------------------------------------

/** A resolved document path: strings are map keys (attribute names), numbers list indexes. */
export type DocPath = readonly (string | number)[];

export type BoundOperand =
  | { readonly k: 'path'; readonly path: DocPath }
  | { readonly k: 'value'; readonly value: AttributeValue }
  | { readonly k: 'size'; readonly arg: BoundOperand }
  | { readonly k: 'if_not_exists'; readonly path: DocPath; readonly fallback: BoundOperand }
  | { readonly k: 'list_append'; readonly left: BoundOperand; readonly right: BoundOperand }
  | { readonly k: '+' | '-'; readonly left: BoundOperand; readonly right: BoundOperand };

export type BoundCondition =
  | { readonly k: 'compare'; readonly op: Comparator; readonly left: BoundOperand; readonly right: BoundOperand }
  | { readonly k: 'between'; readonly operand: BoundOperand; readonly lower: BoundOperand; readonly upper: BoundOperand }
  | { readonly k: 'in'; readonly operand: BoundOperand; readonly list: readonly BoundOperand[] }
  | { readonly k: 'attribute_exists' | 'attribute_not_exists'; readonly path: DocPath }
  | { readonly k: 'attribute_type'; readonly operand: BoundOperand; readonly typeName: string }
  | { readonly k: 'begins_with' | 'contains'; readonly left: BoundOperand; readonly right: BoundOperand }
  | { readonly k: 'not'; readonly operand: BoundCondition }
  | { readonly k: 'and' | 'or'; readonly left: BoundCondition; readonly right: BoundCondition };

export type BoundAction =
  | { readonly clause: 'SET'; readonly value: BoundOperand }
  | { readonly clause: 'REMOVE' }
  | { readonly clause: 'ADD' | 'DELETE'; readonly value: AttributeValue };

/**
 * A tree of document paths, as DynamoDB keeps the paths of a ProjectionExpression or the targets of an
 * UpdateExpression: children keyed by map key (string) or list index (number), all children of a node of one
 * kind, `keys` in DynamoDB's order (names by UTF-16 code units, indexes numerically). A child is either a
 * subtree or a leaf (`null` in a projection; the action in an update).
 */
export interface PathTree<Leaf> {
  readonly children: Map<string | number, PathTree<Leaf> | Leaf>;
  /** Child keys in order; filled in once the tree is complete. */
  keys: (string | number)[];
}
