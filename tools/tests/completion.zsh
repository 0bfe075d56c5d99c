#!/usr/bin/env zsh
# completion.zsh: the zsh completion of sigport, completion/_sigport, in a
# real interactive zsh: compinit finds it in $fpath, and each line below is
# typed into that shell, in a pseudo-terminal (zpty), followed by TAB. TAB
# runs the completion system with compadd wrapped so that every match it
# adds is written to a file, inserts nothing and lists nothing, then
# prints a marker. The matches are compared, sorted, with what is
# expected.
#
#   zsh -f completion.zsh DIR-OF-A-SIGPORT COMPLETION-DIR
#
# DIR-OF-A-SIGPORT holds a program named sigport (the tool under test),
# which the completion runs for signal names; COMPLETION-DIR holds
# _sigport. Exit status 0 when every case matched, 1 otherwise.
emulate -R zsh
setopt err_return pipe_fail

bindir=${1:A} compdir=${2:A}
[[ -x $bindir/sigport && -r $compdir/_sigport ]] || {
  print -u2 "usage: completion.zsh DIR-OF-A-SIGPORT COMPLETION-DIR"
  exit 2
}
zmodload zsh/zpty || { print -u2 "FAIL: no zsh/zpty module"; exit 1 }

work=$(mktemp -d)
trap 'zpty -d sp 2>/dev/null; rm -rf $work' EXIT
failed=0

# The shell under test reads this file. Its markers are not typed into the
# terminal, so a marker that comes back was printed by the shell itself.
cat >$work/setup.zsh <<EOF
PS1='> ' PS2='' RPS1=''
path=(${(q)bindir} \$path)
fpath=(${(q)compdir} \$fpath)
autoload -Uz compinit
compinit -u -D
unsetopt auto_list list_ambiguous list_beep beep
sp_hits=${(q)work}/hits
sp_n=0
EOF
cat >>$work/setup.zsh <<'EOF'
# compadd as the completion functions call it, writing down the matches it
# adds. Calls that only ask which words match (-O, -A, -D) add nothing.
compadd() {
  local a
  for a in "$@"; do
    case $a in
      (-O|-A|-D) builtin compadd "$@"; return ;;
      (--) break ;;
    esac
  done
  local -a sp_got
  builtin compadd -O sp_got "$@"
  (( $#sp_got == 0 )) || print -rl -- $sp_got >>$sp_hits
  builtin compadd "$@"
}
# The completion, without inserting or listing what it found.
sp_complete() {
  _main_complete
  compstate[insert]=''
  compstate[list]=''
}
zle -C sp-complete complete-word sp_complete
sp_capture() {
  : >|$sp_hits
  zle sp-complete
  BUFFER=''
  (( ++sp_n ))
  print -rn -- $'\n'"@@done $sp_n@@"$'\n'
}
zle -N sp_capture
bindkey '^I' sp_capture
print -r -- "@@ready $$@@"
EOF

zpty sp env TERM=vt100 zsh -f -i
zpty -w sp "source ${(q)work}/setup.zsh"
zpty -r sp out '*@@ready *@@*'
shell_pid=${${out##*@@ready }%%@@*}
n=0

# complete LINE: types LINE and TAB; sets $got to the sorted matches, one
# a line.
complete() {
  local out
  zpty -w -n sp "$1"$'\t'
  (( ++n ))
  zpty -r sp out "*@@done $n@@*"
  got=$(sort -u $work/hits)
}

# expect LINE MATCH...: the matches of LINE are exactly MATCH...
expect() {
  local line=$1 want
  shift
  complete "$line"
  want=$(print -rl -- "$@" | sort -u)
  (( $# )) || want=''
  if [[ $got == $want ]]; then
    print -r -- "ok: '$line<TAB>': ${(f)got}"
  else
    print -r -- "FAIL: '$line<TAB>': got [${(j:, :)${(f)got}}], expected [${(j:, :)${(f)want}}]"
    failed=1
  fi
}

expect 'sigport ' list info send watch run mask help
expect 'sigport -' --help --version
expect 'sigport run --' --timeout --signal --kill-after --forward \
  --no-forward --init --grace --group --foreground --preserve-status \
  --verbose --help
expect 'sigport info SIGU' SIGURG SIGUSR1 SIGUSR2
expect 'sigport info SIGUS' SIGUSR1 SIGUSR2
expect 'sigport info usr' usr1 usr2
expect 'sigport watch --count ' 
expect 'sigport run --forward INT,TE' TERM
expect 'sigport run --forward USR1,US' USR2
expect 'sigport run --signal KI' KILL
expect 'sigport --version ' --json
expect 'sigport help wa' watch
# run: a command, then that command's own completion (here sigport's).
expect 'sigport run --init sigpo' sigport
expect 'sigport run --timeout 5 -- sigport li' list
expect 'sigport run -- sigport run --forward HUP,QU' QUIT
expect 'sigport run -s KILL -k 1 sigport info SIGUS' SIGUSR1 SIGUSR2
expect 'sigport run -- sigpo' sigport

# Process ids: the shell's own is among them, and every match is a number.
complete 'sigport send TERM '
if [[ $'\n'$got$'\n' == *$'\n'$shell_pid$'\n'* ]] &&
   [[ -z ${(M)${(f)got}:#*[^0-9]*} ]]; then
  print -r -- "ok: 'sigport send TERM <TAB>': $(print -r -- $got | wc -l) process ids, $shell_pid among them"
else
  print -r -- "FAIL: 'sigport send TERM <TAB>': not only process ids with $shell_pid: ${(j:, :)${(f)got}}"
  failed=1
fi

exit $failed
