# tree.cmake: `sigport run` and a process tree on Windows (tree.c).
#
#   cmake -DCASE=NAME -DTOOL=sigport.exe -DTREE=tree.exe -DFILE=PIDS
#         [-DEMULATOR=wine] -P tree.cmake
#
# Each case runs the tool around `tree spawn` or `tree leave`, checks run's
# exit status and what it said, then asks tree what became of the child
# and the grandchild.

cmake_minimum_required(VERSION 3.20)

# Runs a command, fails unless it exits with `status` and (when `regex` is
# not empty) its output matches `regex`. Its standard error goes to a file,
# not a pipe: Wine keeps the Unix standard error of every process open for
# its own messages, so a grandchild that is meant to outlive the command
# would hold a pipe open for as long as it lives.
function(step status regex)
  execute_process(COMMAND ${EMULATOR} ${ARGN}
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_FILE "${FILE}.err")
  file(READ "${FILE}.err" err)
  string(REPLACE "\r" "" text "${out}${err}")
  message("$ ${ARGN}\nstatus ${result}\n${text}")
  if(NOT "${result}" STREQUAL "${status}")
    message(FATAL_ERROR "exit status ${result}, expected ${status}")
  endif()
  if(NOT "${regex}" STREQUAL "" AND NOT text MATCHES "${regex}")
    message(FATAL_ERROR "no line matches '${regex}'")
  endif()
endfunction()

file(REMOVE "${FILE}")
if(CASE STREQUAL "timeout")
  # The timeout ends the job: the child and its grandchild.
  step(124 "ending the job of pid [0-9]+ with exit code 15 \\(timeout\\)"
    ${TOOL} run -v --timeout 1 -- ${TREE} spawn ${FILE})
  step(0 "" ${TREE} gone ${FILE})
elseif(CASE STREQUAL "preserve")
  # The job's processes get the timeout signal's number as exit code.
  step(15 "" ${TOOL} run --timeout 1 --preserve-status -- ${TREE} spawn ${FILE})
  step(0 "" ${TREE} gone ${FILE})
elseif(CASE STREQUAL "kill_after")
  # INT is a CTRL_BREAK_EVENT, which the tree ignores; the kill ends it.
  step(9 "ending the job of pid [0-9]+ with exit code 9 \\(kill-after\\)"
    ${TOOL} run -v --timeout 0.5 -s INT -k 0.5 --preserve-status --
    ${TREE} spawn ${FILE})
  step(0 "" ${TREE} gone ${FILE})
elseif(CASE STREQUAL "foreground")
  # --foreground ends the child alone: the grandchild goes on.
  step(124 "ending pid [0-9]+ with exit code 15 \\(timeout\\)"
    ${TOOL} run -v --foreground --timeout 1 -- ${TREE} spawn ${FILE})
  step(0 "still runs" ${TREE} alive ${FILE})
elseif(CASE STREQUAL "leave")
  # A child that ends by itself leaves its grandchild running.
  step(0 "" ${TOOL} run -- ${TREE} leave ${FILE})
  step(0 "still runs" ${TREE} alive ${FILE})
elseif(CASE STREQUAL "killed")
  # run ended the hard way: the job closes, and the tree ends with it.
  step(0 "have ended" ${TREE} kill ${FILE} ${TOOL} run -- ${TREE} spawn ${FILE})
else()
  message(FATAL_ERROR "tree.cmake: unknown CASE '${CASE}'")
endif()
