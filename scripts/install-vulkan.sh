#!/usr/bin/env bash
# Installs Mesa's software Vulkan driver (lavapipe) so that Dawn (the `webgpu` npm
# package) finds a WebGPU adapter on a machine without a GPU.
#
# Debian bookworm's own mesa (22.x) is too old for Dawn; the bookworm-backports mesa
# (25.x) works. The backports suite is added by copying the machine's existing Debian
# apt source entry (same mirror, same keyring) with the suite name changed, so no
# mirror host is ever hard-coded here.
#
# Usage: scripts/install-vulkan.sh   (as root, on Debian)
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "install-vulkan: must run as root (apt-get)" >&2
  exit 1
fi

. /etc/os-release
codename="${VERSION_CODENAME:-}"
if [[ -z "$codename" || "${ID:-}" != "debian" ]]; then
  echo "install-vulkan: not Debian (ID=${ID:-?}); install a Vulkan driver by hand" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

case "$codename" in
  bullseye|bookworm) ;; # own mesa too old for Dawn: take it from <codename>-backports
  *)
    # trixie and later ship a mesa (25.x) that Dawn accepts.
    apt-get update -qq
    apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
    echo "install-vulkan: installed mesa-vulkan-drivers and libvulkan1 from $codename"
    exit 0
    ;;
esac

backports="${codename}-backports"
target=/etc/apt/sources.list.d/tessera-${backports}.sources

has_backports() {
  # An uncommented mention of the suite (one-line or deb822 style).
  grep -rqsE --include='*.list' --include='*.sources' -- "^[^#]*[[:space:]]${backports}([[:space:]]|\$)" \
    /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

if ! has_backports; then
  uri="" keyring=""
  # deb822 style: /etc/apt/sources.list.d/*.sources
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -e "$f" ]] || continue
    # Walk stanzas; take the first one whose Suites lists the bare codename.
    uri=$(awk -v c="$codename" '
      BEGIN { RS=""; FS="\n" }
      {
        u=""; s=""; en="yes"
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)    { u=$i; sub(/^URIs:[ \t]*/, "", u) }
          if ($i ~ /^Suites:/)  { s=" " $i " "; sub(/^ Suites:/, "", s) }
          if ($i ~ /^Enabled:[ \t]*no/) { en="no" }
        }
        if (en == "yes" && u != "" && (" " s " ") ~ (" " c " ")) { split(u, parts, " "); print parts[1]; exit }
      }' "$f")
    if [[ -n "$uri" ]]; then
      keyring=$(awk -v u="$uri" 'BEGIN{RS="";FS="\n"} index($0,u){for(i=1;i<=NF;i++) if($i ~ /^Signed-By:/){k=$i; sub(/^Signed-By:[ \t]*/,"",k); print k; exit}}' "$f")
      break
    fi
  done
  # one-line style: /etc/apt/sources.list
  if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
    line=$(awk -v c="$codename" '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)==c) { print; exit } }' /etc/apt/sources.list)
    uri=$(awk '{ i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i }' <<<"$line")
    # keep the entry's keyring: "deb [signed-by=/path arch=...] uri suite ..."
    if [[ "$line" =~ signed-by=([^][:space:]]+) ]]; then keyring="${BASH_REMATCH[1]}"; fi
  fi
  if [[ -z "$uri" ]]; then
    echo "install-vulkan: found no Debian apt source for '$codename' to derive $backports from" >&2
    exit 1
  fi
  {
    echo "Types: deb"
    echo "URIs: $uri"
    echo "Suites: $backports"
    echo "Components: main"
    [[ -n "$keyring" ]] && echo "Signed-By: $keyring"
  } > "$target"
  echo "install-vulkan: added $backports (derived from the existing $codename entry) in $target"
fi

apt-get update -qq
apt-get install -y -qq -t "$backports" mesa-vulkan-drivers libvulkan1 >/dev/null
echo "install-vulkan: installed mesa-vulkan-drivers and libvulkan1 from $backports"
