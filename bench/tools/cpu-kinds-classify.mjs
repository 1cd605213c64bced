// What a CPU sample of node was doing, from the native symbol perf resolved for it (node's binary keeps
// its symbols): V8's garbage collector, its optimizing compiler (TurboFan, on the background threads
// when concurrent), its parser and bytecode/baseline compilers, or anything else (JavaScript, which
// perf sees as [unknown] without --perf-basic-prof, the builtins, the runtime, the kernel). Names, not
// call chains: a collector's or a compiler's own helpers (a zone allocator, a page fault zeroing a fresh
// page) count where their symbol says, so the split is an estimate — good for comparing two
// configurations under the same rules, not for an exact share.

/** @typedef {'gc' | 'optimizer' | 'bytecode' | 'other'} CpuKind */

const GC = /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|v8::internal::Heap::|HeapObjectVisitor|GCTracer|RememberedSet|SlotSet|MemoryChunk|MemoryAllocator|PagedSpace|NewSpace|SemiSpace|LargeObjectSpace|PointersUpdating|Unmapper|GlobalHandles|IteratePointers|clear_page/;
const OPTIMIZER = /v8::internal::compiler::|TurboFan|Turboshaft|Maglev|OptimizedCompilationJob|RegisterAllocat|InstructionSelector|CodeGenerator|v8::internal::Zone::|ZoneList/;
const BYTECODE = /Parser|Scanner|Preparse|BytecodeGenerator|BytecodeArrayBuilder|BaselineCompiler|Sparkplug|AstValueFactory|CodeSerializer|Deserializer/;

/** @param {string} symbol @returns {CpuKind} */
export function cpuKind(symbol) {
  if (GC.test(symbol)) return 'gc';
  if (OPTIMIZER.test(symbol)) return 'optimizer';
  if (BYTECODE.test(symbol)) return 'bytecode';
  return 'other';
}

/**
 * One line of `perf script -F pid,tid,ip,sym` ("  5925/5931   7fe1a1f56bcc v8::internal::Scavenger::Process(...)"):
 * its process, its thread and what it was doing; undefined for a line of another form.
 * @param {string} line
 * @returns {{ pid: number, tid: number, kind: CpuKind } | undefined}
 */
export function parseSample(line) {
  const m = /^\s*(\d+)\/(\d+)\s+[0-9a-f]+\s+(.*)$/.exec(line);
  if (m === null) return undefined;
  return { pid: Number(m[1]), tid: Number(m[2]), kind: cpuKind(m[3]) };
}
