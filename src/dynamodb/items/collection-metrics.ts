/**
 * ReturnItemCollectionMetrics SIZE: reported only for tables with local secondary indexes, as the item's
 * hash key and an estimate of its item collection's size in GB, [lower, upper].
 */
import type { ReadView } from '../../storage/engine';
import type { Scope } from '../tables/arn';
import type { Item } from '../values/attribute-value';
import { itemSize } from '../values/item-size';
import { collectionRange, decodeItem } from './storage';
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
  if (mode !== 'SIZE' || table.record.localIndexes.length === 0) return undefined;
  const hash = table.schema.hash.name;
  const range = collectionRange(scope, table, key[hash]!);
  let size = 0;
  for (const entry of await view.scan(range)) size += itemSize(decodeItem(entry.value));
  const gb = size / GB;
  const lower = Math.floor(gb);
  return { ItemCollectionKey: { [hash]: key[hash]! }, SizeEstimateRangeGB: [lower, lower + 1] };
}
