# SPDX-License-Identifier: Apache-2.0
# A sampled fault matrix (--faults --stride N) is a rotating sample: the N
# offsets (--offset 0..N-1) fail disjoint positions that together are the
# whole matrix, each run names its stride and offset, and without --offset
# the run picks one and says which.
#   cmake -DRUNNER=... -DSTORY=x.itsm -P check_fault_offset.cmake
function(fault_counts out_allocs out_appends out_text)
  execute_process(COMMAND ${RUNNER} --faults ${ARGN} ${STORY} RESULT_VARIABLE _rc
                  OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "--faults ${ARGN}: exit status ${_rc}: ${_out}${_err}")
  endif()
  if(NOT _out MATCHES "([0-9]+) allocations and ([0-9]+) store appends failed")
    message(FATAL_ERROR "--faults ${ARGN}: no counts in: ${_out}")
  endif()
  set(${out_allocs} ${CMAKE_MATCH_1} PARENT_SCOPE)
  set(${out_appends} ${CMAKE_MATCH_2} PARENT_SCOPE)
  set(${out_text} "${_out}" PARENT_SCOPE)
endfunction()

fault_counts(_all_allocs _all_appends _text)
set(_allocs 0)
set(_appends 0)
foreach(_k 0 1 2)
  fault_counts(_a _p _text --stride 3 --offset ${_k})
  if(NOT _text MATCHES "sample --stride 3 --offset ${_k}\\)")
    message(FATAL_ERROR "--offset ${_k}: the run does not name its sample: ${_text}")
  endif()
  math(EXPR _allocs "${_allocs} + ${_a}")
  math(EXPR _appends "${_appends} + ${_p}")
endforeach()
if(NOT _allocs EQUAL _all_allocs OR NOT _appends EQUAL _all_appends)
  message(FATAL_ERROR "offsets 0..2 failed ${_allocs} allocations and ${_appends} appends; "
                      "the whole matrix ${_all_allocs} and ${_all_appends}")
endif()
fault_counts(_a _p _text --stride 3)
if(NOT _text MATCHES "sample --stride 3 --offset [012]\\)")
  message(FATAL_ERROR "without --offset the run does not name the one it picked: ${_text}")
endif()
execute_process(COMMAND ${RUNNER} --faults --stride 3 --offset 3 ${STORY} RESULT_VARIABLE _rc
                OUTPUT_QUIET ERROR_QUIET)
if(NOT _rc EQUAL 2)
  message(FATAL_ERROR "--offset 3 with --stride 3: exit status ${_rc}, wanted 2 (usage)")
endif()
message(STATUS "ok: offsets 0..2 cover ${_all_allocs} allocations and ${_all_appends} appends")
