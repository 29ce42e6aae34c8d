import { ExpressionProblem, MESSAGES } from './errors';
import { MAX_EXPRESSION_LENGTH } from './condition-parser';
import { ParserBase } from './parser-base';
import { checkPath } from './syntax-checks';
import { T } from './tokenizer';
import type { PathSyntax } from './types';

/** ProjectionExpression grammar: `path (',' path)*`. */
class ProjectionParser extends ParserBase {
  parse(): PathSyntax[] {
    return this.run(() => {
      const paths = [this.parsePath()];
      while (this.type() === T.COMMA) {
        this.pos++;
        paths.push(this.parsePath());
      }
      return paths;
    });
  }
}

/**
 * Parses a projection expression and checks reserved words and list indexes, in DynamoDB's order: empty, size,
 * syntax, then the walk. Throws ExpressionProblem.
 */
export function parseProjection(expression: string): readonly PathSyntax[] {
  if (expression.length === 0) throw new ExpressionProblem(MESSAGES.empty);
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new ExpressionProblem(MESSAGES.sizeExceeded);
  const paths = new ProjectionParser(expression).parse();
  for (const path of paths) checkPath(path);
  return paths;
}
