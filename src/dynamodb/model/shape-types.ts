/**
 * Types of the DynamoDB service model tables that scripts/codegen-dynamodb.js generates from the official
 * Smithy model (shapes.generated.ts). Shapes refer to each other by index into `ServiceModel.shapes`, which
 * keeps the generated file small and lets checkers be compiled per shape once.
 */

/** Smithy shape kinds that occur in the inputs. `integer` and `long` stay apart: their Java types differ. */
export type ShapeKind =
  | 'structure'
  | 'union'
  | 'list'
  | 'map'
  | 'string'
  | 'enum'
  | 'boolean'
  | 'byte'
  | 'short'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'bigInteger'
  | 'bigDecimal'
  | 'blob'
  | 'timestamp'
  | 'document';

export interface MemberDef {
  /** Wire name (the JSON key), e.g. `TableName`. */
  readonly name: string;
  /** Index of the target shape. */
  readonly target: number;
  readonly required?: true;
}

/** Smithy `@length` (characters, elements or entries) or `@range` bounds; either end may be absent. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

export interface ShapeDef {
  /** Shape name without namespace; DynamoDB names its Java class after it in some messages. */
  readonly name: string;
  readonly kind: ShapeKind;
  /** Structure and union members, in model order. */
  readonly members?: readonly MemberDef[];
  /** List element shape. */
  readonly member?: number;
  /** Map key and value shapes. */
  readonly key?: number;
  readonly value?: number;
  /** Enum values, in model order. */
  readonly values?: readonly string[];
  readonly length?: Bounds;
  readonly range?: Bounds;
  /** Smithy `@pattern`, verbatim (Java regex syntax, anchored as the model writes it). */
  readonly pattern?: string;
}

export interface ServiceModel {
  /** API version, e.g. `2012-08-10`. */
  readonly version: string;
  /** Every operation of the service, sorted by name. */
  readonly operationNames: readonly string[];
  /** Operation name → index of its input shape. */
  readonly operations: Readonly<Record<string, number>>;
  /** Names of the shapes marked `@error`, sorted. */
  readonly errorNames: readonly string[];
  readonly shapes: readonly ShapeDef[];
}
