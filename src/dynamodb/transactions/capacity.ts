/**
 * ConsumedCapacity of a transaction, one entry per table in the order tables first appear in the request.
 * DynamoDB performs two underlying operations (prepare and commit) per item, so a transactional write costs
 * two write units per started KB and a transactional read (TransactGetItems, a ConditionCheck) two read
 * units per started 4 KB; secondary index writes are doubled the same way.
 */
import type { ConsumedCapacity } from '../items/capacity';
import type { ReturnConsumedCapacity } from '../items/checks';
import { writeCapacity } from '../items/capacity';
import type { ItemTable } from '../items/table';
import type { Item } from '../values/attribute-value';
import { itemSize, readCapacityUnits } from '../values/item-size';

type Units = Record<string, { CapacityUnits: number }>;

export class TransactionCapacity {
  private readonly tables = new Map<string, ConsumedCapacity>();

  constructor(private readonly mode: ReturnConsumedCapacity) {}

  get wanted(): boolean {
    return this.mode === 'TOTAL' || this.mode === 'INDEXES';
  }

  private entry(table: ItemTable): ConsumedCapacity {
    let entry = this.tables.get(table.record.name);
    if (!entry) {
      entry = { TableName: table.record.name, CapacityUnits: 0 };
      if (this.mode === 'INDEXES') entry.Table = { CapacityUnits: 0 };
      this.tables.set(table.record.name, entry);
    }
    return entry;
  }

  /** Makes sure the table is listed (a table whose only actions cost nothing is still reported). */
  touch(table: ItemTable): void {
    if (this.wanted) this.entry(table);
  }

  write(table: ItemTable, old: Item | undefined, next: Item | undefined): void {
    if (!this.wanted) return;
    const single = writeCapacity(this.mode, table, old, next)!;
    const entry = this.entry(table);
    entry.CapacityUnits += single.CapacityUnits * 2;
    if (this.mode === 'INDEXES') {
      entry.Table!.CapacityUnits += single.Table!.CapacityUnits * 2;
      entry.LocalSecondaryIndexes = addUnits(entry.LocalSecondaryIndexes, single.LocalSecondaryIndexes);
      entry.GlobalSecondaryIndexes = addUnits(entry.GlobalSecondaryIndexes, single.GlobalSecondaryIndexes);
      if (!entry.LocalSecondaryIndexes) delete entry.LocalSecondaryIndexes;
      if (!entry.GlobalSecondaryIndexes) delete entry.GlobalSecondaryIndexes;
    }
  }

  read(table: ItemTable, item: Item | undefined): void {
    if (!this.wanted) return;
    const units = readCapacityUnits(item ? itemSize(item) : 0, 'transactional');
    const entry = this.entry(table);
    entry.CapacityUnits += units;
    if (entry.Table) entry.Table.CapacityUnits += units;
  }

  result(): ConsumedCapacity[] | undefined {
    return this.wanted ? [...this.tables.values()] : undefined;
  }
}

function addUnits(into: Units | undefined, more: Units | undefined): Units | undefined {
  if (!more) return into;
  const out: Units = { ...into };
  for (const [name, u] of Object.entries(more)) out[name] = { CapacityUnits: (out[name]?.CapacityUnits ?? 0) + u.CapacityUnits * 2 };
  return out;
}
