# SPDX-License-Identifier: Apache-2.0
# The complete example of docs/scenario.md ("## A complete example", its
# indented block) runs and passes in the runner as written, so the page a
# script author copies from stays true.
#   cmake -DRUNNER=... -DDOC=docs/scenario.md -DOUT=dir -P check_doc_example.cmake
file(STRINGS ${DOC} _lines)
set(_in 0)
set(_script "")
foreach(_l IN LISTS _lines)
  if(_l MATCHES "^## ")
    if(_l STREQUAL "## A complete example")
      set(_in 1)
    else()
      set(_in 0)
    endif()
  elseif(_in AND _l MATCHES "^    ")
    string(SUBSTRING "${_l}" 4 -1 _l)
    string(APPEND _script "${_l}\n")
  endif()
endforeach()
if(_script STREQUAL "")
  message(FATAL_ERROR "no complete example found in ${DOC}")
endif()
file(WRITE ${OUT}/doc_example.itsm "${_script}")
execute_process(COMMAND ${RUNNER} doc_example.itsm WORKING_DIRECTORY ${OUT}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the documented example fails (status ${_rc}): ${_err}")
endif()
message(STATUS "${_out}")
