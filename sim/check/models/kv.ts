// A map from keys to strings, each initially "": get, put, append (concatenate). Keys are
// independent, so a history splits into one partition per key (P-compositionality) and each
// partition's state is a single string.
//
// States are interned: a state is the id of its string, so equality and hashing are O(1).
// Appended strings grow with the history and many orders of the same appends reach the same
// set of linearized ops, so comparing strings in the search's memo would dominate the check.
// Each model instance owns its intern table; create one per check with createKvModel().
import type { Model, Operation } from '../linearizability/model.ts';

export interface KvInput {
  f: 'get' | 'put' | 'append';
  key: string;
  /** The value to put or append; absent for get. */
  value?: string;
}

/** A get's value; puts and appends return nothing. */
export interface KvOutput {
  value?: string;
}

export type KvOperation = Operation<KvInput, KvOutput>;

/** Interned strings: id → text, text → id, and (id, appended) → id. */
class StringTable {
  readonly text: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly appended: (Map<string, number> | undefined)[] = [];

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.text.length;
      this.text.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  append(id: number, suffix: string): number {
    let children = this.appended[id];
    if (children === undefined) this.appended[id] = children = new Map();
    let child = children.get(suffix);
    if (child === undefined) {
      child = this.intern(this.text[id]! + suffix);
      children.set(suffix, child);
    }
    return child;
  }
}

export function createKvModel(): Model<number, KvInput, KvOutput> {
  const table = new StringTable();
  return {
    name: 'kv',
    init: () => 0,
    step(state, input, output) {
      switch (input.f) {
        case 'get':
          if (output === undefined) return state;
          return output.value === table.text[state] ? state : undefined;
        case 'put':
          return table.intern(input.value ?? '');
        case 'append':
          return table.append(state, input.value ?? '');
      }
    },
    equal: (a, b) => a === b,
    hash: (s) => s,
    readOnly: (input) => input.f === 'get',
    prepareReach(ops) {
      // Appends only ever extend the string and a put replaces it, so a get's value must
      // extend either the current string or the value of a put not yet linearized.
      const puts = ops.filter((op) => op.input.f === 'put').map((op) => ({ id: op.id, value: op.input.value ?? '' }));
      return (state, input, output, linearized) => {
        if (input.f !== 'get') return true;
        const seen = output.value ?? '';
        return seen.startsWith(table.text[state]!) || puts.some((p) => !linearized(p.id) && seen.startsWith(p.value));
      };
    },
    partition(ops) {
      const byKey = new Map<string, KvOperation[]>();
      for (const op of ops) {
        let list = byKey.get(op.input.key);
        if (list === undefined) byKey.set(op.input.key, (list = []));
        list.push(op);
      }
      return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, list]) => ({ key, ops: list }));
    },
    describeOperation(input, output) {
      if (input.f === 'get') return `get(${JSON.stringify(input.key)}) → ${output === undefined ? '?' : JSON.stringify(output.value ?? '')}`;
      return `${input.f}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value ?? '')})`;
    },
    describeState: (s) => JSON.stringify(table.text[s] ?? ''),
    expectedOutput: (state, input) => (input.f === 'get' ? { value: table.text[state] ?? '' } : {}),
    observedOutput: (_input, output) => output,
  };
}
