# expect.cmake: runs a command and checks its exit status and output.
#
#   cmake -DSTATUS=N[|N...] -DREGEX=RE -P expect.cmake -- COMMAND [ARG...]
#
# The test passes when COMMAND exits with one of the statuses N and a line
# of its standard output or standard error matches RE (an empty RE matches
# anything). Several statuses allow for Wine, which gives a Unix parent only
# the low 8 bits of a Windows exit code.

cmake_minimum_required(VERSION 3.20)

set(command "")
set(seen_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(seen_separator)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(seen_separator TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "expect.cmake: no command after --")
endif()

execute_process(COMMAND ${command}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("status ${result}\nstdout:\n${out}\nstderr:\n${err}")
string(REPLACE "|" ";" statuses "${STATUS}")
if(NOT "${result}" IN_LIST statuses)
  message(FATAL_ERROR "exit status ${result}, expected ${STATUS}")
endif()
if(NOT "${REGEX}" STREQUAL "")
  # Each line is matched on its own, so ^ and $ anchor lines. The text is
  # cut at newlines by hand: a CMake list would also cut it at semicolons.
  string(REPLACE "\r" "" rest "${out}\n${err}")
  set(found FALSE)
  while(NOT found AND NOT rest STREQUAL "")
    string(FIND "${rest}" "\n" nl)
    if(nl EQUAL -1)
      set(line "${rest}")
      set(rest "")
    else()
      string(SUBSTRING "${rest}" 0 ${nl} line)
      math(EXPR nl "${nl} + 1")
      string(SUBSTRING "${rest}" ${nl} -1 rest)
    endif()
    if("${line}" MATCHES "${REGEX}")
      set(found TRUE)
    endif()
  endwhile()
  if(NOT found)
    message(FATAL_ERROR "no line matches '${REGEX}'")
  endif()
endif()
