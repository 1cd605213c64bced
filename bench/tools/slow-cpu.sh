#!/usr/bin/env bash
# usage: bench/tools/slow-cpu.sh PERCENT COMMAND [ARGS...]   (as root)
# Runs COMMAND with its whole process tree (etcd members, Chromium, etcdctl it starts) held to
# PERCENT % of one CPU by a cgroup-v1 cpu quota: a slow machine on demand, to find tests whose
# outcome depends on speed (a fixed sleep, a wall-clock budget, a bound below what they need)
# without loading the CPU the other users of the machine share. At load 30 on 2 cores one busy
# process gets about 7 % of a core; 5-10 % for a test's tree is harsher than that.
# Set CG_TAG to run two at once in separate groups (one group shares its quota).
# Remove the groups afterwards: rmdir /sys/fs/cgroup/cpu/ci-slow-*
set -eu
pct=${1:?usage: slow-cpu.sh PERCENT COMMAND [ARGS...]}
shift
cg=/sys/fs/cgroup/cpu/ci-slow-$pct${CG_TAG:-}
mkdir -p "$cg"
echo 100000 > "$cg/cpu.cfs_period_us"
echo $((pct * 1000)) > "$cg/cpu.cfs_quota_us"
echo $$ > "$cg/cgroup.procs"
exec "$@"
