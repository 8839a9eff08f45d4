# SPDX-License-Identifier: Apache-2.0
# The scenario stories (tests/scenarios/*.itsm), one ctest each (and one
# for each story's fault matrix), and the
# runner's own error tests (tests/scenarios/bad/*.itsm: each must exit 1
# with exactly the "file:line: message" its first line gives).
# The runner is built in tools/scenario (added after tests/; the generator
# expression resolves at generate time).
if(ITSM_BUILD_TOOLS AND EXISTS ${CMAKE_SOURCE_DIR}/tools/CMakeLists.txt
   AND EXISTS ${CMAKE_SOURCE_DIR}/tools/scenario/CMakeLists.txt)
  # Renamed runs: the default policy with every state and event renamed
  # (prefix zz_) and every role mapped; each story must pass under it
  # unchanged (docs/scenario.md, "Renamed runs").
  add_executable(renamed_policy ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/renamed_policy.c)
  target_link_libraries(renamed_policy PRIVATE itsm_static)
  target_include_directories(renamed_policy PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(renamed_policy PRIVATE -Wall -Wextra -Werror)
  set(_itsm_renamed ${CMAKE_CURRENT_BINARY_DIR}/renamed_policy.json)
  add_test(NAME scenario_renamed_policy COMMAND renamed_policy zz_ ${_itsm_renamed})
  set_tests_properties(scenario_renamed_policy PROPERTIES FIXTURES_SETUP itsm_renamed_policy)
  file(GLOB _itsm_stories CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/*.itsm)
  foreach(_story ${_itsm_stories})
    get_filename_component(_name ${_story} NAME_WE)
    add_test(NAME scenario_${_name} COMMAND $<TARGET_FILE:itsm-scenario> ${_name}.itsm
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
    # The fault matrix: every allocation and store append of the story's
    # actions failed in turn (docs/scenario.md, --faults).
    # A story whose actions make scratch engines (what-if, migration check,
    # adoption) fails every N-th of their thousands of allocations only,
    # when it says so in a line "# fault-stride: N"; the sample's offset
    # turns with the day, so N days' runs cover every position.
    file(STRINGS ${_story} _stride REGEX "^# fault-stride: [0-9]+$")
    set(_stride_args)
    if(_stride)
      string(REGEX REPLACE "^# fault-stride: " "" _stride "${_stride}")
      set(_stride_args --stride ${_stride})
    endif()
    add_test(NAME scenario_faults_${_name} COMMAND $<TARGET_FILE:itsm-scenario> --faults ${_stride_args} ${_name}.itsm
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
    set_tests_properties(scenario_faults_${_name} PROPERTIES LABELS faults TIMEOUT 600)
    # A story that loads its own policy (a `policy` statement) runs under
    # that policy's names, not the renamed default; so does one that
    # judges its records under a candidate policy (whatif, migration check).
    file(STRINGS ${_story} _own_policy REGEX "^(policy|whatif|migration check) ")
    if(NOT _own_policy)
      add_test(NAME scenario_renamed_${_name}
               COMMAND $<TARGET_FILE:itsm-scenario> --policy ${_itsm_renamed} --names zz_ ${_name}.itsm
               WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
      set_tests_properties(scenario_renamed_${_name} PROPERTIES FIXTURES_REQUIRED itsm_renamed_policy)
    endif()
  endforeach()
  # A sampled matrix rotates: its offsets together fail every position.
  add_test(NAME scenario_faults_sample_offsets_cover_the_matrix
           COMMAND ${CMAKE_COMMAND} -DRUNNER=$<TARGET_FILE:itsm-scenario> -DSTORY=change_emergency.itsm
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/check_fault_offset.cmake
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
  set_tests_properties(scenario_faults_sample_offsets_cover_the_matrix PROPERTIES LABELS faults)
  # The model-based test's own harness: a deliberately wrong model is
  # caught, shrunk, and its printed script fails in the runner.
  if(TARGET test_model)
    add_test(NAME model_shrunk_script_fails_in_the_runner
             COMMAND test_model --ops 0 --runner $<TARGET_FILE:itsm-scenario>)
  endif()
  add_test(NAME scenario_doc_example
           COMMAND ${CMAKE_COMMAND} -DRUNNER=$<TARGET_FILE:itsm-scenario>
                   -DDOC=${CMAKE_SOURCE_DIR}/docs/scenario.md -DOUT=${CMAKE_CURRENT_BINARY_DIR}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/check_doc_example.cmake)
  add_test(NAME scenario_several_scripts
           COMMAND ${CMAKE_COMMAND} -DRUNNER=$<TARGET_FILE:itsm-scenario> -DOUT=${CMAKE_CURRENT_BINARY_DIR}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/bad/check_several.cmake
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
  add_test(NAME scenario_bad_usage_exits_2
           COMMAND ${CMAKE_COMMAND} -DRUNNER=$<TARGET_FILE:itsm-scenario>
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/bad/check_usage.cmake
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
  file(GLOB _itsm_bad CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/bad/*.itsm)
  foreach(_bad ${_itsm_bad})
    get_filename_component(_name ${_bad} NAME_WE)
    add_test(NAME scenario_bad_${_name}
             COMMAND ${CMAKE_COMMAND} -DRUNNER=$<TARGET_FILE:itsm-scenario> -DSCRIPT=bad/${_name}.itsm
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/bad/check_bad.cmake
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
  endforeach()
endif()
