// What kind of transition a ConfChange asks for (simple, enter joint, leave joint), and its
// computation against a configuration.
import type { ConfChange } from '../types.ts';
import type { ChangeResult, Changer } from './changer.ts';

export function computeChange(changer: Changer, cc: ConfChange): ChangeResult {
  if (isLeaveJoint(cc)) return changer.leaveJoint();
  const joint = enterJoint(cc);
  if (joint.enter) return changer.enterJoint(joint.autoLeave, cc.changes);
  return changer.simple(cc.changes);
}

/** Whether a change proposed now could be applied to `changer`'s configuration. */
export function validateConfChange(changer: Changer, cc: ConfChange): string | undefined {
  const res = computeChange(changer, cc);
  return res.ok ? undefined : res.reason;
}

export function isLeaveJoint(cc: ConfChange): boolean {
  return cc.transition === 'auto' && cc.changes.length === 0;
}

/** Whether `cc` must go through a joint configuration, and whether it leaves it by itself. */
export function enterJoint(cc: ConfChange): { enter: boolean; autoLeave: boolean } {
  if (cc.transition !== 'auto' || cc.changes.length > 1) {
    return { enter: true, autoLeave: cc.transition !== 'joint-explicit' };
  }
  return { enter: false, autoLeave: false };
}
