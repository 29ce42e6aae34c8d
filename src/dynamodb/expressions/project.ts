import { childOf, isTree, setOwn } from './paths';
import type { AttributeMap, AttributeValue, Item, PathTree } from './types';

/**
 * Builds the part of an item a path tree selects, as DynamoDB does for ProjectionExpression (and, with the
 * tree of an update's targets, for ReturnValues UPDATED_OLD / UPDATED_NEW):
 *
 *  - a path that leads nowhere contributes nothing (a map or list left with nothing selected disappears);
 *  - selected map entries keep their names;
 *  - selected list elements form a list in index order, without gaps: `a[3], a[1]` of
 *    `[w, x, y, z]` is `[x, z]`;
 *  - a path through `.name` into a list, or `[n]` into a map or scalar, selects nothing.
 *
 * Returns the selected attributes (an empty object when nothing is selected).
 */
export function projectItem<Leaf>(tree: PathTree<Leaf>, item: Item): Item {
  const selected = project(tree, { M: item });
  return selected === undefined ? {} : (selected as { M: AttributeMap }).M;
}

function project<Leaf>(node: PathTree<Leaf>, doc: AttributeValue): AttributeValue | undefined {
  const isMap = 'M' in doc;
  if (!isMap && !('L' in doc)) return undefined;
  let map: AttributeMap | undefined;
  let list: AttributeValue[] | undefined;
  for (const key of node.keys) {
    const current = childOf(doc, key);
    if (current === undefined) continue;
    const child = node.children.get(key)!;
    const value = isTree(child) ? project(child, current) : current;
    if (value === undefined) continue;
    if (typeof key === 'string') setOwn((map ??= {}), key, value);
    else (list ??= []).push(value);
  }
  if (map !== undefined) return { M: map };
  if (list !== undefined) return { L: list };
  return undefined;
}
