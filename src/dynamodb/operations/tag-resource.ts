/** TagResource: adds tags to an ACTIVE table, replacing the values of keys it already has. */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { saveTable } from '../tables/catalogue';
import { requireActive } from '../tables/guards';
import type { Tag } from '../tables/record';
import { checkTags, mergeTags } from '../tables/tag-rules';
import { loadTaggedTable } from '../tables/tagged-resource';

interface TagResourceInput {
  ResourceArn: string;
  Tags: Tag[];
}

export const tagResource: Operation<TagResourceInput> = {
  validate(input) {
    if (input.Tags.length === 0) throw validationError('Atleast one Tag needs to be provided as Input.');
    checkTags(input.Tags);
  },
  async handle(input, ctx) {
    await ctx.store.transact(async (tx) => {
      const record = await loadTaggedTable(tx, ctx, input.ResourceArn, Date.now());
      requireActive(record);
      saveTable(tx, ctx, { ...record, tags: mergeTags(record.tags, input.Tags) });
    });
    return {};
  },
};
