// etcd's idutil.Generator (pkg/idutil): 64-bit request ids unique per member: the low 16 bits of
// the member id on top, then a 48-bit counter that starts at the member's start time in
// milliseconds shifted left by 8. Lease grants with ID 0 use next() & (2^63 - 1).

const SUFFIX_BITS = 48n;
const MASK_48 = (1n << SUFFIX_BITS) - 1n;

export class RequestIdGenerator {
  private readonly prefix: bigint;
  private suffix: bigint;

  constructor(memberId: bigint, startMs: number) {
    this.prefix = (memberId & 0xffffn) << SUFFIX_BITS;
    this.suffix = (BigInt(Math.trunc(startMs)) << 8n) & MASK_48;
  }

  next(): bigint {
    this.suffix = (this.suffix + 1n) & MASK_48;
    return this.prefix | this.suffix;
  }

  /** A positive lease id (etcd: reqIDGen.Next() & ((1<<63)-1), retried while 0). */
  nextLeaseId(): bigint {
    for (;;) {
      const id = this.next() & ((1n << 63n) - 1n);
      if (id !== 0n) return id;
    }
  }
}
