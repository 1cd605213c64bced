// Types of cpu-kinds-classify.mjs.
export type CpuKind = 'gc' | 'optimizer' | 'bytecode' | 'other';
export function cpuKind(symbol: string): CpuKind;
export function parseSample(line: string): { pid: number; tid: number; kind: CpuKind } | undefined;
