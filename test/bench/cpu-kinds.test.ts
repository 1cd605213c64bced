// bench/tools/cpu-kinds.mjs splits a sweep's CPU samples (perf task-clock) by process, thread and what
// they were doing; these are the rules it reads perf's lines by, on lines perf printed for a sweep
// worker process of node 20 (V8 11.3).
import { describe, expect, it } from 'vitest';
import { cpuKind, parseSample } from '../../bench/tools/cpu-kinds-classify.mjs';

describe('cpu-kinds: what a sample of node was doing', () => {
  it('counts the scavenger, the mark-compact collector and their visitors as garbage collection', () => {
    expect(cpuKind('v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>')).toBe('gc');
    expect(cpuKind('v8::internal::MarkCompactCollector::ProcessMarkingWorklist<(v8::internal::MarkCompactCollector::MarkingWorklistProcessingMode)0>')).toBe('gc');
    expect(cpuKind('v8::internal::BodyDescriptorBase::IteratePointers<v8::internal::ScavengeVisitor>')).toBe('gc');
    expect(cpuKind('clear_page_erms')).toBe('gc');
  });

  it("counts TurboFan's phases as the optimizer, the parser and Sparkplug as bytecode", () => {
    expect(cpuKind('v8::internal::compiler::GraphReducer::ReduceTop')).toBe('optimizer');
    expect(cpuKind('v8::internal::compiler::LinearScanAllocator::ForwardStateTo')).toBe('optimizer');
    expect(cpuKind('v8::internal::Zone::NewExpand(unsigned long)')).toBe('optimizer');
    expect(cpuKind('v8::internal::Parser::ParseFunctionLiteral')).toBe('bytecode');
    expect(cpuKind('v8::internal::baseline::BaselineCompiler::VisitSingleBytecode()')).toBe('bytecode');
  });

  it('leaves JavaScript, builtins and the runtime as other', () => {
    expect(cpuKind('[unknown]')).toBe('other');
    expect(cpuKind('Builtins_FindOrderedHashMapEntry')).toBe('other');
    expect(cpuKind('v8::internal::Runtime_GrowArrayElements')).toBe('other');
  });

  it('reads the process, the thread and the symbol of a perf script line', () => {
    expect(parseSample(' 6008/6054       7fe1a1f56bcc v8::internal::compiler::Scheduler::ScheduleLate')).toEqual({ pid: 6008, tid: 6054, kind: 'optimizer' });
    expect(parseSample(' 5925/5925            1bdf928 OSSL_PARAM_construct_int')).toEqual({ pid: 5925, tid: 5925, kind: 'other' });
    expect(parseSample('')).toBeUndefined();
    expect(parseSample('Warning: 3 samples lost')).toBeUndefined();
  });
});
