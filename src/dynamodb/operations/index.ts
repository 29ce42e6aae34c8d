/** The DynamoDB_20120810 operations Basalt serves, by their wire names. */
import type { Operation } from '../operation';
import { createTable } from './create-table';
import { deleteItem } from './delete-item';
import { deleteTable } from './delete-table';
import { describeEndpoints } from './describe-endpoints';
import { describeLimits } from './describe-limits';
import { describeTable } from './describe-table';
import { getItem } from './get-item';
import { listTables } from './list-tables';
import { listTagsOfResource } from './list-tags-of-resource';
import { putItem } from './put-item';
import { query } from './query';
import { scan } from './scan';
import { batchGetItem } from './batch-get-item';
import { batchWriteItem } from './batch-write-item';
import { tagResource } from './tag-resource';
import { transactGetItems } from './transact-get-items';
import { transactWriteItems } from './transact-write-items';
import { untagResource } from './untag-resource';
import { updateItem } from './update-item';
import { updateTable } from './update-table';
import { executeStatement } from './execute-statement';
import { batchExecuteStatement } from './batch-execute-statement';
import { executeTransaction } from './execute-transaction';

export const operations: Record<string, Operation> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  ListTables: listTables,
  UpdateTable: updateTable,
  DeleteTable: deleteTable,
  DescribeLimits: describeLimits,
  DescribeEndpoints: describeEndpoints,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  GetItem: getItem,
  DeleteItem: deleteItem,
  UpdateItem: updateItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
  TransactWriteItems: transactWriteItems,
  TransactGetItems: transactGetItems,
};
