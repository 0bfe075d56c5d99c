# bash completion for sigport(1).
#
# Installed as share/bash-completion/completions/sigport, where
# bash-completion loads it the first time `sigport` is completed. Without
# bash-completion, source this file from ~/.bashrc. It completes the
# commands, each command's options, signal names (from the `list` of the
# sigport being completed), process ids, the comma lists of --forward and,
# after `run`'s options, a command and then that command's own arguments
# (through bash-completion's _command_offset when it is loaded).

# _sigport_signals TOOL WORD [HAVE]: prints, one a line, the signals that
# `TOOL list` names and that begin with WORD. With WORD empty, the names
# without their SIG prefix (HUP, INT...); otherwise both forms, so that
# TE gives TERM and SIGTE gives SIGTERM; in lower case when WORD begins
# with a lower-case letter (the tool takes any case); numbers when WORD
# begins with a digit. HAVE is a comma list of signals to leave out, in
# any of those forms.
_sigport_signals() {
  local tool=$1 word=$2 have=${3-}
  "$tool" list 2>/dev/null | awk -v word="$word" -v have="$have" '
    BEGIN {
      n = split(toupper(have), h, ",")
      for (i = 1; i <= n; i++) {
        if (h[i] != "") skip[h[i]] = 1
        if (h[i] ~ /^SIG/) skip[substr(h[i], 4)] = 1
      }
      lower = word ~ /^[a-z]/
    }
    # "  1  SIGHUP     terminate  catchable    Hangup": the number, then
    # the name.
    $1 ~ /^[0-9]+$/ && NF >= 2 {
      num = $1; name = $2; bare = name
      if (bare ~ /^SIG/) bare = substr(bare, 4)
      if (num in skip || name in skip || bare in skip) next
      if (word ~ /^[0-9]/) { if (index(num, word) == 1) print num; next }
      if (lower) { name = tolower(name); bare = tolower(bare) }
      if (index(bare, word) == 1) print bare
      if (word != "" && name != bare && index(name, word) == 1) print name
    }'
}

# _sigport_pids WORD: the ids of the running processes that begin with
# WORD, from ps, or from /proc where there is no ps.
_sigport_pids() {
  local word=$1
  {
    if command -v ps >/dev/null 2>&1; then
      ps -A -o pid= 2>/dev/null
    elif [ -d /proc ]; then
      (cd /proc && printf '%s\n' [0-9]*)
    fi
  } | awk -v word="$word" '{ gsub(/[ \t]/, "") }
    /^[0-9]+$/ && index($0, word) == 1'
}

# _sigport_reply PREFIX COMMAND [ARG...]: sets COMPREPLY to what COMMAND
# prints, one candidate a line, each with PREFIX in front. COMMAND runs in
# a process substitution, so that COMPREPLY is set in this shell, not in a
# pipeline's subshell.
_sigport_reply() {
  local prefix=$1 line
  shift
  COMPREPLY=()
  while IFS= read -r line; do
    COMPREPLY+=("$prefix$line")
  done < <("$@")
}

# _sigport_words WORDS: COMPREPLY is those of the words that begin with
# $cur (of the caller), in their order.
_sigport_words() {
  local w
  COMPREPLY=()
  for w in $1; do
    if [[ $w == "$cur"* ]]; then COMPREPLY+=("$w"); fi
  done
  return 0
}

# _sigport_nospace: the candidate is not ended by a space (a comma list
# goes on), where this bash can say so.
_sigport_nospace() {
  if type compopt >/dev/null 2>&1; then
    compopt -o nospace 2>/dev/null || true
  fi
}

# _sigport_value OPTION: completes the value $cur (of the caller) of
# OPTION; returns 1 when OPTION takes no value.
_sigport_value() {
  local head
  case $1 in
    --signal | -s)
      _sigport_reply "$pfx" _sigport_signals "$tool" "$cur"
      ;;
    --forward)
      # The signals before the last comma stay; those already listed are
      # not offered again.
      head=""
      if [[ $cur == *,* ]]; then head=${cur%,*},; fi
      _sigport_reply "$pfx$head" _sigport_signals "$tool" "${cur##*,}" "${head%,}"
      _sigport_nospace
      ;;
    --timeout | --kill-after | -k | --grace | --count)
      # A number: nothing to offer.
      COMPREPLY=()
      ;;
    *) return 1 ;;
  esac
  return 0
}

# _sigport_option_value: when $cur (of the caller) is "--option=VALUE",
# completes VALUE and returns 0; the candidates keep "--option=" in front
# only when bash did not split the word at the '='. Returns 1 for any
# other word.
_sigport_option_value() {
  local opt
  [[ $cur == --*=* ]] || return 1
  opt=${cur%%=*}
  if [[ ${COMP_WORDS[COMP_CWORD]} == --*=* ]]; then pfx="$opt="; fi
  cur=${cur#*=}
  _sigport_value "$opt" || COMPREPLY=()
  return 0
}

# _sigport_commands WORD: the commands that begin with WORD, each once.
_sigport_commands() {
  compgen -c -- "$1" | sort -u
}

# _sigport_command START: completes a command and its arguments, the
# command being the word START of COMP_WORDS.
_sigport_command() {
  if declare -F _command_offset >/dev/null; then
    _command_offset "$1"
  elif [ "$COMP_CWORD" = "$1" ]; then
    _sigport_reply "" _sigport_commands "$cur"
  else
    _sigport_reply "" compgen -f -- "$cur"
    if type compopt >/dev/null 2>&1; then
      compopt -o filenames 2>/dev/null || true
    fi
  fi
}

_sigport() {
  local tool cur pfx="" cmd i j n start="" w
  local -a words=() orig=()
  local cword=0

  # The words, with "--option=VALUE" made one again where bash split it
  # at the '=' (COMP_WORDBREAKS); orig[j] is the index in COMP_WORDS of
  # words[j], for _command_offset.
  n=${#COMP_WORDS[@]}
  for ((i = 0; i < n; i++)); do
    w=${COMP_WORDS[i]}
    j=${#words[@]}
    if [[ $w == = && $j -gt 0 && ${words[j - 1]} == --* &&
      ${words[j - 1]} != *=* ]]; then
      words[j - 1]+="="
      if ((i <= COMP_CWORD)); then cword=$((j - 1)); fi
      if ((i + 1 < n)) && ((i + 1 <= COMP_CWORD)); then
        i=$((i + 1))
        words[j - 1]+=${COMP_WORDS[i]}
        if ((i <= COMP_CWORD)); then cword=$((j - 1)); fi
      fi
      continue
    fi
    words+=("$w")
    orig+=("$i")
    if ((i <= COMP_CWORD)); then cword=$j; fi
  done
  cur=${words[cword]-}
  # The sigport being completed answers `list`; a name that is not a
  # program (~/bin/sigport) falls back to the one on the path.
  tool=${words[0]}
  type -P -- "$tool" >/dev/null 2>&1 || tool=sigport

  if ((cword == 1)); then
    if [[ $cur == -* ]]; then
      _sigport_words "--help --version"
    else
      _sigport_words "list info send watch run mask help"
    fi
    return 0
  fi

  cmd=${words[1]}
  case $cmd in
    --version)
      if ((cword == 2)); then _sigport_words "--json"; fi
      ;;
    help)
      if ((cword == 2)); then _sigport_words "list info send watch run mask"; fi
      ;;
    list)
      _sigport_words "--json --help"
      ;;
    info)
      # One SIGNAL; the options until "--".
      local given=0 options=1
      for ((i = 2; i < cword; i++)); do
        if ((options)) && [[ ${words[i]} == -- ]]; then
          options=0
        elif ! ((options)) || [[ ${words[i]} != --* ]]; then
          given=1
        fi
      done
      if ((options)) && [[ $cur == -* ]]; then
        _sigport_words "--json --help"
      elif ((given == 0)); then
        _sigport_reply "" _sigport_signals "$tool" "$cur"
      elif ((options)); then
        _sigport_words "--json"
      else
        COMPREPLY=()
      fi
      ;;
    send)
      # [--] SIGNAL PID...
      local sig=""
      for ((i = 2; i < cword; i++)); do
        if [ -z "$sig" ] && [[ ${words[i]} == --* ]]; then
          continue
        fi
        [ -n "$sig" ] || sig=$i
      done
      if [ -n "$sig" ]; then
        _sigport_reply "" _sigport_pids "$cur"
      elif [[ $cur == -* ]]; then
        _sigport_words "-- --help"
      else
        _sigport_reply "" _sigport_signals "$tool" "$cur"
      fi
      ;;
    mask)
      # [--json] [PID]
      local given=0
      for ((i = 2; i < cword; i++)); do
        [[ ${words[i]} == -* ]] || given=1
      done
      if [[ $cur == -* ]] || ((given)); then
        _sigport_words "--json --help"
      else
        _sigport_reply "" _sigport_pids "$cur"
      fi
      ;;
    watch)
      # [options] SIGNAL..., options until "--".
      local options=1
      for ((i = 2; i < cword; i++)); do
        w=${words[i]}
        if ((options)) && [[ $w == -- ]]; then
          options=0
        elif ((options)) && [[ $w == --count || $w == --timeout ]]; then
          if ((i + 1 == cword)); then
            _sigport_value "$w"
            return 0
          fi
          i=$((i + 1))
        fi
      done
      if ((options)) && _sigport_option_value; then
        return 0
      elif ((options)) && [[ $cur == -* ]]; then
        _sigport_words "--count --timeout --json --queue --help"
      else
        _sigport_reply "" _sigport_signals "$tool" "$cur"
      fi
      ;;
    run)
      # [options] [--] COMMAND [ARG...]: the first word that is not an
      # option, or the one after "--", is the command.
      for ((i = 2; i < cword; i++)); do
        w=${words[i]}
        case $w in
          --) start=$((i + 1)); break ;;
          --timeout | --signal | -s | --kill-after | -k | --forward | --grace)
            if ((i + 1 == cword)); then
              _sigport_value "$w"
              return 0
            fi
            i=$((i + 1))
            ;;
          -?*) ;;
          *) start=$i; break ;;
        esac
      done
      if [ -z "$start" ] && _sigport_option_value; then
        return 0
      fi
      if [ -z "$start" ] && [[ $cur == -* ]]; then
        _sigport_words "--timeout --signal -s --kill-after -k --forward
          --no-forward --init --grace --group --foreground --preserve-status
          -v --verbose --help"
        return 0
      fi
      [ -n "$start" ] || start=$cword
      if ((start <= cword)); then
        _sigport_command "${orig[start]}"
      fi
      ;;
    *)
      COMPREPLY=()
      ;;
  esac
  return 0
}

complete -F _sigport sigport
