/** Values rendered the way Java's toString does, for "Value '...' at '...'" in ValidationException messages. */
import type { ShapeDef } from '../model/shape-types';
import { DYNAMODB_MODEL } from '../model/shapes.generated';
import { javaMapKeys, lowerFirst } from './java-order';
import { isObject } from './json-objects';

const SHAPES = DYNAMODB_MODEL.shapes;
const MAX_RENDER_DEPTH = 64;

export function render(shape: ShapeDef, value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (depth > MAX_RENDER_DEPTH) return '...';
  switch (shape.kind) {
    case 'list': {
      if (!Array.isArray(value)) break;
      const element = SHAPES[shape.member!];
      return `[${value.map((v: unknown) => render(element, v, depth + 1)).join(', ')}]`;
    }
    case 'map': {
      if (!isObject(value)) break;
      const entry = SHAPES[shape.value!];
      return `{${javaMapKeys(value).map((k) => `${k}=${render(entry, value[k], depth + 1)}`).join(', ')}}`;
    }
    case 'structure':
    case 'union': {
      if (!isObject(value)) break;
      const fields = (shape.members ?? []).map((m) => `${lowerFirst(m.name)}=${render(SHAPES[m.target], value[m.name], depth + 1)}`);
      return `${shape.name}(${fields.join(', ')})`;
    }
    case 'blob':
      if (typeof value !== 'string') break;
      return `java.nio.HeapByteBuffer[pos=0 lim=${Buffer.byteLength(value, 'base64')} cap=${Buffer.byteLength(value, 'base64')}]`;
    case 'float':
    case 'double':
      if (typeof value === 'number') return javaDouble(value);
      break;
    default:
      break;
  }
  return typeof value === 'object' ? '' : String(value);
}

function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}
