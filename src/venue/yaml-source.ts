import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { InputError } from '../shared/errors.ts';

/** A parsed YAML file that can say on which line a field sits (for error messages). */
export interface YamlSource {
  readonly value: unknown;
  /** 1-based line of the deepest existing node along a JSON pointer (`/pois/3/pose`). */
  lineOf(this: void, pointer: string): number | undefined;
}

export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const line = lineCounter.linePos(problem.pos[0]).line;
    throw new InputError(`${file}:${line}: expected valid YAML, got ${problem.code}: ${problem.message.split('\n')[0]}`);
  }
  return {
    value: doc.toJS() as unknown,
    lineOf(pointer) {
      const parts = pointer
        .split('/')
        .slice(1)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      for (let n = parts.length; n >= 0; n--) {
        const node: unknown = n === 0 ? doc.contents : doc.getIn(parts.slice(0, n), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}
