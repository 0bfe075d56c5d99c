# ci/packages.sh: sourced by the ci scripts. ci_install WHO PACKAGE...
# installs, from Debian, those of the packages that dpkg does not have
# (apt-get update first, no recommends), as root or through sudo, and says
# so on a line that begins with WHO. Nothing that merely happens to be on
# the machine is trusted: each script names every package it uses. Returns
# non-zero when it cannot install. A package may name its architecture
# (check:armhf), once dpkg knows it (dpkg --add-architecture).
#
# apt-get update runs once in a script: later calls skip it while
# ci_apt_fresh is 1. A script that changes what apt reads (an
# architecture, a source) sets ci_apt_fresh=0 after it.
ci_apt_fresh=0
ci_install() {
  local who=$1 p status t0
  local -a missing=() sudo=()
  shift
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    case $status in
      ii*) ;;
      *) missing+=("$p") ;;
    esac
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "$who: missing ${missing[*]}; run as root" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "$who: installing ${missing[*]}"
  t0=$SECONDS
  if [ "$ci_apt_fresh" != 1 ]; then
    "${sudo[@]}" apt-get update -qq || return 1
    ci_apt_fresh=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null || return 1
  echo "$who: packages installed in $((SECONDS - t0)) s"
}
