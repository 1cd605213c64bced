// A memo of a pure function of short texts: the codecs see the same few keys and values again
// and again. Bounded (cleared when full, so memory stays flat whatever a run sends); texts longer
// than TEXT_MAX are computed every time (they are rare, and would fill the memo).
const ENTRIES_MAX = 4096;
const TEXT_MAX = 256;

export class BoundedMemo<V> {
  private readonly done = new Map<string, V>();

  constructor(private readonly compute: (text: string) => V) {}

  get(text: string): V {
    if (text.length > TEXT_MAX) return this.compute(text);
    let v = this.done.get(text);
    if (v === undefined) {
      v = this.compute(text);
      if (this.done.size >= ENTRIES_MAX) this.done.clear();
      this.done.set(text, v);
    }
    return v;
  }
}
