# SPDX-License-Identifier: Apache-2.0
# tests/sqlite.cmake - the SQLite host and the replay of real logs,
# included from tests/CMakeLists.txt:
#
#   sqlite_crash_and_replay   examples/sqlite_host killed mid-run (_exit), restarted,
#                             replayed from SQLite: every accepted change, nothing else
#   test_uci_mapping          the UCI mapping, one cmocka test per quirk of the data
#   test_log_input            strict input: impossible dates, bad times, cut lines and
#                             gzip streams, repeated blocks, rows out of time order
#   replay_figures            the report's figures on fixed slices of the UCI and
#                             BPI 2013 logs vs the same figures computed by awk
#   replay_process_map        the SVG process map is well-formed and names every state;
#                             the conformance CSV agrees with the JSON
#   replay_strict_input       itsm-replay's refused rows and stated quirks, with their
#                             lines, for malformed help desk and BPI problem input
find_program(ITSM_BASH bash)
if(TARGET example_sqlite_host AND ITSM_BASH)
  add_test(NAME sqlite_crash_and_replay
    COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/test_sqlite_crash.sh $<TARGET_FILE:example_sqlite_host>)
  set_tests_properties(sqlite_crash_and_replay PROPERTIES LABELS sqlite TIMEOUT 300)
endif()

find_package(ZLIB QUIET)
if(ITSM_BUILD_TOOLS AND ZLIB_FOUND AND TARGET itsm_sqlite
   AND EXISTS ${PROJECT_SOURCE_DIR}/tools/CMakeLists.txt)
  # itsm_replay is defined in tools/, configured after tests/: fine for linking.
  add_executable(test_uci_mapping ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_uci_mapping.c)
  target_link_libraries(test_uci_mapping PRIVATE itsm_replay itsm_static ${CMOCKA_LIB})
  target_include_directories(test_uci_mapping PRIVATE ${CMOCKA_INCLUDE})
  target_compile_options(test_uci_mapping PRIVATE -Wall -Wextra -Werror)
  target_compile_definitions(test_uci_mapping PRIVATE ITSM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME test_uci_mapping COMMAND test_uci_mapping)
  add_executable(test_log_input ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_log_input.c)
  target_link_libraries(test_log_input PRIVATE itsm_replay itsm_static ${CMOCKA_LIB})
  target_include_directories(test_log_input PRIVATE ${CMOCKA_INCLUDE})
  target_compile_options(test_log_input PRIVATE -Wall -Wextra -Werror)
  target_compile_definitions(test_log_input PRIVATE ITSM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME test_log_input COMMAND test_log_input)
  # The UCI sample in both event forms reloads to the same engine.
  add_executable(test_reload_forms ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_reload_forms.c)
  target_link_libraries(test_reload_forms PRIVATE itsm_replay itsm_testsupport)
  target_compile_options(test_reload_forms PRIVATE -Wall -Wextra -Werror)
  target_compile_definitions(test_reload_forms PRIVATE ITSM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME test_reload_forms COMMAND test_reload_forms)

  find_program(ITSM_PYTHON3 python3)
  if(ITSM_BASH AND ITSM_PYTHON3)
    add_test(NAME replay_figures
      COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_replay_figures.sh
              $<TARGET_FILE:itsm-replay> ${CMAKE_CURRENT_SOURCE_DIR}/data/replay)
    set_tests_properties(replay_figures PROPERTIES LABELS replay)
    add_test(NAME replay_process_map
      COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_process_map.sh
              $<TARGET_FILE:itsm-replay> ${CMAKE_CURRENT_SOURCE_DIR}/data/replay)
    set_tests_properties(replay_process_map PROPERTIES LABELS replay)
    add_test(NAME replay_strict_input
      COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_replay_strict_input.sh
              $<TARGET_FILE:itsm-replay> ${CMAKE_CURRENT_SOURCE_DIR}/data/replay)
    set_tests_properties(replay_strict_input PROPERTIES LABELS replay)
    add_test(NAME replay_whatif
      COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/replay/test_whatif_replay.sh
              $<TARGET_FILE:itsm-replay> ${CMAKE_CURRENT_SOURCE_DIR}/data/replay ${PROJECT_SOURCE_DIR})
    set_tests_properties(replay_whatif PROPERTIES LABELS replay)
  endif()
endif()
