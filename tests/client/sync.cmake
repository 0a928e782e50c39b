# Tests of client/sync: its plain logic on its own, and the sync engine against the real clinicflow-server process
# on free loopback ports (tests/support), never a stand-in.
clinicflow_add_test(TestSyncSequencer SOURCES TestSyncSequencer.cpp LIBRARIES ClinicFlow::ClientCore)

# Nothing more to build without the server (e.g. a client-only build).
if(NOT TARGET ClinicFlow::TestSupport)
    return()
endif()

add_library(clinicflow_sync_test_support STATIC SyncRecorder.cpp SyncRecorder.h
                                               support/LossyProxy.cpp support/LossyProxy.h)
target_include_directories(clinicflow_sync_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(clinicflow_sync_test_support PUBLIC ClinicFlow::ClientCore ClinicFlow::TestSupport Qt6::Test
                                                   PRIVATE clinicflow_warnings)

foreach(name IN ITEMS TestSyncEngine TestSyncGaps)
    clinicflow_add_test(${name} SOURCES ${name}.cpp
                        LIBRARIES clinicflow_sync_test_support ClinicFlow::ClientCore ClinicFlow::TestSupport)
    add_dependencies(${name} clinicflow-server)
    # Each starts server processes; one at a time, as tests/integration, so deadlines stay honest on 2 cores.
    set_tests_properties(${name} PROPERTIES RUN_SERIAL TRUE TIMEOUT 180 LABELS integration)
endforeach()
