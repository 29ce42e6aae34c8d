/** UntagResource: removes the named keys; keys the table does not have are ignored. */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { saveTable } from '../tables/catalogue';
import { checkTagKey } from '../tables/tag-rules';
import { loadTaggedTable } from '../tables/tagged-resource';

interface UntagResourceInput {
  ResourceArn: string;
  TagKeys: string[];
}

export const untagResource: Operation<UntagResourceInput> = {
  validate(input) {
    if (input.TagKeys.length === 0) throw validationError('Atleast one Tag Key needs to be provided as Input.');
    input.TagKeys.forEach(checkTagKey);
  },
  async handle(input, ctx) {
    await ctx.store.transact(async (tx) => {
      const record = await loadTaggedTable(tx, ctx, input.ResourceArn, Date.now());
      saveTable(tx, ctx, { ...record, tags: record.tags.filter((tag) => !input.TagKeys.includes(tag.Key)) });
    });
    return {};
  },
};
