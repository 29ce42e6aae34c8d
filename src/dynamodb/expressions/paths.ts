import { ExpressionProblem, MESSAGES } from './errors';
import type { AttributeMap, AttributeValue, DocPath, Item, PathTree } from './types';

/** How DynamoDB prints a document path in messages: `[a, b, [2], c]`. */
export function formatPath(path: DocPath): string {
  let text = '[';
  for (let i = 0; i < path.length; i++) {
    if (i > 0) text += ', ';
    const element = path[i]!;
    text += typeof element === 'number' ? `[${element}]` : element;
  }
  return text + ']';
}

export function pathsEqual(a: DocPath, b: DocPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hasOwn(map: AttributeMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Sets an own property, also for names such as `__proto__`. */
export function setOwn(map: AttributeMap, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** The child of a map or list value at one path element; undefined when absent or of the other kind. */
export function childOf(value: AttributeValue, element: string | number): AttributeValue | undefined {
  if (typeof element === 'string') {
    if (!('M' in value)) return undefined;
    return hasOwn(value.M, element) ? value.M[element] : undefined;
  }
  return 'L' in value ? value.L[element] : undefined;
}

/** The value at a document path of an item, or undefined where the path leads nowhere. */
export function valueAt(item: Item, path: DocPath): AttributeValue | undefined {
  const head = path[0] as string;
  let value = hasOwn(item, head) ? item[head] : undefined;
  for (let i = 1; i < path.length && value !== undefined; i++) value = childOf(value, path[i]!);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Path trees: how DynamoDB collects the paths of a projection or the targets of an update, and detects paths
// that overlap (one is a prefix of the other, or equal) or conflict (one goes through a map key where the
// other goes through a list index).
// ---------------------------------------------------------------------------------------------------------------

export function newTree<Leaf>(): PathTree<Leaf> {
  return { children: new Map(), keys: [] };
}

export function isTree<Leaf>(node: PathTree<Leaf> | Leaf): node is PathTree<Leaf> {
  return node !== null && typeof node === 'object' && (node as PathTree<Leaf>).children instanceof Map;
}

/** DynamoDB's order of path elements: names by UTF-16 code units (Java's String order), indexes numerically. */
function compareElements(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstKey<Leaf>(node: PathTree<Leaf>): string | number {
  let first: string | number | undefined;
  for (const key of node.children.keys()) if (first === undefined || compareElements(key, first) < 0) first = key;
  return first!;
}

/**
 * The "path two" of DynamoDB's overlap and conflict messages: the first `depth` elements of the new path, then
 * the first child (in order) of each node down to a leaf. This is not necessarily the path that overlaps (with
 * `SET c.b = :x, c = :y, #n = :z` and `#n` standing for "[3]", DynamoDB names `[[3]]`), and DynamoDB says so.
 */
function pathToFirstLeaf<Leaf>(path: DocPath, depth: number, node: PathTree<Leaf>): string {
  const elements = path.slice(0, depth);
  let current: PathTree<Leaf> | Leaf = node;
  do {
    const tree = current as PathTree<Leaf>;
    const key = firstKey(tree);
    elements.push(key);
    current = tree.children.get(key)!;
  } while (isTree(current) && current.children.size > 0);
  return formatPath(elements);
}

/**
 * Adds a path; throws DynamoDB's overlap/conflict problem against the paths already in the tree. DynamoDB adds
 * the paths of an expression in reverse order of writing, so "path one" is the earlier-written path.
 */
export function insertPath<Leaf>(root: PathTree<Leaf>, path: DocPath, leaf: Leaf): void {
  let node = root;
  for (let depth = 0; ; depth++) {
    const element = path[depth]!;
    const child = node.children.get(element);
    if (child === undefined) {
      if (node.children.size > 0 && typeof firstKey(node) !== typeof element) {
        throw new ExpressionProblem(MESSAGES.conflict(formatPath(path), pathToFirstLeaf(path, depth, node)));
      }
      let rest: PathTree<Leaf> | Leaf = leaf;
      for (let i = path.length - 1; i > depth; i--) {
        const tree = newTree<Leaf>();
        tree.children.set(path[i]!, rest);
        rest = tree;
      }
      node.children.set(element, rest);
      return;
    }
    if (isTree(child) && depth + 1 < path.length) {
      node = child;
      continue;
    }
    throw new ExpressionProblem(MESSAGES.overlap(formatPath(path), pathToFirstLeaf(path, depth, node)));
  }
}

/** Fills in every node's ordered key list; call once all paths are in. */
export function finishTree<Leaf>(node: PathTree<Leaf>): void {
  node.keys = [...node.children.keys()].sort(compareElements);
  for (const child of node.children.values()) if (isTree(child)) finishTree(child);
}

/** Replaces the leaf at a path already in the tree. */
export function setLeaf<Leaf>(root: PathTree<Leaf>, path: DocPath, leaf: Leaf): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) node = node.children.get(path[i]!) as PathTree<Leaf>;
  node.children.set(path[path.length - 1]!, leaf);
}
