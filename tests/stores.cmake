# SPDX-License-Identifier: Apache-2.0
# tests/stores.cmake - the stores of stores/ (libitsm-sqlite, libitsm-pg),
# included from tests/CMakeLists.txt:
#
#   store_contract_<store>     the store contract (tests/stores/contract.c),
#                              one suite, run by the memory test store, SQLite
#                              and PostgreSQL (the Python stores run it from
#                              bindings/python/tests/test_store_contract.py)
#   exports_itsm_<store>       libitsm-<store>.so exports exactly its header
#   *_pg*, pg_*                run inside a throwaway PostgreSQL server
#                              (tests/stores/with_postgres.sh); reported
#                              skipped, with the reason, when PostgreSQL is
#                              not installed
#
# They link the shared libitsm, as a host of an installed store does.
set(ITSM_STORE_TESTS ${CMAKE_CURRENT_SOURCE_DIR}/stores)

add_library(itsm_contract STATIC ${ITSM_STORE_TESTS}/contract.c ${ITSM_STORE_TESTS}/contract_support.c
  ${ITSM_STORE_TESTS}/contract_append.c ${ITSM_STORE_TESTS}/contract_reload.c
  ${ITSM_STORE_TESTS}/contract_group.c ${ITSM_STORE_TESTS}/contract_engine_group.c
  ${CMAKE_CURRENT_SOURCE_DIR}/support/support.c ${CMAKE_CURRENT_SOURCE_DIR}/support/scenario.c)
target_include_directories(itsm_contract PUBLIC ${ITSM_STORE_TESTS}
  ${CMAKE_CURRENT_SOURCE_DIR}/support ${CMOCKA_INCLUDE})
target_link_libraries(itsm_contract PUBLIC itsm ${CMOCKA_LIB})
target_compile_options(itsm_contract PRIVATE -Wall -Wextra -Werror)

# itsm_store_test(NAME SOURCE LIBS...): a test program of this family.
function(itsm_store_test name src)
  add_executable(${name} ${ITSM_STORE_TESTS}/${src})
  target_link_libraries(${name} PRIVATE itsm_contract ${ARGN})
  target_compile_options(${name} PRIVATE -Wall -Wextra -Werror)
  target_compile_definitions(${name} PRIVATE
    ITSM_CONTRACT_CASES="${ITSM_STORE_TESTS}/contract_cases.txt"
    ITSM_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data")
endfunction()

itsm_store_test(test_contract_memory test_contract_memory.c)
add_test(NAME store_contract_memory COMMAND test_contract_memory)
set_tests_properties(store_contract_memory PROPERTIES LABELS stores)

if(TARGET itsm_sqlite)
  itsm_store_test(test_contract_sqlite test_contract_sqlite.c itsm::sqlite)
  add_test(NAME store_contract_sqlite COMMAND test_contract_sqlite)
  add_test(NAME store_contract_sqlite_binary COMMAND test_contract_sqlite binary)
  add_test(NAME store_contract_sqlite_pipelined COMMAND test_contract_sqlite binary pipelined)
  itsm_store_test(test_sqlite_schema test_sqlite_schema.c itsm::sqlite SQLite::SQLite3)
  add_test(NAME test_sqlite_schema COMMAND test_sqlite_schema)
  itsm_store_test(test_sqlite_pipeline test_sqlite_pipeline.c itsm::sqlite SQLite::SQLite3)
  add_test(NAME test_sqlite_pipeline COMMAND test_sqlite_pipeline)
  itsm_store_test(test_sqlite_hand_edits test_sqlite_hand_edits.c itsm::sqlite SQLite::SQLite3)
  add_test(NAME test_sqlite_hand_edits COMMAND test_sqlite_hand_edits)
  itsm_store_test(test_sqlite_groups test_sqlite_groups.c itsm::sqlite SQLite::SQLite3)
  add_test(NAME test_sqlite_groups COMMAND test_sqlite_groups)
  itsm_store_test(test_sqlite_positions test_sqlite_positions.c itsm::sqlite SQLite::SQLite3)
  add_test(NAME test_sqlite_positions COMMAND test_sqlite_positions)
  # The same against the store built with a revision cache of 64 entries,
  # full again and again: emptied between groups and plain appends (what it
  # lost is looked up, never taken for a conflict), never inside a
  # pipelined group, which keeps its own rows in it.
  get_target_property(itsm_sqlite_sources itsm_sqlite SOURCES)
  list(FILTER itsm_sqlite_sources EXCLUDE REGEX "TARGET_OBJECTS")
  list(TRANSFORM itsm_sqlite_sources PREPEND ${PROJECT_SOURCE_DIR}/stores/)
  add_library(itsm_sqlite_small_cache STATIC ${itsm_sqlite_sources} $<TARGET_OBJECTS:itsm_store_util>)
  target_include_directories(itsm_sqlite_small_cache PRIVATE ${PROJECT_SOURCE_DIR}/stores/common
    ${PROJECT_SOURCE_DIR}/stores/sqlite)
  target_compile_definitions(itsm_sqlite_small_cache PRIVATE ITSM_SQLITE_REVS_LIMIT=64)
  target_link_libraries(itsm_sqlite_small_cache PUBLIC itsm SQLite::SQLite3 Threads::Threads)
  itsm_store_test(test_sqlite_pipeline_small_cache test_sqlite_pipeline.c itsm_sqlite_small_cache SQLite::SQLite3)
  add_test(NAME test_sqlite_pipeline_small_cache COMMAND test_sqlite_pipeline_small_cache)
  add_test(NAME exports_itsm_sqlite
    COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/check_exports.sh
            $<TARGET_FILE:itsm_sqlite> ${PROJECT_SOURCE_DIR}/include/itsm/stores/sqlite.h)
  set_tests_properties(store_contract_sqlite store_contract_sqlite_binary store_contract_sqlite_pipelined exports_itsm_sqlite test_sqlite_schema test_sqlite_pipeline
    test_sqlite_hand_edits test_sqlite_groups test_sqlite_positions
    test_sqlite_pipeline_small_cache PROPERTIES LABELS stores)
  # The C and the Python store on one file, both ways. Not under the
  # sanitizers: python would need their runtime preloaded (the binding's own
  # tests do that; this test's C side is examples/sqlite_host, run there).
  find_package(Python3 3.9 COMPONENTS Interpreter QUIET)
  if(TARGET example_sqlite_host AND Python3_Interpreter_FOUND AND NOT ITSM_SANITIZE)
    add_test(NAME store_schema_shared_with_python
      COMMAND ${Python3_EXECUTABLE} ${ITSM_STORE_TESTS}/test_schema_shared.py -v)
    set_tests_properties(store_schema_shared_with_python PROPERTIES LABELS stores
      ENVIRONMENT "ITSM_LIBRARY=$<TARGET_FILE:itsm>;ITSM_SQLITE_HOST=$<TARGET_FILE:example_sqlite_host>;PYTHONDONTWRITEBYTECODE=1")
  endif()
endif()

if(TARGET itsm_pg)
  set(ITSM_WITH_PG ${ITSM_BASH} ${ITSM_STORE_TESTS}/with_postgres.sh)
  itsm_store_test(test_contract_pg test_contract_pg.c itsm::pg PostgreSQL::PostgreSQL)
  add_test(NAME store_contract_pg COMMAND ${ITSM_WITH_PG} $<TARGET_FILE:test_contract_pg>)
  add_test(NAME exports_itsm_pg
    COMMAND ${ITSM_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/check_exports.sh
            $<TARGET_FILE:itsm_pg> ${PROJECT_SOURCE_DIR}/include/itsm/stores/pg.h)
  set_tests_properties(store_contract_pg exports_itsm_pg PROPERTIES LABELS "stores;pg")
  set_tests_properties(store_contract_pg PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
  itsm_store_test(test_pg_store test_pg_store.c itsm::pg PostgreSQL::PostgreSQL)
  add_test(NAME test_pg_store COMMAND ${ITSM_WITH_PG} $<TARGET_FILE:test_pg_store>)
  set_tests_properties(test_pg_store PROPERTIES LABELS "stores;pg" SKIP_RETURN_CODE 77 TIMEOUT 300)
  itsm_store_test(test_pg_hand_edits test_pg_hand_edits.c itsm::pg PostgreSQL::PostgreSQL)
  add_test(NAME test_pg_hand_edits COMMAND ${ITSM_WITH_PG} $<TARGET_FILE:test_pg_hand_edits>)
  set_tests_properties(test_pg_hand_edits PROPERTIES LABELS "stores;pg" SKIP_RETURN_CODE 77 TIMEOUT 300)
  itsm_store_test(test_pg_positions test_pg_positions.c itsm::pg PostgreSQL::PostgreSQL)
  add_test(NAME test_pg_positions COMMAND ${ITSM_WITH_PG} $<TARGET_FILE:test_pg_positions>)
  set_tests_properties(test_pg_positions PROPERTIES LABELS "stores;pg" SKIP_RETURN_CODE 77 TIMEOUT 300)
  itsm_store_test(test_pg_soak test_pg_soak.c itsm::pg PostgreSQL::PostgreSQL)
  add_test(NAME pg_soak_nodes_killed_and_restarted COMMAND ${ITSM_WITH_PG} $<TARGET_FILE:test_pg_soak>)
  set_tests_properties(pg_soak_nodes_killed_and_restarted PROPERTIES
    LABELS "stores;pg" SKIP_RETURN_CODE 77 TIMEOUT 300)
  if(TARGET example_pg_nodes)
    add_test(NAME example_pg_nodes COMMAND ${ITSM_WITH_PG} $<TARGET_FILE:example_pg_nodes>)
    set_tests_properties(example_pg_nodes PROPERTIES LABELS "stores;pg" SKIP_RETURN_CODE 77 TIMEOUT 300)
  endif()
else()
  add_test(NAME store_contract_pg COMMAND ${ITSM_BASH} -c
    "echo 'SKIPPED: libitsm-pg was not built: libpq was not found at configure time (Debian: libpq-dev; scripts/deps.sh installs it)'; exit 77")
  set_tests_properties(store_contract_pg PROPERTIES SKIP_RETURN_CODE 77 LABELS "stores;pg")
endif()

# ---- tools/store/itsm-store: info, verify, copy (through PostgreSQL too) ------
# (tools/ is configured after tests/: its target is known at generation time)
if(ITSM_BUILD_TOOLS AND TARGET itsm_sqlite AND TARGET example_sqlite_host)
  if(TARGET itsm_pg)
    add_test(NAME itsm_store_info_verify_copy
      COMMAND ${ITSM_WITH_PG} ${ITSM_BASH} ${ITSM_STORE_TESTS}/test_itsm_store.sh
              $<TARGET_FILE:itsm-store> $<TARGET_FILE:example_sqlite_host>)
  else()
    add_test(NAME itsm_store_info_verify_copy
      COMMAND ${ITSM_BASH} ${ITSM_STORE_TESTS}/test_itsm_store.sh
              $<TARGET_FILE:itsm-store> $<TARGET_FILE:example_sqlite_host>)
  endif()
  set_tests_properties(itsm_store_info_verify_copy PROPERTIES LABELS stores SKIP_RETURN_CODE 77)
endif()

# ---- installed: headers, .pc files, CMake components ------------------------
set(ITSM_STORE_CONSUMER_FLAGS "")
if(ITSM_SANITIZE)
  set(ITSM_STORE_CONSUMER_FLAGS "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer")
endif()
add_test(NAME install_and_consume_stores
  COMMAND ${ITSM_BASH} ${ITSM_STORE_TESTS}/check_install_stores.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(install_and_consume_stores PROPERTIES
  LABELS "stores;install" TIMEOUT 600 COST -1
  ENVIRONMENT "CC=${CMAKE_C_COMPILER};ITSM_CONSUMER_FLAGS=${ITSM_STORE_CONSUMER_FLAGS}")
