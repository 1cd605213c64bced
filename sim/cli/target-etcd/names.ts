// Names of everything a real-etcd run creates on this machine: network namespaces, the bridge,
// veth pairs, the nftables table and the etcd processes' cluster token. Every name carries
// "detcd" and the harness's process id, so a later start can find the leftovers of a harness
// that died (kill -9, power loss) and remove exactly those, never anything else.

/** Prefix of every namespace a run creates: `detcd-<owner pid>-<member>`. */
export const NETNS_PREFIX = 'detcd-';
/** Prefix of the bridge (`dtb<pid36>`) and veth ends (`dtv<pid36>n<i>`); interface names are at most 15 bytes. */
export const BRIDGE_PREFIX = 'dtb';
export const VETH_PREFIX = 'dtv';
/** The nftables table inside each member namespace. */
export const NFT_TABLE = 'detcd';
/** etcd's --initial-cluster-token for a run: lets cleanup recognise the processes. */
export const TOKEN_PREFIX = 'detcd-token-';

export interface RunNames {
  readonly ownerPid: number;
  /** `ip netns` name of member `i` (1-based). */
  netns(i: number): string;
  readonly bridge: string;
  /** The root-namespace end of member i's veth pair. */
  veth(i: number): string;
  /** The /24 subnet's first three octets: "10.a.b". */
  readonly subnet: string;
  /** Address of member i inside its namespace. */
  memberIp(i: number): string;
  /** The harness's address on the bridge (the clients' side). */
  readonly hostIp: string;
  readonly token: string;
}

export function runNames(ownerPid: number): RunNames {
  const pid36 = ownerPid.toString(36);
  if (pid36.length > 7) throw new Error(`runNames: pid ${ownerPid} too large for interface names`);
  // A /24 per harness process, from 10.200.0.0/16 up: two harnesses at once get different subnets.
  const a = 200 + ((ownerPid >> 8) % 50);
  const b = ownerPid % 256;
  const subnet = `10.${a}.${b}`;
  return {
    ownerPid,
    netns: (i) => `${NETNS_PREFIX}${ownerPid}-n${i}`,
    bridge: `${BRIDGE_PREFIX}${pid36}`,
    veth: (i) => `${VETH_PREFIX}${pid36}n${i}`,
    subnet,
    memberIp: (i) => `${subnet}.${i}`,
    hostIp: `${subnet}.254`,
    token: `${TOKEN_PREFIX}${ownerPid}`,
  };
}

/** The owner pid encoded in a detcd namespace name, or undefined for a name that is not ours. */
export function ownerOfNetns(name: string): number | undefined {
  const m = /^detcd-(\d+)-n\d+$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** The owner pid encoded in a detcd bridge or veth name, or undefined for a name that is not ours. */
export function ownerOfLink(name: string): number | undefined {
  const m = /^(?:dtb([0-9a-z]+)|dtv([0-9a-z]+)n\d+)$/.exec(name);
  if (m === null) return undefined;
  const pid = parseInt((m[1] ?? m[2]) as string, 36);
  return Number.isSafeInteger(pid) ? pid : undefined;
}
