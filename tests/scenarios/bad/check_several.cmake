# SPDX-License-Identifier: Apache-2.0
# Several scripts in one run (docs/scenario.md): each runs on a fresh
# engine (the same record id opens again, one record each time) and prints
# its ok line; the first failure stops the run, so the scripts after it do
# not run.
#   cmake -DRUNNER=... -DOUT=dir -P check_several.cmake   (from tests/scenarios)
file(WRITE ${OUT}/fresh_engine.itsm "open incident INC1 summary=x\nexpect count all incident 1\n")
execute_process(COMMAND ${RUNNER} ${OUT}/fresh_engine.itsm ${OUT}/fresh_engine.itsm
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
string(REGEX MATCHALL "fresh_engine.itsm: ok, 2 statements, 1 expectations" _oks "${_out}")
list(LENGTH _oks _n)
if(NOT _rc EQUAL 0 OR NOT _n EQUAL 2)
  message(FATAL_ERROR "two fresh runs: status ${_rc}, stdout ${_out}, stderr ${_err}")
endif()
execute_process(COMMAND ${RUNNER} bad/failed_expectation.itsm ${OUT}/fresh_engine.itsm
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 1 OR _out MATCHES "fresh_engine" OR NOT _err MATCHES "failed_expectation.itsm:6: ")
  message(FATAL_ERROR "a failure then a story: status ${_rc}, stdout ${_out}, stderr ${_err}")
endif()
message(STATUS "ok: fresh engine per script, the first failure stops the run")
