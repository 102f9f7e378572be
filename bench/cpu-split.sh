#!/usr/bin/env bash
# bench/cpu-split.sh COMMAND...: runs COMMAND in a cpuacct cgroup of its own (cgroup v1, as root) and prints where the
# machine's CPU went meanwhile: the command's own process tree, the Docker containers (their cgroup), dockerd,
# containerd, and the rest (container shims, runc, the kernel's work for namespaces and mounts, anything else running).
# How issue 11's containers figures were split (README, « Speed »). A benchmark, not a test.
set -uo pipefail
g=/sys/fs/cgroup/cpuacct/pgrh-cpu-split.$$
mkdir "$g" || { echo "cpu-split: needs root and cgroup v1's cpuacct" >&2; exit 2; }
trap 'rmdir "$g" 2>/dev/null' EXIT
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
own() { local p; p=$(pgrep -x "$1" | head -1); [ -n "$p" ] && awk '{print $14+$15}' "/proc/$p/stat" || echo 0; }
containers() { cat /sys/fs/cgroup/cpuacct/docker/cpuacct.usage 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
t0=$(busy); d0=$(own dockerd); c0=$(own containerd); k0=$(containers); s0=$(date +%s%N)
bash -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$g" "$@"
rc=$?
wall=$(( ($(date +%s%N) - s0) / 1000000 ))
t=$(( ($(busy) - t0) / hz )); d=$(( ($(own dockerd) - d0) / hz )); c=$(( ($(own containerd) - c0) / hz ))
k=$(( ($(containers) - k0) / 1000000000 )); cmd=$(( $(cat "$g/cpuacct.usage") / 1000000000 ))
echo "cpu-split: exit $rc, wall $((wall / 1000)).$(( wall % 1000 / 100 )) s; CPU-seconds: machine $t, command $cmd, containers $k, dockerd $d, containerd $c, rest $((t - cmd - k - d - c))"
exit $rc
