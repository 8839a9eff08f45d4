# SPDX-License-Identifier: Apache-2.0
# The runner's usage errors (docs/scenario.md): an unreadable script or a
# bad command line exits with status 2 - not 1, which is a failed story -
# and says why on stderr.
#   cmake -DRUNNER=... -P check_usage.cmake
function(expect_status2 want)
  execute_process(COMMAND ${RUNNER} ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 2)
    message(FATAL_ERROR "${ARGN}: exit status ${_rc}, wanted 2 (stderr: ${_err})")
  endif()
  string(FIND "${_err}" "${want}" _at)
  if(_at LESS 0)
    message(FATAL_ERROR "${ARGN}: stderr was\n  ${_err}\nwanted it to hold\n  ${want}")
  endif()
endfunction()
expect_status2("no_such_story.itsm: cannot open" no_such_story.itsm)
expect_status2("usage: itsm-scenario")
message(STATUS "ok: usage errors exit 2")
