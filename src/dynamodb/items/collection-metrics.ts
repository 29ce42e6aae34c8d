/**
 * ReturnItemCollectionMetrics SIZE: reported only for tables with local secondary indexes, as the item's
 * hash key and an estimate of its item collection's size (items and local index entries,
 * items/collection-size.ts) in GB, [lower, upper].
 */
import type { ReadView } from '../../storage/engine';
import type { Scope } from '../tables/arn';
import type { Item } from '../values/attribute-value';
import { collectionSize, hasCollections } from './collection-size';
import type { ItemTable } from './table';

export interface ItemCollectionMetrics {
  ItemCollectionKey: Item;
  SizeEstimateRangeGB: [number, number];
}

const GB = 1024 * 1024 * 1024;

export async function itemCollectionMetrics(
  view: ReadView,
  scope: Scope,
  table: ItemTable,
  mode: string | undefined,
  key: Item,
): Promise<ItemCollectionMetrics | undefined> {
  if (mode !== 'SIZE' || !hasCollections(table)) return undefined;
  const hash = table.schema.hash.name;
  const gb = (await collectionSize(view, scope, table, key[hash]!)) / GB;
  const lower = Math.floor(gb);
  return { ItemCollectionKey: { [hash]: key[hash]! }, SizeEstimateRangeGB: [lower, lower + 1] };
}
