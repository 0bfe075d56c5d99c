#!/usr/bin/env bash
# manlinks.sh: a manual page for each public function.
#
#   manlinks.sh SIGPORT.H MAN-TREE LIBRARY [NM] [MAN]
#
# MAN-TREE is a manual directory (man3/ inside it) as the build tree or
# an installed prefix has it. Every function that SIGPORT.H declares, and
# every sigport_ function that LIBRARY defines (read with NM, when given),
# must have a page man3/NAME.3 that is exactly ".so man3/sigport.3"; every
# such page must belong to a function of the header; man3/sigport.3 must
# be there and name each function in its FUNCTIONS section; and, with
# MAN, `man NAME` must find the page in MAN-TREE and render sigport(3)
# from it without a warning.
set -euo pipefail

header=$1
tree=$2
library=$3
nm=${4:-}
man=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[ -r "$header" ] || fail "no header $header"
page3=$tree/man3/sigport.3
[ -r "$page3" ] || fail "no $page3"

# The functions of the header, read here on their own: each declaration
# that begins with SIGPORT_EXTERN, joined up to its '(' even where it
# goes over lines.
awk '
  /^SIGPORT_EXTERN/ { decl = ""; open = 1 }
  open { decl = decl " " $0 }
  open && /[(;]/ {
    open = 0
    if (match(decl, /sigport_[a-z0-9][a-z0-9_]*[ \t]*\(/)) {
      name = substr(decl, RSTART, RLENGTH)
      sub(/[ \t]*\($/, "", name)
      print name
    }
  }' "$header" | sort -u >"$work/header"
n=$(wc -l <"$work/header")
# The header of 0.2 declares 60 functions: fewer means that the reading
# above is broken, not that functions went away.
[ "$n" -ge 60 ] || fail "only $n functions read from $header"

# The library's own functions, where nm can read it (Mach-O names begin
# with an underscore): none may lack a page because the header's
# declaration is written in a way not read above.
if [ -n "$nm" ]; then
  "$nm" -P -g "$library" 2>"$work/nm.err" |
    awk '{ sub(/^_sigport_/, "sigport_", $1) }
      $2 == "T" && $1 ~ /^sigport_[a-z0-9]/ { print $1 }' |
    sort -u >"$work/library" || fail "$nm -P -g $library: $(cat "$work/nm.err")"
  [ -s "$work/library" ] || fail "$nm found no sigport_ function in $library"
  missing=$(comm -23 "$work/library" "$work/header")
  [ -z "$missing" ] ||
    fail "defined by the library but not read from the header: $missing"
  note "the library defines $(wc -l <"$work/library") functions, all in the header"
fi

# Each function has its page, a link to sigport(3), and sigport(3)'s
# FUNCTIONS section names it.
sed -n '/^\.SH FUNCTIONS/,/^\.SH /p' "$page3" >"$work/functions"
while read -r f; do
  page=$tree/man3/$f.3
  [ -f "$page" ] || fail "no page for $f ($page)"
  [ "$(cat "$page")" = ".so man3/sigport.3" ] ||
    fail "$page is not '.so man3/sigport.3': $(head -c 200 "$page")"
  grep -qE "(^|[^a-z0-9_])$f([^a-z0-9_]|\$)" "$work/functions" ||
    fail "sigport.3's FUNCTIONS section does not name $f"
done <"$work/header"
note "$n functions, each with a page linking to sigport(3), which names it"

# No page of a function that is not there.
for page in "$tree"/man3/*.3; do
  f=$(basename "$page" .3)
  [ "$f" = sigport ] && continue
  grep -qx "$f" "$work/header" || fail "$page: $f is not a function of $header"
done
note "no page for a function the header does not declare"

# man finds each page in the tree and follows its link: man -w names the
# page the link leads to. The pages are the same line, checked above, so
# rendering one of them shows that the link is read as sigport(3).
if [ -n "$man" ]; then
  while read -r f; do
    where=$(MANPATH=$tree "$man" -w "$f" 2>&1) ||
      fail "man -w $f: $where"
    [ "$where" = "$tree/man3/sigport.3" ] ||
      fail "man -w $f: '$where', not $tree/man3/sigport.3"
  done <"$work/header"
  f=sigport_signal
  MANPATH=$tree MANWIDTH=80 "$man" --warnings "$f" >"$work/out" 2>"$work/err" ||
    fail "man $f: $(cat "$work/err")"
  [ ! -s "$work/err" ] || fail "man $f: $(cat "$work/err")"
  # The text is justified: spaces squeezed first, into a file. (A pipe
  # into grep -q fails now and then under pipefail: grep stops at the
  # match, and tr, still writing, dies of SIGPIPE.)
  tr -s ' ' <"$work/out" >"$work/squeezed"
  grep -q "sigport - portable signal handling for C" "$work/squeezed" ||
    fail "man $f does not show sigport(3): $(head -n 5 "$work/out")"
  note "man finds each of them, and renders sigport(3) for $f"
else
  note "no man: the pages were not looked up"
fi
