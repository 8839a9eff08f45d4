# SPDX-License-Identifier: Apache-2.0
# The scenario stories (tests/scenarios/*.itsm), one ctest each (and one
# for each story's fault matrix), and the
# runner's own error tests (tests/scenarios/bad/*.itsm: each must exit 1
# with exactly the "file:line: message" its first line gives).
# The runner is built in tools/scenario (added after tests/; the generator
# expression resolves at generate time).
if(ITSM_BUILD_TOOLS AND EXISTS ${CMAKE_SOURCE_DIR}/tools/CMakeLists.txt
   AND EXISTS ${CMAKE_SOURCE_DIR}/tools/scenario/CMakeLists.txt)
  file(GLOB _itsm_stories CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/*.itsm)
  foreach(_story ${_itsm_stories})
    get_filename_component(_name ${_story} NAME_WE)
    add_test(NAME scenario_${_name} COMMAND $<TARGET_FILE:itsm-scenario> ${_name}.itsm
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
    # The fault matrix: every allocation and store append of the story's
    # actions failed in turn (docs/scenario.md, --faults).
    add_test(NAME scenario_faults_${_name} COMMAND $<TARGET_FILE:itsm-scenario> --faults ${_name}.itsm
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
    set_tests_properties(scenario_faults_${_name} PROPERTIES LABELS faults TIMEOUT 600)
  endforeach()
  file(GLOB _itsm_bad CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/bad/*.itsm)
  foreach(_bad ${_itsm_bad})
    get_filename_component(_name ${_bad} NAME_WE)
    add_test(NAME scenario_bad_${_name}
             COMMAND ${CMAKE_COMMAND} -DRUNNER=$<TARGET_FILE:itsm-scenario> -DSCRIPT=bad/${_name}.itsm
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/bad/check_bad.cmake
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/scenarios)
  endforeach()
endif()
