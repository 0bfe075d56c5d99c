#!/usr/bin/env bash
# completion.sh: the shell completion of sigport (completion/).
#
#   completion.sh bash PATH-TO-SIGPORT COMPLETION-DIR
#   completion.sh bash-completion PATH-TO-SIGPORT COMPLETION-DIR
#   completion.sh zsh PATH-TO-SIGPORT COMPLETION-DIR
#
# bash: completion/sigport.bash sourced in this non-interactive bash, with
# COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set as bash sets them
# for a line and the completion function called: COMPREPLY must be
# exactly what is expected. bash-completion: the same, with bash-completion
# loaded and the file found by its loader as it is installed
# (completions/sigport), and then `run`'s command completed by that
# command's own completion. zsh: completion/_sigport in an interactive zsh
# (completion.zsh). The sigport under test is the one completed, and the
# one whose `list` gives the signal names. Status 77 when the shell or
# bash-completion is not there.
set -euo pipefail

mode=$1
tool=$2
compdir=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

# The sigport under test, as `sigport` on the path.
mkdir -p "$work/bin" "$work/cwd"
ln -s "$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")" "$work/bin/sigport"
PATH=$work/bin:$PATH
cd "$work/cwd"

if [ "$mode" = zsh ]; then
  command -v zsh >/dev/null || skip "zsh is not installed"
  # Not exec'd: the scratch directory is removed when this shell exits.
  rc=0
  zsh -f "$here/completion.zsh" "$work/bin" "$compdir" || rc=$?
  exit "$rc"
fi

# compopt works only while bash itself runs a completion; here it records
# what it was asked.
compopt_calls=()
compopt() { compopt_calls+=("$*"); }

case $mode in
  bash)
    # shellcheck source=../../completion/sigport.bash
    . "$compdir/sigport.bash"
    ! declare -F _command_offset >/dev/null ||
      fail "_command_offset is defined without bash-completion"
    ;;
  bash-completion)
    main=${SIGPORT_BASH_COMPLETION:-}
    if [ -z "$main" ]; then
      for f in /usr/share/bash-completion/bash_completion \
        /usr/local/share/bash-completion/bash_completion \
        /opt/homebrew/share/bash-completion/bash_completion; do
        [ -r "$f" ] && { main=$f; break; }
      done
    fi
    [ -n "$main" ] && [ -r "$main" ] || skip "bash-completion is not installed"
    # Its loader looks in $BASH_COMPLETION_USER_DIR/completions first,
    # for a file named as the command, which is how sigport.bash is
    # installed.
    mkdir -p "$work/user/completions"
    cp "$compdir/sigport.bash" "$work/user/completions/sigport"
    export BASH_COMPLETION_USER_DIR=$work/user
    # shellcheck source=/dev/null
    . "$main"
    declare -F _command_offset >/dev/null ||
      fail "$main defines no _command_offset"
    ! complete -p sigport >/dev/null 2>&1 || fail "sigport completed before loading"
    _completion_loader sigport || true
    spec=$(complete -p sigport 2>/dev/null) || fail "the loader found no completion for sigport"
    [ "$spec" = "complete -F _sigport sigport" ] || fail "loaded: $spec"
    note "bash-completion's loader found completions/sigport: $spec"
    ;;
  *) fail "unknown mode '$mode'" ;;
esac

# complete LINE: completes LINE, the cursor at its end, as bash would:
# the words split at blanks and around '=' (COMP_WORDBREAKS), the last
# one empty after a blank. COMPREPLY is left as the function set it;
# what it wrote on stderr is in $work/comp.err.
complete_line() {
  local line=$1 cur prev status
  # shellcheck disable=SC2034 # Read by the completion function.
  COMP_LINE=$line COMP_POINT=${#line} COMP_TYPE=9 COMP_KEY=9
  read -ra COMP_WORDS <<<"${line//=/ = }"
  if [[ $line == *" " ]]; then COMP_WORDS+=(""); fi
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  COMPREPLY=()
  compopt_calls=()
  # Run as bash runs it, without errexit.
  set +e
  _sigport sigport "$cur" "$prev" 2>"$work/comp.err"
  status=$?
  set -e
  [ "$status" = 0 ] || fail "'$line<TAB>': the function returned $status"
  [ ! -s "$work/comp.err" ] ||
    fail "'$line<TAB>' wrote on stderr: $(cat "$work/comp.err")"
}

# expect LINE WORD...: COMPREPLY for LINE is exactly WORD..., in order.
expect() {
  local line=$1
  shift
  complete_line "$line"
  [ "${COMPREPLY[*]-}" = "$*" ] && [ "${#COMPREPLY[@]}" = "$#" ] ||
    fail "'$line<TAB>': got [${COMPREPLY[*]-}], expected [$*]"
  note "'$line<TAB>': [${COMPREPLY[*]-}]"
}

# expect_set LINE WORD...: the same words in any order (signals come in
# the order of their numbers, which differ between systems).
expect_set() {
  local line=$1 got want
  shift
  complete_line "$line"
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
  want=$(printf '%s\n' "$@" | sort)
  [ "$got" = "$want" ] ||
    fail "'$line<TAB>': got [${COMPREPLY[*]-}], expected [$*] in any order"
  note "'$line<TAB>': [${COMPREPLY[*]-}]"
}

# The commands, the options, and the signal names from the tool's list.
expect 'sigport ' list info send watch run mask help
expect 'sigport -' --help --version
expect 'sigport --version ' --json
expect 'sigport help wa' watch
expect 'sigport list ' --json --help
expect 'sigport run --' --timeout --signal --kill-after --forward \
  --no-forward --init --grace --group --foreground --preserve-status \
  --verbose --help
expect 'sigport run -' --timeout --signal -s --kill-after -k --forward \
  --no-forward --init --grace --group --foreground --preserve-status \
  -v --verbose --help
expect_set 'sigport info SIGU' SIGUSR1 SIGUSR2 SIGURG
expect 'sigport info SIGUS' SIGUSR1 SIGUSR2
expect 'sigport info usr' usr1 usr2
expect 'sigport info --' --json --help
expect 'sigport info TERM ' --json
expect 'sigport watch --count ' 
expect 'sigport watch --count=' 
expect 'sigport watch --timeout 5 --' --count --timeout --json --queue --help
expect 'sigport watch -- HU' HUP
expect 'sigport run --signal KI' KILL
expect 'sigport run --signal=KI' KILL
expect 'sigport run -s SIGKI' SIGKILL
expect 'sigport run --timeout ' 
expect 'sigport run --kill-after=' 
expect 'sigport send -' -- --help
expect 'sigport send -- SIGTE' SIGTERM
expect 'sigport mask -' --json --help

# --forward's comma list: the signals before the last comma stay, those
# listed are not offered again, and no space ends the word.
expect 'sigport run --forward INT,TE' INT,TERM
case " ${compopt_calls[*]-} " in
  *" -o nospace "*) note "--forward: compopt -o nospace" ;;
  *) fail "--forward: no compopt -o nospace (${compopt_calls[*]-})" ;;
esac
expect 'sigport run --forward=INT,TE' INT,TERM
expect 'sigport run --forward USR1,US' USR1,USR2
expect 'sigport run --forward INT,SIGTERM,HU' INT,SIGTERM,HUP
expect 'sigport run --no-forward --forward QU' QUIT

# Process ids: this shell's is among them, and all are numbers, beginning
# with what was typed.
complete_line 'sigport send TERM '
case " ${COMPREPLY[*]-} " in
  *" $$ "*) ;;
  *) fail "'sigport send TERM <TAB>': no $$ among [${COMPREPLY[*]-}]" ;;
esac
for p in "${COMPREPLY[@]}"; do
  [[ $p =~ ^[0-9]+$ ]] || fail "'sigport send TERM <TAB>': '$p' is not a pid"
done
note "'sigport send TERM <TAB>': ${#COMPREPLY[@]} process ids, $$ among them"
complete_line "sigport mask $$"
for p in "${COMPREPLY[@]}"; do
  [[ $p == "$$"* ]] || fail "'sigport mask $$<TAB>': '$p'"
done
case " ${COMPREPLY[*]-} " in
  *" $$ "*) note "'sigport mask $$<TAB>': ${COMPREPLY[*]}" ;;
  *) fail "'sigport mask $$<TAB>': no $$ among [${COMPREPLY[*]-}]" ;;
esac
expect "sigport mask $$ " --json --help

# run's command: its name from the path, then its own completion.
: >"$work/cwd/lines.txt"
expect 'sigport run --init sigpo' sigport
expect 'sigport run -- sigpo' sigport
if [ "$mode" = bash ]; then
  # Without bash-completion, the command's arguments are file names.
  expect 'sigport run -- sigport li' lines.txt
  case " ${compopt_calls[*]-} " in
    *" -o filenames "*) ;;
    *) fail "file names without compopt -o filenames" ;;
  esac
else
  # With it, they are completed by the command's own completion, here
  # sigport's again, through _command_offset.
  expect 'sigport run -- sigport li' list
  expect 'sigport run --timeout 5 sigport run --forward HUP,QU' HUP,QUIT
  expect 'sigport run -s KILL -k 1 --init sigport info SIGUS' SIGUSR1 SIGUSR2
  expect 'sigport run --signal=TERM -- sigport run --signal=KI' KILL
  expect 'sigport run -- sigport watch --count ' 
  # An "--option=" of the command is the command's own.
  complete -F _sigport_test_opts opts
  _sigport_test_opts() { COMPREPLY=("opts:$2"); }
  expect 'sigport run --signal=TERM opts --signal=K' opts:K
fi
echo "ok: every case of $mode"
