#!/usr/bin/env bash
# A real Kubernetes control plane for development and tests, on 127.0.0.1: kube-apiserver, kube-controller-manager
# and kube-scheduler from k8s.io/kubernetes over etcd, with kwok's controller simulating one node whose pods turn
# Running and Ready (no container runtime: nothing is pulled or started). All of it, and kubectl, is built with Go
# from the Go module proxy (the wrapper module in scripts/engines/kubernetes/) into a cache outside the repo; second
# runs use the cache. Certificates, the service-account key pair and the kubeconfig are made anew at every `up`.
#
#   scripts/engines/kubernetes.sh up       build (once), start, wait until the simulated node is Ready
#   scripts/engines/kubernetes.sh down     stop it (etcd data kept)
#   scripts/engines/kubernetes.sh status   running or not, and where
#   scripts/engines/kubernetes.sh reset    stop it and delete its data
#   scripts/engines/kubernetes.sh env      the settings to reach it: VIGIL_KUBECONFIG (cluster-admin) and VIGIL_KUBECTL
#   scripts/engines/kubernetes.sh build    only build the binaries into the cache
#
# Settings: VIGIL_ENGINES_CACHE (default ~/.cache/vigil-engines), VIGIL_KUBE_PORT (API server, default 6443),
# VIGIL_KUBE_ETCD_PORT (default 2479; its peer port is the next one). Go's own caches (GOCACHE, GOMODCACHE) are used
# as they are set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mod="$here/kubernetes"
version="$(sed -n 's:^\s*k8s.io/kubernetes \(v[0-9.]*\)$:\1:p' "$mod/go.mod")"
kwok_version="$(sed -n 's:^\s*sigs.k8s.io/kwok \(v[0-9.]*\).*:\1:p' "$mod/go.mod")"
etcd_version="$(sed -n 's:^\s*go.etcd.io/etcd/server/v3 \(v[0-9.]*\).*:\1:p' "$mod/go.mod")"
cache="${VIGIL_ENGINES_CACHE:-$HOME/.cache/vigil-engines}/kubernetes-$version"
bin="$cache/bin"
port="${VIGIL_KUBE_PORT:-6443}"
etcd_port="${VIGIL_KUBE_ETCD_PORT:-2479}"
run="$cache/run-$port"
pki="$run/pki"
admin="$run/admin.kubeconfig"
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)

log() { echo "kubernetes.sh: $*" >&2; }
pid_of() { cat "$run/$1.pid" 2>/dev/null || true; }
running() { local p; p="$(pid_of "$1")"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
kubectl_() { "$bin/kubectl" --kubeconfig "$admin" "$@"; }

# The build is keyed on the wrapper module's files: a changed version builds again.
stamp() { cat "$mod/go.mod" "$mod/go.sum" "$mod/tools.go" "$mod/etcd/main.go" | sha256sum | cut -c1-16; }

build() {
  if [ "$(cat "$bin/.complete" 2>/dev/null)" = "$(stamp)" ]; then return; fi
  # Go 1.26 or newer: the machine's, else Go's release from the module proxy (go.sh).
  PATH="$("$here/go.sh"):$PATH"
  log "building Kubernetes $version (${binaries[*]}; etcd $etcd_version, kwok $kwok_version) with $(go version | cut -d' ' -f3) into $bin (once: about 28 CPU-minutes from empty Go caches, 15 to 40 minutes on 2 cores) …"
  local started=$SECONDS
  rm -rf "$bin"
  mkdir -p "$bin"
  # -mod=readonly: exactly the versions in go.sum. CGO off like Kubernetes' own release builds; -s -w: no symbol tables.
  (cd "$mod" && CGO_ENABLED="${CGO_ENABLED:-0}" GOFLAGS="${GOFLAGS:-} -mod=readonly -trimpath -buildvcs=false" go build -ldflags='-s -w' -o "$bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl sigs.k8s.io/kwok/cmd/kwok ./etcd)
  stamp > "$bin/.complete"
  log "built in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
}

# A certificate authority, the API server's serving certificate, an admin client certificate (group system:masters)
# and the service-account signing key pair: new for every start.
make_pki() {
  rm -rf "$pki"
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=vigil-dev-kubernetes-ca" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 30 -extfile server.ext 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=vigil-dev-admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 30 -extfile client.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext ca.srl
  )
  cat > "$admin" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: vigil-dev
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $pki/ca.crt
users:
- name: vigil-dev-admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: vigil-dev
  context: { cluster: vigil-dev, user: vigil-dev-admin }
current-context: vigil-dev
KUBECONFIG
}

# kwok's stages: a node it manages turns Ready; a pod bound to it turns Running and Ready; a deleted pod goes.
write_stages() {
  cat > "$run/kwok.yaml" <<'STAGES'
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: { name: vigil-node-ready }
spec:
  resourceRef: { apiGroup: v1, kind: Node }
  selector:
    matchExpressions:
      - { key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: NotIn, values: ["True"] }
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - { type: Ready, status: "True", reason: KubeletReady, message: "simulated by kwok", lastHeartbeatTime: {{ $now | Quote }}, lastTransitionTime: {{ $now | Quote }} }
      addresses:
      - { type: InternalIP, address: {{ NodeIP | Quote }} }
      - { type: Hostname, address: {{ .metadata.name | Quote }} }
      allocatable: { cpu: "64", memory: 256Gi, pods: "500" }
      capacity: { cpu: "64", memory: 256Gi, pods: "500" }
      nodeInfo: { architecture: amd64, operatingSystem: linux, kubeletVersion: {{ printf "kwok-%s" Version | Quote }}, containerRuntimeVersion: none, kernelVersion: "", kubeProxyVersion: "", osImage: "", machineID: "", systemUUID: "", bootID: "" }
      phase: Running
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: { name: vigil-pod-ready }
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
      - { key: .metadata.deletionTimestamp, operator: DoesNotExist }
      - { key: .status.phase, operator: In, values: [Pending] }
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Running
      startTime: {{ $now | Quote }}
      conditions:
      - { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
      - { type: ContainersReady, status: "True", lastTransitionTime: {{ $now | Quote }} }
      - { type: Ready, status: "True", lastTransitionTime: {{ $now | Quote }} }
      containerStatuses:
      {{ range .spec.containers }}
      - { name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: true, started: true, restartCount: 0, state: { running: { startedAt: {{ $now | Quote }} } } }
      {{ end }}
      {{ with PodIPsWith .spec.nodeName false .metadata.uid .metadata.name .metadata.namespace }}
      podIP: {{ index . 0 | Quote }}
      podIPs:
      {{ range . }}
      - { ip: {{ . | Quote }} }
      {{ end }}
      {{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: { name: vigil-pod-delete }
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
      - { key: .metadata.deletionTimestamp, operator: Exists }
  next:
    delete: true
STAGES
}

start() {
  local name="$1"; shift
  nohup "$@" > "$run/$name.log" 2>&1 &
  echo $! > "$run/$name.pid"
}

# Waits until the command succeeds; stops with the component's log when it exits or the time runs out.
wait_for() {
  local name="$1" seconds="$2" what="$3"; shift 3
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then return; fi
    if ! running "$name"; then log "$name exited; the end of $run/$name.log:"; tail -30 "$run/$name.log" >&2 || true; exit 1; fi
    sleep 0.5
  done
  log "$what did not happen within $seconds s; the end of $run/$name.log:"; tail -30 "$run/$name.log" >&2 || true; exit 1
}

api_ready() { curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "https://127.0.0.1:$port/readyz" | grep -q '^ok$'; }

up() {
  if running kube-apiserver; then log "already running on https://127.0.0.1:$port (kubeconfig $admin)"; return; fi
  if answers "$port"; then log "something else listens on 127.0.0.1:$port: set VIGIL_KUBE_PORT to a free port"; exit 1; fi
  if answers "$etcd_port"; then log "something else listens on 127.0.0.1:$etcd_port: set VIGIL_KUBE_ETCD_PORT to a free port"; exit 1; fi
  command -v openssl >/dev/null || { log "openssl not found: install it (apt-get install openssl)"; exit 1; }
  command -v curl >/dev/null || { log "curl not found: install it (apt-get install curl)"; exit 1; }
  build
  down_quietly
  mkdir -p "$run"; mkdir -p -m 700 "$run/etcd"
  make_pki
  write_stages
  log "starting etcd $etcd_version on 127.0.0.1:$etcd_port (data in $run/etcd)"
  start etcd "$bin/etcd" --name vigil-dev --data-dir "$run/etcd" --logger zap --log-level warn \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-cluster "vigil-dev=http://127.0.0.1:$((etcd_port + 1))" --listen-metrics-urls "" --snapshot-count 10000
  wait_for etcd 30 "etcd answering" curl -sf "http://127.0.0.1:$etcd_port/health"

  log "starting kube-apiserver $version on https://127.0.0.1:$port"
  # RBAC as in a real cluster; the default admission plugins, less TaintNodesByCondition (no node lifecycle
  # controller runs to lift the not-ready taint from the simulated node). No endpoint reconciler: it refuses a
  # loopback address for the `kubernetes` Service, and nothing here routes to Services.
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --endpoint-reconciler-type none --secure-port "$port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode RBAC --disable-admission-plugins TaintNodesByCondition --profiling=false --v 1
  wait_for kube-apiserver 120 "the API server turning ready" api_ready

  log "starting kube-controller-manager, kube-scheduler and kwok"
  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$admin" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 0 --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
    --controllers "$kcm_controllers" --horizontal-pod-autoscaler-sync-period 2s --profiling=false --v 1
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$admin" --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 --profiling=false --v 1
  start kwok "$bin/kwok" --kubeconfig "$admin" --config "$run/kwok.yaml" --manage-nodes-with-label-selector type=kwok \
    --server-address "" --node-port 0 --node-ip 127.0.0.1 --cidr 10.244.0.1/16
  kubectl_ apply -f - >/dev/null <<'NODE'
apiVersion: v1
kind: Node
metadata:
  name: vigil-kwok-node
  labels: { type: kwok, kubernetes.io/hostname: vigil-kwok-node, kubernetes.io/os: linux, kubernetes.io/arch: amd64 }
  annotations: { node.alpha.kubernetes.io/ttl: "0" }
NODE
  wait_for kwok 60 "the simulated node turning Ready" kubectl_ wait --for=condition=Ready node/vigil-kwok-node --timeout=2s
  wait_for kube-controller-manager 60 "the controller manager making the default service account" kubectl_ get serviceaccount default -n default
  log "ready: KUBECONFIG=$admin (cluster-admin), kubectl at $bin/kubectl"
}

# The controllers Vigil's objects need: rollouts, replica sets, the autoscaler, garbage collection through owner
# references, namespaces, service accounts and their tokens' CA, and the claim protection whose finalizer would
# otherwise keep a namespace with the events role's PersistentVolumeClaim from ever being deleted.
kcm_controllers="deployment-controller,replicaset-controller,horizontal-pod-autoscaler-controller,garbage-collector-controller,namespace-controller,serviceaccount-controller,root-ca-certificate-publisher-controller,persistentvolumeclaim-protection-controller"

stop_one() {
  local name="$1" p
  p="$(pid_of "$name")"
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill "$p"
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p"
  fi
  rm -f "$run/$name.pid"
}

down_quietly() { local i; for ((i = ${#components[@]} - 1; i >= 0; i--)); do stop_one "${components[i]}"; done; }

down() {
  if ! running kube-apiserver && ! running etcd; then log "not running"; down_quietly; return; fi
  down_quietly
  log "stopped"
}

status() {
  if running kube-apiserver; then
    local c states=()
    for c in "${components[@]}"; do if running "$c"; then states+=("$c"); else states+=("$c:stopped"); fi; done
    echo "kubernetes $version running on https://127.0.0.1:$port (${states[*]}), KUBECONFIG=$admin, data in $run"
  else
    echo "kubernetes not running (cache $cache)"
    return 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) down; rm -rf "$run"; log "data deleted" ;;
  env) echo "VIGIL_KUBECONFIG=$admin"; echo "VIGIL_KUBECTL=$bin/kubectl" ;;
  build) build ;;
  *) echo "usage: $0 up|down|status|reset|env|build" >&2; exit 2 ;;
esac
