/** ListTagsOfResource: a table has at most 50 tags, so they always fit in one page. */
import type { Operation } from '../operation';
import { loadTaggedTable } from '../tables/tagged-resource';

interface ListTagsOfResourceInput {
  ResourceArn: string;
  NextToken?: string;
}

export const listTagsOfResource: Operation<ListTagsOfResourceInput> = {
  async handle(input, ctx) {
    const record = await loadTaggedTable(ctx.store, ctx, input.ResourceArn, Date.now());
    return { Tags: record.tags };
  },
};
