# SPDX-License-Identifier: Apache-2.0
# Run the scenario runner on one bad script (from tests/scenarios/) and
# check that it exits with status 1 and prints exactly the line given in
# the script's first line "# expect-output: ...".
#   cmake -DRUNNER=... -DSCRIPT=bad/x.itsm -P check_bad.cmake
file(STRINGS ${SCRIPT} _first LIMIT_COUNT 1)
string(REGEX REPLACE "^# expect-output: " "" _want "${_first}")
execute_process(COMMAND ${RUNNER} ${SCRIPT} RESULT_VARIABLE _rc
                OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
string(STRIP "${_err}" _err)
if(NOT _rc EQUAL 1)
  message(FATAL_ERROR "exit status ${_rc}, wanted 1 (stdout: ${_out}; stderr: ${_err})")
endif()
if(NOT _err STREQUAL _want)
  message(FATAL_ERROR "stderr was\n  ${_err}\nwanted\n  ${_want}")
endif()
message(STATUS "ok: ${_err}")
