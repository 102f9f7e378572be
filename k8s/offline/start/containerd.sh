# shellcheck shell=bash
# start.sh: the private containerd: own root, state, socket; never the Docker engine's. It never pulls an image:
# the sandbox image is the local pause, and any registry traffic goes to a closed local port.

start_containerd() {
  cat > "$DATA/containerd.toml" <<TOML
version = 2
root = "$DATA/containerd"
state = "$RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = ""
[debug]
  address = ""
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$DATA/containerd/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    # the local pause image: the sandbox never needs a registry
    sandbox_image = "$PAUSE_IMAGE"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    max_container_log_line_size = 16384
    # root here may lack CAP_SYS_RESOURCE: a negative oom_score_adj (pause: -998) kills runc init
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
          BinaryName = "/usr/sbin/runc"
          Root = "$RUN/runc"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$DATA/cni/net.d"
      max_conf_num = 1
TOML
  # an image pull is never wanted: any registry traffic goes to a closed local port and fails on the machine
  launch containerd env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 \
    https_proxy=http://127.0.0.1:9 NO_PROXY='' no_proxy='' containerd --config "$DATA/containerd.toml" --log-level warn
  waitfor "containerd up" 30 ctr --address "$CTRD_SOCK" version
}
