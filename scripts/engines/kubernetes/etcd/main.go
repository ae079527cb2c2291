// The etcd server for scripts/engines/kubernetes.sh, built from go.etcd.io/etcd/server/v3 at the version
// Kubernetes itself requires. Debian's etcd-server (3.4.23) lacks the watch progress notifications that the API
// server's watch-list streams need (3.4.31+), and kwok's informers then only catch up at each re-list.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
