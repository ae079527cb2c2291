#!/usr/bin/env bash
# Prints the directory of a Go toolchain new enough for scripts/engines/kubernetes/ (Go 1.26): the machine's `go` when
# it is, else Go's own release fetched once from the Go module proxy (golang.org/toolchain, the module `go` itself
# downloads when GOTOOLCHAIN asks for a newer one) into the engines' cache.
#   PATH="$(scripts/engines/go.sh):$PATH"
# Settings: VIGIL_ENGINES_CACHE (default ~/.cache/vigil-engines), GOPROXY (its first entry is used; default
# https://proxy.golang.org).
set -euo pipefail
want_minor=26
release="go1.26.8"
log() { echo "go.sh: $*" >&2; }

if command -v go >/dev/null; then
  have="$(go env GOVERSION 2>/dev/null || true)"
  minor="$(echo "$have" | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  if [ -n "$minor" ] && [ "$minor" -ge "$want_minor" ]; then dirname "$(command -v go)"; exit 0; fi
  log "the machine's Go ($have) is older than 1.$want_minor; using $release from the module proxy"
fi

case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) log "no Go release for $(uname -m)"; exit 1 ;; esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
root="${VIGIL_ENGINES_CACHE:-$HOME/.cache/vigil-engines}/$release.$os-$arch"
if [ ! -x "$root/go/bin/go" ]; then
  proxy="${GOPROXY:-https://proxy.golang.org}"
  proxy="${proxy%%,*}"
  [ "$proxy" = "direct" ] || [ "$proxy" = "off" ] && proxy="https://proxy.golang.org"
  url="$proxy/golang.org/toolchain/@v/v0.0.1-$release.$os-$arch.zip"
  log "fetching $url"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  curl -fsSL --retry 3 -o "$tmp/go.zip" "$url"
  # The module zip holds the release under golang.org/toolchain@v0.0.1-<release>/ (the module's own layout).
  python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$tmp/go.zip" "$tmp/x"
  mkdir -p "$root"
  rm -rf "$root/go"
  mv "$tmp/x/golang.org/toolchain@v0.0.1-$release.$os-$arch" "$root/go"
  chmod +x "$root/go/bin/"* "$root/go/pkg/tool/"*/* 2>/dev/null || true
fi
echo "$root/go/bin"
